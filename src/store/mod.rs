//! The encrypted case-folder store: one SQLCipher database and its key file per device.
//!
//! [`Store::set_up`] creates both at first run; [`Store::unlock`] opens them with an
//! operator's passphrase, [`Store::reset_passphrase`] with the recovery key. Dropping or
//! [`Store::lock`]ing a store closes the database and zeroes the key.

mod audit;
pub mod change_log;
pub mod conflicts;
mod folders;
mod health_codes;
mod merges;
mod migrations;
mod operator_accounts;
mod person_documents;
mod replication;
mod scope;
mod search;
mod status;
mod sync_state;

use std::fmt;

use ring::rand::SecureRandom;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

pub use crate::folder::Folder;
pub use audit::AuditEntry;
pub use health_codes::{REFILL_BELOW, REFILL_COUNT};
pub use merges::{DuplicateReason, PossibleDuplicate};
pub use migrations::{MigrationError, SCHEMA_VERSION};
pub use operator_accounts::CurrentOperator;
pub use person_documents::{FolderDocument, PrintedDocument, receipt_reference};
pub use porta_wire::audit::AuditAction;
pub use porta_wire::role::{Permission, Role};
pub use search::PersonHit;
pub use status::{DatabaseStatus, database_status};
pub use sync_state::{Enrollment, SyncProgress};

use crate::clock::Clock;
use crate::error::{Explanation, MessageArg};
use crate::folder::Invalid;
use crate::folder::attachment::AttachmentRefused;
use crate::hlc::HlcClock;
use crate::ids::IdSource;
use crate::keys::{DatabaseKey, KeyFile, KeyFileError, Passphrase, RecoveryKey};
use crate::rules::eligibility::HealthCodeRefusal;
use crate::seeded::SeededRandom;
use crate::{DataDir, ErrorCode, UserFacingError};

/// What first run asks for: this device and its first administrator.
#[derive(Debug)]
pub struct FirstRun {
    /// A name for this computer, e.g. "Portatile mediazione 2".
    pub device_name: String,
    /// The office it belongs to.
    pub office: String,
    /// The administrator's login on the unlock screen.
    pub admin_login: String,
    /// The administrator's full name.
    pub admin_name: String,
    /// The administrator's passphrase.
    pub admin_passphrase: Passphrase,
}

/// An operator of this device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: Role,
}

