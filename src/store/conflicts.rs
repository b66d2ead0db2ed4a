//! Conflict records: what last-writer-wins alone would hide.
//!
//! Every write names the timestamp of the value it replaced (`base`) and, for a resolution or
//! a delete, every other timestamp it saw (`saw`). A write that no later write replaced is a
//! *head*. One device writing in turn leaves one head per field; two devices writing the same
//! field without seeing each other leave two. When a field's heads hold different values, the
//! field is in conflict: the current value is still the last writer's (by HLC, then device),
//! and every head is kept in `conflicts` until someone resolves it with a write that saw them
//! all. A delete of a row concurrent with edits to it is a conflict too (topic
//! [`DELETION`]): the edits are current values whose timestamps no delete of the row saw.
//! Fields with more than one head, agreeing or not, are listed in `concurrent_fields`: a later
//! write there may disagree with a head it did not replace.
//!
//! The records are a function of the set of entries, not of their order, so every replica
//! that holds the same entries holds the same conflicts. Most writes replace the current
//! value of a field with one head; only the others recompute the field from its entries
//! (`recompute_field`).

use std::collections::{BTreeMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::change_log::FieldWrite;
use super::log_refs::{self, DEVICE_OF_KEY};
use super::rows::row_fields;
use super::{Permission, Store, StoreError};
use crate::clock::Clock;
use crate::folder::{DELETED, Entity, is_health_restricted};
use crate::hlc::Hlc;

/// The topic of a delete concurrent with edits (a field conflict's topic is its field).
pub const DELETION: &str = "_deletion";

/// One competing version in a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ConflictVersion {
    /// The field it wrote (the conflict's topic, or any field for a deletion conflict).
    pub field: String,
    /// The value it wrote.
    #[ts(type = "unknown")]
    pub value: serde_json::Value,
    /// When, on the hybrid logical clock: also names the version when resolving.
    #[ts(type = "string")]
    pub hlc: Hlc,
    /// Who wrote it.
    pub operator_id: Uuid,
}

impl ConflictVersion {
    /// The device that wrote it.
    pub fn device_id(&self) -> Uuid {
        self.hlc.device
    }
}

/// Concurrent writes to one field, or a delete concurrent with edits, to review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Conflict {
    pub entity: Entity,
    pub row_id: Uuid,
    pub folder_id: Uuid,
    /// The field in conflict, or [`DELETION`] for a delete concurrent with edits.
    pub topic: String,
    /// Every competing version, oldest first.
    pub versions: Vec<ConflictVersion>,
}

impl Conflict {
    /// Whether this is a delete concurrent with edits rather than two values of one field.
    pub fn is_deletion(&self) -> bool {
        self.topic == DELETION
    }
}

/// How an operator settles a conflict. Each is a new change-log entry that saw every version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resolution {
    /// A field conflict: keep the value of the version with this timestamp.
    Keep {
        #[ts(type = "string")]
        hlc: Hlc,
    },
    /// A deletion conflict: keep the row, with the edits made meanwhile.
    Restore,
    /// A deletion conflict: the row stays deleted, edits included.
    ConfirmDeletion,
}

/// One write to a field, as the merge rule sees it.
#[derive(Debug, Clone)]
pub(crate) struct Version {
    pub hlc: Hlc,
    pub value: String,
    pub base: Option<Hlc>,
    pub saw: Vec<Hlc>,
    pub operator_id: Uuid,
}

/// The writes no other write replaced: the rule itself, shared with the tests' model.
pub(crate) fn heads(versions: &[Version]) -> Vec<&Version> {
    let replaced: HashSet<Hlc> =
        versions.iter().flat_map(|version| version.base.iter().chain(&version.saw)).copied().collect();
    versions.iter().filter(|version| !replaced.contains(&version.hlc)).collect()
}

/// Whether `heads` disagree: two or more different values.
pub(crate) fn disagree(heads: &[&Version]) -> bool {
    heads.iter().any(|head| head.value != heads[0].value)
}

/// The stored form of `saw`: NULL when empty, else a JSON array of timestamps.
pub(crate) fn encode_saw(saw: &[Hlc]) -> Option<String> {
    (!saw.is_empty()).then(|| serde_json::to_string(saw).expect("timestamps serialise"))
}

fn decode_saw(text: Option<String>) -> Vec<Hlc> {
    text.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

fn bad_hlc(index: usize) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(index, "hlc".into(), rusqlite::types::Type::Text)
}

