//! The data folder and its files readable by their owner only: on Linux the folder is 0700
//! and the files 0600, whatever the umask. On Windows the per-user application-data folder
//! (`%APPDATA%`) already carries an ACL for the user alone (with SYSTEM and the
//! administrators), and files inherit it; nothing is changed there.

use std::io;
use std::path::Path;

/// Makes `folder` readable, writable and enterable by its owner only.
pub fn restrict_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))?;
    }
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

/// Makes `file` readable and writable by its owner only, if it exists.
pub fn restrict_file(file: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            other => other?,
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Options that create a file readable and writable by its owner only.
pub fn create_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}
