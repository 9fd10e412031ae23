-- The day of the movement, 19 August (Ngày hội toàn dân bảo vệ an ninh Tổ quốc): what each
-- school held for it in a year (when, how many took part, in which forms) and its photos.

CREATE TABLE security_days (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    held_on TEXT NOT NULL,
    participants INTEGER NOT NULL CHECK (participants >= 1),
    -- Codes of the activity forms, comma-separated (",ceremony,sports,").
    forms TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    saved_by INTEGER NOT NULL REFERENCES users (id),
    saved_at TEXT NOT NULL,
    UNIQUE (unit_id, year)
);
CREATE INDEX security_days_year ON security_days (year);

CREATE TABLE security_day_photos (
    id INTEGER PRIMARY KEY,
    day_id INTEGER NOT NULL REFERENCES security_days (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL
);
CREATE INDEX security_day_photos_day ON security_day_photos (day_id);
