//! How a device proves who it is: every request is signed with the device's Ed25519 key.
//!
//! The signature covers the method, the path with its query, a timestamp, a random nonce and
//! the SHA-256 of the body, under a fixed label ([`message`]). The server checks it against
//! the public key it received at enrollment, refuses timestamps more than [`MAX_SKEW_MS`]
//! from its clock, and remembers nonces for that long, so a captured request cannot be
//! replayed or altered. Each request stands alone: no session token to steal, renew or lose
//! when a connection drops mid-sync (the reasoning is in ARCHITECTURE.md).

use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use ring::rand::SecureRandom;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use uuid::Uuid;
use zeroize::Zeroizing;

/// The device's id.
pub const HEADER_DEVICE: &str = "x-porta-device";
/// Milliseconds since the Unix epoch when the request was signed.
pub const HEADER_TIMESTAMP: &str = "x-porta-timestamp";
/// 16 random bytes, hex: never used twice by one device.
pub const HEADER_NONCE: &str = "x-porta-nonce";
/// The Ed25519 signature of [`message`], base64url without padding.
pub const HEADER_SIGNATURE: &str = "x-porta-signature";
/// On every answer: the server's clock, in milliseconds since the Unix epoch, so that a
/// device whose clock is wrong signs and writes with the server's time instead.
pub const HEADER_SERVER_TIME: &str = "x-porta-server-time";
/// How far a request's timestamp may be from the server's clock.
pub const MAX_SKEW_MS: u64 = 5 * 60 * 1000;

/// What is signed: a label, then each part on its own line.
pub fn message(method: &str, path_and_query: &str, timestamp_ms: u64, nonce: &str, body: &[u8]) -> Vec<u8> {
    let body_hash = HEXLOWER.encode(ring::digest::digest(&ring::digest::SHA256, body).as_ref());
    format!("PORTA-REQUEST-1\n{method}\n{path_and_query}\n{timestamp_ms}\n{nonce}\n{body_hash}").into_bytes()
}

/// Whether `signature` (base64url) is `public_key`'s signature of `message`.
pub fn verify(public_key: &[u8], message: &[u8], signature: &str) -> bool {
    let Ok(signature) = BASE64URL_NOPAD.decode(signature.as_bytes()) else { return false };
    UnparsedPublicKey::new(&ED25519, public_key).verify(message, &signature).is_ok()
}

/// The key could not be made or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the device key cannot be made or read")]
pub struct KeyUnusable;

/// A device's signing key. Its secret (PKCS#8) lives only in the encrypted database and is
/// zeroed when dropped.
pub struct DeviceKey {
    pair: Ed25519KeyPair,
    pkcs8: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKey").field("public_key", &BASE64URL_NOPAD.encode(self.public_key())).finish()
    }
}

/// The headers that authenticate one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    pub device: String,
    pub timestamp: String,
    pub nonce: String,
    pub signature: String,
}

impl SignedHeaders {
    /// Header name and value pairs.
    pub fn pairs(&self) -> [(&'static str, &str); 4] {
        [
            (HEADER_DEVICE, &self.device),
            (HEADER_TIMESTAMP, &self.timestamp),
            (HEADER_NONCE, &self.nonce),
            (HEADER_SIGNATURE, &self.signature),
        ]
    }
}

impl DeviceKey {
    /// A new key pair.
    pub fn generate(random: &dyn SecureRandom) -> Result<DeviceKey, KeyUnusable> {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(random).map_err(|_| KeyUnusable)?;
        DeviceKey::from_pkcs8(pkcs8.as_ref())
    }

    /// The key stored as PKCS#8.
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<DeviceKey, KeyUnusable> {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|_| KeyUnusable)?;
        Ok(DeviceKey { pair, pkcs8: Zeroizing::new(pkcs8.to_vec()) })
    }

    /// The secret, to store in the encrypted database.
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The public key, sent at enrollment.
    pub fn public_key(&self) -> &[u8] {
        self.pair.public_key().as_ref()
    }

    /// Signs one request of `device`.
    pub fn sign(
        &self,
        device: Uuid,
        method: &str,
        path_and_query: &str,
        body: &[u8],
        now_ms: u64,
        random: &dyn SecureRandom,
    ) -> Result<SignedHeaders, KeyUnusable> {
        let mut nonce = [0u8; 16];
        random.fill(&mut nonce).map_err(|_| KeyUnusable)?;
        let nonce = HEXLOWER.encode(&nonce);
        let signature = self.pair.sign(&message(method, path_and_query, now_ms, &nonce, body));
        Ok(SignedHeaders {
            device: device.to_string(),
            timestamp: now_ms.to_string(),
            nonce,
            signature: BASE64URL_NOPAD.encode(signature.as_ref()),
        })
    }
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;

    use super::*;

    #[test]
    fn a_signature_verifies_and_any_change_to_the_request_breaks_it() {
        let random = SystemRandom::new();
        let key = DeviceKey::generate(&random).unwrap();
        let device = Uuid::now_v7();
        let signed = key.sign(device, "POST", "/api/v1/push", b"{}", 1_000, &random).unwrap();
        let good = message("POST", "/api/v1/push", 1_000, &signed.nonce, b"{}");
        assert!(verify(key.public_key(), &good, &signed.signature));
        for changed in [
            message("GET", "/api/v1/push", 1_000, &signed.nonce, b"{}"),
            message("POST", "/api/v1/pull", 1_000, &signed.nonce, b"{}"),
            message("POST", "/api/v1/push", 1_001, &signed.nonce, b"{}"),
            message("POST", "/api/v1/push", 1_000, "00", b"{}"),
            message("POST", "/api/v1/push", 1_000, &signed.nonce, b"{ }"),
        ] {
            assert!(!verify(key.public_key(), &changed, &signed.signature));
        }
        let other = DeviceKey::generate(&random).unwrap();
        assert!(!verify(other.public_key(), &good, &signed.signature), "another device's key");
        assert!(!verify(key.public_key(), &good, "not base64!"));
    }

    #[test]
    fn a_stored_key_reads_back_as_the_same_key_and_nonces_differ() {
        let random = SystemRandom::new();
        let key = DeviceKey::generate(&random).unwrap();
        let again = DeviceKey::from_pkcs8(key.pkcs8()).unwrap();
        assert_eq!(key.public_key(), again.public_key());
        let device = Uuid::now_v7();
        let a = key.sign(device, "GET", "/api/v1/pull?after=0", b"", 5, &random).unwrap();
        let b = key.sign(device, "GET", "/api/v1/pull?after=0", b"", 5, &random).unwrap();
        assert_ne!(a.nonce, b.nonce);
        assert_eq!(DeviceKey::from_pkcs8(b"not a key").unwrap_err(), KeyUnusable);
    }
}
