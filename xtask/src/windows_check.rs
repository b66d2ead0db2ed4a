//! What CI checks on the Windows build, every run: the installers' size, signatures and
//! contents, and — under Wine, in a Windows made fresh for the check — that both install,
//! put Porta where an office looks for it, and uninstall without touching the data folder.

use std::path::{Path, PathBuf};
use std::process::Command;

use porta_wire::update::{ReleaseStatement, UpdateTarget, public_key_from_hex};

use crate::checking::{expect, expect_line, holds_within, run, said};
use crate::windows::{Bundle, MAX_INSTALLER_BYTES, Signing};

/// Microsoft Edge WebView2 Runtime's client key, which both installers look for.
const WEBVIEW2_CLIENT: &str = r"HKLM\SOFTWARE\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}";

/// Where the per-user setup program lists Porta in Programs and Features.
const UNINSTALL_KEY: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\it.porta.pua";

/// Every check, in order; the first that fails stops with what it found.
pub fn check(root: &Path, bundle: &Bundle, signing: &Signing) -> Result<(), String> {
    let version = crate::VERSION;
    for installer in [&bundle.setup, &bundle.msi] {
        let bytes = std::fs::metadata(installer).map_err(|error| format!("{}: {error}", installer.display()))?.len();
        eprintln!("{}: {:.1} MB", installer.display(), bytes as f64 / 1e6);
        if bytes > MAX_INSTALLER_BYTES {
            return Err(format!("{} is {bytes} bytes, over the {MAX_INSTALLER_BYTES} allowed", installer.display()));
        }
    }
    for file in [&bundle.app, &bundle.server, &bundle.setup, &bundle.msi] {
        signing.verify(file)?;
    }
    // The verification itself can fail: one byte changed in a copy of the setup program.
    let tampered = bundle.setup.with_file_name("tampered-setup.exe");
    let mut bytes = std::fs::read(&bundle.setup).map_err(|error| error.to_string())?;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&tampered, bytes).map_err(|error| error.to_string())?;
    let refused = signing.verify(&tampered);
    std::fs::remove_file(&tampered).map_err(|error| error.to_string())?;
    expect(refused.is_err(), "a setup program changed after signing fails verification", &format!("{refused:?}"))?;
    eprintln!("signatures: porta.exe, porta-server.exe, the setup program and the MSI verify");
    msi_tables(&bundle.msi, version)?;
    setup_payload(&bundle.setup)?;

    let wine = Wine::fresh(root)?;
    let said = wine.output(&bundle.app, &["--version"])?;
    expect_line(&said, &format!("porta {version}"), "porta.exe --version")?;
    let said = wine.output(&bundle.server, &["--version"])?;
    expect_line(&said, &format!("porta-server {version}"), "porta-server.exe --version")?;
    eprintln!("under Wine: porta.exe and porta-server.exe --version say {version}");
    update_statement_is_published(root, &wine, bundle, version)?;
    setup_installs_and_uninstalls(&wine, bundle, signing, version)?;
    installed_porta_updates_itself(root, &wine, bundle, signing, version)?;
    msi_installs_and_uninstalls(&wine, bundle)?;
    fixed_runtime_travels(root, &wine, bundle, signing)
}

