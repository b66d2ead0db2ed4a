-- A new device starts from the server's snapshot of its office (`porta_wire::snapshot`):
-- the position the snapshot stands at and the last folder taken in, while it is under way
-- (NULL otherwise), so a start cut halfway goes on from the next folder.
ALTER TABLE sync_progress ADD COLUMN snapshot_upto INTEGER;
ALTER TABLE sync_progress ADD COLUMN snapshot_after BLOB;
