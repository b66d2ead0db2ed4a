//! A full disk does not lock an operator out (issue 17): the right passphrase still opens the
//! store and the folders can be read; what cannot be written says so. The data folder lives
//! on a small tmpfs filled to the last byte (the tests run as root, on Linux, as CI does).
#![cfg(target_os = "linux")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use ring::rand::SystemRandom;

use porta::clock::SystemClock;
use porta::folder::person::PersonDetails;
use porta::store::{FirstRun, Store};
use porta::{DataDir, ErrorCode, UserFacingError};

/// A tmpfs of `size` mounted on a fresh folder, unmounted when dropped.
struct SmallDisk {
    mount_point: PathBuf,
    _parent: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let parent = tempfile::tempdir().unwrap();
        let mount_point = parent.path().join("disco");
        std::fs::create_dir(&mount_point).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&mount_point)
            .status();
        assert!(
            mounted.is_ok_and(|status| status.success()),
            "mounting a tmpfs needs root (CI and the development machines run as root)"
        );
        SmallDisk { mount_point, _parent: parent }
    }

    /// Writes until the disk is full.
    fn fill(&self) {
        let mut filler = std::fs::File::create(self.mount_point.join("riempitivo")).unwrap();
        let block = vec![0u8; 64 * 1024];
        while filler.write_all(&block).and_then(|()| filler.sync_all()).is_ok() {}
        let mut crumbs = std::fs::File::options().append(true).open(self.mount_point.join("riempitivo")).unwrap();
        while crumbs.write_all(&[0u8]).and_then(|()| crumbs.sync_all()).is_ok() {}
    }

    fn path(&self) -> &Path {
        &self.mount_point
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.mount_point).status();
    }
}

#[test]
fn the_right_passphrase_opens_the_store_on_a_full_disk() {
    let disk = SmallDisk::mount("48m");
    let data_dir = DataDir::resolve(Some(disk.path().join("Porta"))).unwrap();
    let first = FirstRun::example("Portatile");
    let (mut store, _) = Store::set_up(&data_dir, first, &SystemClock, &SystemRandom::new()).unwrap();
    let person = PersonDetails { family_name: "Ndiaye".into(), given_names: "Awa".into(), ..Default::default() };
    let folder = store.create_person(&person, &SystemClock).unwrap();
    store.lock();
    disk.fill();

    // A wrong passphrase first: its failure cannot be counted, and the message says why.
    let wrong = Store::unlock(&data_dir, "admin", "non è la frase giusta", &SystemClock).unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::KeyFileUnusable, "{wrong:?}");

    let mut store = Store::unlock(&data_dir, "admin", FirstRun::EXAMPLE_PASSPHRASE, &SystemClock).unwrap();
    let found = store.search_people("Ndiaye", None, 5).unwrap();
    assert_eq!(found.len(), 1, "the folders can be found");
    // Opening a folder writes its access-log line first: on a full disk it is refused, and
    // says what to do; so is writing.
    let opening = store.person(folder, &SystemClock).unwrap_err();
    assert_eq!(opening.code(), ErrorCode::DiskFull);
    let said = porta::ErrorPayload::localized(&opening, &porta::Localizer::new(), porta::Locale::It).message;
    assert!(said.contains("Libera spazio"), "{said}");
    let another = PersonDetails { family_name: "Sow".into(), ..Default::default() };
    assert_eq!(store.create_person(&another, &SystemClock).unwrap_err().code(), ErrorCode::DiskFull);
    store.lock();

    // Space freed: everything works again, the folder is still there.
    std::fs::remove_file(disk.path().join("riempitivo")).unwrap();
    let mut store = Store::unlock(&data_dir, "admin", FirstRun::EXAMPLE_PASSPHRASE, &SystemClock).unwrap();
    assert_eq!(store.person(folder, &SystemClock).unwrap().details.given_names, "Awa");
    store.create_person(&another, &SystemClock).unwrap();
}