/// Why the store could not be set up, opened or changed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// First run was asked for, but a database or key file is already there.
    #[error("this device is already set up")]
    AlreadySetUp,
    /// Unlock was asked for, but there is no database yet.
    #[error("this device is not set up")]
    NotSetUp,
    /// The key file refused (wrong passphrase, lockout, damage…).
    #[error(transparent)]
    Key(#[from] KeyFileError),
    /// The operator has no permission for this.
    #[error("operation not permitted for this role")]
    NotPermitted,
    /// A required value is empty; `field` is the Fluent id of its label.
    #[error("missing {field}")]
    MissingValue { field: &'static str },
    /// Another operator of this device already has this login.
    #[error("login already in use")]
    LoginTaken,
    /// A value typed into a folder is not valid.
    #[error(transparent)]
    Invalid(Invalid),
    /// No such folder or row (or it was deleted).
    #[error("not found")]
    NotFound,
    /// Another folder already has this codice fiscale.
    #[error("codice fiscale already in another folder")]
    DuplicateCodiceFiscale,
    /// A resolution that does not fit the conflict (keeping a value of a deletion conflict,
    /// or restoring a field conflict).
    #[error("this resolution does not fit this conflict")]
    WrongResolution,
    /// A folder cannot be merged into itself (or into a folder already merged into it).
    #[error("the same folder twice")]
    SameFolder,
    /// The folder to merge is already merged into another one.
    #[error("folder already merged")]
    AlreadyMerged,
    /// Undoing a merge of a folder that is not merged.
    #[error("folder not merged")]
    NotMerged,
    /// Entries stamped too far ahead of this device's clock (one of the two clocks is wrong).
    #[error(transparent)]
    ClockDrift(crate::hlc::ClockDrift),
    /// A file that cannot be attached.
    #[error(transparent)]
    Attachment(AttachmentRefused),
    /// The person may not get this STP or ENI code now, and why.
    #[error(transparent)]
    HealthCodeRefused(crate::rules::eligibility::HealthCodeRefusal),
    /// This device has no reserved STP or ENI number left.
    #[error("no {kind:?} numbers left on this device")]
    NoHealthCodeNumbers { kind: crate::rules::stp_eni::HealthCodeKind },
    /// The server sent a block of numbers that cannot be right.
    #[error("malformed block of STP/ENI numbers")]
    MalformedHealthCodeBlock,
    /// A person-facing document that cannot be printed.
    #[error(transparent)]
    Document(crate::documents::DocumentError),
    /// The database could not be opened, migrated or written.
    #[error("database")]
    Database(#[source] DatabaseFailure),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Database(DatabaseFailure::Sqlite(error))
    }
}

impl From<MigrationError> for StoreError {
    fn from(error: MigrationError) -> Self {
        StoreError::Database(DatabaseFailure::Migration(error))
    }
}

/// The underlying database failure, kept for logs (it never contains personal data).
#[derive(Debug, thiserror::Error)]
pub enum DatabaseFailure {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Migration(#[from] MigrationError),
}

impl UserFacingError for StoreError {
    fn explain(&self) -> Explanation {
        let (code, message_id) = match self {
            StoreError::AlreadySetUp => (ErrorCode::AlreadySetUp, "error-already-set-up"),
            StoreError::NotSetUp => (ErrorCode::NotSetUp, "error-not-set-up"),
            StoreError::Key(error) => return error.explain(),
            StoreError::NotPermitted => (ErrorCode::NotPermitted, "error-not-permitted"),
            StoreError::MissingValue { field } => {
                return Explanation::new(ErrorCode::InvalidInput, "error-missing-value")
                    .with("field", MessageArg::Message(field));
            }
            StoreError::LoginTaken => (ErrorCode::InvalidInput, "error-login-taken"),
            StoreError::Invalid(invalid) => {
                return Explanation::new(ErrorCode::InvalidInput, invalid.problem.message_id())
                    .with("field", MessageArg::Message(invalid.field));
            }
            StoreError::NotFound => (ErrorCode::NotFound, "error-folder-not-found"),
            StoreError::DuplicateCodiceFiscale => (ErrorCode::DuplicateCodiceFiscale, "error-duplicate-codice-fiscale"),
            StoreError::WrongResolution => (ErrorCode::InvalidInput, "error-wrong-resolution"),
            StoreError::SameFolder => (ErrorCode::MergeRefused, "error-merge-same-folder"),
            StoreError::AlreadyMerged => (ErrorCode::MergeRefused, "error-merge-already-merged"),
            StoreError::NotMerged => (ErrorCode::MergeRefused, "error-merge-not-merged"),
            StoreError::ClockDrift(drift) => {
                return Explanation::new(ErrorCode::ClockDrift, "error-clock-drift")
                    .with("minutes", (drift.ahead_ms / 60_000).to_string());
            }
            StoreError::Attachment(AttachmentRefused::Empty) => {
                (ErrorCode::AttachmentRefused, "error-attachment-empty")
            }
            StoreError::Attachment(AttachmentRefused::TooLarge { limit_bytes }) => {
                return Explanation::new(ErrorCode::AttachmentRefused, "error-attachment-too-large")
                    .with("megabytes", (limit_bytes / 1_000_000).to_string());
            }
            StoreError::Attachment(AttachmentRefused::UnsupportedType) => {
                (ErrorCode::AttachmentRefused, "error-attachment-type")
            }
            StoreError::Document(error) => return error.explain(),
            StoreError::HealthCodeRefused(refusal) => match refusal {
                HealthCodeRefusal::HoldsResidencePermit => (ErrorCode::HealthCodeRefused, "error-stp-permit-holder"),
                HealthCodeRefusal::EuCitizen => (ErrorCode::HealthCodeRefused, "error-stp-eu-citizen"),
                HealthCodeRefusal::NotEuCitizen => (ErrorCode::HealthCodeRefused, "error-eni-not-eu-citizen"),
                HealthCodeRefusal::StillValid { until } => {
                    return Explanation::new(ErrorCode::HealthCodeRefused, "error-health-code-still-valid")
                        .with("until", until.strftime("%d/%m/%Y").to_string());
                }
            },
            StoreError::NoHealthCodeNumbers { kind } => {
                return Explanation::new(ErrorCode::NoHealthCodeNumbers, "error-no-health-code-numbers")
                    .with("kind", kind.prefix().to_owned());
            }
            StoreError::MalformedHealthCodeBlock => (ErrorCode::UnexpectedAnswer, "error-unexpected-answer"),
            StoreError::Database(_) => (ErrorCode::DatabaseUnusable, "error-database-unusable"),
        };
        Explanation::new(code, message_id)
    }
}

/// An unlocked store: the open database, its key, and who unlocked it.
pub struct Store {
    conn: Connection,
    key: DatabaseKey,
    data_dir: DataDir,
    operator: Operator,
    device_id: Uuid,
    hlc: HlcClock,
    ids: IdSource,
    /// This device's last change-log sequence number, once read; forgotten when a write or
    /// a transaction fails, so it is always what the database holds.
    last_seq: Option<u64>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("data_dir", &self.data_dir).field("operator", &self.operator.id).finish()
    }
}

impl Store {
    /// First run: creates the key, the key file, the database, this device and its first
    /// administrator. Returns the open store and the recovery key, to be shown once.
    pub fn set_up(
        data_dir: &DataDir,
        first: FirstRun,
        clock: &dyn Clock,
        random: &dyn SecureRandom,
    ) -> Result<(Store, RecoveryKey), StoreError> {
        if data_dir.database_file().exists() || data_dir.key_file().exists() {
            return Err(StoreError::AlreadySetUp);
        }
        let device_name = required("field-device-name", &first.device_name)?;
        let office = required("field-office", &first.office)?;
        let login = required("field-login", &first.admin_login)?;
        let admin_name = required("field-display-name", &first.admin_name)?;

        let key = DatabaseKey::generate(random);
        let recovery = RecoveryKey::generate(random);
        let device_id = Uuid::now_v7();
        let operator = Operator { id: Uuid::now_v7(), login, display_name: admin_name, role: Role::Administrator };

        let mut conn = open_database(data_dir, &key)?;
        let now = clock.now_ms() as i64;
        let created = (|| -> rusqlite::Result<()> {
            let transaction = conn.transaction()?;
            transaction.execute(
                "INSERT INTO device (id, name, office, created_ms) VALUES (?1, ?2, ?3, ?4)",
                params![device_id, device_name, office, now],
            )?;
            insert_operator(&transaction, &operator, now)?;
            transaction.commit()
        })();
        let mut key_file = KeyFile::default();
        key_file.wrap_for_operator(operator.id, &operator.login, &first.admin_passphrase, &key, random);
        key_file.wrap_for_recovery(&recovery, &key, random);
        if let Err(error) = created
            .map_err(StoreError::from)
            .and_then(|()| key_file.save(&data_dir.key_file()).map_err(StoreError::from))
        {
            // Half a setup is no setup: remove what was made so first run can start again.
            drop(conn);
            remove_store_files(data_dir);
            return Err(error);
        }
        let hlc = HlcClock::new(device_id, None);
        let store = Store {
            conn,
            key,
            data_dir: data_dir.clone(),
            operator,
            device_id,
            hlc,
            ids: IdSource::System,
            last_seq: None,
        };
        Ok((store, recovery))
    }

    /// Opens the store as the operator `login`, with their passphrase.
    pub fn unlock(data_dir: &DataDir, login: &str, passphrase: &str, clock: &dyn Clock) -> Result<Store, StoreError> {
        if !data_dir.database_file().exists() {
            return Err(StoreError::NotSetUp);
        }
        let mut key_file = KeyFile::load(&data_dir.key_file())?;
        let outcome = key_file.unlock_with_passphrase(login, passphrase, clock.now_ms());
        // Successes reset the failure count and failures raise it: both are kept.
        key_file.save(&data_dir.key_file())?;
        let (operator_id, key) = outcome?;
        Self::open_as(data_dir, key, operator_id)
    }

    /// Opens the store with the recovery key and gives `login` a new passphrase.
    pub fn reset_passphrase(
        data_dir: &DataDir,
        recovery: &RecoveryKey,
        login: &str,
        new_passphrase: &Passphrase,
        random: &dyn SecureRandom,
    ) -> Result<Store, StoreError> {
        if !data_dir.database_file().exists() {
            return Err(StoreError::NotSetUp);
        }
        let mut key_file = KeyFile::load(&data_dir.key_file())?;
        let key = key_file.unlock_with_recovery(recovery)?;
        let (operator_id, _) = key_file
            .operator_logins()
            .into_iter()
            .find(|(_, known)| known == login)
            .ok_or(StoreError::Key(KeyFileError::UnknownOperator))?;
        let store = Self::open_as(data_dir, key, operator_id)?;
        key_file.wrap_for_operator(operator_id, login, new_passphrase, &store.key, random);
        key_file.save(&data_dir.key_file())?;
        Ok(store)
    }

    fn open_as(data_dir: &DataDir, key: DatabaseKey, operator_id: Uuid) -> Result<Store, StoreError> {
        let conn = open_database(data_dir, &key)?;
        let (device_id, operator, newest) = (|| -> rusqlite::Result<_> {
            let device_id: Uuid = conn.query_row("SELECT id FROM device", [], |row| row.get(0))?;
            let operator = conn
                .query_row(
                    "SELECT id, login, display_name, role FROM operators WHERE id = ?1 AND disabled = 0",
                    [operator_id],
                    read_operator,
                )
                .optional()?;
            let newest = change_log::newest_hlc(&conn)?;
            Ok((device_id, operator, newest))
        })()?;
        let operator = operator.ok_or(StoreError::Key(KeyFileError::UnknownOperator))?;
        Ok(Store {
            conn,
            key,
            data_dir: data_dir.clone(),
            operator,
            device_id,
            hlc: HlcClock::new(device_id, newest),
            ids: IdSource::System,
            last_seq: None,
        })
    }

    /// The operator who unlocked the store.
    pub fn operator(&self) -> &Operator {
        &self.operator
    }

    /// The office this device belongs to, as set at first run.
    pub fn office(&self) -> Result<String, rusqlite::Error> {
        self.conn.query_row("SELECT office FROM device", [], |row| row.get(0))
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

    /// Gives the current operator a new passphrase. Rewraps one record; the database is not
    /// re-encrypted.
    pub fn change_passphrase(&self, new_passphrase: &Passphrase, random: &dyn SecureRandom) -> Result<(), StoreError> {
        let mut key_file = KeyFile::load(&self.data_dir.key_file())?;
        key_file.wrap_for_operator(self.operator.id, &self.operator.login, new_passphrase, &self.key, random);
        key_file.save(&self.data_dir.key_file())?;
        Ok(())
    }

    /// Adds an operator who can unlock this device with `passphrase`. Administrators only.
    pub fn add_operator(
        &mut self,
        login: &str,
        display_name: &str,
        role: Role,
        passphrase: &Passphrase,
        clock: &dyn Clock,
        random: &dyn SecureRandom,
    ) -> Result<Operator, StoreError> {
        if !self.operator.role.may(Permission::ManageOperators) {
            return Err(StoreError::NotPermitted);
        }
        let operator = Operator {
            id: Uuid::now_v7(),
            login: required("field-login", login)?,
            display_name: required("field-display-name", display_name)?,
            role,
        };
        let mut key_file = KeyFile::load(&self.data_dir.key_file())?;
        if key_file.operator_logins().iter().any(|(_, known)| *known == operator.login) {
            return Err(StoreError::LoginTaken);
        }
        let transaction = self.conn.transaction()?;
        insert_operator(&transaction, &operator, clock.now_ms() as i64)?;
        key_file.wrap_for_operator(operator.id, &operator.login, passphrase, &self.key, random);
        // The key file is written before the row commits: a crash in between leaves a wrap
        // without an operator row, which unlock refuses, never an operator who cannot unlock.
        key_file.save(&self.data_dir.key_file())?;
        transaction.commit()?;
        Ok(operator)
    }

    /// A store on an unencrypted database at `path` (in memory when `None`), as an operator
    /// with `role`: for tests and for measuring what encryption costs. Never built into the
    /// desktop app or the server (the `unencrypted-store` feature is off there).
    #[cfg(any(test, feature = "unencrypted-store"))]
    pub fn unencrypted(path: Option<&std::path::Path>, role: Role) -> Store {
        let mut conn = match path {
            Some(path) => Connection::open(path).expect("the benchmark's database opens"),
            None => Connection::open_in_memory().expect("an in-memory database opens"),
        };
        if path.is_some() {
            let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)).expect("WAL");
            conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")
                .expect("pragmas");
        }
        migrations::migrate(&mut conn).expect("migrations apply");
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let device_id = Uuid::now_v7();
        let operator = Operator { id: Uuid::now_v7(), login: "prova".into(), display_name: "Prova".into(), role };
        conn.execute(
            "INSERT INTO device (id, name, office, created_ms) VALUES (?1, 'Prova', 'Ufficio', 0)",
            [device_id],
        )
        .expect("device row");
        insert_operator(&conn, &operator, 0).expect("operator row");
        Store {
            conn,
            key: DatabaseKey::generate(&ring::rand::SystemRandom::new()),
            data_dir: DataDir::resolve(Some(std::env::temp_dir())).expect("the temporary folder exists"),
            operator,
            device_id,
            hlc: HlcClock::new(device_id, None),
            ids: IdSource::System,
            last_seq: None,
        }
    }

    /// Closes the database and zeroes the key.
    pub fn lock(self) {
        drop(self);
    }
}

