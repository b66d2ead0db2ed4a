//! The embedded backend: one SQLite database in the server's data folder.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use porta_wire::change::ChangeEntry;
use porta_wire::folder::Entity;
use porta_wire::folder::directory::DIRECTORY_FOLDER;
use porta_wire::health_key::HealthKey;
use porta_wire::protocol::RejectionCode;
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::{
    Ambito, AuditError, AuditStored, Device, DeviceStatus, EnrollmentError, FolderScope, HeldEntries, Incoming,
    NewEnrollment, OperatorChange, OperatorError, OperatorRecord, Page, Pushed, Readable, ReserveError, ScanError,
    ScopeError, ScopeEvent, StorageError, StpEniSeries, SyncStore,
};
use porta_wire::protocol::{Activation, AuditLine};
use porta_wire::protocol::{Rejection, STP_ENI_DEVICE_QUOTA, STP_ENI_QUOTA_DAYS, StpEniBlock};
use porta_wire::protocol::{SCAN_DEVICE_QUOTA_BYTES, SCAN_MAX_BYTES, ScanStatus, scan_chunk_fits, scan_chunks};
use porta_wire::rules::stp_eni::{MAX_PROGRESSIVE, StpEniKind};
use porta_wire::{audit::AuditAction, role::Role};

/// The key of an encrypted server database: 32 random bytes, kept in a file of 64 hex digits
/// readable by the server's account only (`--database-key-file`).
pub struct DatabaseKey(zeroize::Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DatabaseKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("DatabaseKey(…)")
    }
}

impl DatabaseKey {
    /// Reads a key from its text: 64 hex digits, spaces and line ends around them ignored.
    pub fn from_hex(text: &str) -> Option<DatabaseKey> {
        let text = text.trim();
        if text.len() != 64 {
            return None;
        }
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        for (byte, pair) in key.iter_mut().zip(text.as_bytes().chunks(2)) {
            *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
        }
        Some(DatabaseKey(key))
    }

    /// A new key from the system's random source.
    pub fn random(random: &dyn ring::rand::SecureRandom) -> Option<DatabaseKey> {
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        random.fill(key.as_mut()).ok()?;
        Some(DatabaseKey(key))
    }

