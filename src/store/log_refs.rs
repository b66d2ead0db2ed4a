//! How the change log stays compact (migration 0017): devices and operators are numbered
//! once in `log_ids`, sections with their fields in `log_fields`, and an entry's key is one
//! integer, its device's number and its sequence number together, which is also the log
//! table's row id.

use std::collections::HashMap;

use porta_wire::change::MAX_SEQ;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::folder::Entity;

/// How many low bits of an entry's key hold its sequence number.
const SEQ_BITS: u32 = 40;
const _: () = assert!(MAX_SEQ == (1 << SEQ_BITS) - 1);

/// The key of `seq` of the device numbered `device_ref`.
pub(super) fn entry_key(device_ref: i64, seq: u64) -> i64 {
    (device_ref << SEQ_BITS) + seq as i64
}

/// The number of the device whose entry is stored under `key`.
pub(super) fn device_of_key(key: i64) -> i64 {
    key >> SEQ_BITS
}

/// The keys of every entry of the device numbered `device_ref` (first and last, inclusive).
pub(super) fn device_keys(device_ref: i64) -> (i64, i64) {
    (entry_key(device_ref, 0), entry_key(device_ref, MAX_SEQ))
}

/// SQL: the sequence number of the entry whose key is `key`.
pub(super) const SEQ_OF_KEY: &str = "(key & 1099511627775)";
/// SQL: the number of the device of the entry whose key is `key`.
pub(super) const DEVICE_OF_KEY: &str = "(key >> 40)";
const _: () = assert!(MAX_SEQ == 1_099_511_627_775);

/// The number `id` (a device or an operator) has here, if it has one.
pub(super) fn known_id(conn: &Connection, id: Uuid) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT ref FROM log_ids WHERE id = ?1")?.query_row([id], |row| row.get(0)).optional()
}

/// The keys of `device`'s entries here, if it wrote any that were kept.
pub(super) fn known_device_keys(conn: &Connection, device: Uuid) -> rusqlite::Result<Option<(i64, i64)>> {
    Ok(known_id(conn, device)?.map(device_keys))
}

/// [`known_device_keys`] as SQL parameters: first and last key, both 0 for a device unknown here.
pub(super) fn keys_of(conn: &Connection, device: Uuid) -> rusqlite::Result<[i64; 2]> {
    Ok(known_device_keys(conn, device)?.map_or([0, 0], |(first, last)| [first, last]))
}

/// The number of `entity`'s `field` here, if any entry named it.
pub(super) fn known_field(conn: &Connection, entity: Entity, field: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT ref FROM log_fields WHERE entity = ?1 AND field = ?2")?
        .query_row(params![entity.as_str(), field], |row| row.get(0))
        .optional()
}

/// The numbers a run of writes has looked up or given, so each is asked for once per run.
/// Kept no longer than the run's transaction: a number given in one that rolls back is gone.
#[derive(Default)]
pub(super) struct Refs {
    ids: HashMap<Uuid, i64>,
    fields: HashMap<Entity, HashMap<String, i64>>,
}

impl Refs {
    /// The number of `id`, given now if it has none.
    pub fn id(&mut self, conn: &Connection, id: Uuid) -> rusqlite::Result<i64> {
        if let Some(known) = self.ids.get(&id) {
            return Ok(*known);
        }
        let number = match known_id(conn, id)? {
            Some(number) => number,
            None => {
                conn.prepare_cached("INSERT INTO log_ids (id) VALUES (?1)")?.execute([id])?;
                conn.last_insert_rowid()
            }
        };
        Ok(*self.ids.entry(id).or_insert(number))
    }

    /// The number of `entity`'s `field`, given now if it has none.
    pub fn field(&mut self, conn: &Connection, entity: Entity, field: &str) -> rusqlite::Result<i64> {
        if let Some(known) = self.fields.get(&entity).and_then(|fields| fields.get(field)) {
            return Ok(*known);
        }
        let number = match known_field(conn, entity, field)? {
            Some(number) => number,
            None => {
                conn.prepare_cached("INSERT INTO log_fields (entity, field) VALUES (?1, ?2)")?
                    .execute(params![entity.as_str(), field])?;
                conn.last_insert_rowid()
            }
        };
        self.fields.entry(entity).or_default().insert(field.to_owned(), number);
        Ok(number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_holds_its_device_and_sequence_and_devices_do_not_overlap() {
        assert_eq!(device_of_key(entry_key(3, 7)), 3);
        assert_eq!(entry_key(3, 7) & MAX_SEQ as i64, 7);
        assert!(device_keys(3).1 < device_keys(4).0);
        // The last device number a key can hold stays positive with the largest sequence.
        assert!(entry_key((1 << 23) - 1, MAX_SEQ) > 0);
    }
}
