//! The data folder and its files for the person signed in alone, whatever the system's
//! defaults. On Linux the folder is 0700 and the files 0600, whatever the umask. On Windows the
//! folder and the files get an access list of their own, not inherited from the folders above
//! (`%APPDATA%`, or a folder an office chose), with one entry: full control for the Windows
//! account signed in — not the other users of the computer, not the groups the folders above
//! would pass down. Files made in the folder later inherit that entry. A folder that account
//! does not own (one that the office's IT made and shares) keeps the access list IT gave it.

use std::io;
use std::path::Path;

/// Makes `folder` readable, writable and enterable by its owner only.
pub fn restrict_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))?;
    }
    #[cfg(windows)]
    windows::for_the_user_alone(folder, windows::PassedDown::ToWhatIsMadeInside)?;
    #[cfg(not(any(unix, windows)))]
    let _ = folder;
    Ok(())
}

/// Makes `file` readable and writable by its owner only, if it exists.
pub fn restrict_file(file: &Path) -> io::Result<()> {
    #[cfg(unix)]
    let restricted = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
    };
    #[cfg(windows)]
    let restricted = windows::for_the_user_alone(file, windows::PassedDown::Never);
    #[cfg(not(any(unix, windows)))]
    let restricted: io::Result<()> = Ok(());
    match restricted {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Options that create a file readable and writable by its owner only. On Windows a file
/// made in a restricted folder inherits the folder's one entry.
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

#[cfg(windows)]
pub(crate) mod windows {
    use std::io;
    use std::path::Path;
    use windows_permissions::constants::{SeObjectType, SecurityInformation};
    use windows_permissions::wrappers::{GetNamedSecurityInfo, LookupAccountName, SetNamedSecurityInfo};
    use windows_permissions::{LocalBox, SecurityDescriptor};

    /// Whether the entry passes down to what is made inside a folder.
    #[derive(Debug, Clone, Copy)]
    pub(crate) enum PassedDown {
        ToWhatIsMadeInside,
        Never,
    }

    /// Replaces the access list of `path` with one entry, full control for the account signed
    /// in, protected from what the folders above pass down — when that account owns `path`.
    pub(crate) fn for_the_user_alone(path: &Path, passed_down: PassedDown) -> io::Result<()> {
        let owner = owner_of(path)?;
        if signed_in_account().as_deref() != Some(owner.as_str()) {
            return Ok(());
        }
        let wanted = access_list_for(&owner, passed_down)?;
        let access_list =
            wanted.dacl().ok_or_else(|| io::Error::other("the access list written for the owner is missing"))?;
        SetNamedSecurityInfo(
            path.as_os_str(),
            SeObjectType::SE_FILE_OBJECT,
            SecurityInformation::Dacl | SecurityInformation::ProtectedDacl,
            None,
            None,
            Some(access_list),
            None,
        )
    }

    /// A protected access list ("P" in SDDL) with one "allow" entry of every file right ("FA")
    /// for `account`.
    pub(crate) fn access_list_for(account: &str, passed_down: PassedDown) -> io::Result<LocalBox<SecurityDescriptor>> {
        let flags = match passed_down {
            PassedDown::ToWhatIsMadeInside => "OICI",
            PassedDown::Never => "",
        };
        format!("D:P(A;{flags};FA;;;{account})").parse()
    }

    /// The owner of `path`, as a SID (`S-1-5-21-…`).
    pub(crate) fn owner_of(path: &Path) -> io::Result<String> {
        let descriptor =
            GetNamedSecurityInfo(path.as_os_str(), SeObjectType::SE_FILE_OBJECT, SecurityInformation::Owner)?;
        descriptor.owner().map(ToString::to_string).ok_or_else(|| io::Error::other("the file has no owner"))
    }

    /// The account signed in (`%USERDOMAIN%\%USERNAME%`, as Windows sets them at logon), as a
    /// SID; `None` when Windows does not know it.
    pub(crate) fn signed_in_account() -> Option<String> {
        let name = std::env::var_os("USERNAME")?;
        let mut account = std::env::var_os("USERDOMAIN").unwrap_or_default();
        if !account.is_empty() {
            account.push("\\");
        }
        account.push(name);
        let (sid, _domain, _kind) = LookupAccountName(None::<&str>, account).ok()?;
        Some(sid.to_string())
    }

    /// The access list of `path` in SDDL, for the tests.
    #[cfg(test)]
    pub(crate) fn access_list_of(path: &Path) -> io::Result<String> {
        let descriptor =
            GetNamedSecurityInfo(path.as_os_str(), SeObjectType::SE_FILE_OBJECT, SecurityInformation::Dacl)?;
        Ok(descriptor.as_sddl()?.to_string_lossy().into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folder and a file in it end up for their owner alone: on Linux by mode bits, on
    /// Windows by an access list with one entry for the account signed in, protected from the
    /// folders above. CI runs this under Wine as "Zoë Ñandú Rossi"; Wine 8 keeps no access list
    /// for a file, only Unix mode bits, and adds what the folder above passes down even to a
    /// protected list, so there the test checks the list asked for and that the signed-in
    /// account (accented name, spaces) owns the folder and keeps full control of it.
    #[test]
    fn the_folder_and_its_files_are_for_their_owner_alone() {
        let parent = tempfile::tempdir().unwrap();
        let folder = parent.path().join("dati dell'ufficio");
        std::fs::create_dir(&folder).unwrap();
        restrict_folder(&folder).unwrap();
        let file = folder.join("porta.db");
        create_options().open(&file).unwrap();
        restrict_file(&file).unwrap();
        restrict_file(&folder.join("not-there")).unwrap();

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&folder), 0o700);
            assert_eq!(mode(&file), 0o600);
        }
        #[cfg(windows)]
        {
            let user = windows::signed_in_account().expect("Windows knows who is signed in");
            assert_eq!(windows::owner_of(&folder).unwrap(), user);
            let folder_list = windows::access_list_of(&folder).unwrap();
            let file_list = windows::access_list_of(&file).unwrap();
            if wine_keeps_only_mode_bits() {
                // What was asked of Wine, read back through the same security API…
                let asked = |passed_down| {
                    let list = windows::access_list_for(&user, passed_down).unwrap();
                    list.as_sddl().unwrap().to_string_lossy().into_owned()
                };
                assert_eq!(asked(windows::PassedDown::ToWhatIsMadeInside), format!("D:P(A;OICI;FA;;;{user})"));
                assert_eq!(asked(windows::PassedDown::Never), format!("D:P(A;;FA;;;{user})"));
                // …and what Wine makes of its mode bits: the account in full control.
                assert!(folder_list.contains(&format!("(A;OICI;FA;;;{user})")), "{folder_list}");
                assert!(file_list.contains(&format!("(A;;FA;;;{user})")), "{file_list}");
            } else {
                assert_eq!(folder_list, format!("D:P(A;OICI;FA;;;{user})"));
                assert_eq!(file_list, format!("D:P(A;;FA;;;{user})"));
            }
        }
    }

    /// Whether this "Windows" is Wine, which keeps its settings under `HKCU\Software\Wine`.
    #[cfg(windows)]
    fn wine_keeps_only_mode_bits() -> bool {
        std::process::Command::new("reg")
            .args(["query", r"HKCU\Software\Wine"])
            .output()
            .is_ok_and(|output| output.status.success())
    }
}