/// The operator whose write to `field` of the row has timestamp `hlc`, if the log holds it.
fn writer(conn: &Connection, entity: Entity, row_id: Uuid, field: &str, hlc: Hlc) -> rusqlite::Result<Option<Uuid>> {
    let (Some(field), Some((first, last))) =
        (log_refs::known_field(conn, entity, field)?, log_refs::known_device_keys(conn, hlc.device)?)
    else {
        return Ok(None);
    };
    conn.prepare_cached(
        "SELECT o.id FROM changes c JOIN log_ids o ON o.ref = c.operator_ref
         WHERE c.row_id = ?1 AND c.field_ref = ?2 AND c.stamp = ?3 AND c.key BETWEEN ?4 AND ?5",
    )?
    .query_row(params![row_id, field, hlc.stamp(), first, last], |row| row.get(0))
    .optional()
}

/// Every write to one field of one row.
fn versions(conn: &Connection, entity: Entity, row_id: Uuid, field: &str) -> rusqlite::Result<Vec<Version>> {
    let Some(field) = log_refs::known_field(conn, entity, field)? else { return Ok(Vec::new()) };
    conn.prepare_cached(&format!(
        "SELECT c.stamp, c.value, c.base, c.saw, o.id, d.id FROM changes c
         JOIN log_ids o ON o.ref = c.operator_ref JOIN log_ids d ON d.ref = {DEVICE_OF_KEY}
         WHERE c.row_id = ?1 AND c.field_ref = ?2"
    ))?
    .query_map(params![row_id, field], |row| {
        Ok(Version {
            hlc: Hlc::from_stamp(&row.get::<_, Vec<u8>>(0)?, row.get(5)?).map_err(|_| bad_hlc(0))?,
            value: row.get(1)?,
            base: row
                .get::<_, Option<Vec<u8>>>(2)?
                .map(|bytes| Hlc::from_bytes(&bytes))
                .transpose()
                .map_err(|_| bad_hlc(2))?,
            saw: decode_saw(row.get(3)?),
            operator_id: row.get(4)?,
        })
    })?
    .collect()
}

/// Whether any field has more than one head: most databases never have one, and then no
/// write needs to look further.
pub(crate) fn any_concurrent(conn: &Connection) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM concurrent_fields)")?.query_row([], |row| row.get(0))
}

/// Whether `field` of the row has more than one head (in conflict, or two equal values).
pub(crate) fn is_concurrent(conn: &Connection, entity: Entity, row_id: Uuid, field: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM concurrent_fields WHERE entity = ?1 AND row_id = ?2 AND field = ?3")?
        .exists(params![entity.as_str(), row_id, field])
}

fn insert(
    conn: &Connection,
    (entity, row_id, folder_id, topic): (Entity, Uuid, Uuid, &str),
    field: &str,
    version: &Version,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO conflicts (entity, row_id, topic, hlc, folder_id, field, value, operator_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        entity.as_str(),
        row_id,
        topic,
        version.hlc.encode(),
        folder_id,
        field,
        version.value,
        version.operator_id
    ])?;
    Ok(())
}

/// Sets one field from all its writes: the last writer's value, and a conflict record when
/// its heads disagree. True when the current value changed.
pub(crate) fn recompute_field(
    conn: &Connection,
    entity: Entity,
    row_id: Uuid,
    folder_id: Uuid,
    field: &str,
) -> rusqlite::Result<bool> {
    let versions = versions(conn, entity, row_id, field)?;
    let Some(winner) = versions.iter().max_by_key(|version| version.hlc) else { return Ok(false) };
    // Every field, device and value named here came from the log, so each has its number.
    let changed = conn
        .prepare_cached(
            "INSERT INTO field_values (row_id, field_ref, value, stamp, device_ref)
             VALUES (?1, (SELECT ref FROM log_fields WHERE entity = ?2 AND field = ?3), ?4, ?5,
                     (SELECT ref FROM log_ids WHERE id = ?6))
             ON CONFLICT (row_id, field_ref) DO UPDATE
             SET value = excluded.value, stamp = excluded.stamp, device_ref = excluded.device_ref
             WHERE field_values.stamp != excluded.stamp OR field_values.device_ref != excluded.device_ref",
        )?
        .execute(params![row_id, entity.as_str(), field, winner.value, winner.hlc.stamp(), winner.hlc.device])?;
    conn.prepare_cached("DELETE FROM conflicts WHERE entity = ?1 AND row_id = ?2 AND topic = ?3")?.execute(params![
        entity.as_str(),
        row_id,
        field
    ])?;
    let heads = heads(&versions);
    conn.prepare_cached("DELETE FROM concurrent_fields WHERE entity = ?1 AND row_id = ?2 AND field = ?3")?
        .execute(params![entity.as_str(), row_id, field])?;
    if heads.len() > 1 {
        conn.prepare_cached("INSERT INTO concurrent_fields (entity, row_id, field) VALUES (?1, ?2, ?3)")?
            .execute(params![entity.as_str(), row_id, field])?;
    }
    if disagree(&heads) {
        for head in heads {
            insert(conn, (entity, row_id, folder_id, field), field, head)?;
        }
    }
    Ok(changed > 0)
}

