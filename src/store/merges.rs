//! Two folders of the same person, and merging them.
//!
//! Two offline devices may each open a folder for the same person; sync never refuses the
//! second (a uniqueness rule would block a device's queue), so both arrive and are flagged
//! as possible duplicates: the same codice fiscale, or the same names and birth date.
//!
//! Merging is a change-log entry like any other: the absorbed folder's person row gets
//! `_merged_into = <the folder kept>`. Nothing is moved or copied, so an edit another
//! device makes meanwhile to the absorbed folder still lands, and shows in the merged one;
//! undoing the merge writes null. From the current values the store derives
//! `folder_merges` (absorbed → target). Each folder has a *survivor*: follow the targets
//! until a folder that is merged into nothing; concurrent merges that form a cycle (A into
//! B on one device, B into A on another) end at the smallest folder id of the cycle. Every
//! replica holding the same entries computes the same survivors. A folder's *group* is its
//! survivor and every folder whose survivor it is: opening any of them shows the group's
//! rows under the survivor's person; search finds only the survivor (by any of the group's
//! names and codes).

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::AuditAction;
use super::change_log::FieldWrite;
use super::rows::row_fields;
use super::search::{self, PersonHit};
use super::{Permission, Store, StoreError};
use crate::clock::Clock;
use crate::folder::{Entity, MERGED_INTO};

/// Keeps `folder_merges` equal to the current `_merged_into` value of `folder`.
pub(crate) fn relink(conn: &Connection, folder: Uuid) -> rusqlite::Result<()> {
    let target: Option<String> = conn
        .prepare_cached(
            "SELECT json_extract(value, '$') FROM field_values
             WHERE row_id = ?1 AND field_ref = (SELECT ref FROM log_fields WHERE entity = 'person' AND field = ?2)
             AND json_type(value) = 'text'",
        )?
        .query_row(params![folder, MERGED_INTO], |row| row.get(0))
        .optional()?;
    conn.prepare_cached("DELETE FROM folder_merges WHERE absorbed = ?1")?.execute([folder])?;
    if let Some(target) = target.and_then(|text| text.parse::<Uuid>().ok()).filter(|target| *target != folder) {
        conn.prepare_cached("INSERT INTO folder_merges (absorbed, into_folder) VALUES (?1, ?2)")?
            .execute(params![folder, target])?;
    }
    Ok(())
}

fn target_of(conn: &Connection, folder: Uuid) -> rusqlite::Result<Option<Uuid>> {
    conn.prepare_cached("SELECT into_folder FROM folder_merges WHERE absorbed = ?1")?
        .query_row([folder], |row| row.get(0))
        .optional()
}

/// Whether any folder is merged into another: when none is, every folder is its own group
/// and the write path skips looking groups up.
pub(crate) fn any(conn: &Connection) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM folder_merges)")?.query_row([], |row| row.get(0))
}

/// The folder `folder` now belongs to: itself unless it was merged into another.
pub(crate) fn survivor(conn: &Connection, folder: Uuid) -> rusqlite::Result<Uuid> {
    let mut path = vec![folder];
    loop {
        let Some(next) = target_of(conn, *path.last().expect("never empty"))? else {
            return Ok(*path.last().expect("never empty"));
        };
        if let Some(start) = path.iter().position(|seen| *seen == next) {
            // Concurrent merges made a cycle: its smallest id is the survivor, everywhere.
            return Ok(*path[start..].iter().min().expect("a cycle has members"));
        }
        path.push(next);
    }
}

/// The survivor of `folder` and every folder in its group (the survivor first, then by id).
pub(crate) fn group(conn: &Connection, folder: Uuid) -> rusqlite::Result<(Uuid, Vec<Uuid>)> {
    if !any(conn)? {
        return Ok((folder, vec![folder]));
    }
    let survivor = survivor(conn, folder)?;
    let mut members = vec![survivor];
    let mut next = 0;
    let mut absorbed_into = conn.prepare_cached("SELECT absorbed FROM folder_merges WHERE into_folder = ?1")?;
    while next < members.len() {
        let found: Vec<Uuid> =
            absorbed_into.query_map([members[next]], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        // Everything that reaches the survivor belongs to it (a cycle leads back to it).
        for folder in found {
            if !members.contains(&folder) {
                members.push(folder);
            }
        }
        next += 1;
    }
    members[1..].sort();
    Ok((survivor, members))
}

/// Why two folders may be the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    SameCodiceFiscale,
    SameNameAndBirthDate,
}

