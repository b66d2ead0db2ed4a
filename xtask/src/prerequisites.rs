//! Installs what the commands need and this machine lacks, or says exactly what to install.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::steps::must;

/// What the command about to run needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Building and opening the app.
    App,
    /// Everything `App` needs, plus the Windows build and its installers' tools.
    Windows,
    /// Everything `Windows` needs, plus the end-to-end test tools.
    Tests,
}

/// Debian packages to build and run the Tauri app (WebKitGTK and friends).
const APP_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "fonts-dejavu-core",
];

/// Debian packages for the tests: a virtual display and WebKit's WebDriver for the end-to-end
/// tests, a D-Bus session bus (the single-instance test), and poppler's `pdftotext` and
/// `pdftoppm`, which read back the person-facing PDFs.
const TEST_PACKAGES: &[&str] = &["xvfb", "webkit2gtk-driver", "python3-venv", "dbus-daemon", "poppler-utils"];

/// Debian packages for the Windows build, its installers and the checks that run them under
/// Wine: MinGW-w64, NSIS, wixl and msiinfo (msitools), osslsigncode, 7-Zip (which lists an
/// NSIS setup's payload) and OpenSSL (a throw-away signing certificate).
const WINDOWS_PACKAGES: &[&str] =
    &["gcc-mingw-w64-x86-64", "wine64", "wine", "nsis", "wixl", "msitools", "osslsigncode", "7zip", "openssl"];

/// The Rust target of the Windows build (MinGW-w64: built here, without Microsoft's tools).
pub const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

/// The tauri-driver major version that matches Tauri 2.
const TAURI_DRIVER_VERSION: &str = "^2";

pub fn ensure(root: &Path, needs: Needs) -> Result<(), String> {
    let windows = matches!(needs, Needs::Windows | Needs::Tests);
    let mut packages = APP_PACKAGES.to_vec();
    if windows {
        packages.extend_from_slice(WINDOWS_PACKAGES);
    }
    if needs == Needs::Tests {
        packages.extend_from_slice(TEST_PACKAGES);
    }
    system_packages(&packages)?;
    npm_packages(root)?;
    if windows {
        windows_target()?;
        make_wine_prefix(root, &wine_prefix_path(root))?;
    }
    if needs == Needs::Tests {
        tauri_driver()?;
        e2e_venv(root)?;
    }
    Ok(())
}

fn windows_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).lines().any(|line| line == WINDOWS_TARGET));
    if installed {
        return Ok(());
    }
    eprintln!("==> adding the Rust target {WINDOWS_TARGET} (rustup)");
    let mut add = Command::new("rustup");
    add.args(["target", "add", WINDOWS_TARGET]);
    must(add, &format!("add the Rust target {WINDOWS_TARGET}"))
}

/// The Wine prefix the Windows tests run in (a Windows of their own under `target/`).
pub fn wine_prefix_path(root: &Path) -> PathBuf {
    root.join("target/wine/operator")
}

/// The Windows user the tests run as: Wine names the profile folder after `USER`, so every
/// path of the tests (`%APPDATA%`, `%TEMP%`) has accented letters and spaces, as a municipal
/// operator's may.
pub const WINDOWS_TEST_USER: &str = "Zoë Ñandú Rossi";

/// Makes a Wine prefix once, with the test-only `bcryptprimitives.dll` that Wine 8 lacks
/// and Rust's standard library needs (`xtask/wine/bcryptprimitives.c`).
pub fn make_wine_prefix(root: &Path, prefix: &Path) -> Result<(), String> {
    let shim = prefix.join("drive_c/windows/system32/bcryptprimitives.dll");
    if shim.exists() {
        return Ok(());
    }
    eprintln!("==> making a Wine prefix for the Windows checks ({})", prefix.display());
    let boot = || {
        std::fs::create_dir_all(prefix).map_err(|error| format!("could not create {}: {error}", prefix.display()))?;
        let mut boot = Command::new("wineboot");
        boot.arg("-i").env("WINEPREFIX", prefix).env("WINEDEBUG", "-all").env("USER", WINDOWS_TEST_USER);
        must(boot, "make the Wine prefix (wineboot -i)")
    };
    // Seen once on a busy machine: wineboot ended with "could not load kernel32.dll" and worked
    // when run again. A second try starts from nothing.
    if let Err(error) = boot() {
        eprintln!("{error}; trying once more");
        let _ = Command::new("wineserver").arg("-k").env("WINEPREFIX", prefix).status();
        std::fs::remove_dir_all(prefix).map_err(|error| format!("could not remove {}: {error}", prefix.display()))?;
        boot()?;
    }
    let source = root.join("xtask/wine");
    let mut build = Command::new("x86_64-w64-mingw32-gcc");
    build
        .args(["-shared", "-O2", "-o"])
        .arg(&shim)
        .arg(source.join("bcryptprimitives.c"))
        .arg(source.join("bcryptprimitives.def"))
        .arg("-ladvapi32");
    must(build, "build the test-only bcryptprimitives.dll with MinGW-w64")
}

