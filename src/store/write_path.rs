//! The one way case data changes: every write becomes change-log entries, field values and
//! an audit line in one transaction ([`Store::write_with`]); [`change_log`] applies them, the
//! same code for local writes and for entries pulled from the server.

use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::change_log::{self, FieldWrite, Writer};
use super::rows::Fields;
use super::{AuditAction, Store, StoreError};
use crate::clock::Clock;
use crate::folder::Entity;
use porta_wire::health_key::stays_clear;

/// A value's fields as `(name, JSON)`, from its serde form.
pub(super) fn fields_of<T: Serialize>(value: &T) -> Vec<(String, serde_json::Value)> {
    match serde_json::to_value(value).expect("folder types serialise") {
        serde_json::Value::Object(map) => map.into_iter().collect(),
        _ => unreachable!("folder types are structs"),
    }
}

/// A value that writes nothing: null or an empty list.
pub(super) fn is_empty(value: &serde_json::Value) -> bool {
    value.is_null() || value.as_array().is_some_and(Vec::is_empty)
}

/// The writes that set `fields` on one row of `folder`.
pub(super) fn field_writes(
    entity: Entity,
    row_id: Uuid,
    folder_id: Uuid,
    fields: impl IntoIterator<Item = (String, serde_json::Value)>,
) -> Vec<FieldWrite> {
    fields
        .into_iter()
        .map(|(field, value)| FieldWrite { entity, row_id, folder_id, field, value, saw: Vec::new() })
        .collect()
}

/// The fields of `new` that differ from `current` (a cleared field is written as null).
pub(super) fn changed_fields<T: Serialize>(new: &T, current: &Fields) -> Vec<(String, serde_json::Value)> {
    fields_of(new)
        .into_iter()
        .filter(|(field, value)| match current.get(field) {
            Some(stored) => stored != value,
            None => !is_empty(value),
        })
        .collect()
}

impl Store {
    /// The only way case data changes: runs `before` (blob inserts, erasure), writes the
    /// fields and their change-log entries, and the audit line, all or nothing.
    pub(super) fn write_with(
        &mut self,
        audit: AuditEntry,
        writes: Vec<FieldWrite>,
        clock: &dyn Clock,
        before: impl FnOnce(&Connection) -> rusqlite::Result<()>,
    ) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        let Store { conn, device_id, operator, hlc, ids, last_seq, .. } = self;
        let known_seq = *last_seq;
        // A savepoint: its own transaction, or part of the caller's `in_one_transaction`.
        let written = (|| {
            let savepoint = conn.savepoint()?;
            before(&savepoint)?;
            let writer = Writer { device_id: *device_id, operator_id: operator.account_id, hlc, ids, clock, last_seq };
            change_log::record(&savepoint, writer, writes)?;
            audit::record(&savepoint, &audit)?;
            savepoint.commit()
        })();
        if written.is_err() {
            *last_seq = known_seq;
        }
        written.map_err(StoreError::from)
    }

    /// Writes to one section of `folder`; the values of a health-restricted row are sealed
    /// under the health key (see [`porta_wire::health_key`]).
    pub(super) fn write(
        &mut self,
        folder: Uuid,
        section: &str,
        restricted: bool,
        writes: Vec<FieldWrite>,
        clock: &dyn Clock,
    ) -> Result<(), StoreError> {
        let writes = if restricted { self.sealed(writes)? } else { writes };
        let audit = self.audit_entry(AuditAction::Write, folder, section, restricted, clock);
        self.write_with(audit, writes, clock, |_| Ok(()))
    }

    /// `writes` with every value that does not stay clear sealed under the health key, which
    /// this session must hold.
    fn sealed(&self, writes: Vec<FieldWrite>) -> Result<Vec<FieldWrite>, StoreError> {
        writes
            .into_iter()
            .map(|mut write| {
                if !stays_clear(write.entity, &write.field) && !write.value.is_null() {
                    let health = self.health.as_ref().ok_or(StoreError::HealthKeyMissing)?;
                    write.value = health.seal(write.entity, write.row_id, &write.field, &write.value);
                }
                Ok(write)
            })
            .collect()
    }

    /// Runs `work` as one transaction: all its writes land, or none. For imports and demo
    /// data, where thousands of small commits would cost a disk flush each.
    pub fn in_one_transaction<R>(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match work(self) {
            Ok(result) => {
                if let Err(error) = self.conn.execute_batch("COMMIT") {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    self.last_seq = None;
                    return Err(StoreError::from(error));
                }
                Ok(result)
            }
            Err(error) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.last_seq = None;
                Err(error)
            }
        }
    }
}
