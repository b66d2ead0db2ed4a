//! The Linux half of the update round trip, as CI runs it (`cargo xtask update-check`): Porta
//! installed from its `.deb` finds the next release waiting in its data folder (`updates/`, as
//! the sync engine leaves it there after a download), checks it again at start, has the
//! package manager install it and starts the new version, which finds itself updated and
//! tidies the folder; a package changed on the disk after its download is deleted, never
//! installed. The Windows half is `windows_check`'s.
//!
//! The packages are the test build's (debug, so that nothing is compiled in release mode for
//! the check) made into `.deb`s by Tauri's own bundler, as `cargo xtask bundle` makes a
//! release's. The check installs and removes the `porta` package on this machine, so it runs
//! as the administrator (CI runs as root; otherwise through `sudo`), and it refuses to touch a
//! Porta that was installed by anyone but an earlier run of itself.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use porta_wire::update::UpdateTarget;

use crate::checking::{expect, expect_line, holds_within, run, said};
use crate::prerequisites::{self, Needs, as_administrator};
use crate::steps::must;
use crate::{VERSION, cmd, release_key};

/// The Debian package, and where it puts Porta (tauri.conf.json's `mainBinaryName`).
const PACKAGE: &str = "porta";
const INSTALLED: &str = "/usr/bin/porta";
/// There while a Porta this check installed may be on the machine: a run cut short (CI's
/// time limit) leaves it, and the next run removes that Porta before starting.
const INSTALLED_BY_THE_CHECK: &str = "/var/tmp/porta-update-check.installed";
/// How long a start of Porta may take to do what it is watched for.
const PATIENCE: Duration = Duration::from_secs(180);

/// Builds both packages, goes through the round trip, and removes Porta again whatever its
/// outcome.
pub fn check(root: &Path) -> Result<(), String> {
    prerequisites::ensure(root, Needs::Tests)?;
    let work = root.join("target/linux-update");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|error| format!("cannot create {}: {error}", work.display()))?;
    let releases = Releases::build(root, &work)?;
    remove_an_earlier_checks_porta()?;
    run(as_administrator("touch").arg(INSTALLED_BY_THE_CHECK))?;
    let outcome = updates_itself(&work, &releases);
    let removed = run(as_administrator("apt-get").args(["purge", "--yes", "-q", PACKAGE]))
        .and_then(|_| run(as_administrator("rm").arg("-rf").arg(work.join("data")).arg(INSTALLED_BY_THE_CHECK)));
    outcome?;
    removed?;
    eprintln!(
        "update (.deb): an installed {VERSION} updated itself to {} through apt at start; \
         a changed package was deleted, not installed; Porta removed",
        releases.next_version
    );
    Ok(())
}

/// A Porta installed earlier: removed if this check left it, else a reason to stop.
fn remove_an_earlier_checks_porta() -> Result<(), String> {
    if !prerequisites::is_installed(PACKAGE) {
        return Ok(());
    }
    if !Path::new(INSTALLED_BY_THE_CHECK).exists() {
        return Err(format!(
            "Porta is installed on this machine (package {PACKAGE}) and this check would replace it: \
             remove it first (apt-get purge {PACKAGE}), or run the check on another machine"
        ));
    }
    eprintln!("update (.deb): removing the Porta an earlier, interrupted check installed");
    run(as_administrator("apt-get").args(["purge", "--yes", "-q", PACKAGE])).map(drop)
}

/// This checkout's package and the next release's, with its signed release statement.
struct Releases {
    current: PathBuf,
    next: PathBuf,
    next_version: String,
    next_statement: PathBuf,
}

impl Releases {
    /// The next release first: the test build is left as it was, at this version.
    fn build(root: &Path, work: &Path) -> Result<Releases, String> {
        let next_version = crate::next_version()?;
        let next = package(root, work, Some(&next_version))?;
        let current = package(root, work, None)?;
        let next_statement =
            release_key::ReleaseKey::load(root)?.sign_installer(&next, UpdateTarget::LinuxDeb, &next_version)?;
        Ok(Releases { current, next, next_version, next_statement })
    }
}

