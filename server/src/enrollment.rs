//! One-time enrollment codes (`porta_wire::enrollment_code`): 60 random bits and a check that
//! names the certificate the server serves, shown in four groups (`7KQ4-M2XD-9HTP-R3WA`). The
//! server keeps only the SHA-256 of the secret part.

use data_encoding::HEXLOWER;
use porta_wire::enrollment_code::EnrollmentCode;
use ring::rand::SecureRandom;

use crate::storage::{NewEnrollment, SyncStore};

/// How long a code is valid unless the administrator says otherwise.
pub const DEFAULT_VALIDITY_MINUTES: u64 = 10;

/// Why a code could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// The server has not been set up (`porta-server init`).
    #[error("the server is not set up: run `porta-server init` first")]
    NotSetUp,
    /// The office is not one of the Ambito's.
    #[error("no office named {office:?}; the offices are: {known}")]
    UnknownOffice { office: String, known: String },
    /// No randomness or no storage.
    #[error("cannot issue a code: {0}")]
    Failed(String),
}

/// Issues a one-time code for a device of `office`, valid `minutes` from `now_ms`, for a
/// server serving the certificate with `certificate_sha256` (`None`: plain HTTP on loopback).
pub fn issue_code(
    storage: &dyn SyncStore,
    device_name: &str,
    office: &str,
    certificate_sha256: Option<&str>,
    minutes: u64,
    now_ms: u64,
    random: &dyn SecureRandom,
) -> Result<String, IssueError> {
    let ambito =
        storage.ambito().map_err(|error| IssueError::Failed(error.to_string()))?.ok_or(IssueError::NotSetUp)?;
    if !ambito.offices.iter().any(|known| known == office) {
        return Err(IssueError::UnknownOffice { office: office.to_owned(), known: ambito.offices.join(", ") });
    }
    let code =
        EnrollmentCode::new(certificate_sha256, random).map_err(|_| IssueError::Failed("no randomness".into()))?;
    let code_hash = secret_hash(&code);
    let enrollment = NewEnrollment {
        code_hash,
        device_name: device_name.to_owned(),
        office: office.to_owned(),
        expires_ms: now_ms + minutes * 60_000,
    };
    storage.add_enrollment(&enrollment).map_err(|error| IssueError::Failed(error.to_string()))?;
    Ok(code.display())
}

/// What the server stores for a code: the SHA-256 of its secret part.
pub fn secret_hash(code: &EnrollmentCode) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, code.secret().as_bytes());
    digest.as_ref().try_into().expect("SHA-256 is 32 bytes")
}

/// The first bytes of a code's hash, for logs that must not carry the code.
pub fn fingerprint(hash: &[u8; 32]) -> String {
    HEXLOWER.encode(&hash[..4])
}
