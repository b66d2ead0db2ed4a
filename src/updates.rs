//! Porta updating itself from the Ambito's server (`porta_wire::update` says what a release
//! signs). The sync engine downloads a newer release into the data folder's `updates/`
//! (`SyncClient::fetch_update`, in `sync`, which uses this module and is not used by it); the app
//! installs it at its next start, before any window opens, so an update never lands in the
//! middle of unsaved work. Everything is checked twice — when it arrives and again just before
//! it runs — against the release key compiled into the app: a file changed on the way or on
//! the disk is deleted, never run.
//!
//! ```text
//! updates/<sha256>.partial     an installer arriving, chunk by chunk (resumes after a cut)
//! updates/Porta-0.1.1.exe      the installer once whole and checked
//! updates/ready.porta-update   its release statement, as signed
//! updates/ready.notes          the Ambito's notes about it
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use porta_wire::protocol::{SCAN_CHUNK_BYTES, scan_chunk_fits};
pub use porta_wire::update::{ReleaseStatement, StatementError, UpdateTarget, Version};

use crate::DataDir;
use crate::error::{ErrorCode, Explanation, UserFacingError};

/// What this build of Porta may update itself to: its platform, its version, and the release
/// key it trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePolicy {
    pub target: UpdateTarget,
    pub current: Version,
    pub public_key: [u8; 32],
}

impl UpdatePolicy {
    /// The policy of a build whose version is `current` and which was compiled with the
    /// release key `public_key_hex` (64 hex digits); `None` for a build without one (a
    /// developer's) or for a platform Porta has no installer for: such a build never updates.
    pub fn for_build(public_key_hex: Option<&str>, current: &str) -> Option<UpdatePolicy> {
        let target = if cfg!(windows) {
            UpdateTarget::WindowsNsis
        } else if cfg!(target_os = "linux") {
            UpdateTarget::LinuxDeb
        } else {
            return None;
        };
        let public_key = porta_wire::update::public_key_from_hex(public_key_hex?)?;
        Some(UpdatePolicy { target, current: current.parse().ok()?, public_key })
    }
}

/// Why an update was not taken.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The server offered a release whose statement is not signed by the release key, or is
    /// for another platform: tampered, or not Porta's.
    #[error("the offered update is not signed by Porta's release key: {0}")]
    NotSigned(StatementError),
    /// The installer is not the one the statement names (changed on the way or on the disk).
    #[error("the update's installer does not match its signed statement")]
    Damaged,
    /// The update folder cannot be read or written.
    #[error("the update folder cannot be used: {0}")]
    Folder(#[from] std::io::Error),
    /// The installer ran, yet this is still the version before it: it is not tried again
    /// (a loop of installs at every start) until a newer release comes.
    #[error("the update to {0} did not install")]
    DidNotInstall(Version),
}

impl UserFacingError for UpdateError {
    fn explain(&self) -> Explanation {
        match self {
            UpdateError::NotSigned(_) => Explanation::new(ErrorCode::UpdateRefused, "error-update-not-signed"),
            UpdateError::Damaged => Explanation::new(ErrorCode::UpdateRefused, "error-update-damaged"),
            UpdateError::Folder(_) => Explanation::new(ErrorCode::Internal, "error-update-folder"),
            UpdateError::DidNotInstall(version) => {
                Explanation::new(ErrorCode::UpdateRefused, "error-update-not-installed")
                    .with("version", version.to_string())
            }
        }
    }
}

/// A release downloaded, checked, and waiting for the next start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyUpdate {
    pub version: Version,
    pub target: UpdateTarget,
    /// The Ambito's notes about it (plain text).
    pub notes: String,
    pub installer: PathBuf,
}

impl ReadyUpdate {
    /// The command that installs it and starts the new Porta: the Windows setup program runs
    /// silently for this user and starts Porta when done (`/RUN`, waiting for this Porta to
    /// close); the Debian package is installed by the system's package manager, through
    /// `pkexec`, which asks for an administrator's password (not asked of an administrator).
    pub fn install_command(&self) -> Command {
        match self.target {
            UpdateTarget::WindowsNsis => {
                let mut command = Command::new(&self.installer);
                command.args(["/S", "/RUN"]);
                command
            }
            UpdateTarget::LinuxDeb => {
                let mut command = match runs_as_administrator() {
                    true => Command::new("apt-get"),
                    false => {
                        let mut command = Command::new("pkexec");
                        command.arg("apt-get");
                        command
                    }
                };
                command.arg("install").arg("--yes").arg(&self.installer);
                command
            }
        }
    }
}

