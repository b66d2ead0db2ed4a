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

    /// The statement `PRAGMA key = "x'…'";` that hands SQLCipher this key as a raw key (no
    /// KDF). Written into one buffer of its final size, the hex digits through another that is
    /// zeroed too: no copy of the key is left behind in a grown or temporary string.
    pub(crate) fn sqlcipher_key_statement(&self) -> Zeroizing<String> {
        const BEFORE: &str = "PRAGMA key = \"x'";
        const AFTER: &str = "'\";";
        let mut hex = Zeroizing::new([0u8; 64]);
        data_encoding::HEXLOWER.encode_mut(self.0.as_ref(), hex.as_mut());
        let mut statement = Zeroizing::new(String::with_capacity(BEFORE.len() + hex.len() + AFTER.len()));
        statement.push_str(BEFORE);
        for digit in hex.iter() {
            statement.push(char::from(*digit));
        }
        statement.push_str(AFTER);
        statement
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
    fn the_pragma_hands_over_a_raw_hex_key_in_a_buffer_that_never_grew() {
        let key = DatabaseKey::from_bytes(Zeroizing::new([0xab; 32]));
        let statement = key.sqlcipher_key_statement();
        assert_eq!(statement.as_str(), format!("PRAGMA key = \"x'{}'\";", "ab".repeat(32)));
        assert_eq!(statement.len(), statement.capacity(), "built at its final size, never moved");
    }
}
