//! Taking in change-log entries written on other devices (what sync pulls): stored once under
//! `(device, seq)`, applied with the same merge rule as local writes, in one transaction.

use super::change_log::{self, ChangeEntry};
use super::{Store, StoreError};
use crate::clock::Clock;

impl Store {
    /// Applies `entries` from other devices, all or nothing. An entry already here (same
    /// device and sequence number) is skipped, so a repeated delivery changes nothing; one
    /// stamped too far in the future is refused with the whole batch, naming the clock drift.
    /// Returns how many entries were new.
    pub fn apply_entries(&mut self, entries: &[ChangeEntry], clock: &dyn Clock) -> Result<usize, StoreError> {
        self.apply_entries_and(entries, clock, |_| Ok(()))
    }

    /// Applies `entries` as [`Store::apply_entries`] does and runs `then` in the same
    /// transaction (a pull moves its cursor there).
    pub(crate) fn apply_entries_and(
        &mut self,
        entries: &[ChangeEntry],
        clock: &dyn Clock,
        then: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<()>,
    ) -> Result<usize, StoreError> {
        let mut hlc = self.hlc.clone();
        for entry in entries {
            hlc.observe(entry.hlc, clock).map_err(StoreError::ClockDrift)?;
        }
        let transaction = self.conn.transaction()?;
        let new = change_log::apply(&transaction, entries)?;
        then(&transaction)?;
        transaction.commit()?;
        self.hlc = hlc;
        Ok(new)
    }

    /// This device's own entries after sequence number `after`, at most `limit`, in order:
    /// what a push sends.
    pub fn own_entries_after(&self, after: u64, limit: usize) -> Result<Vec<ChangeEntry>, StoreError> {
        change_log::entries_after(&self.conn, self.device_id, after, limit).map_err(StoreError::from)
    }

    /// How many change-log entries this store holds from other devices: what it has pulled.
    pub fn entries_from_others(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM changes WHERE key NOT BETWEEN ?1 AND ?2",
                super::log_refs::keys_of(&self.conn, self.device_id)?,
                |row| row.get::<_, i64>(0),
            )
            .map(|count| count as u64)
            .map_err(StoreError::from)
    }

    /// How many change-log entries this store holds from `device` (its highest sequence).
    pub fn highest_seq(&self, device: uuid::Uuid) -> Result<u64, StoreError> {
        change_log::highest_seq(&self.conn, device).map_err(StoreError::from)
    }
}
