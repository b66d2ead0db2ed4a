//! The update shelf: the installers of Porta the Ambito's IT published on this server, with
//! their release statements (`porta_wire::update`), in the data folder's `updates/`.
//!
//! ```text
//! updates/windows-x86_64-nsis.offer.json   the UpdateOffer devices of that platform receive
//! updates/files/<sha256>                   the installer, named by its SHA-256
//! ```
//!
//! The server does not hold the app's public key and cannot vouch for a release; it checks
//! that the installer is the one its statement names (size and SHA-256) so that a mistake is
//! caught when publishing rather than on every device. Devices check the signature.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use porta_wire::protocol::SCAN_CHUNK_BYTES;
use porta_wire::update::{MAX_INSTALLER_BYTES, ReleaseStatement, StatementError, UpdateOffer, UpdateTarget, Version};

/// Why an installer cannot be published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("cannot read {path}: {error}")]
    Unreadable { path: PathBuf, error: std::io::Error },
    #[error("{path} is not a Porta release statement: {error}")]
    BadStatement { path: PathBuf, error: StatementError },
    #[error("the statement is for version {stated}, not {given}: check --version and the files")]
    OtherVersion { stated: Version, given: Version },
    #[error(
        "the installer is not the one its statement names (size {size} and SHA-256 {sha256} expected): the file was changed or belongs to another release"
    )]
    NotTheStatedInstaller { size: u64, sha256: String },
    #[error("the installer is larger than {MAX_INSTALLER_BYTES} bytes")]
    TooLarge,
    #[error("cannot write to the update folder {path}: {error}")]
    Unwritable { path: PathBuf, error: std::io::Error },
}

/// The published updates, one per platform.
#[derive(Debug, Clone)]
pub struct UpdateShelf {
    dir: PathBuf,
}

impl UpdateShelf {
    /// The shelf in `data_dir/updates` (made when something is published).
    pub fn in_data_dir(data_dir: &Path) -> UpdateShelf {
        UpdateShelf { dir: data_dir.join("updates") }
    }

    fn offer_file(&self, target: UpdateTarget) -> PathBuf {
        self.dir.join(format!("{target}.offer.json"))
    }

    fn installer_file(&self, sha256: &str) -> PathBuf {
        self.dir.join("files").join(sha256)
    }

    /// Publishes `installer` with its release statement (`statement`) as version `version`:
    /// devices of the statement's platform are offered it from now on, in place of any
    /// earlier one. `notes` are the Ambito's words shown with it.
    pub fn publish(
        &self,
        installer: &Path,
        statement: &Path,
        version: Version,
        notes: &str,
        now_ms: u64,
    ) -> Result<ReleaseStatement, PublishError> {
        let unreadable = |path: &Path| {
            let path = path.to_owned();
            move |error| PublishError::Unreadable { path, error }
        };
        let text = std::fs::read_to_string(statement).map_err(unreadable(statement))?;
        let (stated, _) = ReleaseStatement::parse(&text)
            .map_err(|error| PublishError::BadStatement { path: statement.to_owned(), error })?;
        if stated.version != version {
            return Err(PublishError::OtherVersion { stated: stated.version, given: version });
        }
        if stated.size > MAX_INSTALLER_BYTES {
            return Err(PublishError::TooLarge);
        }
        let bytes = std::fs::read(installer).map_err(unreadable(installer))?;
        if ReleaseStatement::of_installer(stated.target, stated.version, &bytes) != stated {
            return Err(PublishError::NotTheStatedInstaller { size: stated.size, sha256: stated.sha256 });
        }
        let offer = UpdateOffer { statement: text, notes: notes.trim().to_owned(), published_ms: now_ms };
        let offer = serde_json::to_vec_pretty(&offer).expect("an offer serializes");
        let unwritable = |path: &Path| {
            let path = path.to_owned();
            move |error| PublishError::Unwritable { path, error }
        };
        let files = self.dir.join("files");
        std::fs::create_dir_all(&files).map_err(unwritable(&files))?;
        // Installer first, then the offer that names it, each written whole then renamed: a
        // device never reads an offer whose installer is not all there.
        let destination = self.installer_file(&stated.sha256);
        write_whole(&destination, &bytes).map_err(unwritable(&destination))?;
        let offer_file = self.offer_file(stated.target);
        write_whole(&offer_file, &offer).map_err(unwritable(&offer_file))?;
        self.forget_unoffered();
        Ok(stated)
    }

