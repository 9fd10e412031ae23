-- Report stamps per statement instead of per row: a statement that inserts or changes many
-- reports of a cycle (the demo, a bulk change) moves the cycle's revision once and stamps its
-- rows with it. Per row, every row of such a statement updated the same cycle row again,
-- and each update had to walk past the versions the previous ones left: quadratic.
DROP TRIGGER report_submissions_insert_revision ON report_submissions;
DROP TRIGGER report_submissions_status_revision ON report_submissions;

CREATE FUNCTION stamp_inserted_reports() RETURNS trigger AS $$
BEGIN
    WITH bumped AS (
        UPDATE report_cycles c SET revision = c.revision + 1
        WHERE c.id IN (SELECT DISTINCT cycle_id FROM inserted_reports)
        RETURNING c.id, c.revision
    )
    UPDATE report_submissions s SET revision = b.revision
    FROM inserted_reports i JOIN bumped b ON b.id = i.cycle_id
    WHERE s.id = i.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION stamp_changed_reports() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM new_reports n JOIN old_reports o ON o.id = n.id
                   WHERE o.status IS DISTINCT FROM n.status) THEN
        RETURN NULL;
    END IF;
    WITH changed AS (
        SELECT n.id, n.cycle_id FROM new_reports n JOIN old_reports o ON o.id = n.id
        WHERE o.status IS DISTINCT FROM n.status
    ), bumped AS (
        UPDATE report_cycles c SET revision = c.revision + 1
        WHERE c.id IN (SELECT DISTINCT cycle_id FROM changed)
        RETURNING c.id, c.revision
    )
    UPDATE report_submissions s SET revision = b.revision
    FROM changed ch JOIN bumped b ON b.id = ch.cycle_id
    WHERE s.id = ch.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER report_submissions_insert_stamp AFTER INSERT ON report_submissions
    REFERENCING NEW TABLE AS inserted_reports
    FOR EACH STATEMENT EXECUTE FUNCTION stamp_inserted_reports();
CREATE TRIGGER report_submissions_status_stamp AFTER UPDATE ON report_submissions
    REFERENCING OLD TABLE AS old_reports NEW TABLE AS new_reports
    FOR EACH STATEMENT EXECUTE FUNCTION stamp_changed_reports();

-- The organisation's revision moves once per transaction, however many statements change
-- it: every bump of that one row in a transaction left a version of it the next bump had to
-- walk past, so a transaction of many statements (the demo province, an import) grew
-- quadratically. The revision still becomes visible with the commit, as the data does.
CREATE OR REPLACE FUNCTION bump_organisation_revision() RETURNS trigger AS $$
BEGIN
    IF current_setting('antq.organisation_bumped', true) = txid_current()::text THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('antq.organisation_bumped', txid_current()::text, true);
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Deployment: which units received which plans and what they have done. Its revision lets
-- the dashboard keep each plan's progress in memory until a step is marked.
INSERT INTO data_revisions (topic, revision) VALUES ('deployment', 0);

-- Once per transaction, as the organisation's.
CREATE FUNCTION bump_deployment_revision() RETURNS trigger AS $$
BEGIN
    IF current_setting('antq.deployment_bumped', true) = txid_current()::text THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('antq.deployment_bumped', txid_current()::text, true);
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'deployment';
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER plan_units_revision AFTER INSERT OR UPDATE OR DELETE ON plan_units
    FOR EACH STATEMENT EXECUTE FUNCTION bump_deployment_revision();
CREATE TRIGGER plan_steps_revision AFTER INSERT OR UPDATE OR DELETE ON plan_steps
    FOR EACH STATEMENT EXECUTE FUNCTION bump_deployment_revision();
CREATE TRIGGER plans_revision AFTER UPDATE OF status ON plans
    FOR EACH STATEMENT EXECUTE FUNCTION bump_deployment_revision();

-- The outline of an area on the dashboard's map: a GeoJSON geometry (Polygon or
-- MultiPolygon, longitude then latitude).
CREATE TABLE area_boundaries (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    geometry TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
