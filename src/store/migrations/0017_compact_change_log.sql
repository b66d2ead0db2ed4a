-- The change log in a compact form (issue 19). An entry was about 190 bytes and four B-tree
-- inserts: two 16-byte ids and a 40-character timestamp of text, its section and field as
-- text, and a (device, sequence) key in an index of its own beside the table. Now:
-- * its key is one integer, the device's number here shifted 40 bits left plus the sequence
--   number (`change_log::entry_key`), and the table's own row id: no separate key index,
--   and a device's entries lie together in sequence order;
-- * devices and operators are numbered here once (`log_ids`), sections with their fields too
--   (`log_fields`);
-- * its timestamp is 12 bytes, wall time and counter big-endian (the device is the entry's
--   own, `Hlc::stamp`), and the one it replaced 28 bytes with its device (`Hlc::to_bytes`):
--   bytes that sort as the timestamps do.
CREATE TABLE log_ids (
    ref INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE
) STRICT;

CREATE TABLE log_fields (
    ref INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    field TEXT NOT NULL,
    UNIQUE (entity, field)
) STRICT;

INSERT INTO log_ids (id) SELECT device_id FROM changes UNION SELECT operator_id FROM changes;
INSERT INTO log_fields (entity, field) SELECT DISTINCT entity, field FROM changes ORDER BY entity, field;

CREATE TABLE change_log (
    key INTEGER PRIMARY KEY CHECK (key > 0),
    op_id BLOB NOT NULL UNIQUE,
    stamp BLOB NOT NULL,
    operator_ref INTEGER NOT NULL,
    field_ref INTEGER NOT NULL,
    row_id BLOB NOT NULL,
    folder_id BLOB NOT NULL,
    value TEXT NOT NULL,
    base BLOB,
    saw TEXT,
    schema_version INTEGER NOT NULL,
    stamp_offset_ms INTEGER
) STRICT;

INSERT INTO change_log (key, op_id, stamp, operator_ref, field_ref, row_id, folder_id, value, base, saw,
                        schema_version, stamp_offset_ms)
SELECT ((SELECT ref FROM log_ids WHERE id = c.device_id) << 40) + c.seq, c.op_id,
       unhex(printf('%016x%08x', CAST(substr(c.hlc, 1, 13) AS INTEGER), CAST(substr(c.hlc, 15, 8) AS INTEGER))),
       (SELECT ref FROM log_ids WHERE id = c.operator_id),
       (SELECT ref FROM log_fields f WHERE f.entity = c.entity AND f.field = c.field),
       c.row_id, c.folder_id, c.value,
       CASE WHEN c.base IS NOT NULL THEN
           unhex(printf('%016x%08x', CAST(substr(c.base, 1, 13) AS INTEGER), CAST(substr(c.base, 15, 8) AS INTEGER))
                 || substr(c.base, 24))
       END,
       c.saw, c.schema_version, c.stamp_offset_ms
FROM changes c ORDER BY 1;

DROP TABLE changes;
ALTER TABLE change_log RENAME TO changes;
CREATE INDEX changes_by_row ON changes (row_id);