/// A release that embeds the fixed-version WebView2 runtime (`PORTA_WEBVIEW2_RUNTIME`): both
/// installers carry it into `WebView2Runtime\` and install without the Evergreen runtime.
/// Microsoft's runtime is not on this machine, so a stand-in folder of its shape is packaged
/// with this build's porta.exe; that a release's porta.exe looks there is Tauri's doing
/// (`TAURI_CONFIG`, set by `bundle`), which no check here can run (it needs a real WebView2).
fn fixed_runtime_travels(root: &Path, wine: &Wine, bundle: &Bundle, signing: &Signing) -> Result<(), String> {
    let out = root.join("target/windows/fixed-runtime-check");
    let runtime = out.join("runtime");
    let engine = runtime.join("EBWebView/x64");
    std::fs::create_dir_all(&engine).map_err(|error| format!("{}: {error}", engine.display()))?;
    for (file, text) in
        [(runtime.join("msedgewebview2.exe"), "stand-in"), (engine.join("EmbeddedBrowserWebView.dll"), "stand-in")]
    {
        std::fs::write(&file, text).map_err(|error| format!("{}: {error}", file.display()))?;
    }
    let stage = bundle.app.parent().ok_or("the staged porta.exe has no folder")?;
    let installers = crate::windows::package(root, stage, &out, signing, Some(&runtime), crate::VERSION)?;
    let listed = setup_listing(&installers.setup)?;
    let carried =
        listed.iter().any(|name| name.replace('\\', "/") == "WebView2Runtime/EBWebView/x64/EmbeddedBrowserWebView.dll");
    expect(carried, "the setup program carries the runtime's files", &listed.join("\n"))?;
    let msi_files = msi_table(&installers.msi, "File")?;
    expect(msi_files.contains("msedgewebview2.exe"), "the MSI's File table lists the runtime", &msi_files)?;
    let conditions = msi_table(&installers.msi, "LaunchCondition")?;
    expect(!conditions.contains("WEBVIEW2"), "an MSI with the runtime asks for no Evergreen runtime", &conditions)?;

    // No Evergreen runtime on this Windows: both install all the same.
    let _ = wine.output("reg", &["delete", WEBVIEW2_CLIENT, "/f", "/reg:32"]);
    wine.run_to_end(&installers.setup, &["/S"])?;
    let programs = wine.user_folder("AppData/Local").join("Programs/Porta");
    let placed = programs.join("WebView2Runtime/EBWebView/x64/EmbeddedBrowserWebView.dll");
    expect(placed.is_file(), "the setup program puts the runtime beside porta.exe", &placed.display())?;
    wine.run_to_end(&programs.join("uninstall.exe"), &["/S"])?;
    expect(!programs.join("WebView2Runtime").exists(), "the uninstaller removes the runtime", &programs.display())?;
    let msi = wine.windows_path(&installers.msi)?;
    wine.output("msiexec", &["/i", &msi, "/qn"])?;
    let placed = wine.drive_c("Program Files").join("Porta/WebView2Runtime/msedgewebview2.exe");
    expect(placed.is_file(), "the MSI installs the runtime without Evergreen", &placed.display())?;
    wine.output("msiexec", &["/x", &msi, "/qn"])?;
    expect(!placed.exists(), "msiexec /x removes the runtime", &placed.display())?;
    eprintln!("fixed WebView2 runtime: carried by both installers, installed without Evergreen, removed");
    Ok(())
}

/// The setup program's release statement verifies against the release key the build compiled
/// in, with the code the app verifies it with, and names the setup program as it is; the
/// Windows server publishes it for devices, and refuses a setup program changed since.
fn update_statement_is_published(root: &Path, wine: &Wine, bundle: &Bundle, version: &str) -> Result<(), String> {
    let key = crate::release_key::ReleaseKey::load(root)?;
    let public_key = public_key_from_hex(key.public_hex()).ok_or("the release key's public half is not 32 bytes")?;
    let text = std::fs::read_to_string(&bundle.statement).map_err(|error| error.to_string())?;
    let statement = ReleaseStatement::verified(&text, &public_key)
        .map_err(|error| format!("{}: {error}", bundle.statement.display()))?;
    let setup = std::fs::read(&bundle.setup).map_err(|error| error.to_string())?;
    let names_the_setup = statement.version.to_string() == version
        && statement == ReleaseStatement::of_installer(UpdateTarget::WindowsNsis, statement.version, &setup);
    expect(names_the_setup, "the release statement names the signed setup program", &text)?;

    let data = wine.drive_c("porta-server");
    let data = wine.windows_path(&data)?;
    let server = |args: &[&str]| -> Result<String, String> {
        let mut all = vec!["--data-dir", data.as_str()];
        all.extend_from_slice(args);
        wine.output(&bundle.server, &all)
    };
    server(&["init", "--ambito", "Ambito di prova", "--office", "PUA"])?;
    // A copy changed by one byte, beside the genuine statement: refused.
    let tampered = bundle.setup.with_file_name("tampered-update-setup.exe");
    let mut bytes = setup.clone();
    bytes[setup.len() / 3] ^= 0x01;
    std::fs::write(&tampered, bytes).map_err(|error| error.to_string())?;
    let statement_path = wine.windows_path(&bundle.statement)?;
    let refused = server(&[
        "updates",
        "publish",
        &wine.windows_path(&tampered)?,
        "--version",
        version,
        "--statement",
        &statement_path,
    ]);
    std::fs::remove_file(&tampered).map_err(|error| error.to_string())?;
    expect(
        refused.as_ref().is_err_and(|error| error.contains("not the one its statement names")),
        "porta-server.exe refuses to publish a setup program that is not the one its statement names",
        &format!("{refused:?}"),
    )?;
    server(&["updates", "publish", &wine.windows_path(&bundle.setup)?, "--version", version, "--notes", "Prova"])?;
    let listed = server(&["updates", "list"])?;
    expect(
        listed.lines().any(|line| line.starts_with(&format!("windows-x86_64-nsis\t{version}\t"))),
        "porta-server.exe offers the setup program to Windows devices",
        &listed,
    )?;
    eprintln!(
        "update: the setup program's statement verifies; porta-server.exe publishes it and refuses a changed copy"
    );
    Ok(())
}

