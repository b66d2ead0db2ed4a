//! Updates of Porta through the Ambito's server: what a release signs and what a device checks.
//!
//! A release of Porta comes with a *release statement* beside each installer: a few lines
//! naming the platform the installer is for, the version, the installer's size and SHA-256,
//! then an Ed25519 signature of those lines made with the release key ([`ReleaseStatement::text`]).
//! The Ambito's IT publishes installer and statement on its server as they came; devices
//! receive the statement verbatim, check its signature against the public key compiled into
//! the app, and check the installer they downloaded against its size and SHA-256. Neither the
//! server nor anyone between can change what a device installs, offer it another platform's
//! installer, or offer it an older version as if it were new.
//!
//! ```text
//! PORTA-UPDATE-1
//! target windows-x86_64-nsis
//! version 0.1.1
//! size 9412345
//! sha256 3f0c…(64 hex digits)
//! signature 9a1b…(128 hex digits)
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use data_encoding::HEXLOWER;
use ring::signature::{ED25519, UnparsedPublicKey};
use serde::{Deserialize, Serialize};

/// The statement's first line: the format's name and version.
pub const FORMAT_LINE: &str = "PORTA-UPDATE-1";

/// The file name a release gives the statement of `installer`: the installer's name and this.
pub const STATEMENT_SUFFIX: &str = ".porta-update";

/// The largest installer a device downloads (the Windows setup is about 10 MB).
pub const MAX_INSTALLER_BYTES: u64 = 256 * 1024 * 1024;

/// The kind of installer an installed Porta updates itself with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UpdateTarget {
    /// The per-user NSIS setup program for 64-bit Windows (`Porta_X.Y.Z_x64-setup.exe`).
    #[serde(rename = "windows-x86_64-nsis")]
    WindowsNsis,
    /// The Debian package for 64-bit Linux (`porta_X.Y.Z_amd64.deb`).
    #[serde(rename = "linux-x86_64-deb")]
    LinuxDeb,
}

impl UpdateTarget {
    pub const ALL: [UpdateTarget; 2] = [UpdateTarget::WindowsNsis, UpdateTarget::LinuxDeb];

    /// Its name in statements and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateTarget::WindowsNsis => "windows-x86_64-nsis",
            UpdateTarget::LinuxDeb => "linux-x86_64-deb",
        }
    }

    /// The installer's file extension, with its dot.
    pub fn extension(self) -> &'static str {
        match self {
            UpdateTarget::WindowsNsis => ".exe",
            UpdateTarget::LinuxDeb => ".deb",
        }
    }
}

impl fmt::Display for UpdateTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UpdateTarget {
    type Err = StatementError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        UpdateTarget::ALL.into_iter().find(|target| target.as_str() == text).ok_or(StatementError::UnknownTarget)
    }
}

/// A release's version, `MAJOR.MINOR.PATCH`, ordered as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for Version {
    type Err = StatementError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let number = |part: Option<&str>| -> Result<u32, StatementError> {
            let part = part.ok_or(StatementError::BadVersion)?;
            // No sign, no leading zero, no empty part: one spelling per version.
            let canonical = !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_digit())
                && (part == "0" || !part.starts_with('0'))
                && part.len() <= 9;
            if canonical {
                part.parse().map_err(|_| StatementError::BadVersion)
            } else {
                Err(StatementError::BadVersion)
            }
        };
        let mut parts = text.split('.');
        let version =
            Version { major: number(parts.next())?, minor: number(parts.next())?, patch: number(parts.next())? };
        if parts.next().is_some() {
            return Err(StatementError::BadVersion);
        }
        Ok(version)
    }
}

/// What a release says of one installer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseStatement {
    pub target: UpdateTarget,
    pub version: Version,
    /// The installer's size in bytes.
    pub size: u64,
    /// The installer's SHA-256, lower-case hex.
    pub sha256: String,
}

/// Why a statement cannot be read or trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("the release statement is not in the PORTA-UPDATE-1 format")]
    Malformed,
    #[error("the release statement names a platform Porta does not know")]
    UnknownTarget,
    #[error("the release statement's version is not MAJOR.MINOR.PATCH")]
    BadVersion,
    #[error("the release statement is not signed by the key Porta trusts")]
    BadSignature,
}

impl ReleaseStatement {
    /// What a release states of an installer whose bytes are `installer`.
    pub fn of_installer(target: UpdateTarget, version: Version, installer: &[u8]) -> ReleaseStatement {
        let sha256 = HEXLOWER.encode(ring::digest::digest(&ring::digest::SHA256, installer).as_ref());
        ReleaseStatement { target, version, size: installer.len() as u64, sha256 }
    }