/// Whether this process runs with the administrator's rights (Linux: its effective user is
/// root, as `/proc/self/status` says), so that installing a package needs nobody's password.
fn runs_as_administrator() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|line| line.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            .is_some_and(|effective| effective == "0")
    })
}

/// The data folder's `updates/`.
#[derive(Debug, Clone)]
pub struct UpdateFolder {
    dir: PathBuf,
}

impl UpdateFolder {
    pub fn of(data_dir: &DataDir) -> UpdateFolder {
        UpdateFolder { dir: data_dir.path().join("updates") }
    }

    fn statement_file(&self) -> PathBuf {
        self.dir.join("ready.porta-update")
    }

    fn notes_file(&self) -> PathBuf {
        self.dir.join("ready.notes")
    }

    fn installer_file(&self, statement: &ReleaseStatement) -> PathBuf {
        self.dir.join(format!("Porta-{}{}", statement.version, statement.target.extension()))
    }

    /// The version whose installer was started, written just before it is.
    fn installing_file(&self) -> PathBuf {
        self.dir.join("installing")
    }

    /// A version whose installer ran without installing it.
    fn not_installed_file(&self) -> PathBuf {
        self.dir.join("not-installed")
    }

    /// Notes that `ready`'s installer is about to run: if Porta starts again still at the
    /// version before it, the installation did not take and is not tried again.
    pub fn installing(&self, ready: &ReadyUpdate) -> Result<(), UpdateError> {
        Ok(crate::atomic_file::write(&self.installing_file(), ready.version.to_string().as_bytes())?)
    }

