//! When the write-ahead log goes into the database file: when the desk is quiet, not while an
//! operator waits for a save.
//!
//! Every transaction is committed to the WAL with `synchronous=FULL`; a checkpoint later
//! copies its pages into the database file. SQLite's default runs one inside the commit that
//! takes the WAL past 1,000 pages: a person's phone changed writes about 33 pages (the entry,
//! its indexes, the current value, the search entry, the audit line), so one save in thirty
//! paid 7–16 ms more (bench/notes.md). The store lets the WAL grow to
//! [`PAGES_BEFORE_A_WRITE_CHECKPOINTS`] and checkpoints when the sync engine finds the desk
//! quiet ([`Store::checkpoint`]); a long run of writes (a pull, a demo) still checkpoints
//! in its commits, an eighth as often (no faster nor slower for it, measured).

use rusqlite::Connection;

use super::{Store, StoreError};

/// Past this many pages (32 MiB of 4 KiB pages) the commit that reaches it checkpoints.
pub(super) const PAGES_BEFORE_A_WRITE_CHECKPOINTS: u32 = 8_192;

/// Lets the WAL of `conn` grow to [`PAGES_BEFORE_A_WRITE_CHECKPOINTS`] before a commit
/// checkpoints.
pub(super) fn checkpoint_when_quiet(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "wal_autocheckpoint", PAGES_BEFORE_A_WRITE_CHECKPOINTS)
}

impl Store {
    /// Copies what the WAL holds into the database file, for a quiet moment (the sync engine
    /// calls it once a burst of saves is over): the next save starts a fresh WAL.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        // (busy, frames in the WAL, frames copied): one connection, so never busy.
        self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }
}
