//! What happened to a folder: its change-log entries (who changed which field, when, from
//! which device) and its audit lines (who read or changed it).

use std::collections::BTreeMap;

use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::rows::{Fields, is_live, row_fields};
use super::{Permission, Store, StoreError, change_log, merges};
use crate::clock::Clock;
use crate::folder::{Entity, health_restricted_if_readable, is_health_restricted};

impl Store {
    /// This store's whole change log, in device and sequence order (what sync pushes).
    pub fn change_log(&self) -> Result<Vec<change_log::ChangeEntry>, StoreError> {
        change_log::all_entries(&self.conn).map_err(StoreError::from)
    }

    /// The history of `folder` and of the folders merged with it: every change-log entry, in
    /// device and sequence order (who changed which field, when, from which device). For roles
    /// that may not read health-restricted content, the entries of a row restricted now are
    /// left out, and so is every version written while its row was restricted (a health note
    /// later made ordinary keeps its health text out of sight). One audited read.
    pub fn folder_history(&self, folder: Uuid, clock: &dyn Clock) -> Result<Vec<change_log::ChangeEntry>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let (survivor, members) = merges::group(&self.conn, folder)?;
        if !is_live(&row_fields(&self.conn, Entity::Person, survivor)?) {
            return Err(StoreError::NotFound);
        }
        let may_read_restricted = self.operator.role.may(Permission::ReadHealthRestricted);
        let mut entries = Vec::new();
        for member in members {
            entries.extend(change_log::folder_entries(&self.conn, member)?);
        }
        // Each row as it stood after each of its entries, in the order they took effect. An
        // entry that leaves its row half written (the first fields of a new note) is judged
        // with the row as its next readable state shows it.
        entries.sort_by_key(|entry| entry.hlc);
        let mut restricted_now = BTreeMap::new();
        let mut as_written: BTreeMap<(Entity, Uuid), Fields> = BTreeMap::new();
        let mut waiting: BTreeMap<(Entity, Uuid), Vec<usize>> = BTreeMap::new();
        let mut hidden = vec![false; entries.len()];
        for (index, entry) in entries.iter().enumerate() {
            let key = (entry.entity, entry.row_id);
            if let std::collections::btree_map::Entry::Vacant(slot) = restricted_now.entry(key) {
                let fields = row_fields(&self.conn, entry.entity, entry.row_id)?;
                slot.insert(is_health_restricted(entry.entity, &fields));
            }
            let row = as_written.entry(key).or_default();
            row.insert(entry.field.clone(), entry.value.clone());
            let pending = waiting.entry(key).or_default();
            pending.push(index);
            if let Some(was_restricted) = health_restricted_if_readable(entry.entity, row) {
                for judged in pending.drain(..) {
                    hidden[judged] = restricted_now[&key] || was_restricted;
                }
            }
        }
        // Entries of a row never readable since: as the row is now (fail closed).
        for (key, pending) in waiting {
            for judged in pending {
                hidden[judged] = restricted_now[&key];
            }
        }
        let any_restricted = hidden.iter().any(|hidden| *hidden);
        let mut history: Vec<_> = entries
            .into_iter()
            .zip(hidden)
            .filter(|(_, hidden)| may_read_restricted || !hidden)
            // Sealed values shown opened; one this session cannot open is not shown.
            .filter_map(|(mut entry, _)| {
                entry.value = self.open_value(entry.entity, entry.row_id, &entry.field, &entry.value)?;
                Some(entry)
            })
            .collect();
        history.sort_by_key(|entry| (entry.device_id, entry.seq));
        self.audit_read(survivor, "history", any_restricted && may_read_restricted, clock)?;
        Ok(history)
    }

    /// Who read or changed `folder`, and when: for administrators and coordinators.
    pub fn folder_accesses(&self, folder: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
        self.require(Permission::ReadAccessLog)?;
        audit::accesses(&self.conn, folder).map_err(StoreError::from)
    }
}
