-- Operators managed on the Ambito's server: the server's id of the account a local operator
-- is (an account created here and later found on the server with the same login is adopted).
ALTER TABLE operators ADD COLUMN server_id BLOB;
CREATE UNIQUE INDEX operators_by_server_id ON operators (server_id) WHERE server_id IS NOT NULL;

-- The audit lines the server has stored (they are numbered by the audit log's row id).
ALTER TABLE sync_progress ADD COLUMN audit_acknowledged INTEGER NOT NULL DEFAULT 0;

-- Folders shared with this device's office or moved to it, and those that left it: how far
-- the device has read the server's scope changes, and the folders it must remove once what
-- it wrote in them has reached the server.
ALTER TABLE sync_progress ADD COLUMN scope_cursor INTEGER NOT NULL DEFAULT 0;
CREATE TABLE folders_leaving (
    folder_id BLOB PRIMARY KEY NOT NULL
) STRICT, WITHOUT ROWID;
