-- Renames change what the directory shows, so unit names move the organisation's revision
-- too. Each report is stamped with the revision of its cycle at its last insert or status
-- change, so counts kept in memory are brought up to date from the reports stamped since.

CREATE TRIGGER unit_names_revision AFTER INSERT OR UPDATE OR DELETE ON unit_names
    FOR EACH STATEMENT EXECUTE FUNCTION bump_organisation_revision();

ALTER TABLE report_submissions ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
UPDATE report_submissions s SET revision = c.revision FROM report_cycles c WHERE c.id = s.cycle_id;

-- The cycle's row lock orders the stamps: a report stamped later commits later.
CREATE OR REPLACE FUNCTION bump_cycle_revision() RETURNS trigger AS $$
DECLARE
    stamp BIGINT;
BEGIN
    UPDATE report_cycles SET revision = revision + 1 WHERE id = NEW.cycle_id
    RETURNING revision INTO stamp;
    UPDATE report_submissions SET revision = stamp WHERE id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE INDEX report_submissions_revision ON report_submissions (cycle_id, revision);
