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

-- Rows pointing at another person's folder (household members), to list the households a
-- person belongs to.
CREATE INDEX field_values_by_value ON field_values (entity, field, value) WHERE field = 'member';
