//! Setting a device up, unlocking and locking its store, and the operators who may unlock it.

use ring::rand::SecureRandom;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::{DatabaseFailure, Operator, Permission, Role, Store, StoreError, change_log, checkpoints, migrations};
use crate::DataDir;
use crate::clock::Clock;
use crate::data_dir::DataDirHold;
use crate::hlc::HlcClock;
use crate::ids::IdSource;
use crate::keys::{DatabaseKey, HealthKey, KeyFile, KeyFileError, KeyHolder, Passphrase, RecoveryKey, Unwrapped};

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

impl FirstRun {
    /// The passphrase of [`FirstRun::example`]'s administrator.
    pub const EXAMPLE_PASSPHRASE: &'static str = "una frase lunga e sicura";

    /// A first run for tests, benchmarks and the demo: the device `device_name` of the
    /// office "PUA Galatina", whose administrator `admin` unlocks with
    /// [`FirstRun::EXAMPLE_PASSPHRASE`]. Other values with struct update syntax:
    /// `FirstRun { admin_login: "demo".into(), ..FirstRun::example("Portatile") }`.
    pub fn example(device_name: &str) -> FirstRun {
        FirstRun {
            device_name: device_name.to_owned(),
            office: "PUA Galatina".to_owned(),
            admin_login: "admin".to_owned(),
            admin_name: "Amministratrice di prova".to_owned(),
            admin_passphrase: Passphrase::new(Self::EXAMPLE_PASSPHRASE).expect("the example passphrase is valid"),
        }
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
        let device_name = required("field-device-name", &first.device_name)?;
        let office = required("field-office", &first.office)?;
        let login = required("field-login", &first.admin_login)?;
        let admin_name = required("field-display-name", &first.admin_name)?;
        let hold = data_dir.hold()?;
        if data_dir.database_file().exists() || data_dir.key_file().exists() {
            return Err(StoreError::AlreadySetUp);
        }

        let key = DatabaseKey::generate(random);
        // The device's own until it enrolls, when the Ambito's replaces it.
        let health = HealthKey::generate(random);
        let recovery = RecoveryKey::generate(random);
        let device_id = Uuid::now_v7();
        let id = Uuid::now_v7();
        let operator = Operator { id, account_id: id, login, display_name: admin_name, role: Role::Administrator };

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
        key_file.wrap_for_operator(operator.id, &operator.login, &first.admin_passphrase, &key, Some(&health), random);
        key_file.wrap_for_recovery(&recovery, &key, Some(&health), random);
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
            health: Some(health),
            data_dir: data_dir.clone(),
            operator,
            device_id,
            hlc,
            ids: IdSource::System,
            last_seq: None,
            _hold: Some(hold),
        };
        Ok((store, recovery))
    }

    /// Opens the store as the operator `login`, with their passphrase.
    pub fn unlock(data_dir: &DataDir, login: &str, passphrase: &str, clock: &dyn Clock) -> Result<Store, StoreError> {
        if !data_dir.database_file().exists() {
            return Err(StoreError::NotSetUp);
        }
        let hold = data_dir.hold()?;
        let mut key_file = KeyFile::load(&data_dir.key_file())?;
        let unchanged = key_file.clone();
        match key_file.unlock_with_passphrase(login, passphrase, clock.now_ms()) {
            Ok((operator_id, keys)) => {
                let store = Self::open_as(data_dir, Some(hold), keys, operator_id)?;
                store.keep_health_key_to_its_roles(&mut key_file);
                // A success clears earlier failures, when there were any. On a full disk that
                // cannot be written: the operator is let in all the same (the count stays).
                if key_file != unchanged {
                    let _full_disk = key_file.save(&data_dir.key_file());
                }
                Ok(store)
            }
            Err(refused) => {
                // A failure must be counted before it is answered: if it cannot be written,
                // the answer is that (no guess goes uncounted).
                key_file.save(&data_dir.key_file())?;
                Err(refused.into())
            }
        }
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
        let hold = data_dir.hold()?;
        Self::reset_passphrase_held(data_dir, Some(hold), recovery, login, new_passphrase, random)
    }

    /// An administrator's reset of `login`'s passphrase with the recovery key, while this
    /// store (which holds the data folder) is open.
    pub fn reset_passphrase_of(
        &self,
        recovery: &RecoveryKey,
        login: &str,
        new_passphrase: &Passphrase,
        random: &dyn SecureRandom,
    ) -> Result<(), StoreError> {
        // Opening the store as that operator proves the key; that second connection closes at once.
        Self::reset_passphrase_held(&self.data_dir, None, recovery, login, new_passphrase, random).map(drop)
    }

    fn reset_passphrase_held(
        data_dir: &DataDir,
        hold: Option<DataDirHold>,
        recovery: &RecoveryKey,
        login: &str,
        new_passphrase: &Passphrase,
        random: &dyn SecureRandom,
    ) -> Result<Store, StoreError> {
        let mut key_file = KeyFile::load(&data_dir.key_file())?;
        let keys = key_file.unlock_with_recovery(recovery)?;
        let (operator_id, _) = key_file
            .operator_logins()
            .into_iter()
            .find(|(_, known)| known == login)
            .ok_or(StoreError::Key(KeyFileError::UnknownOperator))?;
        let store = Self::open_as(data_dir, hold, keys, operator_id)?;
        key_file.wrap_for_operator(operator_id, login, new_passphrase, &store.key, store.health.as_ref(), random);
        key_file.save(&data_dir.key_file())?;
        Ok(store)
    }

    /// A second connection to this store's database, as the same operator, for this program
    /// (which already holds the data folder): the benchmarks write with one while a helper
    /// thread reads with the other. The keys are copies, zeroed when either is dropped.
    pub fn second_connection(&self) -> Result<Store, StoreError> {
        let keys = Unwrapped {
            database: DatabaseKey::from_bytes(zeroize::Zeroizing::new(*self.key.bytes())),
            health: self.health.clone(),
        };
        Self::open_as(&self.data_dir, None, keys, self.operator.id)
    }

    /// Opens the database as `operator_id`; the health key stays only for a role that may
    /// read health-restricted content.
    pub(super) fn open_as(
        data_dir: &DataDir,
        hold: Option<DataDirHold>,
        keys: Unwrapped,
        operator_id: Uuid,
    ) -> Result<Store, StoreError> {
        let Unwrapped { database: key, health } = keys;
        let conn = open_database(data_dir, &key)?;
        let (device_id, operator, newest) = (|| -> rusqlite::Result<_> {
            let device_id: Uuid = conn.query_row("SELECT id FROM device", [], |row| row.get(0))?;
            let operator = conn
                .query_row(
                    "SELECT id, login, display_name, role, coalesce(server_id, id) FROM operators
                     WHERE id = ?1 AND disabled = 0",
                    [operator_id],
                    read_operator,
                )
                .optional()?;
            let newest = change_log::newest_hlc(&conn)?;
            Ok((device_id, operator, newest))
        })()?;
        let operator = operator.ok_or(StoreError::Key(KeyFileError::UnknownOperator))?;
        let health = health.filter(|_| operator.role.may(Permission::ReadHealthRestricted));
        Ok(Store {
            conn,
            key,
            health,
            data_dir: data_dir.clone(),
            operator,
            device_id,
            hlc: HlcClock::new(device_id, newest),
            ids: IdSource::System,
            last_seq: None,
            _hold: hold,
        })
    }

    /// Gives the current operator a new passphrase. Rewraps one record; the database is not
    /// re-encrypted.
    pub fn change_passphrase(&self, new_passphrase: &Passphrase, random: &dyn SecureRandom) -> Result<(), StoreError> {
        let mut key_file = KeyFile::load(&self.data_dir.key_file())?;
        key_file.wrap_for_operator(
            self.operator.id,
            &self.operator.login,
            new_passphrase,
            &self.key,
            self.health.as_ref(),
            random,
        );
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
        self.refuse_if_enrolled()?;
        let id = Uuid::now_v7();
        let operator = Operator {
            id,
            account_id: id,
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
        let health = self.health.as_ref().filter(|_| role.may(Permission::ReadHealthRestricted));
        key_file.wrap_for_operator(operator.id, &operator.login, passphrase, &self.key, health, random);
        // The key file is written before the row commits: a crash in between leaves a wrap
        // without an operator row, which unlock refuses, never an operator who cannot unlock.
        key_file.save(&self.data_dir.key_file())?;
        transaction.commit()?;
        Ok(operator)
    }

    /// The operators who may unlock this device, by login (disabled ones left out).
    pub fn operators(&self) -> Result<Vec<Operator>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, login, display_name, role, coalesce(server_id, id) FROM operators
                 WHERE disabled = 0 ORDER BY login",
        )?;
        let rows = statement.query_map([], |row| {
            let role: String = row.get(3)?;
            Ok(Operator {
                id: row.get(0)?,
                account_id: row.get(4)?,
                login: row.get(1)?,
                display_name: row.get(2)?,
                role: Role::from_stored(&role).unwrap_or(Role::StatisticsReader),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Gives the operator `login` another role, from their next unlock. Administrators only,
    /// and never their own role (a device keeps an administrator).
    /// The health key goes with the role: given to an operator whose new role may read
    /// health-restricted content, taken from one whose role may not.
    pub fn set_operator_role(&mut self, login: &str, role: Role, random: &dyn SecureRandom) -> Result<(), StoreError> {
        if !self.operator.role.may(Permission::ManageOperators) || login == self.operator.login {
            return Err(StoreError::NotPermitted);
        }
        self.refuse_if_enrolled()?;
        let id: Option<Uuid> = self
            .conn
            .query_row("SELECT id FROM operators WHERE login = ?1 AND disabled = 0", [login], |row| row.get(0))
            .optional()?;
        let id = id.ok_or(StoreError::NotFound)?;
        let mut key_file = KeyFile::load(&self.data_dir.key_file())?;
        give_health_key_by_role(self.health.as_ref(), &mut key_file, id, role, random);
        key_file.save(&self.data_dir.key_file())?;
        self.conn.execute("UPDATE operators SET role = ?1 WHERE id = ?2", params![role.as_str(), id])?;
        Ok(())
    }

    /// A role that lost the right to read health content loses the key at its next unlock.
    fn keep_health_key_to_its_roles(&self, key_file: &mut KeyFile) {
        if !self.operator.role.may(Permission::ReadHealthRestricted) {
            key_file.take_health_key(self.operator.id);
        }
    }

    /// Whether this session holds the health key: a role allowed to read health-restricted
    /// content whose wrap here carries it.
    pub fn holds_health_key(&self) -> bool {
        self.health.is_some()
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
            checkpoints::checkpoint_when_quiet(&conn).expect("the checkpoint limit");
        }
        migrations::migrate(&mut conn).expect("migrations apply");
        keep_statements_prepared(&conn).expect("statement settings");
        let device_id = Uuid::now_v7();
        let id = Uuid::now_v7();
        let operator = Operator { id, account_id: id, login: "prova".into(), display_name: "Prova".into(), role };
        conn.execute(
            "INSERT INTO device (id, name, office, created_ms) VALUES (?1, 'Prova', 'Ufficio', 0)",
            [device_id],
        )
        .expect("device row");
        insert_operator(&conn, &operator, 0).expect("operator row");
        Store {
            conn,
            key: DatabaseKey::generate(&ring::rand::SystemRandom::new()),
            // One key for every such store, so that test replicas read each other's seals.
            health: role
                .may(Permission::ReadHealthRestricted)
                .then(|| HealthKey::from_bytes(&UNENCRYPTED_STORE_HEALTH_KEY).expect("32 bytes")),
            // Not created nor restricted: the system's temporary folder is not the store's.
            data_dir: DataDir::unchecked(std::env::temp_dir()),
            operator,
            device_id,
            hlc: HlcClock::new(device_id, None),
            ids: IdSource::System,
            last_seq: None,
            _hold: None,
        }
    }

    /// Accounts are the server's once the device is enrolled: none is added or changed here.
    fn refuse_if_enrolled(&self) -> Result<(), StoreError> {
        let enrolled: i64 = self.conn.query_row("SELECT count(*) FROM sync_enrollment", [], |row| row.get(0))?;
        if enrolled > 0 { Err(StoreError::AccountsOnServer) } else { Ok(()) }
    }

    /// Closes the database and zeroes the key.
    pub fn lock(self) {
        drop(self);
    }
}

/// Gives the health key to `operator_id` if `role` may read health-restricted content
/// (and `health`, this session's, is there), takes it away otherwise.
pub(super) fn give_health_key_by_role(
    health: Option<&HealthKey>,
    key_file: &mut KeyFile,
    operator_id: Uuid,
    role: Role,
    random: &dyn SecureRandom,
) {
    if !role.may(Permission::ReadHealthRestricted) {
        key_file.take_health_key(operator_id);
    } else if let Some(health) = health
        && !key_file.holds_health_key(operator_id)
    {
        let holder_is =
            |holder: &KeyHolder| matches!(holder, KeyHolder::Operator { operator_id: id, .. } if *id == operator_id);
        key_file.give_health_key(health, holder_is, random);
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
        account_id: row.get(4)?,
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

pub(super) fn remove_store_files(data_dir: &DataDir) {
    let database = data_dir.database_file();
    for path in [database.with_extension("db-wal"), database.with_extension("db-shm"), database, data_dir.key_file()] {
        let _ = std::fs::remove_file(path);
    }
}

/// The health key of every [`Store::unencrypted`] store (tests and benchmarks): a benchmark's
/// server is given it, as an Ambito's server would give its own at enrollment.
#[cfg(any(test, feature = "unencrypted-store"))]
pub const UNENCRYPTED_STORE_HEALTH_KEY: [u8; 32] = [0x5a; 32];

/// Statements kept prepared: more than the store uses, so none is parsed twice.
const STATEMENT_CACHE: usize = 64;

/// Opens (or creates) the database with `key`, checks the key, sets the pragmas, migrates.
fn open_database(data_dir: &DataDir, key: &DatabaseKey) -> Result<Connection, StoreError> {
    match open_database_with(data_dir, key, false) {
        // On a full disk the WAL's shared-memory file cannot be sized: open again holding the
        // database alone, which keeps that index in memory. Reading works; writing says the
        // disk is full.
        Err(StoreError::Database(DatabaseFailure::Sqlite(error))) if disk_full(&error) => {
            open_database_with(data_dir, key, true)
        }
        opened => opened,
    }
}

/// Whether SQLite failed for want of space.
fn disk_full(error: &rusqlite::Error) -> bool {
    const IOERR_SHMSIZE: std::ffi::c_int = rusqlite::ffi::SQLITE_IOERR_SHMSIZE;
    matches!(error, rusqlite::Error::SqliteFailure(failure, _)
        if failure.code == rusqlite::ErrorCode::DiskFull || failure.extended_code == IOERR_SHMSIZE)
}

fn open_database_with(data_dir: &DataDir, key: &DatabaseKey, exclusive: bool) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(data_dir.database_file())?;
    let _ = conn.pragma_update(None, "cipher_log_level", "NONE");
    conn.execute_batch(&key.sqlcipher_key_statement())?;
    if exclusive {
        conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE;")?;
    }
    // Reading the schema is the first use of the key: a wrong key fails here.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))?;
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    // SQLite creates its files by the umask: the database and its journal are the owner's alone.
    let database = data_dir.database_file();
    for suffix in ["", "-wal", "-shm"] {
        let mut name = database.clone().into_os_string();
        name.push(suffix);
        crate::owner_only::restrict_file(std::path::Path::new(&name))
            .map_err(|error| StoreError::Database(DatabaseFailure::File(error)))?;
    }
    // Erased data is overwritten, not just unlinked; 64 MiB of page cache keeps decrypted pages
    // of a large Ambito's indexes in memory instead of decrypting them again on every read.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;
         PRAGMA secure_delete = ON; PRAGMA cache_size = -65536;",
    )?;
    checkpoints::checkpoint_when_quiet(&conn)?;
    migrations::migrate(&mut conn)?;
    keep_statements_prepared(&conn)?;
    Ok(conn)
}

/// Keeps the store's statements prepared once per connection. Without the query planner's
/// stability guarantee, SQLite (built with STAT4) marks a join on a bound value as worth
/// re-planning whenever the value changes, and the statement cache clears the bindings of
/// every statement it takes back: folder reads, search words and search hits were parsed and
/// planned again on every use (a search took 2.7 times as long, applying pulled entries 16 %
/// longer; bench/notes.md). The store never plans on a bound value (no ANALYZE statistics,
/// no LIKE on a parameter), so nothing is lost.
fn keep_statements_prepared(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::config::DbConfig;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}
