//! One-time codes as people read and type them, and the enrollment code's certificate check.
//!
//! A code is 60 random bits as 12 Crockford base-32 symbols in groups of four (`7KQ4-M2XD-9HTP`),
//! read leniently: case, spaces and dashes do not matter, nor I/L for 1 and O for 0. An
//! activation code is just that. An enrollment code carries a fourth group: a check of 20
//! bits over the secret and the fingerprint of the TLS certificate the server serves
//! (`7KQ4-M2XD-9HTP-R3WA`). Before sending anything, the enrolling device compares it with the
//! certificate it was shown: someone in between, presenting their own certificate, is caught
//! before they learn the code, and cannot make a certificate to match a check they never saw.

use ring::rand::SecureRandom;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols of the secret part.
pub const SECRET_SYMBOLS: usize = 12;
/// Symbols of an enrollment code's certificate check.
pub const CHECK_SYMBOLS: usize = 4;

/// `SECRET_SYMBOLS` random symbols, in groups of four.
pub fn new_secret(random: &dyn SecureRandom) -> Result<String, ring::error::Unspecified> {
    let mut bytes = [0u8; SECRET_SYMBOLS];
    random.fill(&mut bytes)?;
    Ok(grouped(&bytes.iter().map(|byte| ALPHABET[usize::from(byte & 31)] as char).collect::<String>()))
}

/// The symbols of a code as typed, in canonical form (upper case, no separators, 1 and 0 for
/// I/L and O): `None` when a character cannot be part of a code.
pub fn canonical(typed: &str) -> Option<String> {
    let mut code = String::with_capacity(SECRET_SYMBOLS + CHECK_SYMBOLS);
    for c in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let c = match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        code.push(c);
    }
    Some(code)
}

fn grouped(symbols: &str) -> String {
    symbols.as_bytes().chunks(4).map(|group| String::from_utf8_lossy(group).into_owned()).collect::<Vec<_>>().join("-")
}

/// An enrollment code: its secret and its certificate check.
#[derive(Clone, PartialEq, Eq)]
pub struct EnrollmentCode {
    secret: String,
    check: String,
}

/// The code is a secret: it never reaches a log.
impl std::fmt::Debug for EnrollmentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EnrollmentCode(<redacted>)")
    }
}

impl EnrollmentCode {
    /// A new code for a server serving the certificate with `certificate_sha256` (lower-case
    /// hex; `None` for plain HTTP on the server's own computer).
    pub fn new(certificate_sha256: Option<&str>, random: &dyn SecureRandom) -> Result<Self, ring::error::Unspecified> {
        let secret = canonical(&new_secret(random)?).expect("made of the alphabet");
        let check = check_symbols(&secret, certificate_sha256);
        Ok(Self { secret, check })
    }

    /// A code as typed: `None` unless it has exactly the secret's and the check's symbols.
    pub fn parse(typed: &str) -> Option<Self> {
        let symbols = canonical(typed)?;
        (symbols.len() == SECRET_SYMBOLS + CHECK_SYMBOLS).then(|| {
            let (secret, check) = symbols.split_at(SECRET_SYMBOLS);
            Self { secret: secret.to_owned(), check: check.to_owned() }
        })
    }

    /// The secret part in canonical form: what the server keeps a hash of.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// Whether the code was issued for the certificate with `certificate_sha256` (`None`:
    /// plain HTTP).
    pub fn is_for_certificate(&self, certificate_sha256: Option<&str>) -> bool {
        self.check == check_symbols(&self.secret, certificate_sha256)
    }

    /// The code as shown to the administrator: four groups of four.
    pub fn display(&self) -> String {
        grouped(&format!("{}{}", self.secret, self.check))
    }
}

fn check_symbols(secret: &str, certificate_sha256: Option<&str>) -> String {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(b"porta enrollment check\0");
    context.update(secret.as_bytes());
    context.update(b"\0");
    context.update(certificate_sha256.unwrap_or("plain-http").to_ascii_lowercase().as_bytes());
    let digest = context.finish();
    let bits = u32::from_be_bytes(digest.as_ref()[..4].try_into().expect("4 bytes"));
    (0..CHECK_SYMBOLS).map(|i| ALPHABET[((bits >> (27 - 5 * i)) & 31) as usize] as char).collect()
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;

    use super::*;

    const CERTIFICATE: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn a_code_reads_back_however_it_is_typed_and_names_its_certificate() {
        let code = EnrollmentCode::new(Some(CERTIFICATE), &SystemRandom::new()).unwrap();
        let shown = code.display();
        assert_eq!(shown.len(), 19, "{shown}");
        let typed = shown.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        assert_eq!(EnrollmentCode::parse(&typed), Some(code.clone()));
        assert!(code.is_for_certificate(Some(CERTIFICATE)));
        assert!(code.is_for_certificate(Some(&CERTIFICATE.to_uppercase())));
        let interceptor = "0".repeat(64);
        assert!(!code.is_for_certificate(Some(&interceptor)), "another certificate");
        assert!(!code.is_for_certificate(None), "no certificate");
        assert!(EnrollmentCode::new(None, &SystemRandom::new()).unwrap().is_for_certificate(None));
        assert_eq!(EnrollmentCode::parse(&shown[..14]), None, "the check is part of the code");
        assert_eq!(EnrollmentCode::parse(&shown.replace(&shown[..1], "U")), None, "U is not a symbol");
        assert!(!format!("{code:?}").contains(&shown[..4]));
    }

    #[test]
    fn a_typo_in_the_check_or_the_secret_is_caught() {
        let code = EnrollmentCode::new(Some(CERTIFICATE), &SystemRandom::new()).unwrap();
        let shown = code.display();
        for position in [0, 18] {
            let mut typo: Vec<char> = shown.chars().collect();
            typo[position] = if typo[position] == 'A' { 'B' } else { 'A' };
            let typo = EnrollmentCode::parse(&typo.into_iter().collect::<String>()).unwrap();
            assert!(!typo.is_for_certificate(Some(CERTIFICATE)), "position {position}");
        }
    }
}
