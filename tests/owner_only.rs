//! The data folder and every file in it are readable by their owner only (`owner_only.rs`),
//! in a folder whose name has spaces and non-ASCII letters, like many users' names.
#![cfg(unix)]

use ring::rand::SystemRandom;

use porta::DataDir;
use porta::clock::SystemClock;
use porta::store::{FirstRun, Store};

fn owners_alone(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let wanted = if path.is_dir() { 0o700 } else { 0o600 };
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777 == wanted
}

#[test]
fn the_data_folder_and_every_file_in_it_are_the_owners_alone() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("Nicolò D'Amato").join("Porta");
    let data_dir = DataDir::resolve(Some(root.clone())).unwrap();
    assert!(owners_alone(&root), "{}", root.display());
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
        assert!(owners_alone(&file), "{}", file.display());
    }
}
