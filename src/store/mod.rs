//! The encrypted case-folder store: one SQLCipher database and its key file per device.
//!
//! [`Store::set_up`] creates both at first run; [`Store::unlock`] opens them with an
//! operator's passphrase, [`Store::reset_passphrase`] with the recovery key. Dropping or
//! [`Store::lock`]ing a store closes the database and zeroes the key.

mod agenda;
mod attachments;
mod audit;
pub mod change_log;
mod checkpoints;
mod compaction;
pub mod conflicts;
mod derived;
mod directory;
mod due;
mod error;
mod folders;
mod health_seal;
mod history;
mod log_refs;
mod merges;
mod migrations;
mod opening;
mod operator_accounts;
mod person_documents;
mod practices;
mod quick_contact;
mod replication;
mod restamp;
mod rows;
mod scans;
mod scope;
mod search;
mod status;
mod stp_eni_numbers;
mod sync_state;
mod write_path;

use std::fmt;

use rusqlite::Connection;
use uuid::Uuid;

pub use crate::folder::Folder;
pub use agenda::{AgendaItem, AgendaQuery, MAX_AGENDA_DAYS};
pub use audit::AuditEntry;
pub use compaction::{CompactionPlace, CompactionStep, HISTORY_KEPT_MS};
pub use due::{DUE_HORIZON_DAYS, DUE_LIST_LIMIT, DueItem, DueList, MAX_RENEWAL_WINDOW_DAYS, MIN_RENEWAL_WINDOW_DAYS};
pub use error::{DatabaseFailure, StoreError};
pub use merges::{DuplicateReason, PossibleDuplicate};
pub use migrations::{MigrationError, SCHEMA_VERSION};
pub use opening::FirstRun;
#[cfg(any(test, feature = "unencrypted-store"))]
pub use opening::UNENCRYPTED_STORE_HEALTH_KEY;
pub use operator_accounts::CurrentOperator;
pub use person_documents::{FolderDocument, PrintedDocument, receipt_reference};
pub use porta_wire::audit::AuditAction;
pub use porta_wire::role::{Permission, Role};
pub use practices::{OpenPractice, PRACTICE_LIST_LIMIT, PracticeFilter, PracticeList};
pub use search::{Archived, PersonHit};
pub use status::{DatabaseStatus, database_status};
pub use stp_eni_numbers::{REFILL_BELOW, REFILL_COUNT};
pub use sync_state::{Enrollment, Reenrollment, SnapshotPlace, SyncProgress};

use crate::DataDir;
use crate::folder::Section;
use crate::hlc::HlcClock;
use crate::ids::IdSource;
use crate::keys::DatabaseKey;
use crate::seeded::SeededRandom;

/// Whether this build of the library can open an unencrypted store (the benchmarks'
/// `unencrypted-store` feature). The desktop app refuses to start if so: a workspace-wide
/// build unifies the benchmarks' features into the library, and such a binary must never be
/// what ships or what the end-to-end tests drive.
pub const UNENCRYPTED_STORE_BUILT: bool = cfg!(feature = "unencrypted-store");

/// An operator of this device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// The account on this device (what its key-file wrap names).
    pub id: Uuid,
    /// The id its entries and audit lines carry: the server's account once the server
    /// adopted it (enrollment), else `id`.
    pub account_id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: Role,
}

/// An unlocked store: the open database, its key, and who unlocked it.
pub struct Store {
    conn: Connection,
    key: DatabaseKey,
    /// The Ambito's health key, for a role allowed to read health-restricted content; zeroed
    /// when the store is locked, like the database key.
    health: Option<crate::keys::HealthKey>,
    data_dir: DataDir,
    operator: Operator,
    device_id: Uuid,
    hlc: HlcClock,
    ids: IdSource,
    /// This device's last change-log sequence number, once read; forgotten when a write or
    /// a transaction fails, so it is always what the database holds.
    last_seq: Option<u64>,
    /// No other Porta opens this data folder while the store is open (`None` only for a store
    /// not on disk, in tests and benchmarks).
    _hold: Option<crate::data_dir::DataDirHold>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("data_dir", &self.data_dir).field("operator", &self.operator.id).finish()
    }
}

impl Store {
    /// The operator who unlocked the store.
    pub fn operator(&self) -> &Operator {
        &self.operator
    }

    /// The office this device belongs to, as set at first run.
    pub fn office(&self) -> Result<String, rusqlite::Error> {
        self.conn.query_row("SELECT office FROM device", [], |row| row.get(0))
    }

    /// The display names of the operators this device knows, by id: who wrote a change or
    /// opened a folder, as history and the access log show it.
    pub fn operator_names(&self) -> Result<std::collections::HashMap<Uuid, String>, StoreError> {
        // Entries carry the local id before adoption and the server's after.
        let mut statement = self.conn.prepare_cached(
            "SELECT id, display_name FROM operators
             UNION ALL SELECT server_id, display_name FROM operators WHERE server_id IS NOT NULL",
        )?;
        let names = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    /// This device's id.
    pub fn device_id(&self) -> Uuid {
        self.device_id
    }

    /// From now on, new row ids come from `seed` and the injected clock: demo data and
    /// benchmarks come out the same on every run.
    pub fn use_seeded_ids(&mut self, seed: u64) {
        self.ids = IdSource::Seeded(SeededRandom::new(seed));
    }

    /// Refuses what this operator's role does not allow.
    pub(super) fn require(&self, permission: Permission) -> Result<(), StoreError> {
        if self.operator.role.may(permission) { Ok(()) } else { Err(StoreError::NotPermitted) }
    }

    /// Checks that the operator may write `row`: health-restricted rows need their own permission.
    pub(super) fn require_for<T: Section>(&self, row: &T) -> Result<(), StoreError> {
        self.require(Permission::EditFolders)?;
        if row.health_restricted() {
            self.require(Permission::EditHealthRestricted)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod test_support;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod folder_tests;

#[cfg(test)]
mod section_tests;

#[cfg(test)]
mod conflict_tests;
#[cfg(test)]
mod format_tests;
#[cfg(test)]
mod snapshot_tests;

#[cfg(test)]
mod due_tests;
#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod practice_tests;
