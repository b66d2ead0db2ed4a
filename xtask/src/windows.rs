//! Porta for Windows, built on this Linux machine: the cross build with MinGW-w64, the two
//! installers from the sources in `installer/windows/`, their Authenticode signatures, and
//! the checks CI runs on them under Wine.
//!
//! Tauri's own bundler is not used for Windows: it downloads its NSIS and WiX helpers from the
//! internet, which the release machine need not reach. `makensis` (NSIS 3) and `wixl`
//! (msitools) build the same kinds of installer from sources kept in the repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use porta_wire::update::UpdateTarget;

use crate::prerequisites::{self, Needs, WINDOWS_TARGET};
use crate::steps::must;
use crate::{VERSION, cmd, release_key};

/// The cargo profile of the Windows build (`Cargo.toml`: optimised for size, hot paths for speed).
const PROFILE: &str = "windows-release";

/// What every Windows build selects: the profile, the target, and the same packages with their
/// test-only dependencies. Cargo resolves the dependencies' features once per selection, so the
/// test run under Wine (`cargo test … --lib --test suite`) and the installers' build (`cargo
/// build … --bins --test suite`) share every compiled dependency: the tests run on the code
/// the installers ship, and the optimised build is made once, not once for each.
const BUILD_SELECTION: [&str; 10] = [
    "--profile",
    PROFILE,
    "--target",
    WINDOWS_TARGET,
    "--package",
    "porta",
    "--package",
    "porta-server",
    "--package",
    "porta-desktop",
];

/// The largest installer CI lets through, WebView2 runtime not included (issue 20).
pub const MAX_INSTALLER_BYTES: u64 = 15 * 1024 * 1024;

/// Where a release that embeds Microsoft's fixed-version WebView2 runtime puts it, beside
/// porta.exe; Tauri points WebView2 there at start when the build says so (`TAURI_CONFIG`).
pub const FIXED_RUNTIME_FOLDER: &str = "WebView2Runtime";

/// The fixed-version WebView2 runtime a release embeds: `PORTA_WEBVIEW2_RUNTIME` names the
/// folder extracted from Microsoft's `Microsoft.WebView2.FixedVersionRuntime.<version>.x64.cab`
/// (the one holding `msedgewebview2.exe`). Without it, the installers rely on the Evergreen
/// runtime that Windows 11 and current Windows 10 have.
pub fn fixed_runtime_from_env() -> Result<Option<PathBuf>, String> {
    let Some(folder) = std::env::var_os("PORTA_WEBVIEW2_RUNTIME").map(PathBuf::from) else { return Ok(None) };
    if !folder.join("msedgewebview2.exe").is_file() {
        return Err(format!(
            "PORTA_WEBVIEW2_RUNTIME is {}, which holds no msedgewebview2.exe: give the folder \
             extracted from Microsoft.WebView2.FixedVersionRuntime.<version>.x64.cab",
            folder.display()
        ));
    }
    Ok(Some(folder))
}

/// `cargo <subcommand>` over the Windows build's selection (`BUILD_SELECTION`), then `args`.
pub fn cargo(root: &Path, subcommand: &str, args: &[&str]) -> Command {
    let mut command = cmd(root, ".", "cargo", &[&[subcommand], &BUILD_SELECTION[..], args].concat());
    command.env("CARGO_TARGET_DIR", cargo_target_dir(root));
    command
}

/// Where cargo builds for Windows: `PORTA_WINDOWS_TARGET_DIR` when it is set, else where the
/// Linux build goes (`cargo_output_dir`). CI keeps it outside the clone, so that the optimised
/// Windows dependencies (twenty minutes and more on two cores) are compiled once per machine
/// rather than once per run; the workspace's own crates are compiled again for each clone.
fn cargo_target_dir(root: &Path) -> PathBuf {
    std::env::var_os("PORTA_WINDOWS_TARGET_DIR").map_or_else(|| crate::cargo_output_dir(root), PathBuf::from)
}

/// Where the Windows build puts what it makes (`target/windows/`).
fn out_dir(root: &Path) -> PathBuf {
    root.join("target/windows")
}

/// The certificate that signs the executables and installers.
#[derive(Debug)]
pub struct Signing {
    certificate: PathBuf,
    key: PathBuf,
    /// An RFC 3161 time-stamping service, so signatures outlive the certificate (release only).
    timestamp_url: Option<String>,
    /// A throw-away certificate made here: what CI signs with, never a release.
    throw_away: bool,
}