/// Records (or clears) the conflict between a row's delete and the edits its deleter did not
/// see: current values whose timestamps no delete of the row replaced.
pub(crate) fn recheck_deletion(
    conn: &Connection,
    entity: Entity,
    row_id: Uuid,
    folder_id: Uuid,
) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM conflicts WHERE entity = ?1 AND row_id = ?2 AND topic = ?3")?.execute(params![
        entity.as_str(),
        row_id,
        DELETION
    ])?;
    let marks = versions(conn, entity, row_id, DELETED)?;
    let Some(winner) = marks.iter().max_by_key(|mark| mark.hlc) else { return Ok(()) };
    if winner.value != "true" {
        return Ok(());
    }
    let seen: HashSet<Hlc> =
        marks.iter().flat_map(|mark| std::iter::once(&mark.hlc).chain(&mark.base).chain(&mark.saw)).copied().collect();
    // The row's current values that the deletion did not see, each with who wrote it.
    let mut statement = conn.prepare_cached(
        "SELECT f.field, v.value, v.stamp, d.id FROM field_values v
         JOIN log_fields f ON f.ref = v.field_ref JOIN log_ids d ON d.ref = v.device_ref
         WHERE v.row_id = ?1 AND f.entity = ?2 AND f.field != ?3",
    )?;
    let current = statement
        .query_map(params![row_id, entity.as_str(), DELETED], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, stamped(row, 2)?))
        })?
        .collect::<rusqlite::Result<Vec<(String, String, Hlc)>>>()?;
    let mut unseen = Vec::new();
    for (field, value, hlc) in current {
        if seen.contains(&hlc) {
            continue;
        }
        if let Some(operator_id) = writer(conn, entity, row_id, &field, hlc)? {
            unseen.push((field, Version { hlc, value, base: None, saw: Vec::new(), operator_id }));
        }
    }
    if unseen.is_empty() {
        return Ok(());
    }
    let key = (entity, row_id, folder_id, DELETION);
    insert(conn, key, DELETED, winner)?;
    for (field, version) in &unseen {
        insert(conn, key, field, version)?;
    }
    Ok(())
}

/// Whether the row is deleted now.
pub(crate) fn is_deleted(conn: &Connection, entity: Entity, row_id: Uuid) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT 1 FROM field_values WHERE row_id = ?2 AND value = 'true'
         AND field_ref = (SELECT ref FROM log_fields WHERE entity = ?1 AND field = ?3)",
    )?
    .exists(params![entity.as_str(), row_id, DELETED])
}

/// The timestamps of the row's current values: what a delete of it saw.
pub(crate) fn row_timestamps(conn: &Connection, entity: Entity, row_id: Uuid) -> rusqlite::Result<Vec<Hlc>> {
    let mut timestamps: Vec<Hlc> = conn
        .prepare_cached(
            "SELECT v.stamp, d.id FROM field_values v
             JOIN log_fields f ON f.ref = v.field_ref JOIN log_ids d ON d.ref = v.device_ref
             WHERE v.row_id = ?2 AND f.entity = ?1",
        )?
        .query_map(params![entity.as_str(), row_id], |row| stamped(row, 0))?
        .collect::<rusqlite::Result<_>>()?;
    timestamps.sort();
    Ok(timestamps)
}

/// Forgets the conflicts of an erased folder (their values are personal data) and which of its
/// fields had more than one head: nothing is recomputed in an erased folder any more, so that
/// hint would stay only where the concurrent writes happened to arrive before the erasure.
pub(crate) fn forget_folder(conn: &Connection, folder: Uuid) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM conflicts WHERE folder_id = ?1")?.execute([folder])?;
    conn.prepare_cached(
        "DELETE FROM concurrent_fields WHERE (entity, row_id) IN (SELECT entity, row_id FROM entity_rows WHERE folder_id = ?1)",
    )?
    .execute([folder])?;
    Ok(())
}

