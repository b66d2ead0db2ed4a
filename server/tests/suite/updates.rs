//! Updates of Porta through the Ambito's server: a release published with
//! `porta-server updates publish` reaches an enrolled device of its platform, which checks it
//! against the release key before keeping it; a tampered statement or installer is refused and
//! nothing of it is kept; an older release is never taken.

use std::path::Path;

use data_encoding::HEXLOWER;
use porta::clock::SystemClock;
use porta::sync::client::{SyncClient, UpdateFetchError};
use porta::updates::{UpdateError, UpdateFolder, UpdatePolicy};
use porta_server::updates::UpdateShelf;
use porta_wire::update::{ReleaseStatement, StatementError, UpdateTarget};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};

use crate::common::{Server, device};

/// The release key, and what a release writes: an installer and its statement, in `folder`.
struct Release {
    key: Ed25519KeyPair,
}

impl Release {
    fn new() -> Release {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        Release { key: Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap() }
    }

    /// The policy of a build at `current` that trusts this key.
    fn build(&self, current: &str) -> UpdatePolicy {
        UpdatePolicy {
            target: UpdateTarget::WindowsNsis,
            current: current.parse().unwrap(),
            public_key: self.key.public_key().as_ref().try_into().unwrap(),
        }
    }

    /// Writes the installer of `version` (`size` bytes) and its signed statement to `folder`.
    fn write(&self, folder: &Path, version: &str, size: usize) -> (std::path::PathBuf, std::path::PathBuf) {
        let bytes: Vec<u8> = (0..size).map(|n| (n * 31 % 253) as u8).collect();
        let statement = ReleaseStatement::of_installer(UpdateTarget::WindowsNsis, version.parse().unwrap(), &bytes);
        let signature = HEXLOWER.encode(self.key.sign(statement.signed_part().as_bytes()).as_ref());
        let installer = folder.join(format!("Porta_{version}_x64-setup.exe"));
        std::fs::write(&installer, &bytes).unwrap();
        let statement_file = folder.join(format!("Porta_{version}_x64-setup.exe.porta-update"));
        std::fs::write(&statement_file, statement.text(&signature)).unwrap();
        (installer, statement_file)
    }
}

/// The server with its data folder (where `updates publish` puts what it publishes), the
/// release key, and an enrolled device with its own data folder.
struct Scene {
    data: tempfile::TempDir,
    _server: Server,
    device_dir: tempfile::TempDir,
    laptop: std::sync::Mutex<Option<porta::store::Store>>,
    client: SyncClient,
    release: Release,
    folder: UpdateFolder,
}

impl Scene {
    async fn new() -> Scene {
        let data = tempfile::tempdir().unwrap();
        let server = Server::start_with_updates(UpdateShelf::in_data_dir(data.path())).await;
        let (device_dir, laptop) = device("Computer sportello 1");
        let client = SyncClient::new(&server.base);
        let code = server.code("Computer sportello 1", 10);
        client.enroll(&laptop, &code, &SystemClock, &SystemRandom::new()).await.unwrap();
        let folder = updates_of(&device_dir);
        Scene { data, _server: server, device_dir, laptop, client, release: Release::new(), folder }
    }

    fn shelf(&self) -> UpdateShelf {
        UpdateShelf::in_data_dir(self.data.path())
    }

    /// Publishes a release of `version` (`size` bytes) with `notes`; answers the installer.
    fn publish(&self, version: &str, size: usize, notes: &str) -> std::path::PathBuf {
        let (installer, statement) = self.release.write(self.data.path(), version, size);
        self.shelf().publish(&installer, &statement, version.parse().unwrap(), notes, 1).unwrap();
        installer
    }

    /// What a device at `current` that trusts `key` fetches into `folder`.
    async fn fetch_as(
        &self,
        key: &Release,
        current: &str,
        folder: &UpdateFolder,
    ) -> Result<Option<porta::updates::ReadyUpdate>, UpdateFetchError> {
        let policy = key.build(current);
        self.client.fetch_update(&self.laptop, &SystemClock, &SystemRandom::new(), &policy, folder).await
    }

    /// What the device, at `current` and trusting the release key, fetches.
    async fn fetch(&self, current: &str) -> Result<Option<porta::updates::ReadyUpdate>, UpdateFetchError> {
        self.fetch_as(&self.release, current, &self.folder).await
    }
}

fn updates_of(device_dir: &tempfile::TempDir) -> UpdateFolder {
    UpdateFolder::of(&porta::DataDir::resolve(Some(device_dir.path().to_owned())).unwrap())
}