    /// The lines the release key signs.
    pub fn signed_part(&self) -> String {
        format!(
            "{FORMAT_LINE}\ntarget {}\nversion {}\nsize {}\nsha256 {}\n",
            self.target, self.version, self.size, self.sha256
        )
    }

    /// The statement with its `signature` (128 hex digits), as a release writes it.
    pub fn text(&self, signature_hex: &str) -> String {
        format!("{}signature {signature_hex}\n", self.signed_part())
    }

    /// The statement signed with the release key (`pkcs8`: an Ed25519 private key in PKCS#8,
    /// as ring or `openssl genpkey -algorithm ed25519 -outform DER` writes it), as a release
    /// writes it beside the installer; `None` when the key is not an Ed25519 key.
    pub fn signed_with(&self, pkcs8: &[u8]) -> Option<String> {
        let key = ring::signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8).ok()?;
        Some(self.text(&HEXLOWER.encode(key.sign(self.signed_part().as_bytes()).as_ref())))
    }

    /// Reads a statement and checks its signature against `public_key` (32 bytes, Ed25519).
    /// A statement is trusted whole or not at all.
    pub fn verified(text: &str, public_key: &[u8]) -> Result<ReleaseStatement, StatementError> {
        let (statement, signature) = ReleaseStatement::parse(text)?;
        UnparsedPublicKey::new(&ED25519, public_key)
            .verify(statement.signed_part().as_bytes(), &signature)
            .map_err(|_| StatementError::BadSignature)?;
        Ok(statement)
    }

    /// Reads a statement without checking its signature (the server, which does not hold
    /// the app's key, checks only that it matches the installer it comes with).
    pub fn parse(text: &str) -> Result<(ReleaseStatement, Vec<u8>), StatementError> {
        let mut lines = text.strip_suffix('\n').unwrap_or(text).split('\n');
        if lines.next() != Some(FORMAT_LINE) {
            return Err(StatementError::Malformed);
        }
        let mut field = |name: &str| -> Result<&str, StatementError> {
            lines
                .next()
                .and_then(|line| line.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix(' '))
                .ok_or(StatementError::Malformed)
        };
        let target = field("target")?.parse()?;
        let version = field("version")?.parse()?;
        let size_text = field("size")?;
        let size: u64 = size_text.parse().map_err(|_| StatementError::Malformed)?;
        let sha256 = field("sha256")?.to_owned();
        let signature = HEXLOWER.decode(field("signature")?.as_bytes()).map_err(|_| StatementError::Malformed)?;
        let well_formed = size_text == size.to_string()
            && size > 0
            && sha256.len() == 64
            && HEXLOWER.decode(sha256.as_bytes()).is_ok()
            && signature.len() == 64
            && lines.next().is_none();
        if !well_formed {
            return Err(StatementError::Malformed);
        }
        Ok((ReleaseStatement { target, version, size, sha256 }, signature))
    }

    /// Whether this release is newer than `current`: a device never takes an older or the
    /// same version, whatever the server offers.
    pub fn is_newer_than(&self, current: Version) -> bool {
        self.version.cmp(&current) == Ordering::Greater
    }
}

/// A public key as the app compiles it in: 64 hex digits of the raw Ed25519 key.
pub fn public_key_from_hex(hex: &str) -> Option<[u8; 32]> {
    HEXLOWER.decode(hex.trim().to_ascii_lowercase().as_bytes()).ok()?.try_into().ok()
}