/// Two folders that may be the same person, to check and perhaps merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PossibleDuplicate {
    pub first: PersonHit,
    pub second: PersonHit,
    pub reason: DuplicateReason,
}

impl Store {
    /// Merges the folder `absorbed` into `keep`: from then on they are one folder, shown
    /// with `keep`'s person and both folders' rows, and the merge reaches every device.
    /// Refused: the same folder twice, or an `absorbed` already merged into another.
    pub fn merge_folders(&mut self, keep: Uuid, absorbed: Uuid, clock: &dyn Clock) -> Result<(), StoreError> {
        self.require(Permission::EditFolders)?;
        self.live_person(keep)?;
        self.live_person(absorbed)?;
        if survivor(&self.conn, absorbed)? != absorbed {
            return Err(StoreError::AlreadyMerged);
        }
        let keep = survivor(&self.conn, keep)?;
        if keep == absorbed {
            return Err(StoreError::SameFolder);
        }
        self.write_merge(absorbed, serde_json::Value::String(keep.to_string()), clock)
    }

    /// Undoes the merge of `absorbed`: it is a folder of its own again, with its rows.
    pub fn undo_merge(&mut self, absorbed: Uuid, clock: &dyn Clock) -> Result<(), StoreError> {
        self.require(Permission::EditFolders)?;
        self.live_person(absorbed)?;
        if target_of(&self.conn, absorbed)?.is_none() {
            return Err(StoreError::NotMerged);
        }
        self.write_merge(absorbed, serde_json::Value::Null, clock)
    }

    fn write_merge(&mut self, absorbed: Uuid, target: serde_json::Value, clock: &dyn Clock) -> Result<(), StoreError> {
        let write = FieldWrite {
            entity: Entity::Person,
            row_id: absorbed,
            folder_id: absorbed,
            field: MERGED_INTO.to_owned(),
            value: target,
            saw: Vec::new(),
        };
        let audit = self.audit_entry(AuditAction::Write, absorbed, "merge", false, clock);
        self.write_with(audit, vec![write], clock, |_| Ok(()))
    }

    /// Every pair of folders that may be the same person: the same codice fiscale, or the
    /// same names and full birth date. Folders already merged are not listed.
    pub fn possible_duplicate_folders(&self) -> Result<Vec<PossibleDuplicate>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let mut statement = self.conn.prepare_cached(
            "SELECT a.person_id, b.person_id, 'same_codice_fiscale' FROM person_codice_fiscale a
                 JOIN person_codice_fiscale b ON b.code = a.code AND b.person_id > a.person_id
                 JOIN person_index ia ON ia.person_id = a.person_id AND ia.merged_into IS NULL
                 JOIN person_index ib ON ib.person_id = b.person_id AND ib.merged_into IS NULL
                 UNION
                 SELECT a.person_id, b.person_id, 'same_name_and_birth_date' FROM person_index a
                 JOIN person_index b ON b.identity = a.identity AND b.person_id > a.person_id
                 WHERE a.identity IS NOT NULL AND a.merged_into IS NULL AND b.merged_into IS NULL
                 ORDER BY 1, 2, 3",
        )?;
        let pairs: Vec<(Uuid, Uuid, String)> = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .and_then(|rows| rows.collect())?;
        let mut found: Vec<PossibleDuplicate> = Vec::new();
        for (first, second, reason) in pairs {
            // The same pair by both reasons is listed once, by its codice fiscale.
            if found.last().is_some_and(|last| last.first.id == first && last.second.id == second) {
                continue;
            }
            let reason = if reason == "same_codice_fiscale" {
                DuplicateReason::SameCodiceFiscale
            } else {
                DuplicateReason::SameNameAndBirthDate
            };
            let hit = |id| search::hit(&self.conn, id).map_err(StoreError::from);
            found.push(PossibleDuplicate { first: hit(first)?, second: hit(second)?, reason });
        }
        Ok(found)
    }

    /// The person rows of the folders merged into `survivor` that are still live.
    pub(super) fn merged_people(&self, members: &[Uuid]) -> Result<Vec<Uuid>, StoreError> {
        let mut live = Vec::new();
        for member in &members[1..] {
            if super::rows::is_live(&row_fields(&self.conn, Entity::Person, *member)?) {
                live.push(*member);
            }
        }
        Ok(live)
    }
}