    /// The installer ended without installing and said so (the administrator's password was
    /// not given): the update stays ready for the next start.
    pub fn installation_declined(&self) -> Result<(), UpdateError> {
        match std::fs::remove_file(self.installing_file()) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
            _ => Ok(()),
        }
    }

    /// The version whose installation did not take, if any.
    pub(crate) fn not_installed(&self) -> Option<Version> {
        std::fs::read_to_string(self.not_installed_file()).ok()?.trim().parse().ok()
    }

    fn partial_file(&self, sha256: &str) -> PathBuf {
        self.dir.join(format!("{sha256}.partial"))
    }

    /// The release waiting to be installed, checked again now against `policy`: signed by its
    /// key, for its platform, newer than the running version, and the installer whole and
    /// unchanged. Anything else is deleted: an update already installed, or one found changed
    /// on the disk (then the error says so).
    pub fn ready(&self, policy: &UpdatePolicy) -> Result<Option<ReadyUpdate>, UpdateError> {
        let text = match std::fs::read_to_string(self.statement_file()) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let checked = ReleaseStatement::verified(&text, &policy.public_key)
            .map_err(UpdateError::NotSigned)
            .and_then(|statement| match statement.target == policy.target {
                true => Ok(statement),
                false => Err(UpdateError::NotSigned(StatementError::UnknownTarget)),
            })
            .and_then(|statement| {
                let installer = self.installer_file(&statement);
                match sha256_of(&installer) {
                    Ok((size, sha256)) if size == statement.size && sha256 == statement.sha256 => Ok(statement),
                    Ok(_) => Err(UpdateError::Damaged),
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(UpdateError::Damaged),
                    Err(error) => Err(error.into()),
                }
            });
        let statement = match checked {
            Ok(statement) => statement,
            Err(error) => {
                self.clear()?;
                return Err(error);
            }
        };
        if !statement.is_newer_than(policy.current) {
            // Installed already (this is that version or a later one).
            self.clear()?;
            return Ok(None);
        }
        let tried = std::fs::read_to_string(self.installing_file()).ok();
        if tried.is_some_and(|tried| tried.trim() == statement.version.to_string()) {
            self.clear()?;
            crate::atomic_file::write(&self.not_installed_file(), statement.version.to_string().as_bytes())?;
            return Err(UpdateError::DidNotInstall(statement.version));
        }
        let notes = std::fs::read_to_string(self.notes_file()).unwrap_or_default();
        Ok(Some(ReadyUpdate {
            version: statement.version,
            target: statement.target,
            notes,
            installer: self.installer_file(&statement),
        }))
    }

    /// How many whole chunks of the installer `sha256` arrived already (a partial chunk left
    /// by a cut is dropped).
    pub(crate) fn chunks_arrived(&self, sha256: &str) -> Result<u32, UpdateError> {
        let partial = self.partial_file(sha256);
        let length = match std::fs::metadata(&partial) {
            Ok(metadata) => metadata.len(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(error) => return Err(error.into()),
        };
        let whole = length / SCAN_CHUNK_BYTES as u64;
        if length % SCAN_CHUNK_BYTES as u64 != 0 {
            std::fs::OpenOptions::new().write(true).open(&partial)?.set_len(whole * SCAN_CHUNK_BYTES as u64)?;
        }
        Ok(whole as u32)
    }

    /// Adds chunk `index` of `statement`'s installer; the chunks arrive in order.
    pub(crate) fn add_chunk(&self, statement: &ReleaseStatement, index: u32, bytes: &[u8]) -> Result<(), UpdateError> {
        if !scan_chunk_fits(statement.size, index, bytes.len()) {
            return Err(UpdateError::Damaged);
        }
        std::fs::create_dir_all(&self.dir)?;
        crate::owner_only::restrict_folder(&self.dir)?;
        let mut file =
            std::fs::OpenOptions::new().create(true).append(true).open(self.partial_file(&statement.sha256))?;
        if file.metadata()?.len() != u64::from(index) * SCAN_CHUNK_BYTES as u64 {
            return Err(UpdateError::Damaged);
        }
        file.write_all(bytes)?;
        Ok(())
    }

    /// The installer arrived whole: checked against `statement` (signed text `text`), it
    /// becomes the ready update in place of any earlier one. A mismatch deletes it.
    pub(crate) fn complete(
        &self,
        statement: &ReleaseStatement,
        text: &str,
        notes: &str,
    ) -> Result<ReadyUpdate, UpdateError> {
        let partial = self.partial_file(&statement.sha256);
        let (size, sha256) = sha256_of(&partial)?;
        if size != statement.size || sha256 != statement.sha256 {
            std::fs::remove_file(&partial)?;
            return Err(UpdateError::Damaged);
        }
        // Flushed to the disk before it counts; Windows flushes only through a handle that
        // may write.
        std::fs::OpenOptions::new().write(true).open(&partial)?.sync_all()?;
        self.clear_except(&partial)?;
        let installer = self.installer_file(statement);
        std::fs::rename(&partial, &installer)?;
        crate::atomic_file::write(&self.notes_file(), notes.as_bytes())?;
        // The statement last: until it is there, nothing is ready.
        crate::atomic_file::write(&self.statement_file(), text.as_bytes())?;
        Ok(ReadyUpdate { version: statement.version, target: statement.target, notes: notes.to_owned(), installer })
    }

    /// Deletes everything in the folder.
    pub fn clear(&self) -> std::io::Result<()> {
        self.clear_except(Path::new(""))
    }

    fn clear_except(&self, keep: &Path) -> std::io::Result<()> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(error),
        };
        for entry in entries {
            let path = entry?.path();
            if path != keep {
                std::fs::remove_file(&path)?;
            }
        }
        Ok(())
    }
}

/// A file's size and SHA-256 (lower-case hex), read in pieces.
fn sha256_of(path: &Path) -> std::io::Result<(u64, String)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        size += read as u64;
        context.update(&buffer[..read]);
    }
    Ok((size, data_encoding::HEXLOWER.encode(context.finish().as_ref())))
}

#[cfg(test)]
pub(crate) mod tests {
    use data_encoding::HEXLOWER;
    use ring::rand::SystemRandom;
    use ring::signature::{Ed25519KeyPair, KeyPair};

    use super::*;

    /// A release key, and a release of `size` bytes for `target` signed with it.
    pub(crate) struct Release {
        pub key: Ed25519KeyPair,
    }

    impl Release {
        pub(crate) fn new() -> Release {
            let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
            Release { key: Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap() }
        }

        pub(crate) fn policy(&self, current: &str) -> UpdatePolicy {
            UpdatePolicy {
                target: UpdateTarget::WindowsNsis,
                current: current.parse().unwrap(),
                public_key: self.key.public_key().as_ref().try_into().unwrap(),
            }
        }

        /// An installer's bytes and its signed statement.
        pub(crate) fn installer(&self, version: &str, size: usize) -> (Vec<u8>, ReleaseStatement, String) {
            let bytes: Vec<u8> = (0..size).map(|n| (n * 7 % 251) as u8).collect();
            let statement = ReleaseStatement::of_installer(UpdateTarget::WindowsNsis, version.parse().unwrap(), &bytes);
            let text = statement.text(&HEXLOWER.encode(self.key.sign(statement.signed_part().as_bytes()).as_ref()));
            (bytes, statement, text)
        }
    }

