//! The TypeScript bindings checked into `ui/src/bindings/` match the Rust types.
//!
//! Run with `PORTA_BLESS_BINDINGS=1` (or `cargo xtask bindings`) to rewrite them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn read_dir_files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "ts"))
                .map(|path| {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(&path).unwrap())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn checked_in_typescript_bindings_are_current() {
    let checked_in_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
    let fresh_dir = tempfile::tempdir().unwrap();
    porta_desktop::bindings::write_bindings(fresh_dir.path()).unwrap();
    let fresh = read_dir_files(fresh_dir.path());
    assert!(fresh.contains_key("AppInfo.ts") && fresh.contains_key("MessageId.ts"), "{:?}", fresh.keys());

    if std::env::var_os("PORTA_BLESS_BINDINGS").is_some() {
        std::fs::create_dir_all(&checked_in_dir).unwrap();
        for stale in read_dir_files(&checked_in_dir).keys().filter(|name| !fresh.contains_key(*name)) {
            std::fs::remove_file(checked_in_dir.join(stale)).unwrap();
        }
        for (name, text) in &fresh {
            std::fs::write(checked_in_dir.join(name), text).unwrap();
        }
    }

    let checked_in = read_dir_files(&checked_in_dir);
    let stale: Vec<&String> =
        fresh.keys().chain(checked_in.keys()).filter(|name| fresh.get(*name) != checked_in.get(*name)).collect();
    assert!(
        stale.is_empty(),
        "ui/src/bindings is out of date for {stale:?}: run `cargo xtask bindings` and commit the result"
    );
}