    /// What is offered to `target`'s devices, if anything.
    pub fn offer(&self, target: UpdateTarget) -> std::io::Result<Option<UpdateOffer>> {
        match std::fs::read(self.offer_file(target)) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(std::io::Error::other),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Every platform's offer, with its statement read back.
    pub fn offers(&self) -> std::io::Result<Vec<(ReleaseStatement, UpdateOffer)>> {
        let mut offers = Vec::new();
        for target in UpdateTarget::ALL {
            if let Some(offer) = self.offer(target)? {
                let (statement, _) = ReleaseStatement::parse(&offer.statement).map_err(std::io::Error::other)?;
                offers.push((statement, offer));
            }
        }
        Ok(offers)
    }

    /// Chunk `index` ([`SCAN_CHUNK_BYTES`] long but the last) of the installer named
    /// `sha256`, when an offer names it; `None` when none does or the chunk is past its end.
    pub fn chunk(&self, sha256: &str, index: u32) -> std::io::Result<Option<Vec<u8>>> {
        let offered = self.offers()?.into_iter().any(|(statement, _)| statement.sha256 == sha256);
        if !offered {
            return Ok(None);
        }
        let mut file = std::fs::File::open(self.installer_file(sha256))?;
        let start = u64::from(index) * SCAN_CHUNK_BYTES as u64;
        if start >= file.metadata()?.len() {
            return Ok(None);
        }
        file.seek(SeekFrom::Start(start))?;
        let mut chunk = Vec::with_capacity(SCAN_CHUNK_BYTES);
        file.take(SCAN_CHUNK_BYTES as u64).read_to_end(&mut chunk)?;
        Ok(Some(chunk))
    }

    /// Removes installers no offer names any more (a newer one replaced them).
    fn forget_unoffered(&self) {
        let Ok(offers) = self.offers() else { return };
        let Ok(entries) = std::fs::read_dir(self.dir.join("files")) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !offers.iter().any(|(statement, _)| name.to_str() == Some(statement.sha256.as_str())) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, synced, then renamed over it.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let partial = path.with_extension("partial");
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&partial, path)
}

#[cfg(test)]
mod tests {
    use data_encoding::HEXLOWER;
    use ring::rand::SystemRandom;
    use ring::signature::Ed25519KeyPair;

    use super::*;

    /// An installer of `size` bytes and its signed statement, in `folder`.
    pub(crate) fn release(folder: &Path, version: &str, size: usize) -> (PathBuf, PathBuf) {
        let bytes: Vec<u8> = (0..size).map(|n| (n % 251) as u8).collect();
        let installer = folder.join(format!("Porta_{version}_x64-setup.exe"));
        std::fs::write(&installer, &bytes).unwrap();
        let statement = ReleaseStatement::of_installer(UpdateTarget::WindowsNsis, version.parse().unwrap(), &bytes);
        let key =
            Ed25519KeyPair::from_pkcs8(Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap().as_ref()).unwrap();
        let signature = HEXLOWER.encode(key.sign(statement.signed_part().as_bytes()).as_ref());
        let statement_file = folder.join(format!("Porta_{version}_x64-setup.exe.porta-update"));
        std::fs::write(&statement_file, statement.text(&signature)).unwrap();
        (installer, statement_file)
    }

    #[test]
    fn a_published_installer_is_offered_and_served_in_chunks() {
        let folder = tempfile::tempdir().unwrap();
        let shelf = UpdateShelf::in_data_dir(folder.path());
        assert_eq!(shelf.offer(UpdateTarget::WindowsNsis).unwrap(), None);
        let size = SCAN_CHUNK_BYTES * 2 + 10;
        let (installer, statement) = release(folder.path(), "0.1.1", size);
        let published = shelf.publish(&installer, &statement, "0.1.1".parse().unwrap(), "Novità\n", 7).unwrap();
        let offer = shelf.offer(UpdateTarget::WindowsNsis).unwrap().unwrap();
        assert_eq!((offer.notes.as_str(), offer.published_ms), ("Novità", 7));
        assert_eq!(offer.statement, std::fs::read_to_string(&statement).unwrap(), "the statement travels verbatim");
        assert_eq!(shelf.offer(UpdateTarget::LinuxDeb).unwrap(), None, "another platform is offered nothing");
        let mut whole = Vec::new();
        for index in 0..3 {
            whole.extend(shelf.chunk(&published.sha256, index).unwrap().unwrap());
        }
        assert_eq!(whole, std::fs::read(&installer).unwrap());
        assert_eq!(shelf.chunk(&published.sha256, 3).unwrap(), None);
        assert_eq!(shelf.chunk(&"0".repeat(64), 0).unwrap(), None, "only offered installers are served");

        // A newer release replaces it, and the older installer goes.
        let newer = tempfile::tempdir().unwrap();
        let (installer, statement) = release(newer.path(), "0.1.2", 100);
        shelf.publish(&installer, &statement, "0.1.2".parse().unwrap(), "", 8).unwrap();
        assert_eq!(shelf.offers().unwrap().len(), 1);
        assert!(!shelf.installer_file(&published.sha256).exists());
        assert_eq!(shelf.chunk(&published.sha256, 0).unwrap(), None);
    }

    #[test]
    fn a_mismatched_installer_or_version_is_refused_and_changes_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let shelf = UpdateShelf::in_data_dir(folder.path());
        let (installer, statement) = release(folder.path(), "0.1.1", 1000);
        let error = shelf.publish(&installer, &statement, "0.1.2".parse().unwrap(), "", 1).unwrap_err();
        assert!(matches!(error, PublishError::OtherVersion { .. }), "{error}");
        let mut bytes = std::fs::read(&installer).unwrap();
        bytes[500] ^= 1;
        std::fs::write(&installer, bytes).unwrap();
        let error = shelf.publish(&installer, &statement, "0.1.1".parse().unwrap(), "", 1).unwrap_err();
        assert!(matches!(error, PublishError::NotTheStatedInstaller { .. }), "{error}");
        let error = shelf.publish(&installer, &installer, "0.1.1".parse().unwrap(), "", 1).unwrap_err();
        assert!(matches!(error, PublishError::BadStatement { .. } | PublishError::Unreadable { .. }), "{error}");
        assert!(!folder.path().join("updates").exists(), "nothing was written");
    }
}
