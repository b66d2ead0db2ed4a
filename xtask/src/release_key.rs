//! The release key: the Ed25519 key whose signature an installed Porta asks of every update
//! (`porta_wire::update`). Its public half is compiled into the app (`PORTA_UPDATE_PUBLIC_KEY`,
//! read by `src-tauri/src/self_update.rs`); its private half signs each installer's release
//! statement when the installers are made.
//!
//! A release names its key file in `PORTA_UPDATE_SIGNING_KEY` (PKCS#8, DER: `openssl genpkey
//! -algorithm ed25519 -outform DER -out porta-release.pk8`), kept off the build machine's disk
//! between releases. Without it, a development key is made once per checkout in
//! `target/update-signing/` (readable by its owner only): builds of this checkout trust it and
//! only it, so the update path is exercised end to end and no development build ever trusts a
//! release it was not made with.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use data_encoding::HEXLOWER;
use porta_wire::update::{ReleaseStatement, STATEMENT_SUFFIX, UpdateTarget};
use ring::signature::{Ed25519KeyPair, KeyPair};
use zeroize::Zeroizing;

/// The variable that gives the app its release key's public half at build time.
pub const PUBLIC_KEY_VARIABLE: &str = "PORTA_UPDATE_PUBLIC_KEY";
/// The variable that names a release's key file.
pub const SIGNING_KEY_VARIABLE: &str = "PORTA_UPDATE_SIGNING_KEY";

/// The key in use.
pub struct ReleaseKey {
    pkcs8: Zeroizing<Vec<u8>>,
    public_hex: String,
    /// Made for this checkout, not a release's.
    pub development: bool,
}

impl ReleaseKey {
    /// The release's key (`PORTA_UPDATE_SIGNING_KEY`), or this checkout's development key,
    /// made the first time.
    pub fn load(root: &Path) -> Result<ReleaseKey, String> {
        let (file, development) = match std::env::var_os(SIGNING_KEY_VARIABLE) {
            Some(file) => (PathBuf::from(file), false),
            None => (development_key_file(root), true),
        };
        if development && !file.exists() {
            make_development_key(&file)?;
        }
        let pkcs8 = Zeroizing::new(
            std::fs::read(&file).map_err(|error| format!("cannot read the release key {}: {error}", file.display()))?,
        );
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pkcs8).map_err(|_| {
            format!("{} is not an Ed25519 key in PKCS#8 (DER); see xtask/src/release_key.rs", file.display())
        })?;
        let public_hex = HEXLOWER.encode(pair.public_key().as_ref());
        Ok(ReleaseKey { pkcs8, public_hex, development })
    }

    /// The public half, as the app compiles it in (64 hex digits).
    pub fn public_hex(&self) -> &str {
        &self.public_hex
    }

    /// Writes `installer`'s release statement beside it (`installer` + `.porta-update`) and
    /// answers its path.
    pub fn sign_installer(&self, installer: &Path, target: UpdateTarget, version: &str) -> Result<PathBuf, String> {
        let bytes =
            std::fs::read(installer).map_err(|error| format!("cannot read {}: {error}", installer.display()))?;
        let version = version.parse().map_err(|_| format!("the version {version} is not MAJOR.MINOR.PATCH"))?;
        let statement = ReleaseStatement::of_installer(target, version, &bytes);
        let text = statement.signed_with(&self.pkcs8).ok_or("the release key cannot sign")?;
        let mut name = installer.as_os_str().to_owned();
        name.push(STATEMENT_SUFFIX);
        let path = PathBuf::from(name);
        std::fs::write(&path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        Ok(path)
    }
}

/// An Ed25519 private key in PKCS#8 version 1 (RFC 8410) is this header and the 32-byte seed.
const PKCS8_V1_HEADER: [u8; 16] =
    [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/// This checkout's development key.
pub fn development_key_file(root: &Path) -> PathBuf {
    root.join("target/update-signing/development.pk8")
}

fn make_development_key(file: &Path) -> Result<(), String> {
    use std::io::Write;
    let folder = file.parent().expect("the key file is in a folder");
    std::fs::create_dir_all(folder).map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    let generated = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
        .map_err(|_| "the system's random source failed".to_owned())?;
    // ring writes PKCS#8 version 2 (the public key included), which OpenSSL 3.0 cannot read;
    // written as version 1, as `openssl genpkey` writes a release's key: the same 32-byte seed
    // after the fixed header (RFC 8410).
    let seed = generated.as_ref().get(16..48).ok_or("ring's PKCS#8 is not the expected length")?;
    let mut pkcs8 = Zeroizing::new(PKCS8_V1_HEADER.to_vec());
    pkcs8.extend_from_slice(seed);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options.open(file).map_err(|error| format!("cannot create {}: {error}", file.display()))?;
    out.write_all(&pkcs8).map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    eprintln!("==> made this checkout's development release key ({})", file.display());
    Ok(())
}

/// The public half every build of this run compiles in, loaded once; `None` (with the reason
/// printed once) when there is no key to load: that build then never updates itself.
pub fn public_hex_for_builds(root: &Path) -> Option<&'static str> {
    static PUBLIC: OnceLock<Option<String>> = OnceLock::new();
    PUBLIC
        .get_or_init(|| match ReleaseKey::load(root) {
            Ok(key) => Some(key.public_hex),
            Err(error) => {
                eprintln!("warning: builds will not take updates: {error}");
                None
            }
        })
        .as_deref()
}