    fn arrive(folder: &UpdateFolder, statement: &ReleaseStatement, bytes: &[u8]) {
        for (index, chunk) in bytes.chunks(SCAN_CHUNK_BYTES).enumerate() {
            folder.add_chunk(statement, index as u32, chunk).unwrap();
        }
    }

    fn folder() -> (tempfile::TempDir, UpdateFolder) {
        let dir = tempfile::tempdir().unwrap();
        let folder = UpdateFolder { dir: dir.path().join("updates") };
        (dir, folder)
    }

    #[test]
    fn an_installer_that_arrived_whole_is_ready_until_it_is_installed() {
        let (_dir, folder) = folder();
        let release = Release::new();
        let (bytes, statement, text) = release.installer("0.1.1", SCAN_CHUNK_BYTES + 5);
        assert_eq!(folder.ready(&release.policy("0.1.0")).unwrap(), None);
        folder.add_chunk(&statement, 0, &bytes[..SCAN_CHUNK_BYTES]).unwrap();
        assert_eq!(folder.chunks_arrived(&statement.sha256).unwrap(), 1);
        assert_eq!(folder.ready(&release.policy("0.1.0")).unwrap(), None, "half an installer is not ready");
        folder.add_chunk(&statement, 1, &bytes[SCAN_CHUNK_BYTES..]).unwrap();
        let ready = folder.complete(&statement, &text, "Nuove stampe").unwrap();
        assert_eq!(std::fs::read(&ready.installer).unwrap(), bytes);
        assert_eq!(folder.ready(&release.policy("0.1.0")).unwrap(), Some(ready.clone()));
        assert_eq!(ready.notes, "Nuove stampe");
        let command = ready.install_command();
        assert_eq!(command.get_program(), ready.installer.as_os_str());
        assert_eq!(command.get_args().collect::<Vec<_>>(), ["/S", "/RUN"]);

        // Started as 0.1.1: installed; the folder is emptied.
        assert_eq!(folder.ready(&release.policy("0.1.1")).unwrap(), None);
        assert_eq!(std::fs::read_dir(&folder.dir).unwrap().count(), 0);
    }

