-- Deployment: which units received which plans and what they have done. Its revision lets
-- the dashboard keep each plan's progress in memory until a step is marked.
INSERT INTO data_revisions (topic, revision) VALUES ('deployment', 0);

CREATE TRIGGER plan_units_insert_revision AFTER INSERT ON plan_units BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'deployment';
END;
CREATE TRIGGER plan_units_update_revision AFTER UPDATE ON plan_units BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'deployment';
END;
CREATE TRIGGER plan_units_delete_revision AFTER DELETE ON plan_units BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'deployment';
END;
CREATE TRIGGER plan_steps_insert_revision AFTER INSERT ON plan_steps BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'deployment';
END;
CREATE TRIGGER plan_steps_update_revision AFTER UPDATE ON plan_steps BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'deployment';
END;
CREATE TRIGGER plan_steps_delete_revision AFTER DELETE ON plan_steps BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'deployment';
END;
CREATE TRIGGER plans_status_revision AFTER UPDATE OF status ON plans BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'deployment';
END;

-- The outline of an area on the dashboard's map: a GeoJSON geometry (Polygon or
-- MultiPolygon, longitude then latitude).
CREATE TABLE area_boundaries (
    unit_id INTEGER PRIMARY KEY REFERENCES units (id),
    geometry TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
