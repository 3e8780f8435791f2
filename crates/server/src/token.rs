//! API tokens: what `pitwall token create` prints and `POST /api/ingest` checks. A token is
//! `pw_` and 64 hexadecimal digits (32 random bytes from the operating system); the store
//! only ever sees its SHA-256 hash, so a leaked database reveals no usable token.

use sha2::{Digest, Sha256};

/// What every token starts with, so it is recognisable in a config file or a leak scan.
pub const PREFIX: &str = "pw_";

/// Random bytes in a token.
const RANDOM_BYTES: usize = 32;

/// Failure to get randomness from the operating system.
#[derive(Debug, thiserror::Error)]
#[error("the operating system gave no random bytes for a token")]
pub struct NoRandomness(#[source] getrandom::Error);

/// A new random token.
pub fn generate() -> Result<String, NoRandomness> {
    let mut bytes = [0_u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(NoRandomness)?;
    let mut token = String::with_capacity(PREFIX.len() + 2 * RANDOM_BYTES);
    token.push_str(PREFIX);
    for b in bytes {
        token.push_str(&format!("{b:02x}"));
    }
    Ok(token)
}

/// Whether `text` has the shape of a token (checked before any store lookup).
pub fn looks_valid(text: &str) -> bool {
    text.strip_prefix(PREFIX).is_some_and(|hex| {
        hex.len() == 2 * RANDOM_BYTES && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The hash the store keeps for a token.
pub fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_well_formed_and_hashed() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a, b);
        assert!(looks_valid(&a), "{a}");
        assert!(!looks_valid("pw_123"));
        assert!(!looks_valid(&a.replace("pw_", "xx_")));
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        // SHA-256 of "abc", the standard's first example.
        assert_eq!(
            hash("abc")[..4],
            [0xba, 0x78, 0x16, 0xbf],
            "the hash is SHA-256"
        );
    }
}
