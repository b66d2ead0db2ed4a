-- Conflict records: concurrent writes that the last-writer-wins rule would otherwise hide.

-- The timestamps a write replaced knowingly beyond `base` (a conflict's resolution, a delete
-- that saw every field of its row), as a JSON array; NULL when none.
ALTER TABLE changes ADD COLUMN saw TEXT;
-- Every write to one row, for recomputing a field when concurrent writes meet.
CREATE INDEX changes_by_row ON changes (row_id);

-- The competing versions of each open conflict. `topic` is the field in conflict, or
-- `_deleted` for a delete concurrent with edits (then `field` says which field each version
-- wrote). Derived from the change log: never written directly, identical on every replica.
CREATE TABLE conflicts (
    entity TEXT NOT NULL,
    row_id BLOB NOT NULL,
    topic TEXT NOT NULL,
    hlc TEXT NOT NULL,
    folder_id BLOB NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    operator_id BLOB NOT NULL,
    PRIMARY KEY (entity, row_id, topic, hlc)
) STRICT, WITHOUT ROWID;
CREATE INDEX conflicts_by_folder ON conflicts (folder_id);

-- Fields whose writes have more than one head, agreeing or not: a write to one of them must
-- recompute the field, since it may now disagree with a head it did not replace.
CREATE TABLE concurrent_fields (
    entity TEXT NOT NULL,
    row_id BLOB NOT NULL,
    field TEXT NOT NULL,
    PRIMARY KEY (entity, row_id, field)
) STRICT, WITHOUT ROWID;
