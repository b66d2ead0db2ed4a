//! The one write path: every change to case data becomes change-log entries and field
//! values in the same transaction, and applying an entry is the same code whether it was
//! written here, replayed, or (later) pulled from the server.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{SCHEMA_VERSION, search};
use crate::folder::Entity;
use crate::hlc::Hlc;

/// One field written once: what the change log holds and sync carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEntry {
    pub op_id: Uuid,
    pub device_id: Uuid,
    /// Gapless per device, from 1.
    pub seq: u64,
    pub hlc: Hlc,
    pub operator_id: Uuid,
    pub entity: Entity,
    pub row_id: Uuid,
    /// The folder (person) the row belongs to.
    pub folder_id: Uuid,
    pub field: String,
    /// The new value, as JSON.
    pub value: serde_json::Value,
    /// The HLC of the value this one replaced, if any: tells concurrent writes apart.
    pub base: Option<Hlc>,
    pub schema_version: u32,
}

/// A field to write, before it gets its timestamp and sequence number.
#[derive(Debug, Clone)]
pub(crate) struct FieldWrite {
    pub entity: Entity,
    pub row_id: Uuid,
    pub folder_id: Uuid,
    pub field: &'static str,
    pub value: serde_json::Value,
}

/// Who writes, from which device, and the device's clock.
pub(crate) struct Writer<'a> {
    pub device_id: Uuid,
    pub operator_id: Uuid,
    pub hlc: &'a mut crate::hlc::HlcClock,
    pub clock: &'a dyn crate::clock::Clock,
}

/// Records `writes` as change-log entries and applies them, inside `transaction`.
pub(crate) fn record(
    transaction: &Transaction<'_>,
    writer: Writer<'_>,
    writes: Vec<FieldWrite>,
) -> rusqlite::Result<Vec<ChangeEntry>> {
    let last_seq = transaction.query_row(
        "SELECT coalesce(max(seq), 0) FROM changes WHERE device_id = ?1",
        [writer.device_id],
        |row| row.get::<_, i64>(0),
    )? as u64;
    let mut entries = Vec::with_capacity(writes.len());
    for (seq, write) in (last_seq + 1..).zip(writes) {
        let base = current_hlc(transaction, write.entity, write.row_id, write.field)?;
        let entry = ChangeEntry {
            op_id: Uuid::now_v7(),
            device_id: writer.device_id,
            seq,
            hlc: writer.hlc.tick(writer.clock),
            operator_id: writer.operator_id,
            entity: write.entity,
            row_id: write.row_id,
            folder_id: write.folder_id,
            field: write.field.to_owned(),
            value: write.value,
            base,
            schema_version: SCHEMA_VERSION,
        };
        insert_entry(transaction, &entry)?;
        apply(transaction, &entry)?;
        entries.push(entry);
    }
    Ok(entries)
}

fn insert_entry(conn: &Connection, entry: &ChangeEntry) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO changes (device_id, seq, op_id, hlc, operator_id, entity, row_id, folder_id, field, value, base, schema_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            entry.device_id,
            entry.seq as i64,
            entry.op_id,
            entry.hlc.encode(),
            entry.operator_id,
            entry.entity.as_str(),
            entry.row_id,
            entry.folder_id,
            entry.field,
            entry.value.to_string(),
            entry.base.map(|hlc| hlc.encode()),
            entry.schema_version,
        ],
    )?;
    Ok(())
}

fn current_hlc(conn: &Connection, entity: Entity, row_id: Uuid, field: &str) -> rusqlite::Result<Option<Hlc>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT hlc FROM field_values WHERE entity = ?1 AND row_id = ?2 AND field = ?3",
            params![entity.as_str(), row_id, field],
            |row| row.get(0),
        )
        .optional()?;
    Ok(text.and_then(|text| text.parse().ok()))
}

/// Applies one entry to the current state: the field takes the entry's value if the entry is
/// the last writer (by HLC, then device). Applying the same entries in any order gives the
/// same state.
pub(crate) fn apply(conn: &Connection, entry: &ChangeEntry) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO entity_rows (entity, row_id, folder_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![entry.entity.as_str(), entry.row_id, entry.folder_id],
    )?;
    let changed = conn.execute(
        "INSERT INTO field_values (entity, row_id, field, value, hlc) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (entity, row_id, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc
         WHERE excluded.hlc > field_values.hlc",
        params![entry.entity.as_str(), entry.row_id, entry.field, entry.value.to_string(), entry.hlc.encode()],
    )?;
    if changed > 0 && entry.entity == Entity::Person {
        search::reindex_if_searched(conn, entry.row_id, &entry.field)?;
    }
    Ok(())
}

/// Every entry of the change log, in device and sequence order.
pub(crate) fn all_entries(conn: &Connection) -> rusqlite::Result<Vec<ChangeEntry>> {
    let mut statement = conn.prepare(
        "SELECT op_id, device_id, seq, hlc, operator_id, entity, row_id, folder_id, field, value, base, schema_version
         FROM changes ORDER BY device_id, seq",
    )?;
    let entries = statement
        .query_map([], |row| {
            let text = |index: usize| -> rusqlite::Result<String> { row.get(index) };
            let bad =
                |index: usize| rusqlite::Error::InvalidColumnType(index, "change".into(), rusqlite::types::Type::Text);
            Ok(ChangeEntry {
                op_id: row.get(0)?,
                device_id: row.get(1)?,
                seq: row.get::<_, i64>(2)? as u64,
                hlc: text(3)?.parse().map_err(|_| bad(3))?,
                operator_id: row.get(4)?,
                entity: Entity::from_stored(&text(5)?).ok_or_else(|| bad(5))?,
                row_id: row.get(6)?,
                folder_id: row.get(7)?,
                field: text(8)?,
                value: serde_json::from_str(&text(9)?).map_err(|_| bad(9))?,
                base: row.get::<_, Option<String>>(10)?.map(|t| t.parse()).transpose().map_err(|_| bad(10))?,
                schema_version: row.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(entries)
}

/// The newest timestamp in the change log, to start this device's HLC after it.
pub(crate) fn newest_hlc(conn: &Connection) -> rusqlite::Result<Option<Hlc>> {
    let text: Option<String> = conn.query_row("SELECT max(hlc) FROM changes", [], |row| row.get(0))?;
    Ok(text.and_then(|text| text.parse().ok()))
}
