//! The embedded backend: one SQLite database in the server's data folder.

use std::path::Path;
use std::sync::Mutex;

use porta::store::change_log::ChangeEntry;
use porta::sync::protocol::RejectionCode;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::{Incoming, Page, Pushed, StorageError, SyncStore};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entries (
    server_seq INTEGER PRIMARY KEY,
    device_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (device_id, seq)
) STRICT;
CREATE TABLE IF NOT EXISTS rejections (
    device_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS devices (
    device_id BLOB PRIMARY KEY NOT NULL,
    acknowledged INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
";

/// The SQLite backend.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

fn failed(error: impl std::fmt::Display) -> StorageError {
    StorageError::Failed(error.to_string())
}

impl SqliteStore {
    /// Opens (or creates) the database at `path`, in WAL mode with full sync.
    pub fn open(path: &Path) -> Result<SqliteStore, StorageError> {
        let conn = Connection::open(path).map_err(failed)?;
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)).map_err(failed)?;
        conn.execute_batch("PRAGMA synchronous = FULL;").map_err(failed)?;
        Self::with(conn)
    }

    /// A database in memory, for tests.
    pub fn in_memory() -> Result<SqliteStore, StorageError> {
        Self::with(Connection::open_in_memory().map_err(failed)?)
    }

    fn with(conn: Connection) -> Result<SqliteStore, StorageError> {
        conn.execute_batch(SCHEMA).map_err(failed)?;
        Ok(SqliteStore { conn: Mutex::new(conn) })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: SQLite rolled back.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn acknowledged_in(conn: &Connection, device: Uuid) -> rusqlite::Result<u64> {
    let ack: Option<i64> = conn
        .query_row("SELECT acknowledged FROM devices WHERE device_id = ?1", [device], |row| row.get(0))
        .optional()?;
    Ok(ack.unwrap_or(0) as u64)
}

fn code_name(code: RejectionCode) -> String {
    serde_json::to_value(code).expect("codes serialise").as_str().expect("a string").to_owned()
}

impl SyncStore for SqliteStore {
    fn push(&self, device: Uuid, incoming: &[Incoming]) -> Result<Pushed, StorageError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        let mut acknowledged = acknowledged_in(&transaction, device).map_err(failed)?;
        let mut rejected = Vec::new();
        for (seq, entry) in incoming {
            if *seq <= acknowledged {
                continue;
            }
            if *seq != acknowledged + 1 {
                return Err(StorageError::SequenceGap { expected: acknowledged + 1 });
            }
            match entry {
                Ok(body) => {
                    transaction
                        .prepare_cached("INSERT INTO entries (device_id, seq, body) VALUES (?1, ?2, ?3)")
                        .and_then(|mut insert| insert.execute(params![device, *seq as i64, body]))
                        .map_err(failed)?;
                }
                Err(rejection) => {
                    transaction
                        .execute(
                            "INSERT INTO rejections (device_id, seq, code) VALUES (?1, ?2, ?3)",
                            params![device, *seq as i64, code_name(rejection.code)],
                        )
                        .map_err(failed)?;
                    rejected.push(rejection.clone());
                }
            }
            acknowledged = *seq;
        }
        transaction
            .execute(
                "INSERT INTO devices (device_id, acknowledged) VALUES (?1, ?2)
                 ON CONFLICT (device_id) DO UPDATE SET acknowledged = excluded.acknowledged",
                params![device, acknowledged as i64],
            )
            .map_err(failed)?;
        transaction.commit().map_err(failed)?;
        Ok(Pushed { acknowledged, rejected })
    }

    fn pull(&self, cursor: u64, limit: usize, max_bytes: usize) -> Result<Page, StorageError> {
        let conn = self.lock();
        let mut statement = conn
            .prepare_cached("SELECT server_seq, body FROM entries WHERE server_seq > ?1 ORDER BY server_seq LIMIT ?2")
            .map_err(failed)?;
        let rows = statement
            .query_map(params![cursor as i64, limit as i64 + 1], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(failed)?;
        let mut page = Page { entries: Vec::new(), cursor, more: false };
        let mut bytes = 0;
        for row in rows {
            let (server_seq, body) = row.map_err(failed)?;
            if page.entries.len() == limit || (bytes + body.len() > max_bytes && !page.entries.is_empty()) {
                page.more = true;
                break;
            }
            bytes += body.len();
            page.entries.push(serde_json::from_str::<ChangeEntry>(&body).map_err(failed)?);
            page.cursor = server_seq as u64;
        }
        Ok(page)
    }

    fn acknowledged(&self, device: Uuid) -> Result<u64, StorageError> {
        acknowledged_in(&self.lock(), device).map_err(failed)
    }
}