impl Signing {
    /// The release certificate from `PORTA_SIGNING_CERT` and `PORTA_SIGNING_KEY` (PEM files),
    /// or else a throw-away one made in `target/windows/test-signing/`.
    pub fn from_env_or_throw_away(root: &Path) -> Result<Self, String> {
        match (std::env::var_os("PORTA_SIGNING_CERT"), std::env::var_os("PORTA_SIGNING_KEY")) {
            (Some(certificate), Some(key)) => Ok(Self {
                certificate: certificate.into(),
                key: key.into(),
                timestamp_url: std::env::var("PORTA_SIGNING_TIMESTAMP_URL").ok(),
                throw_away: false,
            }),
            (None, None) => Self::throw_away(root),
            _ => Err("give both PORTA_SIGNING_CERT and PORTA_SIGNING_KEY, or neither".into()),
        }
    }

    fn throw_away(root: &Path) -> Result<Self, String> {
        let dir = out_dir(root).join("test-signing");
        let (certificate, key) = (dir.join("certificate.pem"), dir.join("key.pem"));
        // Made afresh each time (a second's work), so that it never expires under a kept target.
        std::fs::create_dir_all(&dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
        let mut make = Command::new("openssl");
        make.args(["req", "-x509", "-newkey", "rsa:3072", "-nodes", "-days", "30", "-subj"])
            .arg("/CN=Porta test signing (not for release)")
            .args(["-addext", "keyUsage=critical,digitalSignature,keyCertSign"])
            .args(["-addext", "extendedKeyUsage=codeSigning"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&certificate);
        must(make, "make a throw-away signing certificate (openssl req)")?;
        Ok(Self { certificate, key, timestamp_url: None, throw_away: true })
    }

    /// Signs `file` in place (SHA-256 Authenticode).
    fn sign(&self, file: &Path) -> Result<(), String> {
        let signed = file.with_extension("signing");
        let mut sign = Command::new("osslsigncode");
        sign.arg("sign")
            .arg("-certs")
            .arg(&self.certificate)
            .arg("-key")
            .arg(&self.key)
            .args(["-h", "sha256", "-n", "Porta"]);
        if let Some(url) = &self.timestamp_url {
            sign.args(["-ts", url]);
        }
        sign.arg("-in").arg(file).arg("-out").arg(&signed);
        must(sign, &format!("sign {}", file.display()))?;
        std::fs::rename(&signed, file).map_err(|error| format!("cannot replace {}: {error}", file.display()))
    }

    /// Checks `file`'s signature against the certificate's authority (the throw-away
    /// certificate is its own).
    pub fn verify(&self, file: &Path) -> Result<(), String> {
        let authorities = if self.throw_away {
            self.certificate.clone()
        } else {
            PathBuf::from("/etc/ssl/certs/ca-certificates.crt")
        };
        let mut verify = Command::new("osslsigncode");
        verify.arg("verify").arg("-CAfile").arg(authorities).arg("-in").arg(file);
        let out = verify.output().map_err(|error| format!("cannot run osslsigncode: {error}"))?;
        let said = String::from_utf8_lossy(&out.stdout);
        if out.status.success() && said.contains("Signature verification: ok") {
            Ok(())
        } else {
            Err(format!(
                "the signature of {} does not verify:\n{said}{}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

/// What `bundle --windows` made.
#[derive(Debug)]
pub struct Bundle {
    /// The signed executables: `porta.exe` as installed, and `porta-server.exe` on its own.
    pub app: PathBuf,
    pub server: PathBuf,
    /// The per-user setup program (NSIS) and the per-machine package (MSI).
    pub setup: PathBuf,
    pub msi: PathBuf,
    /// The setup program's release statement, signed with the release key: what
    /// `porta-server updates publish` offers installed copies of Porta.
    pub statement: PathBuf,
}

/// Cross-builds Porta for 64-bit Windows and makes both installers, signed.
pub fn bundle(root: &Path, signing: &Signing) -> Result<Bundle, String> {
    prerequisites::ensure(root, Needs::Windows)?;
    let runtime = fixed_runtime_from_env()?;
    must(cmd(root, "ui", "npm", &["run", "build"]), "build the UI")?;
    let mut config = Vec::new();
    if runtime.is_some() {
        // WebView2 from the folder beside porta.exe.
        config.push(format!(
            r#""bundle":{{"windows":{{"webviewInstallMode":{{"type":"fixedRuntime","path":"{FIXED_RUNTIME_FOLDER}/"}}}}}}"#
        ));
    }
    let built = cross_build(root, &config)?;

    let out = out_dir(root);
    let stage = out.join("stage");
    let app = stage_app(&built, &stage, signing)?;
    // The server is not in the installers (an office runs the app, the Ambito the server).
    let server = out.join("porta-server.exe");
    copy(&built.join("porta-server.exe"), &server)?;
    signing.sign(&server)?;

    let Installers { setup, msi } = package(root, &stage, &out, signing, runtime.as_deref(), VERSION)?;
    // Signed after Authenticode, which changes the file.
    let statement = release_key::ReleaseKey::load(root)?.sign_installer(&setup, UpdateTarget::WindowsNsis, VERSION)?;
    if signing.throw_away {
        eprintln!(
            "\nSigned with a throw-away certificate (target/windows/test-signing/): fine for checks, \
             not for offices. A release sets PORTA_SIGNING_CERT and PORTA_SIGNING_KEY."
        );
    }
    Ok(Bundle { app, server, setup, msi, statement })
}

/// The release after this one, as the check that an installed Porta updates itself needs it.
#[derive(Debug)]
pub struct NextRelease {
    pub version: String,
    /// The signed setup program and its signed release statement.
    pub setup: PathBuf,
    pub statement: PathBuf,
}

/// Builds the release after this one (its patch number raised) from this same source, made
/// only for the check: the app's version is Tauri's configuration's, raised at build time
/// (`TAURI_CONFIG`), so nothing in the checkout is edited. Packaged, signed and stated as a
/// release is; only the app's own crate is compiled again.
pub fn next_release(root: &Path, signing: &Signing) -> Result<NextRelease, String> {
    let version = crate::next_version()?;
    let built = cross_build(root, &[format!(r#""version":"{version}""#)])?;
    let out = out_dir(root).join("next-release");
    let stage = out.join("stage");
    stage_app(&built, &stage, signing)?;
    let Installers { setup, .. } = package(root, &stage, &out, signing, None, &version)?;
    let statement = release_key::ReleaseKey::load(root)?.sign_installer(&setup, UpdateTarget::WindowsNsis, &version)?;
    Ok(NextRelease { version, setup, statement })
}

/// Cross-builds porta.exe and porta-server.exe with what `config` adds to the app's Tauri
/// configuration (JSON members, read by tauri-build), and answers the folder they are in.
/// Every build uses the one selection (`BUILD_SELECTION`), so that cargo resolves the
/// dependencies' features alike and a second build recompiles only what `config` changes.
fn cross_build(root: &Path, config: &[String]) -> Result<PathBuf, String> {
    // The server's suite is named only so that the selection resolves as the tests' does
    // (`BUILD_SELECTION`); after the tests it is already built.
    let mut build = cargo(root, "build", &["--bins", "--test", "suite"]);
    if !config.is_empty() {
        build.env("TAURI_CONFIG", format!("{{{}}}", config.join(",")));
    }
    must(build, "cross-build porta.exe and porta-server.exe for Windows")?;
    Ok(cargo_target_dir(root).join(WINDOWS_TARGET).join(PROFILE))
}

/// Puts what the installers carry into an empty `stage`: porta.exe as `built` made it, signed,
/// and WebView2's loader. Answers porta.exe's path.
fn stage_app(built: &Path, stage: &Path, signing: &Signing) -> Result<PathBuf, String> {
    // Only what this build made goes into the installers.
    if stage.exists() {
        std::fs::remove_dir_all(stage).map_err(|error| format!("cannot empty {}: {error}", stage.display()))?;
    }
    std::fs::create_dir_all(stage).map_err(|error| format!("cannot create {}: {error}", stage.display()))?;
    let app = stage.join("porta.exe");
    copy(&built.join("porta-desktop.exe"), &app)?;
    signing.sign(&app)?;
    // The app loads WebView2 through Microsoft's loader, which the MinGW build links as a DLL
    // (webview2-com-sys puts it beside the executable); it comes signed by Microsoft.
    copy(&built.join("WebView2Loader.dll"), &stage.join("WebView2Loader.dll"))?;
    Ok(app)
}

/// The two installers of one build.
#[derive(Debug)]
pub struct Installers {
    pub setup: PathBuf,
    pub msi: PathBuf,
}

/// Makes both installers of `version`, signed, in `out` from what is staged in `stage`
/// (porta.exe and WebView2Loader.dll), with the fixed-version WebView2 `runtime` in
/// `WebView2Runtime\` when given: then neither asks for the Evergreen runtime.
pub fn package(
    root: &Path,
    stage: &Path,
    out: &Path,
    signing: &Signing,
    runtime: Option<&Path>,
    version: &str,
) -> Result<Installers, String> {
    let icon = root.join("assets/icons/icon.ico");
    let setup = out.join(format!("Porta_{version}_x64-setup.exe"));
    let mut nsis = Command::new("makensis");
    nsis.args(["-V2", "-INPUTCHARSET", "UTF8"])
        .arg(format!("-DVERSION={version}"))
        .arg(format!("-DSOURCE={}", stage.display()))
        .arg(format!("-DICON={}", icon.display()))
        .arg(format!("-DOUTFILE={}", setup.display()))
        .arg(format!("-DSIGN_UNINSTALLER={}", signing.uninstaller_command()));
    if let Some(runtime) = runtime {
        nsis.arg(format!("-DWEBVIEW2_RUNTIME={}", runtime.display()));
    }
    nsis.arg(root.join("installer/windows/porta.nsi"));
    must(nsis, "build the setup program (makensis)")?;
    signing.sign(&setup)?;

    let msi = out.join(format!("Porta_{version}_x64_it-IT.msi"));
    // wixl reads the files relative to where it runs, in the folder they are staged in.
    copy(&icon, &stage.join("porta.ico"))?;
    let mut wixl = Command::new("wixl");
    wixl.args(["--arch", "x64", "--define", &format!("Version={version}"), "--define", "Source=."])
        .args(["--define", "Icon=porta.ico", "--output"])
        .arg(&msi)
        .arg(root.join("installer/windows/porta.wxs"))
        .current_dir(stage);
    if let Some(runtime) = runtime {
        // wixl takes sources relative to where it runs: the runtime is linked into the stage.
        let linked = stage.join(FIXED_RUNTIME_FOLDER);
        let _ = std::fs::remove_file(&linked);
        std::os::unix::fs::symlink(runtime, &linked)
            .map_err(|error| format!("cannot link {} into {}: {error}", runtime.display(), stage.display()))?;
        let fragment = stage.join("webview2-runtime.wxs");
        runtime_fragment(runtime, &fragment)?;
        wixl.args(["--define", "FixedRuntime=yes", "--define", "Win64=yes", "--define"])
            .arg(format!("RuntimeSource={FIXED_RUNTIME_FOLDER}"))
            .arg(&fragment);
    }
    must(wixl, "build the MSI package (wixl)")?;
    if runtime.is_none() {
        let mut condition = Command::new("msibuild");
        condition.arg(&msi).arg("-i").arg(root.join("installer/windows/LaunchCondition.idt"));
        must(condition, "add the WebView2 launch condition to the MSI (msibuild)")?;
    }
    signing.sign(&msi)?;
    Ok(Installers { setup, msi })
}

/// The WiX fragment that installs every file of `runtime` under `WebView2Runtime\`
/// (component group `WebView2Runtime`), written by `wixl-heat` from the file list.
fn runtime_fragment(runtime: &Path, fragment: &Path) -> Result<(), String> {
    let mut files = Vec::new();
    let mut folders = vec![runtime.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|error| format!("{}: {error}", folder.display()))?;
        for entry in entries {
            let path = entry.map_err(|error| error.to_string())?.path();
            if path.is_dir() { folders.push(path) } else { files.push(path) }
        }
    }
    files.sort();
    let prefix = format!("{}/", runtime.display());
    let list: String = files.iter().map(|file| format!("{}\n", file.display())).collect();
    let mut heat = Command::new("wixl-heat");
    heat.args(["--directory-ref", "WEBVIEW2RUNTIME", "--component-group", "WebView2Runtime"])
        .args(["--var", "var.RuntimeSource", "--win64", "-p", &prefix])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = heat.spawn().map_err(|error| format!("cannot run wixl-heat: {error}"))?;
    std::io::Write::write_all(&mut child.stdin.take().ok_or("wixl-heat's input")?, list.as_bytes())
        .map_err(|error| format!("cannot give wixl-heat the runtime's files: {error}"))?;
    let output = child.wait_with_output().map_err(|error| format!("wixl-heat: {error}"))?;
    if !output.status.success() {
        return Err(format!("wixl-heat failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    std::fs::write(fragment, output.stdout).map_err(|error| format!("{}: {error}", fragment.display()))
}

impl Signing {
    /// The shell command `makensis` runs on the uninstaller it writes (`%1`), to sign it before
    /// it is packed into the setup program.
    fn uninstaller_command(&self) -> String {
        format!(
            "osslsigncode sign -certs '{}' -key '{}' -h sha256 -n Porta -in '%1' -out '%1.signed' && mv '%1.signed' '%1'",
            self.certificate.display(),
            self.key.display()
        )
    }
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|error| format!("cannot copy {} to {}: {error}", from.display(), to.display()))
}
