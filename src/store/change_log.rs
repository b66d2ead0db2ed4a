//! The one write path: every change to case data becomes change-log entries and field
//! values in the same transaction, and applying an entry is the same code whether it was
//! written here, replayed, or (later) pulled from the server.

use std::collections::{HashMap, HashSet};

use rusqlite::{CachedStatement, Connection, OptionalExtension, params};
use uuid::Uuid;

use super::derived::Stale;
use super::log_refs::{self, DEVICE_OF_KEY, Refs, SEQ_OF_KEY};
use super::{SCHEMA_VERSION, conflicts, merges};
use crate::folder::{DELETED, ERASED, Entity, MERGED_INTO};
use crate::hlc::Hlc;
use crate::ids::IdSource;

pub use porta_wire::change::ChangeEntry;

/// A field to write, before it gets its timestamp and sequence number.
#[derive(Debug, Clone)]
pub(crate) struct FieldWrite {
    pub entity: Entity,
    pub row_id: Uuid,
    pub folder_id: Uuid,
    pub field: String,
    pub value: serde_json::Value,
    /// Timestamps this write replaces knowingly besides the current one.
    pub saw: Vec<Hlc>,
}

/// Who writes, from which device, and the device's clock.
pub(crate) struct Writer<'a> {
    pub device_id: Uuid,
    pub operator_id: Uuid,
    pub hlc: &'a mut crate::hlc::HlcClock,
    pub ids: &'a mut IdSource,
    pub clock: &'a dyn crate::clock::Clock,
    /// The device's last sequence number if known; updated to the last one written.
    pub last_seq: &'a mut Option<u64>,
}

/// Records `writes` as change-log entries and applies them, inside the caller's transaction.
pub(crate) fn record(
    transaction: &Connection,
    writer: Writer<'_>,
    writes: Vec<FieldWrite>,
) -> rusqlite::Result<Vec<ChangeEntry>> {
    // Read once and then kept by the store: SQLite re-prepares this statement on every run.
    let last_seq = match *writer.last_seq {
        Some(seq) => seq,
        // Never below what the server acknowledged: a folder that left this device took its
        // entries with it, and their numbers must not be used again.
        None => {
            let acknowledged: i64 = transaction
                .prepare_cached("SELECT acknowledged FROM sync_progress")?
                .query_row([], |row| row.get(0))?;
            highest_seq(transaction, writer.device_id)?.max(acknowledged as u64)
        }
    };
    *writer.last_seq = Some(last_seq + writes.len() as u64);
    let mut entries = Vec::with_capacity(writes.len());
    let mut batch = Batch::new(transaction)?;
    for (seq, write) in (last_seq + 1..).zip(writes) {
        let field_ref = batch.refs.field(transaction, write.entity, &write.field)?;
        let base = conflicts::current_hlc_of(transaction, write.row_id, field_ref)?;
        let entry = ChangeEntry {
            op_id: writer.ids.next(writer.clock),
            device_id: writer.device_id,
            seq,
            hlc: writer.hlc.tick(writer.clock),
            operator_id: writer.operator_id,
            entity: write.entity,
            row_id: write.row_id,
            folder_id: write.folder_id,
            field: write.field,
            value: write.value,
            base,
            saw: write.saw,
            schema_version: SCHEMA_VERSION,
        };
        let value = entry.value.to_string();
        let key = batch.insert_entry(transaction, &entry, &value, writer.clock.server_offset_ms())?;
        // Always stored: its sequence number is the device's next.
        if let Some(key) = key
            && batch.apply_value(transaction, &entry, key, value)?
        {
            batch.stale.changed(entry.entity, &entry.field, entry.folder_id);
        }
        entries.push(entry);
    }
    if let Some(last) = entries.last() {
        raise_newest_hlc(transaction, &last.hlc)?;
    }
    batch.stale.refresh(transaction)?;
    Ok(entries)
}

/// Stores and applies entries written elsewhere; an entry already stored is skipped. Each
/// folder's search entry is rebuilt once, at the end. Returns how many entries were new.
pub(crate) fn apply(conn: &Connection, entries: &[ChangeEntry]) -> rusqlite::Result<usize> {
    let mut batch = Batch::new(conn)?;
    let mut new = 0;
    let mut row_folders = HashMap::new();
    for entry in entries {
        if !belongs_where_it_says(conn, entry, &mut row_folders)? {
            // A crafted or corrupt entry: never applied, and the rest of the page still is.
            continue;
        }
        let value = entry.value.to_string();
        let Some(key) = batch.insert_entry(conn, entry, &value, None)? else {
            continue;
        };
        new += 1;
        if batch.apply_value(conn, entry, key, value)? {
            batch.stale.changed(entry.entity, &entry.field, entry.folder_id);
        }
    }
    if let Some(newest) = entries.iter().map(|entry| entry.hlc).max() {
        raise_newest_hlc(conn, &newest)?;
    }
    batch.stale.refresh(conn)?;
    Ok(new)
}

