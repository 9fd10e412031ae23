-- Emulation and awards: the titles units register for at the start of a year and their
-- approval, the catalogue of award forms, nominations with their achievements, and the
-- decisions that award them.

CREATE TABLE emulation_registrations (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('collective', 'individual')),
    -- The collective's or the person's name, and the person's position.
    nominee TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'rejected', 'approved')),
    reason TEXT NOT NULL DEFAULT '',
    updated_by INTEGER NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL,
    UNIQUE (unit_id, year, nominee, title)
);
CREATE INDEX emulation_registrations_year ON emulation_registrations (year, status);

CREATE TABLE award_forms (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

INSERT INTO award_forms (name, created_at) VALUES
    ('Giấy khen của Giám đốc Sở Giáo dục và Đào tạo', '2022-01-01T00:00:00Z'),
    ('Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh', '2022-01-01T00:00:00Z'),
    ('Bằng khen của Bộ trưởng Bộ Công an', '2022-01-01T00:00:00Z'),
    ('Giấy khen của Giám đốc Công an tỉnh', '2022-01-01T00:00:00Z'),
    ('Kỷ niệm chương “Bảo vệ an ninh Tổ quốc”', '2022-01-01T00:00:00Z');

CREATE TABLE award_decisions (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    form_id INTEGER NOT NULL REFERENCES award_forms (id),
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (year, number)
);

CREATE TABLE nominations (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('collective', 'individual')),
    nominee TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    form_id INTEGER NOT NULL REFERENCES award_forms (id),
    achievements TEXT NOT NULL,
    decision_id INTEGER REFERENCES award_decisions (id),
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (unit_id, year, nominee, form_id)
);
CREATE INDEX nominations_year ON nominations (year, form_id);
CREATE INDEX nominations_unit ON nominations (unit_id);
