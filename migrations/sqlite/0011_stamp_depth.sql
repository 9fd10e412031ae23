-- Nothing to change on SQLite: its report stamps are row triggers that never fire from
-- their own update (see migrations/postgres/0011_stamp_depth.sql). Kept so that both
-- databases count the same migrations.
SELECT 1;
