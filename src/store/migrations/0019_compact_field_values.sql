-- The current values in the compact form of the change log (issue 19). A current value was
-- about 124 bytes, more than its entry in the log: its key held the section and the field
-- as text, and its timestamp was 55 characters of text. Now:
-- * its key is the row and the field's number (`log_fields`, which names the section too);
-- * its timestamp is the 12 bytes of the log (`Hlc::stamp`) and the number of the device
--   that wrote it (`log_ids`), which breaks a tie between two devices' equal stamps.
-- Every section, field and device a current value names is in the log already; the inserts
-- below only make sure of it.
INSERT OR IGNORE INTO log_fields (entity, field) SELECT DISTINCT entity, field FROM field_values ORDER BY 1, 2;
INSERT OR IGNORE INTO log_ids (id) SELECT DISTINCT unhex(substr(hlc, 24)) FROM field_values;

CREATE TABLE current_values (
    row_id BLOB NOT NULL,
    field_ref INTEGER NOT NULL,
    value TEXT NOT NULL,
    stamp BLOB NOT NULL,
    device_ref INTEGER NOT NULL,
    PRIMARY KEY (row_id, field_ref)
) STRICT, WITHOUT ROWID;

INSERT INTO current_values (row_id, field_ref, value, stamp, device_ref)
SELECT v.row_id, f.ref, v.value,
       unhex(printf('%016x%08x', CAST(substr(v.hlc, 1, 13) AS INTEGER), CAST(substr(v.hlc, 15, 8) AS INTEGER))),
       d.ref
FROM field_values v
JOIN log_fields f ON f.entity = v.entity AND f.field = v.field
JOIN log_ids d ON d.id = unhex(substr(v.hlc, 24))
ORDER BY 1, 2;

DROP TABLE field_values;
ALTER TABLE current_values RENAME TO field_values;
