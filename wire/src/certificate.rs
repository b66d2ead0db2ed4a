//! A TLS certificate's fingerprint: what the server names in its enrollment answer and the
//! device pins, and what an administrator compares by eye.

use ring::digest::{SHA256, digest};

/// The SHA-256 fingerprint of a DER certificate, as lower-case hex.
pub fn fingerprint(certificate_der: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(digest(&SHA256, certificate_der).as_ref())
}

/// A fingerprint as people compare it: upper-case pairs separated by colons.
pub fn display_fingerprint(fingerprint: &str) -> String {
    fingerprint
        .to_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair))
        .collect::<Vec<_>>()
        .join(":")
}