/// Every stored conflict, or those of one folder, grouped by row and topic.
fn read(conn: &Connection, folder: Option<Uuid>) -> rusqlite::Result<Vec<Conflict>> {
    let mut statement = conn.prepare_cached(
        "SELECT entity, row_id, topic, folder_id, field, value, hlc, operator_id FROM conflicts
         WHERE ?1 IS NULL OR folder_id = ?1 ORDER BY folder_id, entity, row_id, topic, hlc",
    )?;
    let mut grouped: BTreeMap<(Uuid, String, Uuid, String), Conflict> = BTreeMap::new();
    let rows = statement.query_map([folder], |row| {
        let entity: String = row.get(0)?;
        let entity = Entity::from_stored(&entity)
            .ok_or_else(|| rusqlite::Error::InvalidColumnType(0, "entity".into(), rusqlite::types::Type::Text))?;
        let value: String = row.get(5)?;
        Ok((
            (entity, row.get::<_, Uuid>(1)?, row.get::<_, String>(2)?, row.get::<_, Uuid>(3)?),
            ConflictVersion {
                field: row.get(4)?,
                value: serde_json::from_str(&value).unwrap_or(serde_json::Value::Null),
                hlc: row.get::<_, String>(6)?.parse().map_err(|_| bad_hlc(6))?,
                operator_id: row.get(7)?,
            },
        ))
    })?;
    for row in rows {
        let ((entity, row_id, topic, folder_id), version) = row?;
        grouped
            .entry((folder_id, entity.as_str().to_owned(), row_id, topic.clone()))
            .or_insert_with(|| Conflict { entity, row_id, folder_id, topic, versions: Vec::new() })
            .versions
            .push(version);
    }
    Ok(grouped.into_values().collect())
}

impl Store {
    /// The conflicts to review, in every folder or in one, leaving out those on rows this
    /// operator may not read (health-restricted ones).
    pub fn conflicts(&self, folder: Option<Uuid>) -> Result<Vec<Conflict>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let stored = match folder {
            // A folder merged with others shows their conflicts too.
            Some(folder) => {
                let mut stored = Vec::new();
                for member in super::merges::group(&self.conn, folder)?.1 {
                    stored.extend(read(&self.conn, Some(member))?);
                }
                stored
            }
            None => read(&self.conn, None)?,
        };
        let mut readable = Vec::new();
        for mut conflict in stored {
            let fields = row_fields(&self.conn, conflict.entity, conflict.row_id)?;
            if is_health_restricted(conflict.entity, &fields)
                && !self.operator.role.may(Permission::ReadHealthRestricted)
            {
                continue;
            }
            // Sealed versions are shown opened; a conflict this session cannot open is not shown.
            let (entity, row_id) = (conflict.entity, conflict.row_id);
            let opened = conflict.versions.iter_mut().all(|version| {
                self.open_value(entity, row_id, &version.field, &version.value)
                    .map(|value| version.value = value)
                    .is_some()
            });
            if opened {
                readable.push(conflict);
            }
        }
        Ok(readable)
    }

    /// Settles a conflict with a new change-log entry that saw every competing version, so
    /// it closes on every replica that receives it.
    pub fn resolve_conflict(
        &mut self,
        entity: Entity,
        row_id: Uuid,
        topic: &str,
        resolution: &Resolution,
        clock: &dyn Clock,
    ) -> Result<(), StoreError> {
        self.require(Permission::EditFolders)?;
        let conflict = self
            .conflicts(None)?
            .into_iter()
            .find(|conflict| conflict.entity == entity && conflict.row_id == row_id && conflict.topic == topic)
            .ok_or(StoreError::NotFound)?;
        let fields = row_fields(&self.conn, entity, row_id)?;
        if is_health_restricted(entity, &fields) {
            self.require(Permission::EditHealthRestricted)?;
        }
        let saw: Vec<Hlc> = conflict.versions.iter().map(|version| version.hlc).collect();
        let (field, value) = match (resolution, conflict.is_deletion()) {
            (Resolution::Keep { hlc }, false) => {
                let kept = conflict.versions.iter().find(|version| version.hlc == *hlc).ok_or(StoreError::NotFound)?;
                (topic.to_owned(), kept.value.clone())
            }
            (Resolution::Restore, true) => (DELETED.to_owned(), false.into()),
            (Resolution::ConfirmDeletion, true) => (DELETED.to_owned(), true.into()),
            _ => return Err(StoreError::WrongResolution),
        };
        let write = FieldWrite { entity, row_id, folder_id: conflict.folder_id, field, value, saw };
        self.write(conflict.folder_id, entity.as_str(), is_health_restricted(entity, &fields), vec![write], clock)
    }
}

/// The timestamp of the current value of the row's field numbered `field_ref` (`log_fields`),
/// if it has one.
pub(crate) fn current_hlc_of(conn: &Connection, row_id: Uuid, field_ref: i64) -> rusqlite::Result<Option<Hlc>> {
    conn.prepare_cached(
        "SELECT v.stamp, d.id FROM field_values v JOIN log_ids d ON d.ref = v.device_ref
         WHERE v.row_id = ?1 AND v.field_ref = ?2",
    )?
    .query_row(params![row_id, field_ref], |row| stamped(row, 0))
    .optional()
}

/// The timestamp of a current value: its stamp in column `index`, its device's id in the next.
fn stamped(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Hlc> {
    Hlc::from_stamp(&row.get::<_, Vec<u8>>(index)?, row.get(index + 1)?).map_err(|_| bad_hlc(index))
}
