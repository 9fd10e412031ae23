-- Models (mô hình) that schools run to keep order and safety: a catalogue, each school's
-- registration of the models it runs (since when, at how many places, with evidence), and a
-- yearly review of each (tốt, khá, trung bình) that may mark it for replication.

CREATE TABLE safety_models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

INSERT INTO safety_models (name, description, created_at) VALUES
    ('Cổng trường an toàn giao thông', 'Phân luồng, giữ trật tự và an toàn giao thông trước cổng trường giờ đến và giờ về.', '2022-01-01T00:00:00Z'),
    ('Xếp hàng đón con', 'Phụ huynh xếp hàng đón học sinh theo khu vực đã kẻ vạch, không đỗ xe dưới lòng đường.', '2022-01-01T00:00:00Z'),
    ('Trường học không ma túy', 'Tuyên truyền, phát hiện sớm và phối hợp với công an xã, phường phòng chống ma túy trong học đường.', '2022-01-01T00:00:00Z'),
    ('Hộp thư tố giác tội phạm, vi phạm', 'Hộp thư và đường dây nóng để học sinh, giáo viên báo tin về vi phạm an ninh, trật tự.', '2022-01-01T00:00:00Z'),
    ('Tổ tự quản an ninh, trật tự', 'Tổ học sinh và giáo viên tự quản giữ trật tự trong trường và khu vực xung quanh.', '2022-01-01T00:00:00Z');

CREATE TABLE model_runs (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES safety_models (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    started_on TEXT NOT NULL,
    -- How many places (gates, school sites) the model runs at.
    places INTEGER NOT NULL CHECK (places >= 1),
    note TEXT NOT NULL DEFAULT '',
    evidence_name TEXT,
    evidence_type TEXT,
    evidence_size INTEGER,
    evidence_sha256 TEXT,
    evidence BLOB,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (model_id, unit_id)
);
CREATE INDEX model_runs_unit ON model_runs (unit_id);

CREATE TABLE model_reviews (
    run_id INTEGER NOT NULL REFERENCES model_runs (id),
    year INTEGER NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('good', 'fair', 'average')),
    replicate INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    reviewed_by INTEGER NOT NULL REFERENCES users (id),
    reviewed_at TEXT NOT NULL,
    PRIMARY KEY (run_id, year)
);
