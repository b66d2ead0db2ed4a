//! The folders this device holds: those of its office and those shared with it. When a
//! folder comes in (shared, or moved to the office), the sync client fetches the entries its
//! pulls had passed; when one leaves, it is marked and removed once nothing written in it
//! here is still waiting to reach the server: its values, its history, its scans and
//! everything derived from them go. Sequence numbers never go back (the next one follows the
//! highest the server acknowledged), so removing this device's own entries is safe.

use rusqlite::params;
use uuid::Uuid;

use super::{Store, StoreError, conflicts, search};
use porta_wire::protocol::ScopeChange;

impl Store {
    /// How far this device has read the server's scope changes.
    pub fn scope_cursor(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT scope_cursor FROM sync_progress", [], |row| row.get::<_, i64>(0))
            .map(|cursor| cursor as u64)
            .map_err(StoreError::from)
    }

    /// Records scope changes up to `cursor`: folders that left are marked for removal, folders
    /// that came (back) in are no longer.
    pub fn apply_scope_changes(&mut self, changes: &[ScopeChange], cursor: u64) -> Result<(), StoreError> {
        let transaction = self.conn.transaction()?;
        for change in changes {
            let sql = if change.in_scope {
                "DELETE FROM folders_leaving WHERE folder_id = ?1"
            } else {
                "INSERT INTO folders_leaving (folder_id) VALUES (?1) ON CONFLICT DO NOTHING"
            };
            transaction.execute(sql, [change.folder_id])?;
        }
        transaction.execute("UPDATE sync_progress SET scope_cursor = ?1", [cursor as i64])?;
        transaction.commit().map_err(StoreError::from)
    }

    /// Removes the folders that left this device's scope and hold nothing of this device
    /// still waiting to be sent; returns them.
    pub fn remove_leaving_folders(&mut self) -> Result<Vec<Uuid>, StoreError> {
        let device = self.device_id;
        let transaction = self.conn.transaction()?;
        let [first, last] = super::log_refs::keys_of(&transaction, device)?;
        let leaving: Vec<Uuid> = transaction
            .prepare(
                // This device's entries not yet acknowledged: a range of the log's key.
                "SELECT l.folder_id FROM folders_leaving l WHERE NOT EXISTS (
                     SELECT 1 FROM changes c WHERE c.key > ?1 + (SELECT acknowledged FROM sync_progress)
                     AND c.key <= ?2 AND c.folder_id = l.folder_id)",
            )
            .and_then(|mut statement| statement.query_map([first, last], |row| row.get(0))?.collect())?;
        for folder in &leaving {
            remove_folder(&transaction, *folder)?;
        }
        transaction.commit()?;
        if !leaving.is_empty() {
            // The cached sequence number may have counted removed entries: read it again.
            self.last_seq = None;
        }
        Ok(leaving)
    }
}

/// Removes every trace of `folder` from this device but its audit lines (ids only).
fn remove_folder(conn: &rusqlite::Connection, folder: Uuid) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM field_values WHERE (row_id, field_ref) IN
             (SELECT r.row_id, f.ref FROM entity_rows r JOIN log_fields f ON f.entity = r.entity WHERE r.folder_id = ?1)",
        [folder],
    )?;
    conn.execute(&format!("DELETE FROM changes WHERE {}", super::change_log::OF_FOLDER), [folder])?;
    conn.execute("DELETE FROM entity_rows WHERE folder_id = ?1", [folder])?;
    conn.execute("DELETE FROM household_links WHERE head = ?1", [folder])?;
    conn.execute("DELETE FROM folder_merges WHERE absorbed = ?1", [folder])?;
    conflicts::forget_folder(conn, folder)?;
    search::forget(conn, folder)?;
    conn.execute("DELETE FROM folder_deadlines WHERE folder_id = ?1", [folder])?;
    conn.execute("DELETE FROM agenda WHERE folder_id = ?1", [folder])?;
    conn.execute("DELETE FROM open_practices WHERE folder_id = ?1", [folder])?;
    super::change_log::forget_unused_scans(conn)?;
    conn.execute("DELETE FROM folders_leaving WHERE folder_id = ?1", params![folder])?;
    Ok(())
}
