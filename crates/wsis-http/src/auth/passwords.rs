//! Argon2id password hashes (PHC strings) with OWASP's parameters: m = 19 MiB, t = 2, p = 1.

use std::sync::LazyLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the stored PHC string.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of nothing anyone knows, verified when the account does not exist so that an unknown e-mail costs the
/// same time as a wrong password.
static DECOY: LazyLock<String> =
    LazyLock::new(|| hash("decoy password for timing only").unwrap_or_default());

/// Spends the time of one verification.
pub fn verify_decoy(password: &str) {
    let _ = verify(password, &DECOY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse battery staple").unwrap();
        let b = hash("correct horse battery staple").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify("correct horse battery staple", &a));
        assert!(!verify("correct horse battery stapler", &a));
        assert!(!verify("anything", "not a hash"));
    }
}