/// The test build's Porta as a `.deb` in `work`, its version raised to `version` when given
/// (`TAURI_CONFIG`: only the app's own crate is compiled again).
fn package(root: &Path, work: &Path, version: Option<&str>) -> Result<PathBuf, String> {
    let config = version.map(|version| format!(r#"{{"version":"{version}"}}"#));
    // The test build's selection, so that cargo reuses what it compiled (`cargo xtask test`).
    let mut build = cmd(root, ".", "cargo", &["build", "--workspace", "--exclude", "porta-bench", "--bins", "--tests"]);
    if let Some(config) = &config {
        build.env("TAURI_CONFIG", config);
    }
    must(build, "build the app for its .deb")?;
    let debug = crate::cargo_output_dir(root).join("debug");
    // Tauri's bundler takes the program by the name the package installs it under.
    std::fs::copy(debug.join("porta-desktop"), debug.join(PACKAGE))
        .map_err(|error| format!("cannot copy the app to {}: {error}", debug.join(PACKAGE).display()))?;
    let tauri_cli = root.join("ui/node_modules/.bin/tauri");
    let mut bundle = cmd(
        root,
        ".",
        tauri_cli.to_str().ok_or("the checkout's path is not UTF-8")?,
        &["bundle", "--debug", "--bundles", "deb", "--ci"],
    );
    if let Some(config) = &config {
        bundle.args(["--config", config]);
    }
    must(bundle, "make the .deb (tauri bundle)")?;
    let name = format!("Porta_{}_amd64.deb", version.unwrap_or(VERSION));
    let made = debug.join("bundle/deb").join(&name);
    let kept = work.join(&name);
    std::fs::rename(&made, &kept).map_err(|error| format!("cannot move {}: {error}", made.display()))?;
    // The bundler's staging copy and the renamed program: a program's size each, not kept.
    for left in [debug.join("bundle"), debug.join(PACKAGE)] {
        let _ = std::fs::remove_dir_all(&left).or_else(|_| std::fs::remove_file(&left));
    }
    Ok(kept)
}

/// Installs this version, leaves the next one waiting (changed, then as released) and starts
/// Porta each time as an office's computer would.
fn updates_itself(work: &Path, releases: &Releases) -> Result<(), String> {
    run(as_administrator("apt-get").args(["install", "--yes", "-q"]).arg(&releases.current))?;
    expect_line(&said(Command::new(INSTALLED).arg("--version"))?, &format!("porta {VERSION}"), "the installed Porta")?;
    let data = work.join("data");
    let updates = data.join("updates");
    let statement = updates.join("ready.porta-update");
    let installer = updates.join(format!("Porta-{}.deb", releases.next_version));
    let leave_waiting = |changed: bool| -> Result<(), String> {
        let mut bytes =
            std::fs::read(&releases.next).map_err(|error| format!("{}: {error}", releases.next.display()))?;
        if changed {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x01;
        }
        let download = work.join("download.deb");
        std::fs::write(&download, bytes).map_err(|error| format!("{}: {error}", download.display()))?;
        run(as_administrator("mkdir").arg("-p").arg(&updates))?;
        run(as_administrator("cp").arg(&releases.next_statement).arg(&statement))?;
        run(as_administrator("cp").arg(&download).arg(&installer)).map(drop)
    };
    let exists =
        |path: &Path| as_administrator("test").arg("-e").arg(path).status().is_ok_and(|status| status.success());
    let installed_version = || said(Command::new("dpkg-query").args(["-W", "-f=${Version}", PACKAGE]));

    // Changed after the download: deleted at start, never installed; this version opens.
    leave_waiting(true)?;
    start_porta(work, &data, "a changed package is deleted, not installed", || {
        !exists(&statement) && !exists(&installer)
    })?;
    let version = installed_version()?;
    expect(version == VERSION, &format!("the package manager still has Porta {VERSION}"), &version)?;

    // As released: installed through apt, and the new Porta, started from where the package
    // put it, finds itself updated and empties updates/.
    leave_waiting(false)?;
    start_porta(work, &data, "the update is installed and the new Porta has started", || {
        !exists(&statement) && !exists(&installer) && installed_version().is_ok_and(|v| v == releases.next_version)
    })?;
    let left = said(as_administrator("find").arg(&updates).args(["-mindepth", "1"]))?;
    expect(left.trim().is_empty(), "the updated Porta emptied updates/", &left)?;
    expect_line(
        &said(Command::new(INSTALLED).arg("--version"))?,
        &format!("porta {}", releases.next_version),
        "the updated Porta",
    )
}

/// Starts the installed Porta on `data` with a display of its own until `done` holds, then
/// ends it (and any Porta it started) by taking the display away.
fn start_porta(work: &Path, data: &Path, what: &str, done: impl Fn() -> bool) -> Result<(), String> {
    let display = Display::start()?;
    let log = work.join("porta.log");
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .map_err(|error| format!("{}: {error}", log.display()))?;
    let mut porta = as_administrator(INSTALLED);
    porta
        .env("PORTA_DATA_DIR", data)
        .env("DISPLAY", &display.name)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|error| error.to_string())?)
        .stderr(log);
    let mut started = porta.spawn().map_err(|error| format!("cannot run {porta:?}: {error}"))?;
    let held = holds_within(PATIENCE, done);
    drop(display);
    let _ = started.wait();
    // Every Porta on the display ends with it; one still starting may take a moment.
    let ended = Instant::now() + Duration::from_secs(30);
    while Command::new("pgrep")
        .args(["-x", PACKAGE])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
    {
        if Instant::now() > ended {
            return Err("a Porta started by the check did not end with its display".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    expect(
        held,
        what,
        &format!(
            "not within {} s of starting {INSTALLED} (see {})",
            PATIENCE.as_secs(),
            work.join("porta.log").display()
        ),
    )
}

/// An X display of its own (Xvfb), closed with every window on it when dropped.
struct Display {
    server: Child,
    name: String,
}

impl Display {
    fn start() -> Result<Display, String> {
        let mut server = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1280x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot start Xvfb: {error}"))?;
        // Xvfb writes the display's number once it accepts connections.
        let mut number = String::new();
        let read = server.stdout.take().map(|out| std::io::BufReader::new(out).read_line(&mut number));
        match (read, number.trim().parse::<u32>()) {
            (Some(Ok(_)), Ok(number)) => Ok(Display { server, name: format!(":{number}") }),
            _ => {
                let _ = server.kill();
                let _ = server.wait();
                Err("Xvfb did not say which display it opened".into())
            }
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