/// Whether `entry` may be applied here: consistent in itself (see
/// [`porta_wire::protocol::inconsistency`]) and about a row of the folder it names, when the row is
/// already known here. `known` keeps the rows this run has looked up.
fn belongs_where_it_says(
    conn: &Connection,
    entry: &ChangeEntry,
    known: &mut HashMap<(Entity, Uuid), Uuid>,
) -> rusqlite::Result<bool> {
    if porta_wire::protocol::inconsistency(entry).is_some() {
        return Ok(false);
    }
    let folder = match known.get(&(entry.entity, entry.row_id)) {
        Some(folder) => Some(*folder),
        None => conn
            .prepare_cached("SELECT folder_id FROM entity_rows WHERE entity = ?1 AND row_id = ?2")?
            .query_row(params![entry.entity.as_str(), entry.row_id], |row| row.get::<_, Uuid>(0))
            .optional()?,
    };
    known.insert((entry.entity, entry.row_id), folder.unwrap_or(entry.folder_id));
    Ok(folder.is_none_or(|folder| folder == entry.folder_id))
}

/// Whether `folder` has been erased: its values are gone, and stay gone.
pub(crate) fn is_erased(conn: &Connection, folder: Uuid) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT 1 FROM field_values WHERE row_id = ?1 AND value = 'true'
         AND field_ref = (SELECT ref FROM log_fields WHERE entity = 'person' AND field = ?2)",
    )?
    .exists(params![folder, ERASED])
}

/// What applying a run of entries has already learnt, so each row is registered and each
/// folder checked for erasure once per run rather than once per field.
struct Batch<'c> {
    /// Rows seen in this run, and whether each is deleted now.
    rows: HashMap<(Entity, Uuid), bool>,
    /// Rows this run registered, with the fields it has given them a value (by number): the
    /// other fields of such a row have none yet, without asking the database.
    new_rows: HashMap<(Entity, Uuid), HashSet<i64>>,
    erased: HashMap<Uuid, bool>,
    /// Whether any field has more than one head (looked up once, then kept).
    any_concurrent: Option<bool>,
    /// The folders whose derived tables the run's changed values put out of date, brought
    /// up to date once at its end.
    stale: Stale,
    refs: Refs,
    /// The two statements every entry runs, held for the run: taking a statement from the
    /// connection's cache hashes its text, and giving it back clears its parameters.
    insert: CachedStatement<'c>,
    upsert: CachedStatement<'c>,
}

