//! Installing an update of Porta that the sync engine downloaded (`porta::updates`): at start,
//! before the window opens, so that no work can be in the middle of being typed.

use std::path::PathBuf;
use std::process::Command;

use porta::DataDir;
use porta::data_dir::DataDirHold;
use porta::updates::{UpdateFolder, UpdatePolicy, UpdateTarget};

/// The release key this build trusts (64 hex digits), given when it is built: by the release,
/// or by `cargo xtask` with the checkout's own development key. A build without one never
/// updates itself.
pub const RELEASE_KEY: Option<&str> = option_env!("PORTA_UPDATE_PUBLIC_KEY");

/// What this build may update itself to. Only a copy installed by its setup program updates
/// itself: on Windows the per-user setup's (one deployed with the MSI is the office IT's to
/// update), on Linux the `.deb`'s. A developer's build, run from `target/`, never downloads an
/// update nor asks for a password to install one.
pub fn policy() -> Option<UpdatePolicy> {
    if !installed_by_its_setup() {
        return None;
    }
    UpdatePolicy::for_build(RELEASE_KEY, crate::APP_VERSION)
}

/// Whether this program runs from where its setup program puts it: on Windows the per-user
/// setup's `%LOCALAPPDATA%\Programs\Porta`, on Linux the `.deb`'s `/usr/bin/porta`. A debug
/// build started by the end-to-end tests with `PORTA_E2E_AS_INSTALLED` counts as installed
/// (a release build ignores it).
fn installed_by_its_setup() -> bool {
    if cfg!(debug_assertions) && std::env::var_os("PORTA_E2E_AS_INSTALLED").is_some() {
        return true;
    }
    let Ok(program) = std::env::current_exe() else { return false };
    if cfg!(windows) {
        std::env::var_os("LOCALAPPDATA")
            .is_some_and(|local| program.starts_with(PathBuf::from(local).join("Programs").join("Porta")))
    } else {
        program == std::path::Path::new(INSTALLED_ON_LINUX)
    }
}

/// Where the `.deb` puts Porta (tauri.conf.json's `mainBinaryName`).
const INSTALLED_ON_LINUX: &str = "/usr/bin/porta";

/// Installs the update waiting in the data folder, if one is there and still checks out, and
/// answers what must start once this Porta has let go of the data folder, this process then
/// ending: the Windows setup program (it waits for this Porta to close, installs, and starts
/// the new one), or the new Porta the package manager has just installed. `None`: this
/// version starts; an update found changed on the disk is deleted first.
///
/// `_alone` proves that no other Porta runs on this data folder: a second launch while Porta
/// is open (even at the unlock screen) installs nothing under it.
pub fn install_waiting(data_dir: &DataDir, _alone: &DataDirHold) -> Option<Command> {
    let policy = policy()?;
    // Never under another Porta that has the folder open (another user's session): that one
    // installs it at its own next start.
    let _hold = data_dir.hold().ok()?;
    let folder = UpdateFolder::of(data_dir);
    let ready = match folder.ready(&policy) {
        Ok(ready) => ready?,
        Err(error) => {
            tracing::warn!(%error, "the waiting update was deleted instead of installed");
            return None;
        }
    };
    tracing::info!(version = %ready.version, "installing the update downloaded earlier");
    if let Err(error) = folder.installing(&ready) {
        // Without the note, a setup program that fails would run again at every start.
        tracing::error!(%error, "the update cannot be noted as started; not installed");
        return None;
    }
    match ready.target {
        UpdateTarget::WindowsNsis => Some(ready.install_command()),
        // The package manager asks for an administrator's password; refused, this version
        // starts and the update waits for the next start. Installed, the new Porta is started
        // from where the package put it: this process's own file is the replaced one now
        // (`current_exe` would name it "/usr/bin/porta (deleted)").
        UpdateTarget::LinuxDeb => {
            match ready.install_command().status() {
                Ok(status) if status.success() => {
                    let mut updated = Command::new(INSTALLED_ON_LINUX);
                    updated.args(std::env::args_os().skip(1));
                    return Some(updated);
                }
                Ok(status) => tracing::warn!(%status, "the update was not installed"),
                Err(error) => tracing::error!(%error, "the package manager cannot be started"),
            }
            // Known not to have installed (the password was not given, or there is no
            // `pkexec`): asked again at the next start, not counted as an installation that
            // did not take.
            if let Err(error) = folder.installation_declined() {
                tracing::error!(%error, "the update folder cannot be written");
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use porta::DataDir;

    /// A build run from `target/` (this test, as a developer's `cargo xtask run`) is not an
    /// installed copy: it neither downloads updates nor asks for a password at start.
    #[test]
    fn a_build_run_from_the_checkout_does_not_update_itself() {
        assert!(std::env::var_os("PORTA_E2E_AS_INSTALLED").is_none(), "run outside the end-to-end tests");
        assert!(!super::installed_by_its_setup());
        assert!(super::policy().is_none());
        let folder = tempfile::tempdir().unwrap();
        let data_dir = DataDir::resolve(Some(folder.path().to_path_buf())).unwrap();
        let alone = data_dir.hold_while_running().unwrap();
        assert!(super::install_waiting(&data_dir, &alone).is_none());
    }
}
