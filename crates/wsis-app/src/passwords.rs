//! Argon2id password hashes (PHC strings) with OWASP's parameters: m = 19 MiB, t = 2, p = 1. The HTTP layer runs
//! them behind its `HashGate`; the binary's commands (a staff account, the demo accounts) call them directly.

use std::sync::LazyLock;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;

thread_local! {
    /// The Argon2 working memory of this thread (19 MiB with the default parameters), allocated once and reused by
    /// every hash the thread computes. Allocating it afresh for each hash, as `Argon2::hash_password` does, left
    /// each hashing thread's allocator holding several such blocks between small allocations it could not give back
    /// (500 parallel sign-ins: 470 MB peak, 330 MB of it from two hashing threads).
    static MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `work` with this thread's working memory, grown to `blocks` blocks if it is smaller.
fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        work(memory.get_mut(..blocks).unwrap_or_default())
    })
}

/// Hashes a password with a fresh random 128-bit salt, as a PHC string.
pub fn hash(password: &str) -> Result<String, String> {
    let params = Params::default();
    let mut salt = [0u8; Salt::RECOMMENDED_LENGTH];
    rand::rng().fill_bytes(&mut salt);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    with_memory(params.block_count(), |memory| {
        argon.hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
    })
    .map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(Salt::new(&salt).map_err(|e| e.to_string())?),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the stored PHC string (compared in constant time).
pub fn verify(password: &str, stored: &str) -> bool {
    let check = || -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).ok()?;
        let version = parsed
            .version
            .map_or(Ok(Version::default()), Version::try_from)
            .ok()?;
        let params = Params::try_from(&parsed).ok()?;
        let (salt, expected) = (parsed.salt?, parsed.hash?);
        let mut out = vec![0u8; expected.len()];
        let argon = Argon2::new(algorithm, version, params.clone());
        with_memory(params.block_count(), |memory| {
            argon.hash_password_into_with_memory(
                password.as_bytes(),
                salt.as_ref(),
                &mut out,
                memory,
            )
        })
        .ok()?;
        Some(Output::new(&out).ok()? == expected)
    };
    check().unwrap_or(false)
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
        // The same PHC strings as the library's own hasher writes and reads: hashes stored before still verify.
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let library = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default());
        let theirs = library
            .hash_password(b"correct horse battery staple")
            .unwrap()
            .to_string();
        assert!(verify("correct horse battery staple", &theirs));
        assert!(!verify("correct horse battery stapler", &theirs));
        let ours = PasswordHash::new(&a).unwrap();
        assert!(
            library
                .verify_password(b"correct horse battery staple", &ours)
                .is_ok()
        );
        assert!(library.verify_password(b"wrong", &ours).is_err());
    }
}
