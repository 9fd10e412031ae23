-- Renames change what the directory shows, so unit names move the organisation's revision
-- too. Each report is stamped with the revision of its cycle at its last insert or status
-- change, so counts kept in memory are brought up to date from the reports stamped since.

CREATE TRIGGER unit_names_insert_revision AFTER INSERT ON unit_names BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER unit_names_update_revision AFTER UPDATE ON unit_names BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER unit_names_delete_revision AFTER DELETE ON unit_names BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

ALTER TABLE report_submissions ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
UPDATE report_submissions
SET revision = (SELECT c.revision FROM report_cycles c WHERE c.id = report_submissions.cycle_id);

DROP TRIGGER report_submissions_insert_revision;
CREATE TRIGGER report_submissions_insert_revision AFTER INSERT ON report_submissions BEGIN
    UPDATE report_cycles SET revision = revision + 1 WHERE id = NEW.cycle_id;
    UPDATE report_submissions
    SET revision = (SELECT revision FROM report_cycles WHERE id = NEW.cycle_id)
    WHERE id = NEW.id;
END;

DROP TRIGGER report_submissions_status_revision;
CREATE TRIGGER report_submissions_status_revision AFTER UPDATE OF status ON report_submissions
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE report_cycles SET revision = revision + 1 WHERE id = NEW.cycle_id;
    UPDATE report_submissions
    SET revision = (SELECT revision FROM report_cycles WHERE id = NEW.cycle_id)
    WHERE id = NEW.id;
END;

CREATE INDEX report_submissions_revision ON report_submissions (cycle_id, revision);
