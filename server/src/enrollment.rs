//! One-time enrollment codes: 60 random bits as 12 Crockford base-32 symbols, shown in three
//! groups (`7KQ4-M2XD-9HTP`). The server keeps only their SHA-256; what the operator types is
//! read leniently (case, spaces, dashes, and I/L/O for 1/1/0 do not matter).

use data_encoding::HEXLOWER;
use ring::rand::SecureRandom;

use crate::storage::{NewEnrollment, SyncStore};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SYMBOLS: usize = 12;

/// How long a code is valid unless the administrator says otherwise.
pub const DEFAULT_VALIDITY_MINUTES: u64 = 10;

/// A new code, as shown to the administrator.
pub fn new_code(random: &dyn SecureRandom) -> Result<String, ring::error::Unspecified> {
    let mut bytes = [0u8; SYMBOLS];
    random.fill(&mut bytes)?;
    let symbols: Vec<char> = bytes.iter().map(|byte| ALPHABET[usize::from(byte & 31)] as char).collect();
    Ok(symbols.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

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

/// Issues a one-time code for a device of `office`, valid `minutes` from `now_ms`.
pub fn issue_code(
    storage: &dyn SyncStore,
    device_name: &str,
    office: &str,
    minutes: u64,
    now_ms: u64,
    random: &dyn SecureRandom,
) -> Result<String, IssueError> {
    let ambito =
        storage.ambito().map_err(|error| IssueError::Failed(error.to_string()))?.ok_or(IssueError::NotSetUp)?;
    if !ambito.offices.iter().any(|known| known == office) {
        return Err(IssueError::UnknownOffice { office: office.to_owned(), known: ambito.offices.join(", ") });
    }
    let code = new_code(random).map_err(|_| IssueError::Failed("no randomness".into()))?;
    let code_hash = code_hash(&code).ok_or_else(|| IssueError::Failed("a malformed code".into()))?;
    let enrollment = NewEnrollment {
        code_hash,
        device_name: device_name.to_owned(),
        office: office.to_owned(),
        expires_ms: now_ms + minutes * 60_000,
    };
    storage.add_enrollment(&enrollment).map_err(|error| IssueError::Failed(error.to_string()))?;
    Ok(code)
}

/// The code as typed, in canonical form: `None` if it cannot be a code.
pub fn canonical(typed: &str) -> Option<String> {
    let mut code = String::with_capacity(SYMBOLS);
    for c in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let c = match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c if ALPHABET.contains(&(c as u8)) && c.is_ascii() => c,
            _ => return None,
        };
        code.push(c);
    }
    (code.len() == SYMBOLS).then_some(code)
}

/// What the server stores for a code typed in any form.
pub fn code_hash(typed: &str) -> Option<[u8; 32]> {
    let code = canonical(typed)?;
    let digest = ring::digest::digest(&ring::digest::SHA256, code.as_bytes());
    digest.as_ref().try_into().ok()
}

/// The first bytes of a code's hash, for logs that must not carry the code.
pub fn fingerprint(hash: &[u8; 32]) -> String {
    HEXLOWER.encode(&hash[..4])
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;

    use super::*;

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let code = new_code(&SystemRandom::new()).unwrap();
        assert_eq!(code.len(), 14);
        let hash = code_hash(&code).unwrap();
        assert_eq!(code_hash(&code.to_lowercase().replace('-', " ")), Some(hash));
        assert_eq!(code_hash(&code.replace('0', "o").replace('1', "l")), Some(hash));
        assert_eq!(code_hash("7KQ4-M2XD-9HT"), None, "too short");
        assert_eq!(code_hash("7KQ4-M2XD-9HTU"), None, "U is not a symbol");
        assert_ne!(new_code(&SystemRandom::new()).unwrap(), code);
    }
}
