-- Periodic reports: versioned templates, cycles with their three dates, one submission per
-- unit and cycle with its history, attachments, the numbers roll-ups add up, reminders.

CREATE TABLE report_templates (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    -- The fields, as JSON: a version never changes once saved.
    fields TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (code, version)
);

CREATE TABLE report_cycles (
    id INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES report_templates (id),
    title TEXT NOT NULL,
    period TEXT NOT NULL,
    year INTEGER NOT NULL,
    due_on TEXT NOT NULL,
    on_time_until TEXT NOT NULL,
    locks_on TEXT NOT NULL,
    -- Who must report, as plans choose their audience (JSON); resolved on the day that
    -- matters, so schools opened, closed or merged count as they were.
    audience TEXT NOT NULL,
    plan_id INTEGER REFERENCES plans (id),
    reminder_days TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX report_cycles_due ON report_cycles (due_on);

CREATE TABLE report_submissions (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES report_cycles (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
    version INTEGER NOT NULL,
    answers TEXT NOT NULL,
    -- The key of the submit that made it submitted: a retried submit is recognised.
    submit_key TEXT,
    submitted_at TEXT,
    first_submitted_on TEXT,
    review_comment TEXT NOT NULL DEFAULT '',
    -- A reviewer reopened it after the lock date, until this day.
    reopened_until TEXT,
    updated_by INTEGER NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL,
    UNIQUE (cycle_id, unit_id)
);
CREATE INDEX report_submissions_status ON report_submissions (status, cycle_id);

-- The numbers of a submitted report, for roll-ups in SQL (yes is 1, no is 0).
CREATE TABLE report_numbers (
    submission_id INTEGER NOT NULL REFERENCES report_submissions (id) ON DELETE CASCADE,
    field_key TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (submission_id, field_key)
);

CREATE TABLE report_events (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES report_submissions (id),
    event TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    user_id INTEGER NOT NULL REFERENCES users (id),
    at TEXT NOT NULL
);
CREATE INDEX report_events_submission ON report_events (submission_id, id);

CREATE TABLE report_files (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES report_submissions (id),
    field_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL,
    UNIQUE (submission_id, field_key)
);

-- One reminder per unit, cycle and offset: running the reminders twice sends nothing twice.
CREATE TABLE report_reminders (
    cycle_id INTEGER NOT NULL REFERENCES report_cycles (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    offset_days INTEGER NOT NULL,
    sent_on TEXT NOT NULL,
    PRIMARY KEY (cycle_id, unit_id, offset_days)
);