impl<'c> Batch<'c> {
    fn new(conn: &'c Connection) -> rusqlite::Result<Batch<'c>> {
        Ok(Batch {
            rows: HashMap::new(),
            new_rows: HashMap::new(),
            erased: HashMap::new(),
            any_concurrent: None,
            stale: Stale::default(),
            refs: Refs::default(),
            insert: conn.prepare_cached(
                "INSERT INTO changes (key, op_id, stamp, operator_ref, field_ref, row_id, folder_id, value, base, saw, schema_version, stamp_offset_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT DO NOTHING",
            )?,
            upsert: conn.prepare_cached(
                // Later: a later stamp, or the same stamp from a device whose id sorts after.
                "INSERT INTO field_values (row_id, field_ref, value, stamp, device_ref) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (row_id, field_ref) DO UPDATE
                 SET value = excluded.value, stamp = excluded.stamp, device_ref = excluded.device_ref
                 WHERE excluded.stamp > field_values.stamp
                 OR (excluded.stamp = field_values.stamp
                     AND (SELECT id FROM log_ids WHERE ref = excluded.device_ref)
                         > (SELECT id FROM log_ids WHERE ref = field_values.device_ref))",
            )?,
        })
    }

    /// Stores an entry in the log and answers its key; none when one with its device and
    /// sequence number, or with its operation id (a copy someone made), is already there.
    /// `stamp_offset_ms` is the server-time correction its timestamp was made with (own entries).
    fn insert_entry(
        &mut self,
        conn: &Connection,
        entry: &ChangeEntry,
        value: &str,
        stamp_offset_ms: Option<i64>,
    ) -> rusqlite::Result<Option<i64>> {
        let key = log_refs::entry_key(self.refs.id(conn, entry.device_id)?, entry.seq);
        let inserted = self.insert.execute(params![
            key,
            entry.op_id,
            entry.hlc.stamp(),
            self.refs.id(conn, entry.operator_id)?,
            self.refs.field(conn, entry.entity, &entry.field)?,
            entry.row_id,
            entry.folder_id,
            value,
            entry.base.map(|hlc| hlc.to_bytes()),
            conflicts::encode_saw(&entry.saw),
            entry.schema_version,
            stamp_offset_ms,
        ])?;
        Ok((inserted == 1).then_some(key))
    }

    /// Applies an entry's value (its JSON text), stored under `key`; true when it changed the
    /// current value. In an erased folder every value is kept as null, whenever its entry arrives.
    fn apply_value(
        &mut self,
        conn: &Connection,
        entry: &ChangeEntry,
        key: i64,
        value: String,
    ) -> rusqlite::Result<bool> {
        let row = (entry.entity, entry.row_id);
        let new_row = !self.rows.contains_key(&row)
            && conn
                .prepare_cached(
                    "INSERT INTO entity_rows (entity, row_id, folder_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                )?
                .execute(params![entry.entity.as_str(), entry.row_id, entry.folder_id])?
                == 1;
        if new_row {
            self.new_rows.insert(row, HashSet::new());
        }
        let row_deleted = match self.rows.get(&row) {
            Some(deleted) => *deleted,
            None if new_row => false,
            None => conflicts::is_deleted(conn, entry.entity, entry.row_id)?,
        };
        self.rows.insert(row, row_deleted);
        let erased = match self.erased.get(&entry.folder_id) {
            Some(erased) => *erased,
            None => *self.erased.entry(entry.folder_id).or_insert(is_erased(conn, entry.folder_id)?),
        };
        let merge = entry.entity == Entity::Person && entry.field == MERGED_INTO;
        if merge {
            // The group the folder leaves must be looked at again too.
            self.stale.regrouped(merges::survivor(conn, entry.row_id)?);
        }
        if entry.field == ERASED && !erased && entry.value == serde_json::Value::Bool(true) {
            // The erasure arrives (written here or pulled): everything else the folder held goes,
            // from every list that showed it too, its merge with it (the group it leaves).
            self.stale.regrouped(merges::survivor(conn, entry.folder_id)?);
            blank_folder(conn, entry.folder_id)?;
            self.stale.regrouped(entry.folder_id);
        }
        let changed = if erased && entry.field != ERASED {
            // Arriving after the erasure: kept as null, in the log too.
            conn.prepare_cached("UPDATE changes SET value = 'null' WHERE key = ?1")?.execute([key])?;
            self.upsert(conn, entry, key, "null".to_owned())?
        } else if !new_row && !self.replaces_current(conn, entry)? {
            self.any_concurrent = None;
            self.valued(conn, entry)?;
            conflicts::recompute_field(conn, entry.entity, entry.row_id, entry.folder_id, &entry.field)?
        } else {
            self.upsert(conn, entry, key, value)?
        };
        if entry.field == ERASED && changed {
            self.erased.insert(entry.folder_id, is_erased(conn, entry.folder_id)?);
        }
        if entry.field == DELETED && changed {
            self.rows.insert(row, conflicts::is_deleted(conn, entry.entity, entry.row_id)?);
        }
        if !erased && (entry.field == DELETED || row_deleted) {
            conflicts::recheck_deletion(conn, entry.entity, entry.row_id, entry.folder_id)?;
        }
        if changed && merge {
            merges::relink(conn, entry.row_id)?;
        }
        if changed && entry.entity == Entity::HouseholdMember {
            relink_household_member(conn, entry.row_id, entry.folder_id)?;
        }
        Ok(changed)
    }

    /// Whether `entry` simply replaces the field's current value, as almost every write does:
    /// it names that value as its base, saw nothing else, and the field has no other head.
    /// Any other entry makes the field be recomputed from all its writes.
    fn replaces_current(&mut self, conn: &Connection, entry: &ChangeEntry) -> rusqlite::Result<bool> {
        if !entry.saw.is_empty() {
            return Ok(false);
        }
        let field_ref = self.refs.field(conn, entry.entity, &entry.field)?;
        let unvalued =
            self.new_rows.get(&(entry.entity, entry.row_id)).is_some_and(|valued| !valued.contains(&field_ref));
        let current = if unvalued { None } else { conflicts::current_hlc_of(conn, entry.row_id, field_ref)? };
        if entry.base != current {
            return Ok(false);
        }
        let any = match self.any_concurrent {
            Some(any) => any,
            None => *self.any_concurrent.insert(conflicts::any_concurrent(conn)?),
        };
        Ok(!any || !conflicts::is_concurrent(conn, entry.entity, entry.row_id, &entry.field)?)
    }

    /// Notes that `entry`'s field has a value now, if its row is one this run registered.
    fn valued(&mut self, conn: &Connection, entry: &ChangeEntry) -> rusqlite::Result<i64> {
        let field_ref = self.refs.field(conn, entry.entity, &entry.field)?;
        if let Some(valued) = self.new_rows.get_mut(&(entry.entity, entry.row_id)) {
            valued.insert(field_ref);
        }
        Ok(field_ref)
    }

    /// Sets the field to `value` if `entry`, stored under `key`, is its last writer; true
    /// when it changed.
    fn upsert(&mut self, conn: &Connection, entry: &ChangeEntry, key: i64, value: String) -> rusqlite::Result<bool> {
        let field_ref = self.valued(conn, entry)?;
        let changed = self.upsert.execute(params![
            entry.row_id,
            field_ref,
            value,
            entry.hlc.stamp(),
            log_refs::device_of_key(key)
        ])?;
        Ok(changed > 0)
    }
}

/// Keeps `household_links` equal to the live household rows: which head each member is linked to.
pub(super) fn relink_household_member(conn: &Connection, row_id: Uuid, head: Uuid) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM household_links WHERE row_id = ?1")?.execute([row_id])?;
    conn.prepare_cached(
        "INSERT INTO household_links (row_id, head, member)
         SELECT ?1, ?2, unhex(replace(json_extract(m.value, '$'), '-', '')) FROM field_values m
         WHERE m.row_id = ?1 AND m.field_ref = (SELECT ref FROM log_fields WHERE entity = 'household_member' AND field = 'member')
         AND json_type(m.value) = 'text'
         AND NOT EXISTS (SELECT 1 FROM field_values d WHERE d.row_id = m.row_id AND d.value = 'true'
                         AND d.field_ref = (SELECT ref FROM log_fields WHERE entity = 'household_member' AND field = ?3))",
    )?
    .execute(params![row_id, head, DELETED])?;
    Ok(())
}

/// Blanks every value of `folder` but the erasure marker, in the log and in the state, and
/// deletes scans no other folder uses. Sequences and timestamps stay, so the log still
/// replays to the same state and sync stays gapless.
fn blank_folder(conn: &Connection, folder: Uuid) -> rusqlite::Result<()> {
    conn.execute(
        &format!("UPDATE changes SET value = 'null' WHERE {OF_FOLDER} AND field_ref NOT IN (SELECT ref FROM log_fields WHERE field = ?2)"),
        params![folder, ERASED],
    )?;
    conn.execute(
        "UPDATE field_values SET value = 'null'
         WHERE (row_id, field_ref) IN (SELECT r.row_id, f.ref FROM entity_rows r JOIN log_fields f ON f.entity = r.entity
                                       WHERE r.folder_id = ?1 AND f.field != ?2)",
        params![folder, ERASED],
    )?;
    conn.execute("DELETE FROM household_links WHERE head = ?1", [folder])?;
    merges::relink(conn, folder)?;
    conflicts::forget_folder(conn, folder)?;
    forget_unused_scans(conn)
}

/// Deletes the scanned files no attachment of any folder points to any more.
pub(crate) fn forget_unused_scans(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM attachment_blobs WHERE NOT EXISTS (
             SELECT 1 FROM entity_rows r JOIN field_values v ON v.row_id = r.row_id
             WHERE r.entity = 'attachment' AND v.value = '\"' || attachment_blobs.sha256 || '\"'
             AND v.field_ref = (SELECT ref FROM log_fields WHERE entity = 'attachment' AND field = 'sha256'))",
        [],
    )?;
    Ok(())
}

