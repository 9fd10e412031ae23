-- What a roll-up reads changes only with the organisation (schools, their links and groups)
-- or with a status change of a cycle's reports. Triggers keep a revision of each, so no write
-- can forget it, and a roll-up computed at both revisions stays right until either moves.
-- Covering indexes let the roll-up read numbers and statuses from the index alone.

CREATE TABLE data_revisions (
    topic TEXT PRIMARY KEY,
    revision INTEGER NOT NULL
);
INSERT INTO data_revisions (topic, revision) VALUES ('organisation', 0);
ALTER TABLE report_cycles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER units_insert_revision AFTER INSERT ON units BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER units_update_revision AFTER UPDATE ON units BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER units_delete_revision AFTER DELETE ON units BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER unit_links_insert_revision AFTER INSERT ON unit_links BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER unit_links_update_revision AFTER UPDATE ON unit_links BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER unit_links_delete_revision AFTER DELETE ON unit_links BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER unit_group_members_insert_revision AFTER INSERT ON unit_group_members BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER unit_group_members_update_revision AFTER UPDATE ON unit_group_members BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER unit_group_members_delete_revision AFTER DELETE ON unit_group_members BEGIN
    UPDATE data_revisions SET revision = revision + 1 WHERE topic = 'organisation';
END;

CREATE TRIGGER report_submissions_insert_revision AFTER INSERT ON report_submissions BEGIN
    UPDATE report_cycles SET revision = revision + 1 WHERE id = NEW.cycle_id;
END;

CREATE TRIGGER report_submissions_status_revision AFTER UPDATE OF status ON report_submissions
BEGIN
    UPDATE report_cycles SET revision = revision + 1 WHERE id = NEW.cycle_id;
END;

CREATE INDEX report_numbers_values ON report_numbers (submission_id, field_key, value);
CREATE INDEX report_submissions_counted ON report_submissions (cycle_id, status, unit_id, id);