#[tokio::test]
async fn a_published_release_reaches_the_device_checked_and_waits_for_the_next_start() {
    let scene = Scene::new().await;
    // Nothing published: nothing to fetch.
    assert_eq!(scene.fetch("0.1.0").await.unwrap(), None);

    // 0.1.1, over several chunks, published as the Ambito's IT does.
    let installer = scene.publish("0.1.1", porta::sync::protocol::SCAN_CHUNK_BYTES * 3 + 17, "Stampe più veloci");
    let ready = scene.fetch("0.1.0").await.unwrap().expect("0.1.1 is newer than 0.1.0");
    assert_eq!((ready.version.to_string(), ready.notes.as_str()), ("0.1.1".to_owned(), "Stampe più veloci"));
    assert_eq!(std::fs::read(&ready.installer).unwrap(), std::fs::read(&installer).unwrap());
    // At the next start it is found again, checked again.
    assert_eq!(scene.folder.ready(&scene.release.build("0.1.0")).unwrap(), Some(ready.clone()));
    // Asked again, nothing is downloaded twice: the same ready update.
    assert_eq!(scene.fetch("0.1.0").await.unwrap(), Some(ready));

    // A device already at 0.1.1, or at a later version, takes nothing.
    for current in ["0.1.1", "0.2.0"] {
        let other = tempfile::tempdir().unwrap();
        let taken = scene.fetch_as(&scene.release, current, &updates_of(&other)).await.unwrap();
        assert_eq!(taken, None, "a device at {current} is offered no downgrade");
    }
}

#[tokio::test]
async fn a_tampered_statement_or_installer_or_another_key_is_refused_and_nothing_kept() {
    let scene = Scene::new().await;
    scene.publish("0.1.1", 300_000, "");
    let offer_file = scene.data.path().join("updates/windows-x86_64-nsis.offer.json");
    let published = std::fs::read_to_string(&offer_file).unwrap();
    let nothing_kept = || {
        let dir = scene.device_dir.path().join("updates");
        let kept: Vec<_> = std::fs::read_dir(&dir).map(|entries| entries.flatten().collect()).unwrap_or_default();
        assert!(kept.is_empty(), "{kept:?}");
        assert_eq!(scene.folder.ready(&scene.release.build("0.1.0")).unwrap(), None);
    };
    let not_signed = |refused: &Result<_, UpdateFetchError>| {
        matches!(refused, Err(UpdateFetchError::Refused(UpdateError::NotSigned(StatementError::BadSignature))))
    };

    // Someone with the server's files raises the version in the statement.
    std::fs::write(&offer_file, published.replace("version 0.1.1", "version 0.9.0")).unwrap();
    let refused = scene.fetch("0.1.0").await;
    assert!(not_signed(&refused), "{refused:?}");
    nothing_kept();

    // A build that trusts another key refuses the genuine statement.
    std::fs::write(&offer_file, &published).unwrap();
    let refused = scene.fetch_as(&Release::new(), "0.1.0", &scene.folder).await;
    assert!(not_signed(&refused), "{refused:?}");
    nothing_kept();

    // The installer on the server is changed after publishing: downloaded, found not to
    // match, deleted.
    let files = scene.data.path().join("updates/files");
    let on_server = std::fs::read_dir(&files).unwrap().next().unwrap().unwrap().path();
    let mut bytes = std::fs::read(&on_server).unwrap();
    bytes[150_000] ^= 0x20;
    std::fs::write(&on_server, &bytes).unwrap();
    let refused = scene.fetch("0.1.0").await;
    assert!(matches!(refused, Err(UpdateFetchError::Refused(UpdateError::Damaged))), "{refused:?}");
    nothing_kept();
}

#[tokio::test]
async fn a_download_cut_halfway_goes_on_from_the_chunks_that_arrived() {
    let scene = Scene::new().await;
    let chunk = porta::sync::protocol::SCAN_CHUNK_BYTES;
    let bytes = std::fs::read(scene.publish("0.1.1", chunk * 2 + 99, "")).unwrap();
    let sha256 = HEXLOWER.encode(ring::digest::digest(&ring::digest::SHA256, &bytes).as_ref());

    // The first chunk arrived and part of the second, before the link dropped.
    let updates = scene.device_dir.path().join("updates");
    std::fs::create_dir_all(&updates).unwrap();
    std::fs::write(updates.join(format!("{sha256}.partial")), &bytes[..chunk + 1000]).unwrap();
    let ready = scene.fetch("0.1.0").await.unwrap().expect("completed");
    assert_eq!(std::fs::read(&ready.installer).unwrap(), bytes);

    // The chunks that arrived are not asked for again: a first chunk kept wrong makes the
    // whole mismatch, and the device starts from nothing after that.
    scene.folder.clear().unwrap();
    let mut wrong = bytes[..chunk].to_vec();
    wrong[0] ^= 1;
    std::fs::write(updates.join(format!("{sha256}.partial")), &wrong).unwrap();
    let refused = scene.fetch("0.1.0").await;
    assert!(matches!(refused, Err(UpdateFetchError::Refused(UpdateError::Damaged))), "{refused:?}");
    let ready = scene.fetch("0.1.0").await.unwrap().expect("fetched whole");
    assert_eq!(std::fs::read(ready.installer).unwrap(), bytes);
}
