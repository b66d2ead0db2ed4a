//! Activation codes as they travel: never the code itself.
//!
//! An operator account gets a one-time activation code that the administrator hands to the
//! person; every device of the office must then let that person in once with it. So, while
//! it is unlocked, each device seals its database key for the code. The server keeps and
//! sends only an [`ActivationLock`]: an X25519 public key whose private key is
//! Argon2id(code, salt). A device seals to that public key (a fresh X25519 key of its own,
//! HKDF-SHA256, AES-256-GCM), which takes no Argon2 on the device; opening needs the private
//! key, which only whoever types the code derives. Neither the server's database, nor the
//! operators' answer, nor a device's key file holds the code or anything that opens a seal
//! without it.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hkdf;
use ring::rand::SecureRandom;
use serde::{Deserialize, Serialize};
use x25519_dalek::PublicKey;
pub use x25519_dalek::StaticSecret;
use zeroize::Zeroizing;

/// Argon2id parameters, recorded beside every salt so that they can change for new secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

/// The one place the cost of turning a passphrase or an activation code into a key is set:
/// 128 MiB, 3 passes, 1 lane. Tuned so that unlocking takes 0.3–1 s on the machines Porta
/// runs on (BENCHMARKS.md has the figure); 64 MiB unlocked in 0.18 s here, cheaper than the
/// target for an attacker with a stolen laptop.
pub const PASSPHRASE_KDF: KdfParams = KdfParams { memory_kib: 128 * 1024, iterations: 3, parallelism: 1 };

impl KdfParams {
    /// Whether these parameters are within what Porta ever writes, with room to raise them:
    /// parameters that ask for more (4 TiB of memory, a million passes) or for nothing are
    /// damaged or crafted, and are refused before Argon2 runs.
    pub fn is_within_bounds(&self) -> bool {
        (8 * 1024..=2 * 1024 * 1024).contains(&self.memory_kib)
            && (1..=16).contains(&self.iterations)
            && (1..=8).contains(&self.parallelism)
    }
}

/// Argon2id of `secret` with `salt`: 32 bytes, zeroed when dropped. `kdf` must be within
/// bounds (the callers check parameters read from outside).
pub fn derive_key(secret: &[u8], salt: &[u8], kdf: KdfParams) -> Zeroizing<[u8; 32]> {
    let params = argon2::Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(32))
        .expect("valid Argon2 parameters");
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(secret, salt, key.as_mut())
        .expect("Argon2id accepts any secret and a 16-byte salt");
    key
}

const SALT_LEN: usize = 16;

/// What a device needs to seal a secret for an activation code, and nothing that opens it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivationLock {
    /// The X25519 public key of Argon2id(code, salt), lower-case hex.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    #[serde(with = "hex32")]
    pub public_key: [u8; 32],
    /// The Argon2id salt, lower-case hex.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    #[serde(with = "hex_bytes")]
    pub salt: Vec<u8>,
    pub kdf: KdfParams,
}

impl std::fmt::Debug for ActivationLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActivationLock").field("public_key", &data_encoding::HEXLOWER.encode(&self.public_key)).finish()
    }
}

/// A secret sealed to an X25519 public key: an [`ActivationLock`]'s, or a key holder's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sealed {
    /// The sealer's one-time X25519 public key, lower-case hex.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    #[serde(with = "hex32")]
    pub ephemeral_public: [u8; 32],
    /// Lower-case hex.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    #[serde(with = "hex12")]
    pub nonce: [u8; NONCE_LEN],
    /// The secret and its GCM tag, lower-case hex.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    #[serde(with = "hex_bytes")]
    pub ciphertext: Vec<u8>,
}

/// Why a secret could not be sealed to a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The lock's public key is a low-order point: the shared secret would be known to all.
    #[error("the activation lock's public key is not usable")]
    WeakPublicKey,
    /// Its Argon2 parameters are out of bounds: nobody could open the seal in reasonable time.
    #[error("the activation lock's parameters are out of bounds")]
    ParametersOutOfBounds,
}