/// The MSI's tables, read back with `msiinfo`: the file, the shortcut, the name and version
/// that Programs and Features shows, and the WebView2 launch condition.
fn msi_tables(msi: &Path, version: &str) -> Result<(), String> {
    let table = |name: &str| msi_table(msi, name);
    let tables = run(Command::new("msiinfo").arg("tables").arg(msi))?;
    eprintln!(
        "MSI tables: {}",
        String::from_utf8_lossy(&tables.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let file = table("File")?;
    for name in ["porta.exe", "WebView2Loader.dll"] {
        expect(file.lines().any(|line| line.contains(name)), &format!("the MSI's File table lists {name}"), &file)?;
    }
    let shortcut = table("Shortcut")?;
    expect(shortcut.contains("Porta"), "the MSI's Shortcut table has the Start-menu entry", &shortcut)?;
    let property = table("Property")?;
    let has = |name: &str, value: &str| property.lines().any(|line| line == format!("{name}\t{value}"));
    expect(has("ProductVersion", version), "the MSI's ProductVersion is the app's", &property)?;
    expect(has("Manufacturer", "Ambito Territoriale Sociale"), "the MSI names the publisher", &property)?;
    expect(has("ProductLanguage", "1040"), "the MSI is in Italian", &property)?;
    let condition = table("LaunchCondition")?;
    expect(condition.contains("WEBVIEW2_MACHINE"), "the MSI checks for WebView2 before installing", &condition)?;
    let message = "Per usare Porta serve Microsoft Edge WebView2 Runtime";
    expect(condition.contains(message), "the MSI says in Italian what to do without WebView2", &condition)?;
    eprintln!("MSI: porta.exe, the Start-menu entry, version {version}, the WebView2 condition");
    Ok(())
}

/// One table of an MSI, as `msiinfo export` writes it.
fn msi_table(msi: &Path, name: &str) -> Result<String, String> {
    let out = run(Command::new("msiinfo").arg("export").arg(msi).arg(name))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The files a setup program carries, listed with 7-Zip (which reads NSIS archives).
fn setup_listing(setup: &Path) -> Result<Vec<String>, String> {
    let out = run(Command::new("7zz").arg("l").arg(setup))?;
    let listing = String::from_utf8_lossy(&out.stdout);
    // The files are the lines between the two dashed rules, each name from the 54th column.
    Ok(listing
        .lines()
        .skip_while(|line| !line.starts_with("-----"))
        .skip(1)
        .take_while(|line| !line.starts_with("-----"))
        .filter_map(|line| line.get(53..))
        .map(|name| name.trim().to_owned())
        .collect())
}

/// The setup program's payload: the app, WebView2's loader and the uninstaller.
fn setup_payload(setup: &Path) -> Result<(), String> {
    let names = setup_listing(setup)?;
    let listing = names.join("\n  ");
    eprintln!("setup payload:\n  {listing}");
    for carried in ["porta.exe", "WebView2Loader.dll", "uninstall.exe"] {
        let found = names.iter().any(|name| name == carried);
        expect(found, &format!("the setup program carries {carried}"), &listing)?;
    }
    Ok(())
}

/// The per-user setup program, silent as an office's IT runs it: Porta in the user's programs,
/// in the Start menu and in Programs and Features; the uninstaller signed; then uninstalled,
/// leaving the data folder as it was.
fn setup_installs_and_uninstalls(wine: &Wine, bundle: &Bundle, signing: &Signing, version: &str) -> Result<(), String> {
    wine.run_to_end(&bundle.setup, &["/S"])?;
    let programs = wine.user_folder("AppData/Local").join("Programs/Porta");
    let installed = programs.join("porta.exe");
    expect(installed.exists(), "the setup program installs porta.exe in the user's programs", &programs.display())?;
    signing.verify(&programs.join("uninstall.exe"))?;
    let said = wine.output(&installed, &["--version"])?;
    expect_line(&said, &format!("porta {version}"), "the installed porta.exe --version")?;
    let start_menu = wine.user_folder("AppData/Roaming").join("Microsoft/Windows/Start Menu/Programs/Porta.lnk");
    expect(start_menu.exists(), "the setup program adds Porta to the Start menu", &start_menu.display())?;
    let entry = wine.output("reg", &["query", UNINSTALL_KEY])?;
    for expected in [format!("DisplayVersion REG_SZ {version}"), "Publisher REG_SZ Ambito Territoriale Sociale".into()]
    {
        let found = entry.lines().any(|line| line.split_whitespace().collect::<Vec<_>>().join(" ") == expected);
        expect(found, &format!("Programs and Features shows {expected}"), &entry)?;
    }
    eprintln!("setup: installed for the user, in the Start menu and in Programs and Features");

    // What an operator has in the data folder by then: it must survive the uninstall.
    let data = wine.user_folder("AppData/Roaming").join("Porta/Porta/data");
    std::fs::create_dir_all(&data).map_err(|error| format!("cannot create {}: {error}", data.display()))?;
    let database = data.join("porta.db");
    std::fs::write(&database, b"the operator's encrypted database").map_err(|error| error.to_string())?;
    wine.run_to_end(&programs.join("uninstall.exe"), &["/S"])?;
    expect(!installed.exists(), "the uninstaller removes porta.exe", &programs.display())?;
    expect(!start_menu.exists(), "the uninstaller removes the Start-menu entry", &start_menu.display())?;
    let gone = wine.output("reg", &["query", UNINSTALL_KEY]);
    expect(gone.is_err(), "the uninstaller removes Porta from Programs and Features", &format!("{gone:?}"))?;
    let kept = std::fs::read(&database).unwrap_or_default();
    expect(
        kept == b"the operator's encrypted database",
        "a silent uninstall keeps the data folder",
        &database.display(),
    )?;
    eprintln!("setup: uninstalled silently, the data folder kept");
    Ok(())
}

/// An installed Porta updates itself as an office's does, nobody at the keyboard: the next
/// release's setup program waits in the data folder as the sync engine leaves it there
/// (`updates\`: the signed release statement and the installer); at its next start porta.exe
/// checks it again, runs it (`/S /RUN`) and closes, and the setup program puts the new
/// porta.exe in place and starts it, which finds itself updated and tidies the folder. A setup
/// program changed on the disk after its download is deleted, never run.
fn installed_porta_updates_itself(
    root: &Path,
    wine: &Wine,
    bundle: &Bundle,
    signing: &Signing,
    version: &str,
) -> Result<(), String> {
    let next = crate::windows::next_release(root, signing)?;
    wine.run_to_end(&bundle.setup, &["/S"])?;
    let programs = wine.user_folder("AppData/Local").join("Programs/Porta");
    let installed = programs.join("porta.exe");
    let updates = wine.user_folder("AppData/Roaming").join("Porta/Porta/data/updates");
    let statement = updates.join("ready.porta-update");
    let installer = updates.join(format!("Porta-{}.exe", next.version));
    let leave_waiting = |changed: bool| -> Result<(), String> {
        std::fs::create_dir_all(&updates).map_err(|error| format!("{}: {error}", updates.display()))?;
        let notes = updates.join("ready.notes");
        std::fs::write(&notes, "Prova").map_err(|error| format!("{}: {error}", notes.display()))?;
        std::fs::copy(&next.statement, &statement).map_err(|error| format!("{}: {error}", statement.display()))?;
        let mut bytes = std::fs::read(&next.setup).map_err(|error| format!("{}: {error}", next.setup.display()))?;
        if changed {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x01;
        }
        std::fs::write(&installer, bytes).map_err(|error| format!("{}: {error}", installer.display()))
    };
    let displayed_version = || -> Result<String, String> {
        let entry = wine.output("reg", &["query", UNINSTALL_KEY, "/v", "DisplayVersion"])?;
        Ok(entry
            .lines()
            .find_map(|line| line.split_whitespace().nth(2).filter(|_| line.contains("DisplayVersion")))
            .unwrap_or_default()
            .to_owned())
    };

    // Changed after the download: deleted at start, and this version opens.
    leave_waiting(true)?;
    wine.start_until(&installed, "a changed setup program is deleted, not run", || {
        !statement.exists() && !installer.exists()
    })?;
    expect_line(
        &wine.output(&installed, &["--version"])?,
        &format!("porta {version}"),
        "porta.exe after a changed update",
    )?;
    let shown = displayed_version()?;
    expect(shown == version, &format!("Programs and Features still shows version {version}"), &shown)?;

    // The new Porta, started by the setup program, finds itself updated and empties updates\.
    leave_waiting(false)?;
    wine.start_until(&installed, "the update is installed and the new Porta has started", || {
        std::fs::read_dir(&updates).is_ok_and(|mut left| left.next().is_none())
    })?;
    expect_line(
        &wine.output(&installed, &["--version"])?,
        &format!("porta {}", next.version),
        "the updated porta.exe --version",
    )?;
    let shown = displayed_version()?;
    expect(shown == next.version, &format!("Programs and Features shows version {}", next.version), &shown)?;
    wine.run_to_end(&programs.join("uninstall.exe"), &["/S"])?;
    eprintln!(
        "update: an installed {version} updated itself to {} at start; a changed setup program was deleted, not run",
        next.version
    );
    Ok(())
}

/// The MSI, as central deployment runs it (`msiexec /qn`): refused while WebView2 is missing,
/// installed for every user once it is there, and removed.
fn msi_installs_and_uninstalls(wine: &Wine, bundle: &Bundle) -> Result<(), String> {
    let msi = wine.windows_path(&bundle.msi)?;
    let program_files = wine.drive_c("Program Files").join("Porta");
    let log = wine.user_folder("Temp").join("porta-msi-refused.log");
    let refused = wine.output("msiexec", &["/i", &msi, "/qn", "/l*v", &wine.windows_path(&log)?]);
    expect(refused.is_err(), "the MSI refuses to install without WebView2", &format!("{refused:?}"))?;
    // Refused for that reason: the launch conditions failed (Wine logs an action that failed
    // as "Return value 0", Windows as 3; the message itself goes to the screen, not the log).
    let said = std::fs::read(&log).map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default();
    let failed = said
        .lines()
        .any(|line| line.contains("LaunchConditions. Return value") && !line.trim_end().ends_with("Return value 1."));
    expect(failed, "the refusal comes from the WebView2 launch condition", &said)?;
    expect(!program_files.join("porta.exe").exists(), "a refused MSI installs nothing", &program_files.display())?;

    // WebView2 as the Evergreen runtime registers itself, in the registry's 32-bit view.
    wine.output("reg", &["add", WEBVIEW2_CLIENT, "/v", "pv", "/d", "131.0.2903.70", "/f", "/reg:32"])?;
    wine.output("msiexec", &["/i", &msi, "/qn"])?;
    expect(
        program_files.join("porta.exe").exists(),
        "the MSI installs porta.exe under Program Files",
        &program_files.display(),
    )?;
    // Windows puts a per-machine shortcut in every user's Start menu (ProgramData); Wine's
    // msiexec resolves ProgramMenuFolder to the installing user's: either is the Start menu.
    let shortcuts = [
        wine.drive_c("ProgramData").join("Microsoft/Windows/Start Menu/Programs/Porta.lnk"),
        wine.user_folder("AppData/Roaming").join("Microsoft/Windows/Start Menu/Programs/Porta.lnk"),
    ];
    let in_start_menu = || shortcuts.iter().any(|shortcut| shortcut.exists());
    expect(in_start_menu(), "the MSI adds Porta to the Start menu", &format!("{shortcuts:?}"))?;
    wine.output("msiexec", &["/x", &msi, "/qn"])?;
    expect(!program_files.join("porta.exe").exists(), "msiexec /x removes porta.exe", &program_files.display())?;
    expect(!in_start_menu(), "msiexec /x removes the Start-menu entry", &format!("{shortcuts:?}"))?;
    eprintln!("MSI: refused without WebView2, installed under Program Files with it, removed");
    Ok(())
}

/// A Windows under Wine, made fresh in `target/windows/wine` for the check.
struct Wine {
    prefix: PathBuf,
}

impl Wine {
    fn fresh(root: &Path) -> Result<Self, String> {
        let prefix = root.join("target/windows/wine");
        if prefix.exists() {
            std::fs::remove_dir_all(&prefix).map_err(|error| format!("cannot remove {}: {error}", prefix.display()))?;
        }
        crate::prerequisites::make_wine_prefix(root, &prefix)?;
        Ok(Self { prefix })
    }

    /// One of Wine's tools (`wine`, `wineserver`, `winepath`) working in this Windows, as the
    /// tests' user.
    fn tool(&self, tool: &str) -> Command {
        let mut command = Command::new(tool);
        command
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("USER", crate::prerequisites::WINDOWS_TEST_USER);
        command
    }

    /// Runs a Windows program (a path, or one of Wine's own: `reg`, `msiexec`) and returns what
    /// it printed; an exit status other than 0 is an error.
    fn output(&self, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Result<String, String> {
        said(self.tool("wine").arg(program).args(args))
    }

    /// Runs a program and waits until every process it started has ended (an NSIS uninstaller
    /// runs on from a copy of itself).
    fn run_to_end(&self, program: &Path, args: &[&str]) -> Result<(), String> {
        self.output(program, args)?;
        run(self.tool("wineserver").arg("-w")).map(drop)
    }

    /// Starts a program as an operator does, waits until `done` holds (at most two minutes),
    /// then ends every program of this Windows. Porta started here finds no WebView2 and waits
    /// with an invisible window: what it did before (an update installed, or refused) is what
    /// the check looks at.
    fn start_until(&self, program: &Path, what: &str, done: impl Fn() -> bool) -> Result<(), String> {
        let mut started = self.tool("wine");
        started.arg(program).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
        let mut child = started.spawn().map_err(|error| format!("cannot run {started:?}: {error}"))?;
        let held = holds_within(std::time::Duration::from_secs(120), done);
        let _ = self.tool("wineserver").arg("-k").status();
        let _ = child.wait();
        expect(held, what, &format!("not within two minutes of starting {}", program.display()))
    }

    /// A folder of drive C:, as a path on this machine (`Program Files`, `ProgramData`).
    fn drive_c(&self, folder: &str) -> PathBuf {
        self.prefix.join("drive_c").join(folder)
    }

    /// A folder of the tests' user profile (`AppData/Roaming` is `%APPDATA%`, `AppData/Local`
    /// `%LOCALAPPDATA%`, `Temp` Wine's `%TEMP%`). Read from the prefix rather than asked of
    /// `cmd`, which answers in the console's code page, not in UTF-8.
    fn user_folder(&self, folder: &str) -> PathBuf {
        self.drive_c("users").join(crate::prerequisites::WINDOWS_TEST_USER).join(folder)
    }

    /// A path on this machine as Windows programs under Wine name it.
    fn windows_path(&self, path: &Path) -> Result<String, String> {
        let out = run(self.tool("winepath").arg("-w").arg(path))?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }
}