fn required(field: &'static str, value: &str) -> Result<String, StoreError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(StoreError::MissingValue { field });
    }
    Ok(trimmed.to_owned())
}

fn read_operator(row: &rusqlite::Row<'_>) -> rusqlite::Result<Operator> {
    let role: String = row.get(3)?;
    Ok(Operator {
        id: row.get(0)?,
        login: row.get(1)?,
        display_name: row.get(2)?,
        role: Role::from_stored(&role).ok_or_else(|| rusqlite::Error::InvalidColumnName(role))?,
    })
}

fn insert_operator(conn: &Connection, operator: &Operator, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO operators (id, login, display_name, role, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![operator.id, operator.login, operator.display_name, operator.role.as_str(), now_ms],
    )?;
    Ok(())
}

fn remove_store_files(data_dir: &DataDir) {
    let database = data_dir.database_file();
    for path in [database.with_extension("db-wal"), database.with_extension("db-shm"), database, data_dir.key_file()] {
        let _ = std::fs::remove_file(path);
    }
}

/// Statements kept prepared: more than the store uses, so none is parsed twice.
const STATEMENT_CACHE: usize = 64;

/// Opens (or creates) the database with `key`, checks the key, sets the pragmas, migrates.
fn open_database(data_dir: &DataDir, key: &DatabaseKey) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(data_dir.database_file())?;
    let _ = conn.pragma_update(None, "cipher_log_level", "NONE");
    let pragma = zeroize::Zeroizing::new(format!("PRAGMA key = \"{}\";", key.sqlcipher_pragma_value().as_str()));
    conn.execute_batch(&pragma)?;
    // Reading the schema is the first use of the key: a wrong key fails here.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))?;
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    // Erased data is overwritten, not just unlinked; 64 MiB of page cache keeps decrypted pages
    // of a large Ambito's indexes in memory instead of decrypting them again on every read.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;
         PRAGMA secure_delete = ON; PRAGMA cache_size = -65536;",
    )?;
    migrations::migrate(&mut conn)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod folder_tests;

#[cfg(test)]
mod section_tests;

#[cfg(test)]
mod conflict_tests;

#[cfg(test)]
mod merge_tests;
