//! Where the server keeps the entries devices push: behind [`SyncStore`], so that a
//! PostgreSQL backend can be added by implementing the trait and passing the same
//! [`conformance`] suite. The embedded SQLite backend ([`sqlite::SqliteStore`]) is the
//! default: a small Ambito runs the server with a data folder and no database to administer.

pub mod conformance;
pub mod sqlite;

use porta::store::change_log::ChangeEntry;
use porta::sync::protocol::Rejection;
use uuid::Uuid;

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// The device's highest contiguous sequence number now stored.
    pub acknowledged: u64,
    /// The entries of this push not accepted (each still took its place in the sequence).
    pub rejected: Vec<Rejection>,
}

/// A page of entries in the server's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub entries: Vec<ChangeEntry>,
    pub cursor: u64,
    pub more: bool,
}

/// An entry as the server received it: its sequence number, and either its JSON text (a
/// checked `ChangeEntry`) or why it cannot be accepted.
pub type Incoming = (u64, Result<String, Rejection>);

/// Why the storage refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The batch does not continue the device's sequence: it must start at `expected`
    /// (earlier entries may repeat) and have no holes.
    #[error("sequence gap: expected {expected}")]
    SequenceGap { expected: u64 },
    /// The database failed.
    #[error("storage failure: {0}")]
    Failed(String),
}

/// The server's storage. Implementations are used from several threads.
pub trait SyncStore: Send + Sync + 'static {
    /// Stores `incoming` (sorted by sequence number) for `device`, all or nothing: entries at
    /// or below the device's acknowledged number are skipped, the rest must follow it without
    /// holes. Rejected entries are remembered in place of the entry.
    fn push(&self, device: Uuid, incoming: &[Incoming]) -> Result<Pushed, StorageError>;

    /// Accepted entries after `cursor`, at most `limit` and about `max_bytes` of them.
    fn pull(&self, cursor: u64, limit: usize, max_bytes: usize) -> Result<Page, StorageError>;

    /// The device's highest contiguous sequence number stored (0 for a new device).
    fn acknowledged(&self, device: Uuid) -> Result<u64, StorageError>;
}
