//! The audit log: who read or changed which folder, and when. Append-only (triggers refuse
//! updates and deletes), kept in the encrypted database.

use rusqlite::{Connection, params};

use super::{Store, StoreError};
use crate::clock::Clock;
use serde::Serialize;
use uuid::Uuid;

use porta_wire::audit::AuditAction;

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub at_ms: u64,
    pub operator_id: Uuid,
    pub device_id: Uuid,
    pub action: AuditAction,
    pub folder_id: Uuid,
    /// The part of the folder: "person", "notes", …
    pub section: String,
    /// Whether health-restricted content was part of it.
    pub health_restricted: bool,
}

pub(crate) fn record(conn: &Connection, entry: &AuditEntry) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at_ms, operator_id, device_id, action, folder_id, section, health_restricted)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        entry.at_ms as i64,
        entry.operator_id,
        entry.device_id,
        entry.action.as_str(),
        entry.folder_id,
        entry.section,
        entry.health_restricted,
    ])?;
    Ok(())
}

/// Every access to `folder`, oldest first: "who looked at this person's folder, and when".
pub(crate) fn accesses(conn: &Connection, folder: Uuid) -> rusqlite::Result<Vec<AuditEntry>> {
    let mut statement = conn.prepare(
        "SELECT at_ms, operator_id, device_id, action, folder_id, section, health_restricted
         FROM audit_log WHERE folder_id = ?1 ORDER BY at_ms, id",
    )?;
    statement
        .query_map([folder], |row| {
            Ok(AuditEntry {
                at_ms: row.get::<_, i64>(0)? as u64,
                operator_id: row.get(1)?,
                device_id: row.get(2)?,
                action: {
                    let stored: String = row.get(3)?;
                    AuditAction::from_stored(&stored).ok_or(rusqlite::Error::InvalidColumnName(stored))?
                },
                folder_id: row.get(4)?,
                section: row.get(5)?,
                health_restricted: row.get(6)?,
            })
        })?
        .collect()
}

impl Store {
    pub(super) fn audit_entry(
        &self,
        action: AuditAction,
        folder: Uuid,
        section: &str,
        restricted: bool,
        clock: &dyn Clock,
    ) -> AuditEntry {
        AuditEntry {
            at_ms: clock.now_ms(),
            operator_id: self.operator.account_id,
            device_id: self.device_id,
            action,
            folder_id: folder,
            section: section.to_owned(),
            health_restricted: restricted,
        }
    }

    pub(super) fn audit_read(
        &self,
        folder: Uuid,
        section: &str,
        restricted: bool,
        clock: &dyn Clock,
    ) -> Result<(), StoreError> {
        let entry = self.audit_entry(AuditAction::Read, folder, section, restricted, clock);
        record(&self.conn, &entry).map_err(StoreError::from)
    }
}