impl ActivationLock {
    /// The lock of `code` (as typed), with a fresh salt: what the server keeps and sends.
    pub fn for_code(code: &str, kdf: KdfParams, random: &dyn SecureRandom) -> Result<Self, ring::error::Unspecified> {
        let mut salt = vec![0u8; SALT_LEN];
        random.fill(&mut salt)?;
        let secret = private_key(code, &salt, kdf);
        Ok(Self { public_key: PublicKey::from(&secret).to_bytes(), salt, kdf })
    }

    /// Seals `secret` so that only whoever types the code opens it; `associated` is bound to
    /// the seal (it must be given again to open it).
    pub fn seal(&self, secret: &[u8], associated: &[u8], random: &dyn SecureRandom) -> Result<Sealed, SealError> {
        if !self.kdf.is_within_bounds() {
            return Err(SealError::ParametersOutOfBounds);
        }
        seal_to(&self.public_key, secret, associated, random)
    }
}

/// Seals `secret` to the X25519 public key `public_key` (a fresh X25519 key of the sealer's,
/// HKDF-SHA256, AES-256-GCM): only the holder of its private key opens it, with `associated`.
pub fn seal_to(
    public_key: &[u8; 32],
    secret: &[u8],
    associated: &[u8],
    random: &dyn SecureRandom,
) -> Result<Sealed, SealError> {
    let mut ephemeral_bytes = Zeroizing::new([0u8; 32]);
    random.fill(ephemeral_bytes.as_mut()).expect("the system random source works");
    let ephemeral = StaticSecret::from(*ephemeral_bytes);
    let ephemeral_public = PublicKey::from(&ephemeral).to_bytes();
    let shared = ephemeral.diffie_hellman(&PublicKey::from(*public_key));
    if !shared.was_contributory() {
        return Err(SealError::WeakPublicKey);
    }
    let key = wrapping_key(shared.as_bytes(), &ephemeral_public, public_key);
    let mut nonce = [0u8; NONCE_LEN];
    random.fill(&mut nonce).expect("the system random source works");
    let mut ciphertext = secret.to_vec();
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key.as_ref()).expect("a 32-byte AES key"))
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(associated), &mut ciphertext)
        .expect("sealing a short secret cannot fail");
    Ok(Sealed { ephemeral_public, nonce, ciphertext })
}

/// Opens what was sealed to the lock of `code` with `salt` and `kdf`: `None` when the code
/// (or `associated`) is not the one it was sealed for.
pub fn open(sealed: &Sealed, code: &str, salt: &[u8], kdf: KdfParams, associated: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if !kdf.is_within_bounds() {
        return None;
    }
    open_with(&code_secret(code, salt, kdf), sealed, associated)
}

/// The private key of the lock of `code` with `salt` and `kdf` (one Argon2id run), to open
/// several seals with [`open_with`]. `kdf` must be within bounds (the caller checks).
pub fn code_secret(code: &str, salt: &[u8], kdf: KdfParams) -> StaticSecret {
    private_key(code, salt, kdf)
}

/// The X25519 key pair of a 32-byte secret key (an Argon2id or HKDF output): what a key
/// holder seals to, and opens with.
pub fn key_pair(secret: &[u8; 32]) -> (StaticSecret, [u8; 32]) {
    let secret = StaticSecret::from(*secret);
    let public = PublicKey::from(&secret).to_bytes();
    (secret, public)
}

/// Opens what was sealed to the public key of `secret`: `None` when it was sealed to another
/// key or with other `associated` data.
pub fn open_with(secret: &StaticSecret, sealed: &Sealed, associated: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let public_key = PublicKey::from(secret).to_bytes();
    let shared = secret.diffie_hellman(&PublicKey::from(sealed.ephemeral_public));
    if !shared.was_contributory() {
        return None;
    }
    let key = wrapping_key(shared.as_bytes(), &sealed.ephemeral_public, &public_key);
    let opening = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key.as_ref()).ok()?);
    let mut in_out = Zeroizing::new(sealed.ciphertext.clone());
    let plain_len = opening
        .open_in_place(Nonce::assume_unique_for_key(sealed.nonce), Aad::from(associated), &mut in_out)
        .ok()?
        .len();
    in_out.truncate(plain_len);
    Some(in_out)
}

