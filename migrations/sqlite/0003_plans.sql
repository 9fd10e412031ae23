-- Plans: the registry of documents they cite, the plans with every saved version, the units
-- an issued plan was sent to with their deployment steps, and in-app notifications.

CREATE TABLE legal_documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    issued_on TEXT,
    issuer TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL,
    plan_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX legal_documents_number ON legal_documents (kind, number, issuer);

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    issuer_unit_id INTEGER NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'issued', 'ended')),
    -- Optimistic concurrency: a save names the version it started from.
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL,
    return_comment TEXT,
    issued_at TEXT,
    corrects_plan_id INTEGER REFERENCES plans (id),
    document_id INTEGER REFERENCES legal_documents (id)
);
CREATE INDEX plans_year ON plans (year, status);

CREATE TABLE plan_revisions (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    event TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    saved_by INTEGER NOT NULL REFERENCES users (id),
    saved_at TEXT NOT NULL
);
CREATE UNIQUE INDEX plan_revisions_version ON plan_revisions (plan_id, version);

CREATE TABLE plan_units (
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    pilot INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, unit_id)
);
CREATE INDEX plan_units_unit ON plan_units (unit_id);

CREATE TABLE plan_steps (
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    step TEXT NOT NULL,
    done_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    marked_by INTEGER NOT NULL REFERENCES users (id),
    marked_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, unit_id, step)
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER REFERENCES units (id),
    user_id INTEGER REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notifications_unit ON notifications (unit_id, created_at);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

CREATE TABLE notification_reads (
    notification_id INTEGER NOT NULL REFERENCES notifications (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    read_at TEXT NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);
