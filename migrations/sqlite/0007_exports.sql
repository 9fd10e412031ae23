-- Exports that run in the background (the consolidated workbook and report of a cycle):
-- their progress while they run and the file once done, for the person who asked. Any
-- server instance can answer for them; they are removed after a day.

CREATE TABLE export_jobs (
    id INTEGER PRIMARY KEY,
    format TEXT NOT NULL CHECK (format IN ('xlsx', 'docx')),
    cycle_id INTEGER NOT NULL REFERENCES report_cycles (id),
    requested_by INTEGER NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress INTEGER NOT NULL DEFAULT 0,
    stage TEXT NOT NULL DEFAULT '',
    file_name TEXT,
    content BLOB,
    error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX export_jobs_created ON export_jobs (created_at);
