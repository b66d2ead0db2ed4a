//! Where Porta keeps its files on this computer.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::{ErrorCode, Explanation, UserFacingError};

/// The folder that holds the settings, the encrypted database and its key file.
///
/// By default the per-user application-data folder of the operating system (on Windows under
/// `%APPDATA%`, on Linux under `~/.local/share`); an explicit folder overrides it, which is how
/// tests and portable installs keep their data apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

/// No data folder could be found or created.
#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    /// The operating system reported no home or application-data folder.
    #[error("the operating system reports no application-data folder")]
    NoApplicationDataFolder,
    /// The folder could not be created.
    #[error("cannot create the data folder")]
    CannotCreate(#[source] io::Error),
    /// Another Porta holds the folder: another window, or another user's session.
    #[error("another Porta has this data folder open")]
    InUse,
}

impl UserFacingError for DataDirError {
    fn explain(&self) -> Explanation {
        match self {
            DataDirError::InUse => Explanation::new(ErrorCode::DataDirInUse, "error-data-dir-in-use"),
            DataDirError::NoApplicationDataFolder | DataDirError::CannotCreate(_) => {
                Explanation::new(ErrorCode::DataDirUnavailable, "error-data-dir-unavailable")
            }
        }
    }
}

/// One program's hold on a data folder, an exclusive lock on one of its files: on `porta.lock`
/// while its store is open (no other Porta — a second window, another user's session, a tool —
/// opens the store), on `porta.running` while the program runs (no other installs an update
/// under it). Released when dropped, and by the system when the program ends however it ends.
#[derive(Debug)]
pub struct DataDirHold {
    _locked: std::fs::File,
}

impl DataDir {
    /// The data folder: `explicit` when given, else the operating system's default. Creates it.
    pub fn resolve(explicit: Option<PathBuf>) -> Result<Self, DataDirError> {
        let root = match explicit {
            Some(root) => root,
            None => directories::ProjectDirs::from("it", "Porta", "Porta")
                .ok_or(DataDirError::NoApplicationDataFolder)?
                .data_dir()
                .to_path_buf(),
        };
        std::fs::create_dir_all(&root).map_err(DataDirError::CannotCreate)?;
        crate::owner_only::restrict_folder(&root).map_err(DataDirError::CannotCreate)?;
        Ok(Self { root })
    }

    /// A data folder at `root` as it is, neither created nor restricted: for stores that are
    /// not on disk (tests and benchmarks).
    #[cfg(any(test, feature = "unencrypted-store"))]
    pub(crate) fn unchecked(root: PathBuf) -> Self {
        Self { root }
    }

    /// Takes this program's hold on the folder's store, or says that another Porta has it.
    pub fn hold(&self) -> Result<DataDirHold, DataDirError> {
        self.hold_file("porta.lock")
    }

    /// Takes the hold that a Porta keeps on the folder from start to end, open store or not:
    /// refused while any other Porta runs on this folder (its window at the unlock screen too).
    /// What only a Porta alone may do — install an update — waits for it.
    pub fn hold_while_running(&self) -> Result<DataDirHold, DataDirError> {
        self.hold_file("porta.running")
    }

    fn hold_file(&self, name: &str) -> Result<DataDirHold, DataDirError> {
        let path = self.root.join(name);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(DataDirError::CannotCreate)?;
        crate::owner_only::restrict_file(&path).map_err(DataDirError::CannotCreate)?;
        match file.try_lock() {
            Ok(()) => Ok(DataDirHold { _locked: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(DataDirError::InUse),
            Err(std::fs::TryLockError::Error(error)) => Err(DataDirError::CannotCreate(error)),
        }
    }

    /// The folder itself.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The operator's settings (`settings.toml`).
    pub fn settings_file(&self) -> PathBuf {
        self.root.join("settings.toml")
    }

    /// The encrypted case-folder database.
    pub fn database_file(&self) -> PathBuf {
        self.root.join("porta.db")
    }

    /// How far the server's clock is from this computer's, as last heard (`ServerClock`).
    pub fn server_clock_file(&self) -> PathBuf {
        self.root.join("server-clock.json")
    }

    /// The key file: the database key, wrapped for each operator and for recovery.
    pub fn key_file(&self) -> PathBuf {
        self.root.join("porta.keys")
    }

    /// The file that marks a demo data folder: synthetic people, never enrolled with a server.
    pub fn demo_marker(&self) -> PathBuf {
        self.root.join("DEMO")
    }

    /// Whether this folder holds demo data.
    pub fn is_demo(&self) -> bool {
        self.demo_marker().exists()
    }

    /// The demo's own data folder, inside this one, so that trying Porta never touches the
    /// real case folders. Created when needed.
    pub fn demo_folder(&self) -> Result<DataDir, DataDirError> {
        DataDir::resolve(Some(self.root.join("demo")))
    }
}

impl fmt::Display for DataDir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root.display().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_folder_is_used_and_created() {
        let temp = tempfile::tempdir().unwrap();
        let wanted = temp.path().join("nested").join("porta");
        let dir = DataDir::resolve(Some(wanted.clone())).unwrap();
        assert_eq!(dir.path(), wanted);
        assert!(wanted.is_dir());
        assert_eq!(dir.settings_file(), wanted.join("settings.toml"));
        assert_eq!(dir.database_file(), wanted.join("porta.db"));
    }

    #[test]
    fn a_folder_that_cannot_be_created_is_a_data_dir_error() {
        let temp = tempfile::tempdir().unwrap();
        let file = temp.path().join("a-file");
        std::fs::write(&file, b"not a folder").unwrap();
        let error = DataDir::resolve(Some(file.join("porta"))).unwrap_err();
        assert!(matches!(error, DataDirError::CannotCreate(_)));
        assert_eq!(error.code(), ErrorCode::DataDirUnavailable);
    }

    /// One hold at a time, across programs: the second is refused with its own code until the
    /// first ends. The other "program" is a second open of the lock file, which the system
    /// treats as another holder (Linux `flock`, Windows `LockFileEx`; CI runs this under Wine).
    #[test]
    fn a_folder_held_by_one_porta_is_refused_to_another_until_let_go() {
        let temp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(temp.path().join("dati"))).unwrap();
        let first = dir.hold().unwrap();
        let refused = dir.hold().unwrap_err();
        assert!(matches!(refused, DataDirError::InUse), "{refused:?}");
        assert_eq!(refused.code(), ErrorCode::DataDirInUse);
        drop(first);
        let _again = dir.hold().expect("free once the first hold is let go");

        // A Porta running on the folder, its store locked, does not hold the store.
        let running = dir.hold_while_running().unwrap();
        assert!(matches!(dir.hold_while_running().unwrap_err(), DataDirError::InUse));
        drop(_again);
        let _store = dir.hold().expect("the store is not held by a running Porta");
        drop(running);
        let _running_again = dir.hold_while_running().unwrap();
    }
}