/// Every entry of the change log, in device and sequence order.
pub(crate) fn all_entries(conn: &Connection) -> rusqlite::Result<Vec<ChangeEntry>> {
    read_entries(conn, "ORDER BY d.id, c.key", [])
}

/// The entries of the rows of `folder`, in device and sequence order.
pub(crate) fn folder_entries(conn: &Connection, folder: Uuid) -> rusqlite::Result<Vec<ChangeEntry>> {
    read_entries(conn, &format!("WHERE {OF_FOLDER} ORDER BY d.id, c.key"), [folder])
}

/// The change log's entries of folder `?1`, found through its rows: the log has no index by
/// folder, and every entry's row is registered in `entity_rows` with the entry's folder
/// before the entry is applied (`Batch::apply_value`).
pub(super) const OF_FOLDER: &str = "row_id IN (SELECT row_id FROM entity_rows WHERE folder_id = ?1) AND folder_id = ?1";

/// SQL: the last key from `?1` to `?2`. One seek from the end of the range, where `max()` of
/// the sequence number, an expression of the key, reads every key of the range (a third of a
/// second per push at a million entries).
pub(super) const LAST_KEY: &str = "SELECT key FROM changes WHERE key BETWEEN ?1 AND ?2 ORDER BY key DESC LIMIT 1";