/// `program` run as the administrator: directly when this is root, else through `sudo`
/// (which keeps `DEBIAN_FRONTEND`, `DISPLAY` and `PORTA_DATA_DIR` if they are set).
pub fn as_administrator(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let as_root = Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.trim_ascii() == b"0");
    if as_root {
        return Command::new(program);
    }
    let mut command = Command::new("sudo");
    command.arg("--preserve-env=DEBIAN_FRONTEND,DISPLAY,PORTA_DATA_DIR").arg(program);
    command
}

/// Whether the Debian package `package` is installed.
pub fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).starts_with("install ok installed"))
}

fn system_packages(packages: &[&str]) -> Result<(), String> {
    let have_apt = Command::new("apt-get").arg("--version").output().is_ok_and(|out| out.status.success());
    if !have_apt {
        return Err(format!(
            "this is not a Debian or Ubuntu system, so the packages cannot be installed for you.\n\
             Install the equivalents of these Debian packages, then run the command again:\n  {}",
            packages.join(" ")
        ));
    }
    let missing: Vec<&str> = packages.iter().copied().filter(|package| !is_installed(package)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("==> installing system packages: {}", missing.join(" "));
    let apt = |args: &[&str]| {
        let mut command = as_administrator("apt-get");
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    must(apt(&["update", "-q"]), "update the package lists (apt-get update)")?;
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(&missing);
    must(install, &format!("install {}", missing.join(" ")))
}

/// `npm ci` when `node_modules` is missing or older than the lock file.
fn npm_packages(root: &Path) -> Result<(), String> {
    let ui = root.join("ui");
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|meta| meta.modified()).ok();
    let installed = modified(ui.join("node_modules/.package-lock.json"));
    let locked = modified(ui.join("package-lock.json"));
    if installed.is_some() && installed >= locked {
        return Ok(());
    }
    eprintln!("==> installing the UI's npm packages (npm ci)");
    let mut npm = Command::new("npm");
    npm.args(["ci", "--no-audit", "--no-fund"]).current_dir(&ui);
    must(npm, "install the npm packages; is Node.js 20.19 or newer installed?")
}

fn tauri_driver() -> Result<(), String> {
    let works = Command::new("tauri-driver").arg("--help").output().is_ok_and(|out| out.status.success());
    if works {
        return Ok(());
    }
    eprintln!("==> installing tauri-driver (cargo install, about a minute)");
    let mut install = Command::new("cargo");
    install.args(["install", "tauri-driver", "--locked", "--version", TAURI_DRIVER_VERSION]);
    must(install, "install tauri-driver")
}

/// The Python of the end-to-end tests' virtual environment.
pub fn e2e_python(root: &Path) -> PathBuf {
    root.join("target/e2e-venv/bin/python")
}

/// A virtual environment with `e2e/requirements.txt`, remade when the requirements change.
fn e2e_venv(root: &Path) -> Result<(), String> {
    let venv = root.join("target/e2e-venv");
    let requirements = root.join("e2e/requirements.txt");
    let wanted =
        std::fs::read_to_string(&requirements).map_err(|error| format!("cannot read e2e/requirements.txt: {error}"))?;
    let stamp = venv.join("requirements.installed");
    if e2e_python(root).exists() && std::fs::read_to_string(&stamp).is_ok_and(|have| have == wanted) {
        return Ok(());
    }
    eprintln!("==> preparing the end-to-end test environment (target/e2e-venv)");
    let mut create = Command::new("python3");
    create.args(["-m", "venv", "--clear"]).arg(&venv);
    must(create, "create a Python virtual environment (is python3 installed?)")?;
    let mut install = Command::new(e2e_python(root));
    install.args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"]).arg(&requirements);
    must(install, "install the end-to-end test packages")?;
    std::fs::write(&stamp, wanted).map_err(|error| format!("cannot write {}: {error}", stamp.display()))
}
