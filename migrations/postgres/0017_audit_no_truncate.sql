-- The audit trail refuses TRUNCATE too (UPDATE and DELETE are refused since 0002).
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