/// The highest sequence number of `device`'s entries here (0 without any).
pub(crate) fn highest_seq(conn: &Connection, device: Uuid) -> rusqlite::Result<u64> {
    let Some((first, last)) = log_refs::known_device_keys(conn, device)? else { return Ok(0) };
    let key = conn.prepare_cached(LAST_KEY)?.query_row([first, last], |row| row.get::<_, i64>(0)).optional()?;
    Ok(key.map_or(0, |key| (key - first) as u64))
}

/// `device`'s entries after sequence number `after`, at most `limit`.
pub(crate) fn entries_after(
    conn: &Connection,
    device: Uuid,
    after: u64,
    limit: usize,
) -> rusqlite::Result<Vec<ChangeEntry>> {
    let Some((first, last)) = log_refs::known_device_keys(conn, device)? else { return Ok(Vec::new()) };
    read_entries(
        conn,
        "WHERE c.key > ?1 AND c.key <= ?2 ORDER BY c.key LIMIT ?3",
        params![first + after.min(porta_wire::change::MAX_SEQ) as i64, last, limit as i64],
    )
}

fn read_entries(
    conn: &Connection,
    filter: &str,
    parameters: impl rusqlite::Params,
) -> rusqlite::Result<Vec<ChangeEntry>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT c.op_id, d.id, {SEQ_OF_KEY}, c.stamp, o.id, f.entity, c.row_id, c.folder_id, f.field, c.value, c.base,
                c.saw, c.schema_version
         FROM changes c JOIN log_ids d ON d.ref = {DEVICE_OF_KEY} JOIN log_ids o ON o.ref = c.operator_ref
         JOIN log_fields f ON f.ref = c.field_ref {filter}"
    ))?;
    let entries = statement
        .query_map(parameters, |row| {
            let text = |index: usize| -> rusqlite::Result<String> { row.get(index) };
            let bad =
                |index: usize| rusqlite::Error::InvalidColumnType(index, "change".into(), rusqlite::types::Type::Text);
            let device_id = row.get(1)?;
            Ok(ChangeEntry {
                op_id: row.get(0)?,
                device_id,
                seq: row.get::<_, i64>(2)? as u64,
                hlc: Hlc::from_stamp(&row.get::<_, Vec<u8>>(3)?, device_id).map_err(|_| bad(3))?,
                operator_id: row.get(4)?,
                entity: Entity::from_stored(&text(5)?).ok_or_else(|| bad(5))?,
                row_id: row.get(6)?,
                folder_id: row.get(7)?,
                field: text(8)?,
                value: serde_json::from_str(&text(9)?).map_err(|_| bad(9))?,
                base: row
                    .get::<_, Option<Vec<u8>>>(10)?
                    .map(|bytes| Hlc::from_bytes(&bytes))
                    .transpose()
                    .map_err(|_| bad(10))?,
                saw: match row.get::<_, Option<String>>(11)? {
                    Some(text) => serde_json::from_str(&text).map_err(|_| bad(11))?,
                    None => Vec::new(),
                },
                schema_version: row.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(entries)
}

/// The newest timestamp in the change log, to start this device's HLC after it.
pub(crate) fn newest_hlc(conn: &Connection) -> rusqlite::Result<Option<Hlc>> {
    let text: Option<String> = conn.query_row("SELECT hlc FROM newest_hlc", [], |row| row.get(0)).optional()?;
    Ok(text.and_then(|text| text.parse().ok()))
}

/// Remembers `hlc` as the newest timestamp if it is.
fn raise_newest_hlc(conn: &Connection, hlc: &Hlc) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO newest_hlc (single, hlc) VALUES (1, ?1)
         ON CONFLICT (single) DO UPDATE SET hlc = excluded.hlc WHERE excluded.hlc > newest_hlc.hlc",
    )?
    .execute([hlc.encode()])?;
    Ok(())
}
