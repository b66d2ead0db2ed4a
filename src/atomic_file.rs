//! Replacing a small file so that a crash leaves either the old contents or the new.

use std::io::{self, Write};
use std::path::Path;

/// Writes `contents` to `path` through a temporary sibling, flushed to disk, then renamed over.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let partial = path.with_extension(match path.extension() {
        Some(ext) => format!("{}.partial", ext.to_string_lossy()),
        None => "partial".to_owned(),
    });
    // Readable by its owner only from the first byte (a key file, the settings).
    let mut file = crate::owner_only::create_options().open(&partial)?;
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&partial, path)?;
    // Persist the rename itself; directories cannot be opened for syncing on Windows.
    #[cfg(unix)]
    if let Some(parent) = path.parent() {
        std::fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_file_is_replaced_and_no_partial_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        super::write(&path, b"one").unwrap();
        super::write(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["settings.toml"]);
    }
}
