-- What a roll-up reads changes only with the organisation (schools, their links and groups)
-- or with a status change of a cycle's reports. Triggers keep a revision of each, so no write
-- can forget it, and a roll-up computed at both revisions stays right until either moves.
-- Covering indexes let the roll-up read numbers and statuses from the index alone.

CREATE TABLE data_revisions (
    topic TEXT PRIMARY KEY,
    revision BIGINT NOT NULL
);
INSERT INTO data_revisions (topic, revision) VALUES ('organisation', 0);
ALTER TABLE report_cycles ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_organisation_revision() RETURNS trigger AS $$
BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION bump_cycle_revision() RETURNS trigger AS $$
BEGIN
    UPDATE report_cycles SET revision = revision + 1 WHERE id = NEW.cycle_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER units_revision AFTER INSERT OR UPDATE OR DELETE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION bump_organisation_revision();

CREATE TRIGGER unit_links_revision AFTER INSERT OR UPDATE OR DELETE ON unit_links
    FOR EACH STATEMENT EXECUTE FUNCTION bump_organisation_revision();

CREATE TRIGGER unit_group_members_revision AFTER INSERT OR UPDATE OR DELETE ON unit_group_members
    FOR EACH STATEMENT EXECUTE FUNCTION bump_organisation_revision();

CREATE TRIGGER report_submissions_insert_revision AFTER INSERT ON report_submissions
    FOR EACH ROW EXECUTE FUNCTION bump_cycle_revision();
CREATE TRIGGER report_submissions_status_revision AFTER UPDATE OF status ON report_submissions
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION bump_cycle_revision();

CREATE INDEX report_numbers_values ON report_numbers (submission_id, field_key, value);
CREATE INDEX report_submissions_counted ON report_submissions (cycle_id, status, unit_id, id);
