-- Case folders as field values with their change log, the audit log, and name search.

-- Every write, field by field: the change log that sync sends and that rebuilds the state.
CREATE TABLE changes (
    device_id BLOB NOT NULL,
    seq INTEGER NOT NULL CHECK (seq > 0),
    op_id BLOB NOT NULL UNIQUE,
    hlc TEXT NOT NULL,
    operator_id BLOB NOT NULL,
    entity TEXT NOT NULL,
    row_id BLOB NOT NULL,
    folder_id BLOB NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    base TEXT,
    schema_version INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT;

-- The current value of every field: the last writer by (HLC, device).
CREATE TABLE field_values (
    entity TEXT NOT NULL,
    row_id BLOB NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    hlc TEXT NOT NULL,
    PRIMARY KEY (entity, row_id, field)
) STRICT, WITHOUT ROWID;

-- Which folder (person) each row belongs to.
CREATE TABLE entity_rows (
    entity TEXT NOT NULL,
    row_id BLOB NOT NULL,
    folder_id BLOB NOT NULL,
    PRIMARY KEY (entity, row_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX entity_rows_by_folder ON entity_rows (folder_id, entity);

-- Who read or changed which folder, and when. Append only.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    operator_id BLOB NOT NULL,
    device_id BLOB NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('read', 'write')),
    folder_id BLOB NOT NULL,
    section TEXT NOT NULL,
    health_restricted INTEGER NOT NULL CHECK (health_restricted IN (0, 1))
) STRICT;
CREATE INDEX audit_log_by_folder ON audit_log (folder_id, at_ms);
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Names, aliases and codes, folded, and their consonant skeletons, for type-ahead search.
CREATE VIRTUAL TABLE person_search USING fts5(
    person_id UNINDEXED,
    folded,
    skeletons,
    tokenize = 'trigram'
);
CREATE TABLE person_birth_year (
    person_id BLOB PRIMARY KEY NOT NULL,
    year INTEGER
) STRICT, WITHOUT ROWID;
