-- SQLite has no TRUNCATE: its DELETE trigger (0002) already covers emptying the audit trail.
-- This file keeps the two schemas' migrations numbered alike.
SELECT 1;