    /// The key as 64 lower-case hex digits, as its file holds it.
    pub fn hex(&self) -> zeroize::Zeroizing<String> {
        let mut text = zeroize::Zeroizing::new(String::with_capacity(64));
        for byte in self.0.iter() {
            // Written in place: no copy of the key is left in a temporary string.
            let _ = std::fmt::Write::write_fmt(&mut *text, format_args!("{byte:02x}"));
        }
        text
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entries (
    server_seq INTEGER PRIMARY KEY,
    device_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    folder_id BLOB NOT NULL,
    UNIQUE (device_id, seq)
) STRICT;
CREATE TABLE IF NOT EXISTS erased_folders (
    folder_id BLOB PRIMARY KEY NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS folder_offices (
    folder_id BLOB PRIMARY KEY NOT NULL,
    office TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_by_folder ON entries (folder_id, server_seq);
-- Every stored entry's operation id, once: a copy under another sequence number is refused.
CREATE TABLE IF NOT EXISTS entry_ops (
    op_id BLOB PRIMARY KEY NOT NULL
) STRICT, WITHOUT ROWID;
-- Rows an accepted entry made health-restricted content: written from then on only by roles
-- that may write such content.
CREATE TABLE IF NOT EXISTS restricted_rows (
    entity TEXT NOT NULL,
    row_id BLOB NOT NULL,
    PRIMARY KEY (entity, row_id)
) STRICT, WITHOUT ROWID;
-- The folder of every row: a row belongs to one folder for ever.
CREATE TABLE IF NOT EXISTS row_folders (
    entity TEXT NOT NULL,
    row_id BLOB NOT NULL,
    folder_id BLOB NOT NULL,
    PRIMARY KEY (entity, row_id)
) STRICT, WITHOUT ROWID;
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
CREATE TABLE IF NOT EXISTS ambito (
    single INTEGER PRIMARY KEY CHECK (single = 1),
    name TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS scan_refs (
    sha256 TEXT NOT NULL,
    folder_id BLOB NOT NULL,
    PRIMARY KEY (sha256, folder_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS scan_refs_by_folder ON scan_refs (folder_id);
CREATE TABLE IF NOT EXISTS scans (
    sha256 TEXT PRIMARY KEY NOT NULL,
    size INTEGER NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    device_id BLOB NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scan_chunks (
    sha256 TEXT NOT NULL,
    idx INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (sha256, idx)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS health_key (
    single INTEGER PRIMARY KEY CHECK (single = 1),
    key BLOB NOT NULL CHECK (length(key) = 32)
) STRICT;
CREATE TABLE IF NOT EXISTS offices (
    name TEXT PRIMARY KEY NOT NULL,
    position INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS enrollment_codes (
    code_hash BLOB PRIMARY KEY NOT NULL,
    device_name TEXT NOT NULL,
    office TEXT NOT NULL REFERENCES offices (name),
    expires_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS enrolled_devices (
    device_id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    office TEXT NOT NULL,
    public_key BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked', 'wipe_ordered')),
    enrolled_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nonces (
    device_id BLOB NOT NULL,
    nonce TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nonces_by_time ON nonces (at_ms);
CREATE TABLE IF NOT EXISTS stp_eni_series (
    single INTEGER PRIMARY KEY CHECK (single = 1),
    region TEXT NOT NULL,
    asl TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS stp_eni_counters (
    kind TEXT NOT NULL,
    region TEXT NOT NULL,
    asl TEXT NOT NULL,
    next INTEGER NOT NULL,
    PRIMARY KEY (kind, region, asl)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stp_eni_blocks (
    kind TEXT NOT NULL,
    region TEXT NOT NULL,
    asl TEXT NOT NULL,
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    device_id BLOB NOT NULL,
    reserved_ms INTEGER NOT NULL,
    PRIMARY KEY (kind, region, asl, first)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS operators (
    id BLOB PRIMARY KEY NOT NULL,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    office TEXT NOT NULL REFERENCES offices (name),
    disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
    -- The activation's lock and expiry as JSON (`protocol::Activation`): never the code.
    activation TEXT
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_lines (
    device_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    operator_id BLOB NOT NULL,
    action TEXT NOT NULL,
    folder_id BLOB NOT NULL,
    section TEXT NOT NULL,
    health_restricted INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_lines_by_folder ON audit_lines (folder_id, at_ms);
-- Entries that arrived after their folder left the device's office: kept whole until the
-- administrator delivers them to the office that holds the folder.
CREATE TABLE IF NOT EXISTS held_entries (
    device_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    folder_id BLOB NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;
-- Audit lines refused (a folder of another office): their numbers, so the next lines follow.
CREATE TABLE IF NOT EXISTS audit_refusals (
    device_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS folder_shares (
    folder_id BLOB NOT NULL,
    office TEXT NOT NULL REFERENCES offices (name),
    PRIMARY KEY (folder_id, office)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scope_events (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL,
    folder_id BLOB NOT NULL,
    in_scope INTEGER NOT NULL CHECK (in_scope IN (0, 1))
) STRICT;
CREATE INDEX IF NOT EXISTS scope_events_by_office ON scope_events (office, id);
";

/// Whether `office` held `folder` once and no longer does (it was shared with it, or moved
/// away from it).
fn held_before(conn: &Connection, folder: Uuid, office: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM scope_events WHERE folder_id = ?1 AND office = ?2 AND in_scope = 0")?
        .exists(params![folder, office])
}

/// Whether `office`'s devices hold or ever held `folder` (it belongs to the office, or came or
/// left through a share or a move) — or it is unknown here (a device's own folder whose
/// entries have not arrived): what an audit line may be about.
fn ever_held(conn: &Connection, folder: Uuid, office: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT NOT EXISTS (SELECT 1 FROM folder_offices WHERE folder_id = ?1)
             OR EXISTS (SELECT 1 FROM folder_offices WHERE folder_id = ?1 AND office IN (?2, '*'))
             OR EXISTS (SELECT 1 FROM scope_events WHERE folder_id = ?1 AND office = ?2)",
    )?
    .query_row(params![folder, office], |row| row.get(0))
}

/// Whether `office`'s devices hold `folder`: it belongs to the office (or to every office) or is
/// shared with it.
fn in_scope(conn: &Connection, folder: Uuid, office: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT 1 FROM folder_offices WHERE folder_id = ?1 AND office IN (?2, '*')
         UNION ALL SELECT 1 FROM folder_shares WHERE folder_id = ?1 AND office = ?2",
    )?
    .exists(params![folder, office])
}

fn record_scope_event(conn: &Connection, office: &str, folder: Uuid, in_scope: bool) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO scope_events (office, folder_id, in_scope) VALUES (?1, ?2, ?3)")?
        .execute(params![office, folder, in_scope])?;
    Ok(())
}

/// Checks that the folder and the office exist; the folder's owner.
fn owner_and_office(conn: &Connection, folder: Uuid, office: &str) -> Result<String, ScopeError> {
    let owner: Option<String> = conn
        .query_row("SELECT office FROM folder_offices WHERE folder_id = ?1", [folder], |row| row.get(0))
        .optional()
        .map_err(failed)?;
    let owner = owner.ok_or(ScopeError::UnknownFolder)?;
    if owner == EVERY_OFFICE {
        return Err(ScopeError::EveryOffice);
    }
    let known =
        conn.query_row("SELECT 1 FROM offices WHERE name = ?1", [office], |_| Ok(())).optional().map_err(failed)?;
    known.ok_or(ScopeError::UnknownOffice)?;
    Ok(owner)
}

fn read_operator(row: &rusqlite::Row<'_>) -> rusqlite::Result<OperatorRecord> {
    let role: String = row.get(3)?;
    let activation: Option<String> = row.get(6)?;
    let activation = match activation {
        Some(json) => Some(
            serde_json::from_str(&json)
                .map_err(|error| rusqlite::Error::FromSqlConversionFailure(6, Type::Text, error.into()))?,
        ),
        None => None,
    };
    Ok(OperatorRecord {
        id: row.get(0)?,
        login: row.get(1)?,
        display_name: row.get(2)?,
        role: Role::from_stored(&role).ok_or(rusqlite::Error::InvalidColumnName(role))?,
        office: row.get(4)?,
        disabled: row.get(5)?,
        activation,
    })
}

fn activation_json(activation: &Activation) -> String {
    serde_json::to_string(activation).expect("an activation always serialises")
}

fn read_audit_line(row: &rusqlite::Row<'_>) -> rusqlite::Result<(Uuid, AuditLine)> {
    let action: String = row.get(4)?;
    Ok((
        row.get(0)?,
        AuditLine {
            seq: row.get::<_, i64>(1)? as u64,
            at_ms: row.get::<_, i64>(2)? as u64,
            operator_id: row.get(3)?,
            action: AuditAction::from_stored(&action).ok_or(rusqlite::Error::InvalidColumnName(action))?,
            folder_id: row.get(5)?,
            section: row.get(6)?,
            health_restricted: row.get(7)?,
        },
    ))
}

/// The SQLite backend.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

/// The office a folder of every office belongs to (the directory of services): a name no
/// office can have, since office names come from the Ambito's configuration.
const EVERY_OFFICE: &str = "*";

fn failed(error: impl std::fmt::Display) -> StorageError {
    StorageError::Failed(error.to_string())
}

impl SqliteStore {
    /// Opens (or creates) the database at `path`, in WAL mode with full sync.
    pub fn open(path: &Path) -> Result<SqliteStore, StorageError> {
        Self::open_with_key(path, None)
    }

    /// Opens (or creates) the database at `path`, encrypted with `key` (32 bytes, SQLCipher's
    /// raw key) when given: the server's copy of the case folders encrypted at rest. A wrong
    /// key, or a key for a plain database, fails here with [`StorageError::Failed`].
    pub fn open_with_key(path: &Path, key: Option<&DatabaseKey>) -> Result<SqliteStore, StorageError> {
        let conn = Connection::open(path).map_err(failed)?;
        if let Some(key) = key {
            // Built at its final size: no copy of the key left in a string that grew.
            let (before, hex, after) = ("PRAGMA key = \"x'", key.hex(), "'\";");
            let mut pragma = zeroize::Zeroizing::new(String::with_capacity(before.len() + hex.len() + after.len()));
            pragma.push_str(before);
            pragma.push_str(&hex);
            pragma.push_str(after);
            conn.execute_batch(&pragma).map_err(failed)?;
        }
        // The first read of the schema is the first use of the key.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))
            .map_err(|_| StorageError::Failed("the database key does not open this database".into()))?;
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)).map_err(failed)?;
        conn.execute_batch("PRAGMA synchronous = FULL;").map_err(failed)?;
        Self::with(conn)
    }

    /// A database in memory, for tests.
    pub fn in_memory() -> Result<SqliteStore, StorageError> {
        Self::with(Connection::open_in_memory().map_err(failed)?)
    }

    fn with(conn: Connection) -> Result<SqliteStore, StorageError> {
        // secure_delete: blanked and deleted values are overwritten on disk, not just unlinked.
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;").map_err(failed)?;
        // Statements are planned once, as the desktop store's are (see its `opening.rs`).
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true).map_err(failed)?;
        conn.execute_batch(SCHEMA).map_err(failed)?;
        // The Ambito's directory of services is every office's folder.
        conn.execute(
            "INSERT INTO folder_offices (folder_id, office) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![DIRECTORY_FOLDER, EVERY_OFFICE],
        )
        .map_err(failed)?;
        Ok(SqliteStore { conn: Mutex::new(conn) })
    }

    /// Takes an Ambito's existing health key instead of making one: for a server rebuilt for
    /// devices that already hold their Ambito's key, and for a benchmark's fixture. Refused
    /// once this server has a key of its own (its devices' seals would no longer open).
    pub fn keep_health_key(&self, key: &HealthKey) -> Result<(), StorageError> {
        let conn = self.lock();
        conn.execute("INSERT INTO health_key (single, key) VALUES (1, ?1) ON CONFLICT DO NOTHING", [&key.bytes()[..]])
            .map_err(failed)?;
        let stored: zeroize::Zeroizing<Vec<u8>> = conn
            .query_row("SELECT key FROM health_key", [], |row| row.get(0))
            .map(zeroize::Zeroizing::new)
            .map_err(failed)?;
        if HealthKey::from_bytes(&stored).as_ref() == Some(key) {
            Ok(())
        } else {
            Err(failed("this server already has another health key"))
        }
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

/// The Ambito's STP/ENI series, if set.
fn series_in(conn: &Connection) -> rusqlite::Result<Option<StpEniSeries>> {
    conn.query_row("SELECT region, asl FROM stp_eni_series", [], |row| {
        Ok(StpEniSeries { region: row.get(0)?, asl: row.get(1)? })
    })
    .optional()
}

/// The office `folder` belongs to; a folder not seen before becomes `claimant`'s.
fn folder_office(conn: &Connection, folder: Uuid, claimant: &str) -> rusqlite::Result<String> {
    conn.prepare_cached("INSERT INTO folder_offices (folder_id, office) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
        .execute(params![folder, claimant])?;
    conn.prepare_cached("SELECT office FROM folder_offices WHERE folder_id = ?1")?.query_row([folder], |row| row.get(0))
}

/// Whether a device other than `requester` wrote to `folder` up to the server position `upto`.
fn others_wrote(conn: &Connection, folder: Uuid, upto: u64, requester: Option<Uuid>) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM entries WHERE folder_id = ?1 AND server_seq <= ?2 AND device_id IS NOT ?3)",
    )?
    .query_row(params![folder, upto as i64, requester], |row| row.get(0))
}

/// What one run of stores (a push, a delivery of held entries) has learnt of its folders and
/// rows, from the database or from what it wrote itself: a person's nine fields are nine
/// entries of one row of one folder, each looked up once. Kept no longer than the run's
/// transaction, within which only the run writes.
#[derive(Default)]
struct Lookups {
    /// Whether the pushing office holds the folder (a folder not seen before became its own).
    office_holds: HashMap<Uuid, bool>,
    erased: HashMap<Uuid, bool>,
    /// The folder each row belongs to.
    row_folders: HashMap<(Entity, Uuid), Uuid>,
    restricted: HashMap<(Entity, Uuid), bool>,
}

impl Lookups {
    /// Whether `office`'s devices hold `folder`, which becomes the office's if not seen before.
    fn office_holds(&mut self, conn: &Connection, folder: Uuid, office: &str) -> rusqlite::Result<bool> {
        if let Some(holds) = self.office_holds.get(&folder) {
            return Ok(*holds);
        }
        let holds = folder_office(conn, folder, office)? == office || in_scope(conn, folder, office)?;
        self.office_holds.insert(folder, holds);
        Ok(holds)
    }

    fn erased(&mut self, conn: &Connection, folder: Uuid) -> rusqlite::Result<bool> {
        if let Some(erased) = self.erased.get(&folder) {
            return Ok(*erased);
        }
        let erased = conn.prepare_cached("SELECT 1 FROM erased_folders WHERE folder_id = ?1")?.exists([folder])?;
        self.erased.insert(folder, erased);
        Ok(erased)
    }
}

/// Stores one accepted entry. An erasure blanks every value its folder holds here; an entry
/// of an erased folder is stored with its value blanked (the personal data never stay).
fn store_entry(
    conn: &Connection,
    device: Uuid,
    seq: u64,
    readable: &Readable,
    lookups: &mut Lookups,
) -> rusqlite::Result<()> {
    let row = (readable.entity, readable.row_id);
    if readable.marks_health_restricted && lookups.restricted.get(&row) != Some(&true) {
        conn.prepare_cached("INSERT INTO restricted_rows (entity, row_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
            .execute(params![readable.entity.as_str(), readable.row_id])?;
        lookups.restricted.insert(row, true);
    }
    let erased = lookups.erased(conn, readable.folder_id)?;
    let blank = erased && !readable.erases_folder;
    conn.prepare_cached(
        "INSERT INTO entries (device_id, seq, body, folder_id)
         VALUES (?1, ?2, CASE WHEN ?5 THEN json_set(?3, '$.value', json('null')) ELSE ?3 END, ?4)",
    )?
    .execute(params![device, seq as i64, readable.body, readable.folder_id, blank])?;
    if let Some(sha256) = readable.names_scan.as_deref().filter(|_| !erased) {
        conn.prepare_cached("INSERT INTO scan_refs (sha256, folder_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
            .execute(params![sha256, readable.folder_id])?;
    }
    if readable.erases_folder && !erased {
        conn.prepare_cached("INSERT INTO erased_folders (folder_id) VALUES (?1)")?.execute([readable.folder_id])?;
        lookups.erased.insert(readable.folder_id, true);
        // Its scans go too, unless another folder names them.
        conn.prepare_cached("DELETE FROM scan_refs WHERE folder_id = ?1")?.execute([readable.folder_id])?;
        conn.execute_batch(
            "DELETE FROM scan_chunks WHERE sha256 NOT IN (SELECT sha256 FROM scan_refs);
             DELETE FROM scans WHERE sha256 NOT IN (SELECT sha256 FROM scan_refs);",
        )?;
        conn.prepare_cached(
            "UPDATE entries SET body = json_set(body, '$.value', json('null'))
             WHERE folder_id = ?1 AND json_extract(body, '$.field') != ?2",
        )?
        .execute(params![readable.folder_id, porta_wire::folder::ERASED])?;
    }
    Ok(())
}

/// Registers `readable`'s row in its folder and its operation id as stored; or says why it
/// cannot be: the row belongs to another folder, or the operation id is already stored.
/// Whether the row `readable` writes to is health-restricted content (an accepted entry once
/// marked it so).
fn restricted_row(conn: &Connection, readable: &Readable, lookups: &mut Lookups) -> rusqlite::Result<bool> {
    let row = (readable.entity, readable.row_id);
    if let Some(restricted) = lookups.restricted.get(&row) {
        return Ok(*restricted);
    }
    let restricted = conn
        .prepare_cached("SELECT 1 FROM restricted_rows WHERE entity = ?1 AND row_id = ?2")?
        .exists(params![readable.entity.as_str(), readable.row_id])?;
    lookups.restricted.insert(row, restricted);
    Ok(restricted)
}

fn claim(conn: &Connection, readable: &Readable, lookups: &mut Lookups) -> rusqlite::Result<Option<RejectionCode>> {
    let row = (readable.entity, readable.row_id);
    let folder = match lookups.row_folders.get(&row) {
        Some(folder) => *folder,
        None => {
            let entity = readable.entity.as_str();
            let new_row = conn
                .prepare_cached(
                    "INSERT INTO row_folders (entity, row_id, folder_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                )?
                .execute(params![entity, readable.row_id, readable.folder_id])?
                == 1;
            // A row seen before keeps the folder it was first seen in.
            let folder = if new_row {
                readable.folder_id
            } else {
                conn.prepare_cached("SELECT folder_id FROM row_folders WHERE entity = ?1 AND row_id = ?2")?
                    .query_row(params![entity, readable.row_id], |row| row.get(0))?
            };
            lookups.row_folders.insert(row, folder);
            folder
        }
    };
    if folder != readable.folder_id {
        return Ok(Some(RejectionCode::RowInOtherFolder));
    }
    let new_op = conn
        .prepare_cached("INSERT INTO entry_ops (op_id) VALUES (?1) ON CONFLICT DO NOTHING")?
        .execute([readable.op_id])?;
    Ok((new_op == 0).then_some(RejectionCode::DuplicateEntry))
}

fn code_name(code: RejectionCode) -> String {
    serde_json::to_value(code).expect("codes serialise").as_str().expect("a string").to_owned()
}

impl SyncStore for SqliteStore {
    fn push(&self, device: Uuid, office: &str, incoming: &[Incoming]) -> Result<Pushed, StorageError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        let mut acknowledged = acknowledged_in(&transaction, device).map_err(failed)?;
        let mut rejected = Vec::new();
        let mut lookups = Lookups::default();
        for (seq, entry) in incoming {
            if *seq <= acknowledged {
                continue;
            }
            if *seq != acknowledged + 1 {
                return Err(StorageError::SequenceGap { expected: acknowledged + 1 });
            }
            let in_scope = match entry {
                Ok(readable) => lookups.office_holds(&transaction, readable.folder_id, office).map_err(failed)?,
                Err(_) => true,
            };
            let refuse = |code| Err(Rejection { seq: *seq, code });
            let checked = match entry {
                Err(rejection) => Err(rejection.clone()),
                Ok(readable)
                    if !in_scope && held_before(&transaction, readable.folder_id, office).map_err(failed)? =>
                {
                    // Written while the office held the folder, arrived after: kept, not lost.
                    transaction
                        .prepare_cached(
                            "INSERT INTO held_entries (device_id, seq, folder_id, body) VALUES (?1, ?2, ?3, ?4)",
                        )
                        .and_then(|mut insert| {
                            insert.execute(params![device, *seq as i64, readable.folder_id, readable.body])
                        })
                        .map_err(failed)?;
                    refuse(RejectionCode::HeldForOwner)
                }
                Ok(_) if !in_scope => refuse(RejectionCode::OutOfScope),
                // A health-restricted row is written only by roles that may write such content.
                Ok(readable)
                    if !readable.writer_may_write_health
                        && restricted_row(&transaction, readable, &mut lookups).map_err(failed)? =>
                {
                    refuse(RejectionCode::NotPermitted)
                }
                Ok(readable) => match claim(&transaction, readable, &mut lookups).map_err(failed)? {
                    Some(code) => refuse(code),
                    None => Ok(readable),
                },
            };
            match checked {
                Ok(readable) => store_entry(&transaction, device, *seq, readable, &mut lookups).map_err(failed)?,
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

    fn pull(
        &self,
        cursor: u64,
        limit: usize,
        max_bytes: usize,
        office: &str,
        requester: Option<Uuid>,
    ) -> Result<Page, StorageError> {
        let conn = self.lock();
        let mut statement = conn
            .prepare_cached(
                "SELECT e.server_seq, e.body, e.device_id IS ?4 FROM entries e
                 JOIN folder_offices f ON f.folder_id = e.folder_id
                 WHERE e.server_seq > ?1
                 AND (f.office IN (?3, '*') OR EXISTS (SELECT 1 FROM folder_shares s WHERE s.folder_id = e.folder_id AND s.office = ?3))
                 ORDER BY e.server_seq LIMIT ?2",
            )
            .map_err(failed)?;
        let rows = statement
            .query_map(params![cursor as i64, (limit as i64).saturating_add(1), office, requester], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, bool>(2)?))
            })
            .map_err(failed)?;
        let head = conn
            .query_row("SELECT coalesce(max(server_seq), 0) FROM entries", [], |row| row.get::<_, i64>(0))
            .map_err(failed)? as u64;
        let mut page = Page { entries: Vec::new(), cursor, more: false, head };
        let mut bytes = 0;
        for (scanned, row) in rows.enumerate() {
            let (server_seq, body, own) = row.map_err(failed)?;
            if scanned == limit {
                page.more = true;
                break;
            }
            if own {
                // Not sent back, but passed: the next pull starts after it.
                page.cursor = server_seq as u64;
                continue;
            }
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

    fn set_up(&self, ambito: &Ambito) -> Result<(), StorageError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        transaction
            .execute(
                "INSERT INTO ambito (single, name) VALUES (1, ?1) ON CONFLICT (single) DO UPDATE SET name = excluded.name",
                [&ambito.name],
            )
            .map_err(failed)?;
        for office in &ambito.offices {
            transaction
                .execute(
                    "INSERT INTO offices (name, position) SELECT ?1, coalesce(max(position), 0) + 1 FROM offices WHERE true
                     ON CONFLICT (name) DO NOTHING",
                    [office],
                )
                .map_err(failed)?;
        }
        transaction.commit().map_err(failed)
    }

    fn ambito(&self) -> Result<Option<Ambito>, StorageError> {
        let conn = self.lock();
        let Some(name) =
            conn.query_row("SELECT name FROM ambito", [], |row| row.get::<_, String>(0)).optional().map_err(failed)?
        else {
            return Ok(None);
        };
        let mut statement = conn.prepare("SELECT name FROM offices ORDER BY position").map_err(failed)?;
        let offices = statement.query_map([], |row| row.get(0)).map_err(failed)?.collect::<Result<_, _>>();
        Ok(Some(Ambito { name, offices: offices.map_err(failed)? }))
    }

    fn scan_status(&self, office: &str, sha256: &str) -> Result<Option<ScanStatus>, StorageError> {
        let conn = self.lock();
        if !scan_is_the_offices(&conn, office, sha256).map_err(failed)? {
            return Ok(None);
        }
        scan_status_in(&conn, sha256).map(Some).map_err(failed)
    }

    fn put_scan_chunk(
        &self,
        device: Uuid,
        office: &str,
        sha256: &str,
        size: u64,
        index: u32,
        bytes: &[u8],
    ) -> Result<ScanStatus, ScanError> {
        if size > SCAN_MAX_BYTES {
            return Err(ScanError::TooLarge);
        }
        if !scan_chunk_fits(size, index, bytes.len()) {
            return Err(ScanError::Malformed);
        }
        let chunks = scan_chunks(size);
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        if !scan_is_the_offices(&transaction, office, sha256).map_err(failed)? {
            return Err(ScanError::NotTheOffices);
        }
        let known: Option<(i64, bool)> = transaction
            .query_row("SELECT size, complete FROM scans WHERE sha256 = ?1", [sha256], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
            .map_err(failed)?;
        match known {
            Some((_, true)) => return scan_status_in(&transaction, sha256).map_err(|error| failed(error).into()),
            Some((known, false)) if known as u64 != size => return Err(ScanError::Malformed),
            Some(_) => {}
            None => {
                let stored: i64 = transaction
                    .query_row("SELECT coalesce(sum(size), 0) FROM scans WHERE device_id = ?1", [device], |row| {
                        row.get(0)
                    })
                    .map_err(failed)?;
                if stored as u64 + size > SCAN_DEVICE_QUOTA_BYTES {
                    return Err(ScanError::QuotaReached);
                }
                transaction
                    .execute(
                        "INSERT INTO scans (sha256, size, device_id) VALUES (?1, ?2, ?3)",
                        params![sha256, size as i64, device],
                    )
                    .map_err(failed)?;
            }
        }
        transaction
            .execute(
                "INSERT INTO scan_chunks (sha256, idx, bytes) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                params![sha256, index, bytes],
            )
            .map_err(failed)?;
        let held: u32 = transaction
            .query_row("SELECT count(*) FROM scan_chunks WHERE sha256 = ?1", [sha256], |row| row.get(0))
            .map_err(failed)?;
        if held == chunks {
            let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
            let mut statement =
                transaction.prepare("SELECT bytes FROM scan_chunks WHERE sha256 = ?1 ORDER BY idx").map_err(failed)?;
            let mut rows = statement.query([sha256]).map_err(failed)?;
            while let Some(row) = rows.next().map_err(failed)? {
                digest.update(row.get_ref(0).map_err(failed)?.as_blob().map_err(failed)?);
            }
            drop(rows);
            drop(statement);
            if data_encoding::HEXLOWER.encode(digest.finish().as_ref()) != sha256 {
                transaction.execute("DELETE FROM scan_chunks WHERE sha256 = ?1", [sha256]).map_err(failed)?;
                transaction.execute("DELETE FROM scans WHERE sha256 = ?1", [sha256]).map_err(failed)?;
                transaction.commit().map_err(failed)?;
                return Err(ScanError::Damaged);
            }
            transaction.execute("UPDATE scans SET complete = 1 WHERE sha256 = ?1", [sha256]).map_err(failed)?;
        }
        let status = scan_status_in(&transaction, sha256).map_err(failed)?;
        transaction.commit().map_err(failed)?;
        Ok(status)
    }

    fn scan_chunk(&self, office: &str, sha256: &str, index: u32) -> Result<Option<Vec<u8>>, StorageError> {
        let conn = self.lock();
        if !scan_is_the_offices(&conn, office, sha256).map_err(failed)? {
            return Ok(None);
        }
        conn.query_row(
            "SELECT c.bytes FROM scan_chunks c JOIN scans s ON s.sha256 = c.sha256
             WHERE c.sha256 = ?1 AND c.idx = ?2 AND s.complete = 1",
            params![sha256, index],
            |row| row.get(0),
        )
        .optional()
        .map_err(failed)
    }

    fn health_key(&self, random: &dyn ring::rand::SecureRandom) -> Result<HealthKey, StorageError> {
        let conn = self.lock();
        let fresh = HealthKey::generate(random);
        conn.execute(
            "INSERT INTO health_key (single, key) VALUES (1, ?1) ON CONFLICT DO NOTHING",
            [&fresh.bytes()[..]],
        )
        .map_err(failed)?;
        let stored: zeroize::Zeroizing<Vec<u8>> = conn
            .query_row("SELECT key FROM health_key", [], |row| row.get(0))
            .map(zeroize::Zeroizing::new)
            .map_err(failed)?;
        HealthKey::from_bytes(&stored).ok_or_else(|| failed("the health key is damaged"))
    }

    fn set_stp_eni_series(&self, series: &StpEniSeries, continue_after: Option<u32>) -> Result<(), StorageError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        transaction
            .execute(
                "INSERT INTO stp_eni_series (single, region, asl) VALUES (1, ?1, ?2)
                 ON CONFLICT (single) DO UPDATE SET region = excluded.region, asl = excluded.asl",
                params![series.region, series.asl],
            )
            .map_err(failed)?;
        if let Some(after) = continue_after {
            for kind in StpEniKind::ALL {
                transaction
                    .execute(
                        "INSERT INTO stp_eni_counters (kind, region, asl, next) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT DO UPDATE SET next = max(next, excluded.next)",
                        params![kind.as_str(), series.region, series.asl, i64::from(after) + 1],
                    )
                    .map_err(failed)?;
            }
        }
        transaction.commit().map_err(failed)
    }

    fn stp_eni_series(&self) -> Result<Option<StpEniSeries>, StorageError> {
        series_in(&self.lock()).map_err(failed)
    }

    fn reserve_stp_eni_numbers(
        &self,
        kind: StpEniKind,
        device: Uuid,
        count: u32,
        now_ms: u64,
    ) -> Result<StpEniBlock, ReserveError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        let series = series_in(&transaction).map_err(failed)?.ok_or(ReserveError::NotConfigured)?;
        let next: i64 = transaction
            .query_row(
                "SELECT next FROM stp_eni_counters WHERE kind = ?1 AND region = ?2 AND asl = ?3",
                params![kind.as_str(), series.region, series.asl],
                |row| row.get(0),
            )
            .optional()
            .map_err(failed)?
            .unwrap_or(1);
        if next > i64::from(MAX_PROGRESSIVE) || count == 0 {
            return Err(ReserveError::Exhausted);
        }
        let since = now_ms.saturating_sub(STP_ENI_QUOTA_DAYS * 24 * 60 * 60 * 1000);
        let received: i64 = transaction
            .query_row(
                "SELECT coalesce(sum(last - first + 1), 0) FROM stp_eni_blocks
                 WHERE device_id = ?1 AND kind = ?2 AND reserved_ms > ?3",
                params![device, kind.as_str(), since as i64],
                |row| row.get(0),
            )
            .map_err(failed)?;
        if received + i64::from(count) > i64::from(STP_ENI_DEVICE_QUOTA) {
            return Err(ReserveError::QuotaReached);
        }
        let last = (next + i64::from(count) - 1).min(i64::from(MAX_PROGRESSIVE));
        transaction
            .execute(
                "INSERT INTO stp_eni_counters (kind, region, asl, next) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO UPDATE SET next = excluded.next",
                params![kind.as_str(), series.region, series.asl, last + 1],
            )
            .map_err(failed)?;
        transaction
            .execute(
                "INSERT INTO stp_eni_blocks (kind, region, asl, first, last, device_id, reserved_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![kind.as_str(), series.region, series.asl, next, last, device, now_ms as i64],
            )
            .map_err(failed)?;
        transaction.commit().map_err(failed)?;
        Ok(StpEniBlock { kind, region: series.region, asl: series.asl, first: next as u32, last: last as u32 })
    }

    fn add_enrollment(&self, enrollment: &NewEnrollment) -> Result<(), StorageError> {
        self.lock()
            .execute(
                "INSERT INTO enrollment_codes (code_hash, device_name, office, expires_ms) VALUES (?1, ?2, ?3, ?4)",
                params![
                    enrollment.code_hash.as_slice(),
                    enrollment.device_name,
                    enrollment.office,
                    enrollment.expires_ms as i64
                ],
            )
            .map(|_| ())
            .map_err(failed)
    }

    fn enroll(
        &self,
        code_hash: &[u8; 32],
        device: Uuid,
        public_key: &[u8],
        enroller: &str,
        now_ms: u64,
    ) -> Result<Device, EnrollmentError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        let code: Option<(String, String, i64)> = transaction
            .query_row(
                "DELETE FROM enrollment_codes WHERE code_hash = ?1 RETURNING device_name, office, expires_ms",
                [code_hash.as_slice()],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(failed)?;
        let Some((name, office, expires_ms)) = code else { return Err(EnrollmentError::UnknownCode) };
        if now_ms > expires_ms as u64 {
            // The expired code is spent all the same.
            transaction.commit().map_err(failed)?;
            return Err(EnrollmentError::Expired);
        }
        let known = transaction
            .prepare_cached("SELECT 1 FROM enrolled_devices WHERE device_id = ?1")
            .and_then(|mut statement| statement.exists([device]))
            .map_err(failed)?;
        if known {
            return Err(EnrollmentError::AlreadyEnrolled);
        }
        let administrator = transaction
            .prepare_cached("SELECT 1 FROM operators WHERE login = ?1 AND office = ?2 AND role = ?3 AND disabled = 0")
            .and_then(|mut statement| statement.exists(params![enroller, office, Role::Administrator.as_str()]))
            .map_err(failed)?;
        if !administrator {
            // Not committed: the code stays valid for when the account exists.
            return Err(EnrollmentError::NotAnAdministrator { office });
        }
        transaction
            .execute(
                "INSERT INTO enrolled_devices (device_id, name, office, public_key, status, enrolled_ms)
                 VALUES (?1, ?2, ?3, ?4, 'active', ?5)",
                params![device, name, office, public_key, now_ms as i64],
            )
            .map_err(failed)?;
        transaction.commit().map_err(failed)?;
        let enrolled = Device {
            id: device,
            name,
            office,
            public_key: public_key.to_vec(),
            status: DeviceStatus::Active,
            enrolled_ms: now_ms,
        };
        Ok(enrolled)
    }

    fn device(&self, id: Uuid) -> Result<Option<Device>, StorageError> {
        let conn = self.lock();
        let mut statement = conn.prepare_cached(&format!("{DEVICE_COLUMNS} WHERE device_id = ?1")).map_err(failed)?;
        statement.query_row([id], read_device).optional().map_err(failed)
    }

    fn devices(&self) -> Result<Vec<Device>, StorageError> {
        let conn = self.lock();
        let mut statement = conn.prepare(&format!("{DEVICE_COLUMNS} ORDER BY enrolled_ms, name")).map_err(failed)?;
        let devices = statement.query_map([], read_device).map_err(failed)?.collect::<Result<_, _>>();
        devices.map_err(failed)
    }

    fn set_status(&self, id: Uuid, status: DeviceStatus) -> Result<bool, StorageError> {
        let changed = self
            .lock()
            .execute("UPDATE enrolled_devices SET status = ?2 WHERE device_id = ?1", params![id, status.as_str()])
            .map_err(failed)?;
        Ok(changed == 1)
    }

    fn forget_device(&self, id: Uuid) -> Result<bool, StorageError> {
        let forgotten =
            self.lock().execute("DELETE FROM enrolled_devices WHERE device_id = ?1", [id]).map_err(failed)?;
        Ok(forgotten == 1)
    }

    fn add_operator(&self, operator: &OperatorRecord) -> Result<(), OperatorError> {
        let conn = self.lock();
        let office_known = conn
            .query_row("SELECT 1 FROM offices WHERE name = ?1", [&operator.office], |_| Ok(()))
            .optional()
            .map_err(failed)?
            .is_some();
        if !office_known {
            return Err(OperatorError::UnknownOffice);
        }
        let activation = operator.activation.as_ref().map(activation_json);
        let inserted = conn
            .execute(
                "INSERT INTO operators (id, login, display_name, role, office, disabled, activation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                params![
                    operator.id,
                    operator.login,
                    operator.display_name,
                    operator.role.as_str(),
                    operator.office,
                    operator.disabled,
                    activation,
                ],
            )
            .map_err(failed)?;
        if inserted == 0 {
            return Err(OperatorError::LoginTaken);
        }
        Ok(())
    }

    fn change_operator(&self, login: &str, change: &OperatorChange) -> Result<bool, StorageError> {
        let conn = self.lock();
        let changed = match change {
            OperatorChange::Role(role) => {
                conn.execute("UPDATE operators SET role = ?2 WHERE login = ?1", params![login, role.as_str()])
            }
            OperatorChange::Disabled(disabled) => {
                conn.execute("UPDATE operators SET disabled = ?2 WHERE login = ?1", params![login, disabled])
            }
            OperatorChange::Activation(activation) => conn.execute(
                "UPDATE operators SET activation = ?2 WHERE login = ?1",
                params![login, activation_json(activation)],
            ),
        }
        .map_err(failed)?;
        Ok(changed == 1)
    }

    fn operators(&self, office: Option<&str>) -> Result<Vec<OperatorRecord>, StorageError> {
        let conn = self.lock();
        let mut statement = conn
            .prepare_cached(
                "SELECT id, login, display_name, role, office, disabled, activation
                 FROM operators WHERE ?1 IS NULL OR office = ?1 ORDER BY login",
            )
            .map_err(failed)?;
        let operators = statement.query_map([office], read_operator).and_then(|rows| rows.collect());
        operators.map_err(failed)
    }

    fn push_audit(&self, device: Uuid, office: &str, lines: &[AuditLine]) -> Result<AuditStored, AuditError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        let mut highest: u64 = transaction
            .query_row(
                "SELECT max((SELECT coalesce(max(seq), 0) FROM audit_lines WHERE device_id = ?1),
                            (SELECT coalesce(max(seq), 0) FROM audit_refusals WHERE device_id = ?1))",
                [device],
                |row| row.get::<_, i64>(0),
            )
            .map_err(failed)? as u64;
        let mut refused = Vec::new();
        for line in lines {
            if line.seq <= highest {
                continue;
            }
            if line.seq != highest + 1 {
                return Err(AuditError::Gap { expected: highest + 1 });
            }
            if !ever_held(&transaction, line.folder_id, office).map_err(failed)? {
                refused.push(Rejection { seq: line.seq, code: RejectionCode::OutOfScope });
                transaction
                    .prepare_cached("INSERT INTO audit_refusals (device_id, seq) VALUES (?1, ?2)")
                    .and_then(|mut insert| insert.execute(params![device, line.seq as i64]))
                    .map_err(failed)?;
                highest = line.seq;
                continue;
            }
            transaction
                .prepare_cached(
                    "INSERT INTO audit_lines (device_id, seq, at_ms, operator_id, action, folder_id, section, health_restricted)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .and_then(|mut insert| {
                    insert.execute(params![
                        device,
                        line.seq as i64,
                        line.at_ms as i64,
                        line.operator_id,
                        line.action.as_str(),
                        line.folder_id,
                        line.section,
                        line.health_restricted,
                    ])
                })
                .map_err(failed)?;
            highest = line.seq;
        }
        transaction.commit().map_err(failed)?;
        Ok(AuditStored { acknowledged: highest, refused })
    }

    fn held_entries(&self) -> Result<Vec<HeldEntries>, StorageError> {
        let conn = self.lock();
        let mut statement = conn
            .prepare(
                "SELECT h.folder_id, f.office, h.device_id, count(*) FROM held_entries h
                 JOIN folder_offices f ON f.folder_id = h.folder_id
                 GROUP BY h.folder_id, h.device_id ORDER BY h.folder_id, h.device_id",
            )
            .map_err(failed)?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, Uuid>(0)?, row.get::<_, String>(1)?, row.get(2)?, row.get::<_, i64>(3)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(failed)?;
        let mut held: Vec<HeldEntries> = Vec::new();
        for (folder_id, owner, device, count) in rows {
            match held.last_mut() {
                Some(last) if last.folder_id == folder_id => last.devices.push((device, count as u64)),
                _ => held.push(HeldEntries { folder_id, owner, devices: vec![(device, count as u64)] }),
            }
        }
        Ok(held)
    }

    fn deliver_held(&self, folder: Uuid) -> Result<u64, StorageError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        let held: Vec<(Uuid, i64, String)> = transaction
            .prepare("SELECT device_id, seq, body FROM held_entries WHERE folder_id = ?1 ORDER BY device_id, seq")
            .and_then(|mut statement| {
                statement.query_map([folder], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?.collect()
            })
            .map_err(failed)?;
        let mut delivered = 0;
        let mut lookups = Lookups::default();
        for (device, seq, body) in held {
            let entry: ChangeEntry =
                serde_json::from_str(&body).map_err(|error| StorageError::Failed(error.to_string()))?;
            let readable = Readable::new(body, &entry);
            if claim(&transaction, &readable, &mut lookups).map_err(failed)?.is_none() {
                store_entry(&transaction, device, seq as u64, &readable, &mut lookups).map_err(failed)?;
                delivered += 1;
            }
        }
        transaction.execute("DELETE FROM held_entries WHERE folder_id = ?1", [folder]).map_err(failed)?;
        transaction.commit().map_err(failed)?;
        Ok(delivered)
    }

    fn folder_audit(&self, folder: Uuid) -> Result<Vec<(Uuid, AuditLine)>, StorageError> {
        let conn = self.lock();
        let mut statement = conn
            .prepare_cached(
                "SELECT device_id, seq, at_ms, operator_id, action, folder_id, section, health_restricted
                 FROM audit_lines WHERE folder_id = ?1 ORDER BY at_ms, device_id, seq",
            )
            .map_err(failed)?;
        let lines = statement.query_map([folder], read_audit_line).and_then(|rows| rows.collect());
        lines.map_err(failed)
    }

    fn share_folder(&self, folder: Uuid, office: &str) -> Result<bool, ScopeError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        let owner = owner_and_office(&transaction, folder, office)?;
        if owner == office {
            return Ok(false);
        }
        let added = transaction
            .execute(
                "INSERT INTO folder_shares (folder_id, office) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![folder, office],
            )
            .map_err(failed)?;
        if added == 1 {
            record_scope_event(&transaction, office, folder, true).map_err(failed)?;
        }
        transaction.commit().map_err(failed)?;
        Ok(added == 1)
    }

    fn unshare_folder(&self, folder: Uuid, office: &str) -> Result<bool, ScopeError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        owner_and_office(&transaction, folder, office)?;
        let removed = transaction
            .execute("DELETE FROM folder_shares WHERE folder_id = ?1 AND office = ?2", params![folder, office])
            .map_err(failed)?;
        if removed == 1 {
            record_scope_event(&transaction, office, folder, false).map_err(failed)?;
        }
        transaction.commit().map_err(failed)?;
        Ok(removed == 1)
    }

    fn move_folder(&self, folder: Uuid, office: &str) -> Result<bool, ScopeError> {
        let mut conn = self.lock();
        let transaction = conn.transaction().map_err(failed)?;
        let owner = owner_and_office(&transaction, folder, office)?;
        if owner == office {
            return Ok(false);
        }
        transaction
            .execute("UPDATE folder_offices SET office = ?2 WHERE folder_id = ?1", params![folder, office])
            .map_err(failed)?;
        let was_shared = transaction
            .execute("DELETE FROM folder_shares WHERE folder_id = ?1 AND office = ?2", params![folder, office])
            .map_err(failed)?
            == 1;
        if !was_shared {
            record_scope_event(&transaction, office, folder, true).map_err(failed)?;
        }
        record_scope_event(&transaction, &owner, folder, false).map_err(failed)?;
        transaction.commit().map_err(failed)?;
        Ok(true)
    }

    fn folder_scope(&self, folder: Uuid) -> Result<Option<FolderScope>, StorageError> {
        let conn = self.lock();
        let owner: Option<String> = conn
            .query_row("SELECT office FROM folder_offices WHERE folder_id = ?1", [folder], |row| row.get(0))
            .optional()
            .map_err(failed)?;
        let Some(owner) = owner else { return Ok(None) };
        let mut statement = conn
            .prepare_cached("SELECT office FROM folder_shares WHERE folder_id = ?1 ORDER BY office")
            .map_err(failed)?;
        let shared_with =
            statement.query_map([folder], |row| row.get(0)).and_then(|rows| rows.collect()).map_err(failed)?;
        Ok(Some(FolderScope { owner, shared_with }))
    }

    fn scope_events(&self, office: &str, cursor: u64, limit: usize) -> Result<Vec<(u64, ScopeEvent)>, StorageError> {
        let conn = self.lock();
        let mut statement = conn
            .prepare_cached(
                "SELECT id, folder_id, in_scope FROM scope_events WHERE office = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
            )
            .map_err(failed)?;
        let rows: Vec<(i64, Uuid, bool)> = statement
            .query_map(params![office, cursor as i64, limit as i64], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .and_then(|rows| rows.collect())
            .map_err(failed)?;
        Ok(rows.into_iter().map(|(id, folder_id, in_scope)| (id as u64, ScopeEvent { folder_id, in_scope })).collect())
    }

    fn folder_entries(
        &self,
        folder: Uuid,
        after: u64,
        upto: u64,
        limit: usize,
        max_bytes: usize,
    ) -> Result<Page, StorageError> {
        let conn = self.lock();
        let mut statement = conn
            .prepare_cached(
                "SELECT server_seq, body FROM entries WHERE folder_id = ?1 AND server_seq > ?2 AND server_seq <= ?3
                 ORDER BY server_seq LIMIT ?4",
            )
            .map_err(failed)?;
        let rows: Vec<(i64, String)> = statement
            .query_map(params![folder, after as i64, upto as i64, (limit as i64).saturating_add(1)], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(failed)?;
        let mut page = Page { entries: Vec::new(), cursor: after, more: rows.len() > limit, head: 0 };
        let mut bytes = 0;
        for (server_seq, body) in rows.into_iter().take(limit) {
            if bytes + body.len() > max_bytes && !page.entries.is_empty() {
                page.more = true;
                break;
            }
            bytes += body.len();
            page.entries.push(serde_json::from_str::<ChangeEntry>(&body).map_err(failed)?);
            page.cursor = server_seq as u64;
        }
        Ok(page)
    }

    fn compact_history(&self, before_ms: u64) -> Result<u64, StorageError> {
        // The folders where a write replaced another before the retention's start.
        let folders: Vec<Uuid> = self
            .lock()
            .prepare(
                "SELECT DISTINCT folder_id FROM entries
                 WHERE (json_extract(body, '$.base') IS NOT NULL OR json_extract(body, '$.saw') IS NOT NULL)
                 AND substr(json_extract(body, '$.hlc'), 1, 13) < printf('%013d', ?1)",
            )
            .and_then(|mut statement| {
                statement.query_map([before_ms.min(i64::MAX as u64) as i64], |row| row.get(0))?.collect()
            })
            .map_err(failed)?;
        let mut forgotten = 0;
        // A hundred folders per transaction: devices' pushes and pulls go on in between.
        for batch in folders.chunks(100) {
            let mut conn = self.lock();
            let transaction = conn.transaction().map_err(failed)?;
            for folder in batch {
                let stored: Vec<(i64, String)> = transaction
                    .prepare_cached("SELECT server_seq, body FROM entries WHERE folder_id = ?1 ORDER BY server_seq")
                    .and_then(|mut statement| {
                        statement.query_map([folder], |row| Ok((row.get(0)?, row.get(1)?)))?.collect()
                    })
                    .map_err(failed)?;
                let entries = stored
                    .iter()
                    .map(|(_, body)| serde_json::from_str::<ChangeEntry>(body).map_err(failed))
                    .collect::<Result<Vec<_>, _>>()?;
                let forget = porta_wire::snapshot::forgettable(&entries, before_ms);
                for ((server_seq, _), entry) in stored.iter().zip(&entries) {
                    if forget.contains(&entry.op_id) {
                        forgotten += transaction
                            .prepare_cached("DELETE FROM entries WHERE server_seq = ?1")
                            .and_then(|mut statement| statement.execute([server_seq]))
                            .map_err(failed)? as u64;
                    }
                }
            }
            transaction.commit().map_err(failed)?;
        }
        Ok(forgotten)
    }

    fn snapshot(
        &self,
        office: &str,
        requester: Option<Uuid>,
        after: Option<Uuid>,
        upto: u64,
        limit: usize,
        max_bytes: usize,
    ) -> Result<porta_wire::protocol::SnapshotResponse, StorageError> {
        let conn = self.lock();
        let upto = match upto {
            0 => conn
                .query_row("SELECT coalesce(max(server_seq), 0) FROM entries", [], |row| row.get::<_, i64>(0))
                .map_err(failed)? as u64,
            upto => upto,
        };
        const HELD: &str = "WITH held (folder_id) AS (
                SELECT folder_id FROM folder_offices WHERE office IN (?1, '*')
                UNION SELECT folder_id FROM folder_shares WHERE office = ?1)";
        let count_after = |after: Option<Uuid>| {
            conn.prepare_cached(&format!("{HELD} SELECT count(*) FROM held WHERE ?2 IS NULL OR folder_id > ?2"))?
                .query_row(params![office, after], |row| row.get::<_, i64>(0))
                .map(|count| count as u64)
        };
        let mut folders = conn
            .prepare_cached(&format!(
                "{HELD} SELECT folder_id FROM held WHERE ?2 IS NULL OR folder_id > ?2 ORDER BY folder_id"
            ))
            .map_err(failed)?;
        let mut folders = folders.query(params![office, after]).map_err(failed)?;
        let mut of_folder = conn
            .prepare_cached("SELECT body FROM entries WHERE folder_id = ?1 AND server_seq <= ?2 ORDER BY server_seq")
            .map_err(failed)?;
        let mut page = porta_wire::protocol::SnapshotResponse {
            entries: Vec::new(),
            upto,
            last_folder: None,
            more: false,
            folders_done: 0,
            folders_total: 0,
        };
        let mut bytes = 0;
        // A new device, the usual asker, has nothing of its own here.
        let wrote_before = match requester {
            Some(device) => acknowledged_in(&conn, device).map_err(failed)? > 0,
            None => false,
        };
        while let Some(row) = folders.next().map_err(failed)? {
            let folder: Uuid = row.get(0).map_err(failed)?;
            if page.last_folder.is_some() && (bytes >= max_bytes || page.entries.len() >= limit) {
                page.more = true;
                break;
            }
            page.last_folder = Some(folder);
            if wrote_before && !others_wrote(&conn, folder, upto, requester).map_err(failed)? {
                // All of it the requester's own: nothing to choose from, nothing to send.
                continue;
            }
            let mut entries = Vec::new();
            let mut bodies = of_folder.query(params![folder, upto as i64]).map_err(failed)?;
            while let Some(body) = bodies.next().map_err(failed)? {
                let body = body.get_ref(0).map_err(failed)?.as_str().map_err(failed)?;
                bytes += body.len();
                entries.push(serde_json::from_str::<ChangeEntry>(body).map_err(failed)?);
            }
            // Chosen among every entry of the folder, the requester's too: theirs may be what
            // replaced another device's.
            let needed = porta_wire::snapshot::needed(entries).into_iter();
            page.entries.extend(needed.filter(|entry| Some(entry.device_id) != requester));
        }
        page.folders_total = count_after(None).map_err(failed)?;
        page.folders_done = page.folders_total - count_after(page.last_folder).map_err(failed)?;
        Ok(page)
    }

    fn first_use_of_nonce(
        &self,
        device: Uuid,
        nonce: &str,
        at_ms: u64,
        forget_before_ms: u64,
    ) -> Result<bool, StorageError> {
        let conn = self.lock();
        conn.prepare_cached("DELETE FROM nonces WHERE at_ms < ?1")
            .and_then(|mut statement| statement.execute([forget_before_ms as i64]))
            .map_err(failed)?;
        let inserted = conn
            .prepare_cached("INSERT INTO nonces (device_id, nonce, at_ms) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
            .and_then(|mut statement| statement.execute(params![device, nonce, at_ms as i64]))
            .map_err(failed)?;
        Ok(inserted == 1)
    }
}

const DEVICE_COLUMNS: &str = "SELECT device_id, name, office, public_key, status, enrolled_ms FROM enrolled_devices";

/// Whether an attachment of a folder `office` holds names the scan `sha256`.
fn scan_is_the_offices(conn: &Connection, office: &str, sha256: &str) -> rusqlite::Result<bool> {
    let folders: Vec<Uuid> = conn
        .prepare_cached("SELECT folder_id FROM scan_refs WHERE sha256 = ?1")?
        .query_map([sha256], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for folder in folders {
        if in_scope(conn, folder, office)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn scan_status_in(conn: &Connection, sha256: &str) -> rusqlite::Result<ScanStatus> {
    let known: Option<(i64, bool)> = conn
        .query_row("SELECT size, complete FROM scans WHERE sha256 = ?1", [sha256], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let chunks = conn
        .prepare_cached("SELECT idx FROM scan_chunks WHERE sha256 = ?1 ORDER BY idx")?
        .query_map([sha256], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let (size, complete) = known.unwrap_or((0, false));
    Ok(ScanStatus { size: size as u64, complete, chunks })
}

fn read_device(row: &rusqlite::Row<'_>) -> rusqlite::Result<Device> {
    let status: String = row.get(4)?;
    Ok(Device {
        id: row.get(0)?,
        name: row.get(1)?,
        office: row.get(2)?,
        public_key: row.get(3)?,
        status: DeviceStatus::from_stored(&status)
            .ok_or_else(|| rusqlite::Error::InvalidColumnType(4, "status".into(), rusqlite::types::Type::Text))?,
        enrolled_ms: row.get::<_, i64>(5)? as u64,
    })
}