fn private_key(code: &str, salt: &[u8], kdf: KdfParams) -> StaticSecret {
    // Read as every code is (`enrollment_code::canonical`); a character no code has is kept,
    // so such a code opens nothing.
    let symbols = crate::enrollment_code::canonical(code).unwrap_or_else(|| code.to_owned());
    StaticSecret::from(*derive_key(symbols.as_bytes(), salt, kdf))
}

fn wrapping_key(shared: &[u8; 32], ephemeral_public: &[u8; 32], public_key: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral_public);
    salt[32..].copy_from_slice(public_key);
    let mut key = Zeroizing::new([0u8; 32]);
    hkdf::Salt::new(hkdf::HKDF_SHA256, &salt)
        .extract(shared)
        .expand(&[b"porta activation seal"], &AES_256_GCM)
        .and_then(|okm| okm.fill(key.as_mut()))
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    key
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&data_encoding::HEXLOWER.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        data_encoding::HEXLOWER_PERMISSIVE.decode(text.as_bytes()).map_err(serde::de::Error::custom)
    }
}

mod hex12 {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 12], serializer: S) -> Result<S::Ok, S::Error> {
        super::hex_bytes::serialize(bytes, serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<[u8; 12], D::Error> {
        let bytes = super::hex_bytes::deserialize(deserializer)?;
        bytes.try_into().map_err(|_| serde::de::Error::custom("expected 12 bytes"))
    }
}

mod hex32 {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], serializer: S) -> Result<S::Ok, S::Error> {
        super::hex_bytes::serialize(bytes, serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<[u8; 32], D::Error> {
        let bytes = super::hex_bytes::deserialize(deserializer)?;
        bytes.try_into().map_err(|_| serde::de::Error::custom("expected 32 bytes"))
    }
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;

    use super::*;

    /// Cheap parameters: what is tested here is the scheme, not Argon2's cost.
    const TEST_KDF: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };

    #[test]
    fn only_the_code_opens_what_was_sealed_to_its_lock() {
        let random = SystemRandom::new();
        let lock = ActivationLock::for_code("4TQX-9MKD-2HWP", TEST_KDF, &random).unwrap();
        let sealed = lock.seal(b"the database key", b"operator 7", &random).unwrap();
        let opened = open(&sealed, "4tqx 9mkd 2hwp", &lock.salt, lock.kdf, b"operator 7").unwrap();
        assert_eq!(opened.as_slice(), b"the database key", "typed leniently");
        assert!(open(&sealed, "4TQX-9MKD-2HWQ", &lock.salt, lock.kdf, b"operator 7").is_none(), "another code");
        assert!(open(&sealed, "4TQX-9MKD-2HWP", &lock.salt, lock.kdf, b"operator 8").is_none(), "moved elsewhere");
        assert!(!sealed.ciphertext.windows(8).any(|w| w == b"database"), "sealed, not copied");
        let json = serde_json::to_string(&lock).unwrap();
        assert!(!json.contains("4TQX") && !json.to_uppercase().contains("4TQX9MKD2HWP"), "{json}");
        assert_eq!(serde_json::from_str::<ActivationLock>(&json).unwrap(), lock);
    }

    #[test]
    fn a_weak_or_crafted_lock_is_refused_when_sealing() {
        let random = SystemRandom::new();
        let mut lock = ActivationLock::for_code("4TQX-9MKD-2HWP", TEST_KDF, &random).unwrap();
        let weak = ActivationLock { public_key: [0u8; 32], ..lock.clone() };
        assert_eq!(weak.seal(b"k", b"", &random).unwrap_err(), SealError::WeakPublicKey);
        lock.kdf.memory_kib = u32::MAX;
        assert_eq!(lock.seal(b"k", b"", &random).unwrap_err(), SealError::ParametersOutOfBounds);
    }
}