    /// The Debian package goes to the package manager, through `pkexec` (which asks for an
    /// administrator's password) unless Porta already runs as the administrator, where
    /// `pkexec` would ask nothing and is often not installed at all.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_debian_package_is_installed_by_apt_through_pkexec_unless_run_as_root() {
        let id = Command::new("id").arg("-u").output().unwrap();
        let root = String::from_utf8_lossy(&id.stdout).trim() == "0";
        assert_eq!(runs_as_administrator(), root);
        let installer = PathBuf::from("/home/mediatrice/.local/share/porta/updates/Porta-0.1.1.deb");
        let ready = ReadyUpdate {
            version: "0.1.1".parse().unwrap(),
            target: UpdateTarget::LinuxDeb,
            notes: String::new(),
            installer: installer.clone(),
        };
        let command = ready.install_command();
        let mut said: Vec<&std::ffi::OsStr> = vec![command.get_program()];
        said.extend(command.get_args());
        let apt = [std::ffi::OsStr::new("apt-get"), "install".as_ref(), "--yes".as_ref(), installer.as_os_str()];
        match root {
            true => assert_eq!(said, apt),
            false => assert_eq!(said, [&[std::ffi::OsStr::new("pkexec")][..], &apt].concat()),
        }
    }

    #[test]
    fn an_installer_changed_on_the_disk_or_signed_by_another_key_is_deleted_never_run() {
        let (_dir, folder) = folder();
        let release = Release::new();
        let (bytes, statement, text) = release.installer("0.1.1", 1000);
        arrive(&folder, &statement, &bytes);
        let ready = folder.complete(&statement, &text, "").unwrap();
        let mut changed = bytes.clone();
        changed[10] ^= 0xff;
        std::fs::write(&ready.installer, changed).unwrap();
        assert!(matches!(folder.ready(&release.policy("0.1.0")), Err(UpdateError::Damaged)));
        assert_eq!(std::fs::read_dir(&folder.dir).unwrap().count(), 0, "deleted");

        arrive(&folder, &statement, &bytes);
        folder.complete(&statement, &text, "").unwrap();
        let other = Release::new();
        assert!(matches!(
            folder.ready(&other.policy("0.1.0")),
            Err(UpdateError::NotSigned(StatementError::BadSignature))
        ));
        assert_eq!(std::fs::read_dir(&folder.dir).unwrap().count(), 0, "deleted");
    }

    #[test]
    fn an_installer_that_does_not_match_its_statement_is_refused_as_it_arrives() {
        let (_dir, folder) = folder();
        let release = Release::new();
        let (mut bytes, statement, text) = release.installer("0.1.1", 1000);
        assert!(matches!(folder.add_chunk(&statement, 0, &bytes[..999]), Err(UpdateError::Damaged)), "short chunk");
        bytes[0] ^= 1;
        arrive(&folder, &statement, &bytes);
        assert!(matches!(folder.complete(&statement, &text, ""), Err(UpdateError::Damaged)));
        assert_eq!(folder.chunks_arrived(&statement.sha256).unwrap(), 0, "from nothing again");
        assert_eq!(folder.ready(&release.policy("0.1.0")).unwrap(), None);
    }

    #[test]
    fn a_chunk_cut_halfway_is_dropped_and_fetched_again() {
        let (_dir, folder) = folder();
        let release = Release::new();
        let (bytes, statement, _) = release.installer("0.1.1", SCAN_CHUNK_BYTES * 2 + 1);
        folder.add_chunk(&statement, 0, &bytes[..SCAN_CHUNK_BYTES]).unwrap();
        // A cut in the middle of the second chunk's write.
        let mut partial =
            std::fs::OpenOptions::new().append(true).open(folder.partial_file(&statement.sha256)).unwrap();
        partial.write_all(&bytes[SCAN_CHUNK_BYTES..SCAN_CHUNK_BYTES + 100]).unwrap();
        assert_eq!(folder.chunks_arrived(&statement.sha256).unwrap(), 1);
        assert!(matches!(folder.add_chunk(&statement, 2, &bytes[2 * SCAN_CHUNK_BYTES..]), Err(UpdateError::Damaged)));
        folder.add_chunk(&statement, 1, &bytes[SCAN_CHUNK_BYTES..2 * SCAN_CHUNK_BYTES]).unwrap();
        assert_eq!(folder.chunks_arrived(&statement.sha256).unwrap(), 2);
    }

    #[test]
    fn an_installation_that_did_not_take_is_not_tried_at_every_start() {
        let (_dir, folder) = folder();
        let release = Release::new();
        let (bytes, statement, text) = release.installer("0.1.1", 1000);
        arrive(&folder, &statement, &bytes);
        let ready = folder.complete(&statement, &text, "").unwrap();
        folder.installing(&ready).unwrap();
        // Started again, still 0.1.0: the installer did not install.
        let failed = folder.ready(&release.policy("0.1.0"));
        assert!(
            matches!(failed, Err(UpdateError::DidNotInstall(version)) if version == statement.version),
            "{failed:?}"
        );
        assert_eq!(folder.ready(&release.policy("0.1.0")).unwrap(), None, "not tried again");
        assert_eq!(folder.not_installed(), Some(statement.version));
        // Declined (no administrator's password): ready again at the next start.
        arrive(&folder, &statement, &bytes);
        let ready = folder.complete(&statement, &text, "").unwrap();
        folder.installing(&ready).unwrap();
        folder.installation_declined().unwrap();
        assert_eq!(folder.ready(&release.policy("0.1.0")).unwrap(), Some(ready));
        // Installed as it should: started at 0.1.1, nothing left.
        arrive(&folder, &statement, &bytes);
        let ready = folder.complete(&statement, &text, "").unwrap();
        assert_eq!(folder.not_installed(), None, "a new download starts afresh");
        folder.installing(&ready).unwrap();
        assert_eq!(folder.ready(&release.policy("0.1.1")).unwrap(), None);
        assert_eq!(std::fs::read_dir(&folder.dir).unwrap().count(), 0);
    }

    #[test]
    fn a_build_without_a_release_key_never_updates() {
        assert_eq!(UpdatePolicy::for_build(None, "0.1.0"), None);
        assert_eq!(UpdatePolicy::for_build(Some("not hex"), "0.1.0"), None);
        let release = Release::new();
        let hex = HEXLOWER.encode(release.key.public_key().as_ref());
        let policy = UpdatePolicy::for_build(Some(&hex), "0.1.0").unwrap();
        assert_eq!(policy.current, "0.1.0".parse().unwrap());
        assert_eq!(policy.target, if cfg!(windows) { UpdateTarget::WindowsNsis } else { UpdateTarget::LinuxDeb });
    }
}
