-- Scanned documents, stored once by their SHA-256; and 'erase' as an audited action.

CREATE TABLE attachment_blobs (
    sha256 TEXT PRIMARY KEY NOT NULL,
    bytes BLOB NOT NULL
) STRICT, WITHOUT ROWID;

-- SQLite cannot change a CHECK constraint: the audit log is rebuilt with its rows, in order.
DROP TRIGGER audit_log_is_append_only_update;
DROP TRIGGER audit_log_is_append_only_delete;
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    operator_id BLOB NOT NULL,
    device_id BLOB NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('read', 'write', 'erase')),
    folder_id BLOB NOT NULL,
    section TEXT NOT NULL,
    health_restricted INTEGER NOT NULL CHECK (health_restricted IN (0, 1))
) STRICT;
INSERT INTO audit_log_new SELECT * FROM audit_log ORDER BY id;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_by_folder ON audit_log (folder_id, at_ms);
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Lookups derived from the field values by the write path (never written directly): whose
-- codice fiscale is this, and which households is a person a member of. Partial indexes on
-- field_values would do the same, but make SQLite re-prepare every statement that binds a
-- field name.
CREATE TABLE person_codice_fiscale (
    person_id BLOB PRIMARY KEY NOT NULL,
    code TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX person_codice_fiscale_by_code ON person_codice_fiscale (code);

CREATE TABLE household_links (
    row_id BLOB PRIMARY KEY NOT NULL,
    head BLOB NOT NULL,
    member BLOB NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX household_links_by_member ON household_links (member);

-- Search by integer row: deleting a person's entry from FTS5 by an unindexed column read
-- the whole index on every save. Rebuilt from the field values after this migration.
DROP TABLE person_search;
DROP TABLE person_birth_year;
CREATE TABLE person_index (
    id INTEGER PRIMARY KEY,
    person_id BLOB NOT NULL UNIQUE,
    year INTEGER
) STRICT;
CREATE VIRTUAL TABLE person_search USING fts5(folded, skeletons, tokenize = 'trigram');
-- Every folded word of a person's names and codes, for one- and two-letter type-ahead.
CREATE TABLE person_words (
    word TEXT NOT NULL,
    id INTEGER NOT NULL,
    PRIMARY KEY (word, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX person_words_by_id ON person_words (id);

-- The newest timestamp the store has written or taken in, so unlocking does not read the
-- whole change log to start this device's clock after it.
CREATE TABLE newest_hlc (
    single INTEGER PRIMARY KEY CHECK (single = 1),
    hlc TEXT NOT NULL
) STRICT;
INSERT INTO newest_hlc (single, hlc) SELECT 1, max(hlc) FROM changes WHERE hlc IS NOT NULL HAVING count(*) > 0;
