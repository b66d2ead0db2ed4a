-- Scans travel through the server: which of this device's scans the server holds whole, and
-- the chunks of others' scans on their way here (kept across a cut, until the scan is whole).
ALTER TABLE attachment_blobs ADD COLUMN on_server INTEGER NOT NULL DEFAULT 0 CHECK (on_server IN (0, 1));
CREATE TABLE scan_chunks_arriving (
    sha256 TEXT NOT NULL,
    idx INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (sha256, idx)
) STRICT, WITHOUT ROWID;
