-- Saved groups of units a plan can be sent to ("THPT schools on the coast"), and the
-- evidence a unit attaches to a deployment step.

CREATE TABLE unit_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);

CREATE TABLE unit_group_members (
    group_id INTEGER NOT NULL REFERENCES unit_groups (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (group_id, unit_id)
);

-- One file per step of a unit's checklist; a new upload replaces it.
CREATE TABLE plan_evidence (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    step TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL,
    UNIQUE (plan_id, unit_id, step)
);
