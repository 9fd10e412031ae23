-- The organisation tree with its history. Dates are ISO-8601 text ('YYYY-MM-DD') in both
-- databases so that every query is written once; spans are [valid_from, valid_until).
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('department', 'division', 'area', 'school')),
    area_type TEXT,
    levels TEXT NOT NULL DEFAULT '',
    ownership TEXT CHECK (ownership IN ('CL', 'NCL')),
    staff_count INTEGER,
    student_count INTEGER,
    address TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    established_on TEXT NOT NULL,
    closed_on TEXT,
    merged_into INTEGER REFERENCES units (id)
);
CREATE INDEX units_kind ON units (kind);

CREATE TABLE unit_names (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT
);
CREATE INDEX unit_names_unit ON unit_names (unit_id, valid_from);

CREATE TABLE unit_links (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    parent_id INTEGER NOT NULL REFERENCES units (id),
    relation TEXT NOT NULL CHECK (relation IN ('managed_by', 'located_in')),
    valid_from TEXT NOT NULL,
    valid_until TEXT
);
CREATE INDEX unit_links_unit ON unit_links (unit_id, relation);
CREATE INDEX unit_links_parent ON unit_links (parent_id, relation);

CREATE TABLE org_events (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    related_unit_id INTEGER REFERENCES units (id),
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX org_events_unit ON org_events (unit_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    email TEXT UNIQUE,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE user_grants (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id)
);
