-- Recognition: criteria sets as versioned data, each school's assessment of a year against
-- one version, the files behind it (evidence per criterion, the dossier's documents), its
-- history of stages, and the year-end decisions that recognise schools.

CREATE TABLE criteria_sets (
    id INTEGER PRIMARY KEY,
    programme TEXT NOT NULL CHECK (programme IN ('model_school', 'safety_standard', 'yearly_evaluation')),
    version INTEGER NOT NULL,
    -- Groups, items and bands as JSON. A version that an assessment uses never changes.
    body TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (programme, version)
);

CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    programme TEXT NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    set_id INTEGER NOT NULL REFERENCES criteria_sets (id),
    stage TEXT NOT NULL CHECK (stage IN ('selected', 'building', 'self_assessed', 'filed',
        'under_review', 'recognised', 'not_recognised')),
    self_answers TEXT NOT NULL DEFAULT '{}',
    review_answers TEXT NOT NULL DEFAULT '{}',
    self_total INTEGER,
    review_total INTEGER,
    band TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    UNIQUE (programme, year, unit_id)
);
CREATE INDEX assessments_year ON assessments (programme, year, stage);
CREATE INDEX assessments_unit ON assessments (unit_id);

CREATE TABLE assessment_events (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    stage TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    user_id INTEGER REFERENCES users (id),
    at TEXT NOT NULL
);
CREATE INDEX assessment_events_assessment ON assessment_events (assessment_id);

CREATE TABLE assessment_files (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    -- 'item:<criterion key>' or 'dossier:<document code>'.
    slot TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL,
    UNIQUE (assessment_id, slot)
);

CREATE TABLE recognition_decisions (
    id INTEGER PRIMARY KEY,
    programme TEXT NOT NULL,
    year INTEGER NOT NULL,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (programme, year, number)
);

CREATE TABLE decision_assessments (
    decision_id INTEGER NOT NULL REFERENCES recognition_decisions (id),
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) UNIQUE,
    PRIMARY KEY (decision_id, assessment_id)
);
