//! The key SQLCipher encrypts the database with.

use std::fmt;

use ring::rand::SecureRandom;
use zeroize::Zeroizing;

/// 256 random bits. Zeroed when dropped; never printed.
pub struct DatabaseKey(Zeroizing<[u8; 32]>);

impl DatabaseKey {
    /// A new key from `random`.
    pub fn generate(random: &dyn SecureRandom) -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        random.fill(bytes.as_mut()).expect("the system random source works");
        Self(bytes)
    }

    /// The key from its raw bytes (as unwrapped from the key file).
    pub(crate) fn from_bytes(bytes: Zeroizing<[u8; 32]>) -> Self {
        Self(bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The value of `PRAGMA key` that hands SQLCipher this key as a raw key (no KDF).
    pub(crate) fn sqlcipher_pragma_value(&self) -> Zeroizing<String> {
        let mut value = Zeroizing::new(String::with_capacity(67));
        value.push_str("x'");
        value.push_str(&data_encoding::HEXLOWER.encode(self.0.as_ref()));
        value.push('\'');
        value
    }
}

impl fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DatabaseKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;

    use super::*;

    #[test]
    fn keys_are_random_and_never_printed() {
        let random = SystemRandom::new();
        let (a, b) = (DatabaseKey::generate(&random), DatabaseKey::generate(&random));
        assert_ne!(a.bytes(), b.bytes());
        assert_eq!(format!("{a:?}"), "DatabaseKey(…)");
    }

    #[test]
    fn the_pragma_value_is_a_raw_hex_key() {
        let key = DatabaseKey::from_bytes(Zeroizing::new([0xab; 32]));
        let value = key.sqlcipher_pragma_value();
        assert_eq!(value.len(), 67);
        assert!(value.starts_with("x'abab") && value.ends_with("ab'"));
    }
}
