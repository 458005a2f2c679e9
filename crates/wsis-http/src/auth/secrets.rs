//! Opaque secrets (refresh tokens, e-mail tokens, invitation tokens, client secrets): 256 random bits, URL-safe,
//! stored only as their SHA-256 (enough for high-entropy values; passwords use Argon2id instead).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new secret with a readable prefix (`wsis_rt_…`), as given to the client.
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a secret.
pub fn digest(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

/// Constant-time comparison of two digests.
pub fn digests_equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_prefixed_and_hashed() {
        let a = generate("wsis_rt_");
        let b = generate("wsis_rt_");
        assert!(a.starts_with("wsis_rt_") && a.len() == 8 + 43, "{a}");
        assert_ne!(a, b);
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), digest(&b));
        assert!(digests_equal(&digest(&a), &digest(&a)));
        assert!(!digests_equal(&digest(&a), &digest(&b)));
    }
}
