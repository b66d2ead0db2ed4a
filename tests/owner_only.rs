//! The data folder and every file in it are readable by their owner only (`owner_only.rs`).
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;

use ring::rand::SystemRandom;

use porta::DataDir;
use porta::clock::SystemClock;
use porta::store::{FirstRun, Store};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_data_folder_and_every_file_in_it_are_the_owners_alone() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("Porta");
    let data_dir = DataDir::resolve(Some(root.clone())).unwrap();
    assert_eq!(mode(&root), 0o700);
    let (mut store, _) =
        Store::set_up(&data_dir, FirstRun::example("Portatile"), &SystemClock, &SystemRandom::new()).unwrap();
    store
        .create_person(
            &porta::folder::person::PersonDetails { family_name: "Rossi".into(), ..Default::default() },
            &SystemClock,
        )
        .unwrap();
    porta::Settings::default().save(&data_dir.settings_file()).unwrap();
    let files: Vec<_> = std::fs::read_dir(&root).unwrap().map(|entry| entry.unwrap().path()).collect();
    assert!(files.len() >= 3, "{files:?}");
    for file in files {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}