/// What the server offers for one platform: the release statement exactly as the release
/// wrote it, and the Ambito's own words about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateOffer {
    /// The release statement, signature included (`PORTA-UPDATE-1` …).
    pub statement: String,
    /// What the Ambito's IT wrote when publishing it (plain text, not signed; may be empty).
    #[serde(default)]
    pub notes: String,
    /// When it was published, milliseconds since the Unix epoch.
    pub published_ms: u64,
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;
    use ring::signature::{Ed25519KeyPair, KeyPair};

    use super::*;

    fn key() -> Ed25519KeyPair {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap()
    }

    fn statement() -> ReleaseStatement {
        ReleaseStatement {
            target: UpdateTarget::WindowsNsis,
            version: "0.1.1".parse().unwrap(),
            size: 9_412_345,
            sha256: "ab".repeat(32),
        }
    }

    fn signed(statement: &ReleaseStatement, key: &Ed25519KeyPair) -> String {
        statement.text(&HEXLOWER.encode(key.sign(statement.signed_part().as_bytes()).as_ref()))
    }

    #[test]
    fn a_release_signs_with_its_pkcs8_key_and_devices_verify_it() {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        let key = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let text = statement().signed_with(pkcs8.as_ref()).unwrap();
        assert_eq!(text, signed(&statement(), &key), "Ed25519 signs deterministically");
        assert_eq!(ReleaseStatement::verified(&text, key.public_key().as_ref()), Ok(statement()));
        assert_eq!(statement().signed_with(b"not a key"), None);
    }

    #[test]
    fn a_signed_statement_reads_back_as_signed() {
        let key = key();
        let text = signed(&statement(), &key);
        assert!(text.starts_with("PORTA-UPDATE-1\ntarget windows-x86_64-nsis\nversion 0.1.1\n"), "{text}");
        assert_eq!(ReleaseStatement::verified(&text, key.public_key().as_ref()), Ok(statement()));
    }

    #[test]
    fn any_changed_line_or_another_key_is_refused() {
        let key = key();
        let text = signed(&statement(), &key);
        for (from, to) in [
            ("version 0.1.1", "version 0.1.2"),
            ("windows-x86_64-nsis", "linux-x86_64-deb"),
            ("size 9412345", "size 9412346"),
            ("sha256 abab", "sha256 bbab"),
        ] {
            let tampered = text.replacen(from, to, 1);
            assert_ne!(tampered, text);
            assert_eq!(
                ReleaseStatement::verified(&tampered, key.public_key().as_ref()),
                Err(StatementError::BadSignature),
                "{from} → {to}"
            );
        }
        assert_eq!(
            ReleaseStatement::verified(&text, self::key().public_key().as_ref()),
            Err(StatementError::BadSignature)
        );
    }

    #[test]
    fn malformed_statements_say_so() {
        let key = key();
        let text = signed(&statement(), &key);
        let public = key.public_key().as_ref().to_vec();
        let cases = [
            (text.replace(FORMAT_LINE, "PORTA-UPDATE-2"), StatementError::Malformed),
            (text.replace("target windows-x86_64-nsis", "target macos"), StatementError::UnknownTarget),
            (text.replace("version 0.1.1", "version 0.1"), StatementError::BadVersion),
            (text.replace("version 0.1.1", "version 0.01.1"), StatementError::BadVersion),
            (text.replace("size 9412345", "size +9412345"), StatementError::Malformed),
            (text.replace("size 9412345", "size 0"), StatementError::Malformed),
            (text.replace(&"ab".repeat(32), "xyz"), StatementError::Malformed),
            (format!("{text}extra 1\n"), StatementError::Malformed),
            (text.replace("\nsignature ", "\nsignatur "), StatementError::Malformed),
            (String::new(), StatementError::Malformed),
        ];
        for (case, expected) in cases {
            assert_eq!(ReleaseStatement::verified(&case, &public), Err(expected), "{case:?}");
        }
    }

    #[test]
    fn versions_order_as_numbers_and_only_newer_ones_are_taken() {
        let version = |text: &str| text.parse::<Version>().unwrap();
        assert!(version("0.10.0") > version("0.9.9"));
        assert!(version("1.0.0") > version("0.99.99"));
        let offered = statement();
        assert!(offered.is_newer_than(version("0.1.0")));
        assert!(!offered.is_newer_than(version("0.1.1")), "the same version is not an update");
        assert!(!offered.is_newer_than(version("0.2.0")), "an older version is never taken");
        for bad in ["", "1", "1.2", "1.2.3.4", "1.-2.3", "a.b.c", "1.2.3 ", "01.2.3", "1234567890.0.0"] {
            assert_eq!(bad.parse::<Version>(), Err(StatementError::BadVersion), "{bad:?}");
        }
    }

    #[test]
    fn a_public_key_reads_from_its_hex() {
        let key = key();
        let hex = HEXLOWER.encode(key.public_key().as_ref());
        assert_eq!(public_key_from_hex(&hex).map(Vec::from), Some(key.public_key().as_ref().to_vec()));
        assert_eq!(public_key_from_hex(&hex.to_uppercase()).map(Vec::from), Some(key.public_key().as_ref().to_vec()));
        assert_eq!(public_key_from_hex(&hex[2..]), None);
        assert_eq!(public_key_from_hex("zz"), None);
    }
}
