//! The ceiling for applying pulled entries: a bare SQLCipher loop that does, per entry, only
//! what no apply can avoid — the entry stored once under (device, seq), in the store's compact
//! form (migrations 0017 and 0019), and its field's current value upserted when the entry's HLC is
//! newer — with the store's pragmas, the same entries and the same batches, one transaction
//! each. Devices, operators and fields get their numbers from maps in memory, which the
//! store keeps in tables. Porta's apply is reported against it
//! (`apply_ceiling_ratio`), measured in the same run, because absolute figures move by up to
//! 2× between runs on shared machines while the ratio does not (issue 19).

use std::collections::HashMap;
use std::time::Instant;

use porta::change::ChangeEntry;
use rusqlite::{Connection, params};

/// The same tables the store keeps for these two steps (`changes`, `field_values`), without
/// anything an apply adds on top: no row registry, no index by row, no conflict heads, no
/// derived tables.
const SCHEMA: &str = "
    CREATE TABLE changes (
        key INTEGER PRIMARY KEY, op_id BLOB NOT NULL UNIQUE, stamp BLOB NOT NULL, operator_ref INTEGER NOT NULL,
        field_ref INTEGER NOT NULL, row_id BLOB NOT NULL, folder_id BLOB NOT NULL, value TEXT NOT NULL,
        base BLOB, saw TEXT, schema_version INTEGER NOT NULL, stamp_offset_ms INTEGER
    ) STRICT;
    CREATE TABLE field_values (
        row_id BLOB NOT NULL, field_ref INTEGER NOT NULL, value TEXT NOT NULL, stamp BLOB NOT NULL,
        device_ref INTEGER NOT NULL, PRIMARY KEY (row_id, field_ref)
    ) STRICT, WITHOUT ROWID;";

/// Applies `entries` the bare way into a new SQLCipher database in `folder`, in batches of
/// `batch`, and answers the seconds it took (the database set up before the clock starts).
pub fn seconds(folder: &std::path::Path, entries: &[ChangeEntry], batch: usize) -> f64 {
    let mut conn = Connection::open(folder.join("ceiling.db")).expect("the ceiling's database");
    let key: [u8; 32] = rand_key();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", data_encoding::HEXLOWER.encode(&key))).expect("the key");
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)).expect("WAL");
    // The store's pragmas (src/store/opening.rs, src/store/checkpoints.rs).
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;
         PRAGMA secure_delete = ON; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 8192;",
    )
    .expect("the pragmas");
    conn.execute_batch(SCHEMA).expect("the ceiling's tables");
    let started = Instant::now();
    let mut numbers: HashMap<uuid::Uuid, i64> = HashMap::new();
    let mut fields: HashMap<(porta::folder::Entity, &str), i64> = HashMap::new();
    for page in entries.chunks(batch) {
        let transaction = conn.transaction().expect("a transaction");
        {
            let mut insert = transaction
                .prepare_cached(
                    "INSERT INTO changes (key, op_id, stamp, operator_ref, field_ref, row_id, folder_id, value, base, saw, schema_version)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING",
                )
                .expect("the insert");
            let mut upsert = transaction
                .prepare_cached(
                    "INSERT INTO field_values (row_id, field_ref, value, stamp, device_ref) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (row_id, field_ref) DO UPDATE
                     SET value = excluded.value, stamp = excluded.stamp, device_ref = excluded.device_ref
                     WHERE (excluded.stamp, excluded.device_ref) > (field_values.stamp, field_values.device_ref)",
                )
                .expect("the upsert");
            for entry in page {
                let value = entry.value.to_string();
                let saw = (!entry.saw.is_empty()).then(|| serde_json::to_string(&entry.saw).expect("timestamps"));
                let next = numbers.len() as i64 + 1;
                let device = *numbers.entry(entry.device_id).or_insert(next);
                let next = numbers.len() as i64 + 1;
                let operator = *numbers.entry(entry.operator_id).or_insert(next);
                let next = fields.len() as i64 + 1;
                let field = *fields.entry((entry.entity, entry.field.as_str())).or_insert(next);
                let new = insert
                    .execute(params![
                        (device << 40) + entry.seq as i64,
                        entry.op_id,
                        entry.hlc.stamp(),
                        operator,
                        field,
                        entry.row_id,
                        entry.folder_id,
                        value,
                        entry.base.map(|base| base.to_bytes()),
                        saw,
                        entry.schema_version,
                    ])
                    .expect("an entry");
                if new == 1 {
                    upsert
                        .execute(params![entry.row_id, field, value, entry.hlc.stamp(), device])
                        .expect("a current value");
                }
            }
        }
        transaction.commit().expect("the batch");
    }
    started.elapsed().as_secs_f64()
}

fn rand_key() -> [u8; 32] {
    use ring::rand::SecureRandom;
    let mut key = [0u8; 32];
    ring::rand::SystemRandom::new().fill(&mut key).expect("the system's random source");
    key
}
