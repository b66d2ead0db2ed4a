//! What happened to a folder: its change-log entries (who changed which field, when, from
//! which device) and its audit lines (who read or changed it).

use std::collections::BTreeMap;

use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::rows::{is_live, row_fields};
use super::{Permission, Store, StoreError, change_log, merges};
use crate::clock::Clock;
use crate::folder::{Entity, is_health_restricted};

impl Store {
    /// This store's whole change log, in device and sequence order (what sync pushes).
    pub fn change_log(&self) -> Result<Vec<change_log::ChangeEntry>, StoreError> {
        change_log::all_entries(&self.conn).map_err(StoreError::from)
    }

    /// The history of `folder` and of the folders merged with it: every change-log entry, in
    /// device and sequence order (who changed which field, when, from which device). Entries
    /// of health-restricted rows are left out for roles that may not read them. One audited
    /// read.
    pub fn folder_history(&self, folder: Uuid, clock: &dyn Clock) -> Result<Vec<change_log::ChangeEntry>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let (survivor, members) = merges::group(&self.conn, folder)?;
        if !is_live(&row_fields(&self.conn, Entity::Person, survivor)?) {
            return Err(StoreError::NotFound);
        }
        let may_read_restricted = self.operator.role.may(Permission::ReadHealthRestricted);
        let mut restricted_rows = BTreeMap::new();
        let mut history = Vec::new();
        for member in members {
            for entry in change_log::folder_entries(&self.conn, member)? {
                let restricted = match restricted_rows.get(&(entry.entity, entry.row_id)) {
                    Some(restricted) => *restricted,
                    None => {
                        let fields = row_fields(&self.conn, entry.entity, entry.row_id)?;
                        *restricted_rows
                            .entry((entry.entity, entry.row_id))
                            .or_insert(is_health_restricted(entry.entity, &fields))
                    }
                };
                if may_read_restricted || !restricted {
                    history.push(entry);
                }
            }
        }
        history.sort_by_key(|entry| (entry.device_id, entry.seq));
        let any_restricted = restricted_rows.values().any(|restricted| *restricted) && may_read_restricted;
        self.audit_read(survivor, "history", any_restricted, clock)?;
        Ok(history)
    }

    /// Who read or changed `folder`, and when.
    pub fn folder_accesses(&self, folder: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
        self.require(Permission::ReadFolders)?;
        audit::accesses(&self.conn, folder).map_err(StoreError::from)
    }
}
