//! Third-party frontends signing people in (docs/identity.md): the OAuth 2.0 authorization code grant with PKCE
//! (RFC 6749 §4.1, RFC 7636 with `S256` only, the OAuth 2.0 Security BCP, RFC 9700). The rules of a client's
//! redirect URIs, of a request's PKCE challenge and of a token request's verifier. Pure.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::said::Said;

/// The one scope a public client may be granted: to act as the person who signed in, as a plain user (their
/// organisations, submissions, votes). Staff and reviewer roles are never delegated, and the account's own password,
/// address and erasure need a first-party sign-in.
pub const ACCOUNT_SCOPE: &str = "account";

/// Every scope a public client may be registered with.
pub const SCOPES: &[&str] = &[ACCOUNT_SCOPE];

/// How long an authorization code lives (RFC 6749 §4.1.2 recommends at most ten minutes; one is plenty).
pub const CODE_LIFETIME_SECONDS: i64 = 60;

/// The most redirect URIs a client may register.
pub const MAX_REDIRECT_URIS: usize = 10;

/// Whether `uri` may be registered as a redirect URI: an absolute `https` URI without a fragment, or `http` on a
/// loopback address (RFC 8252 §7.3: development and native apps); no user information; at most 2,000 characters.
pub fn check_redirect_uri(uri: &str) -> Result<(), Said> {
    let refused = || Err(crate::said!("field-redirect-uri"));
    if uri.len() > 2000 || uri.contains('#') || uri.chars().any(|c| c.is_control() || c == ' ') {
        return refused();
    }
    let (scheme, rest) = match uri.split_once("://") {
        Some(parts) => parts,
        None => return refused(),
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return refused();
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((inner, port)) => (&authority[..inner.len() + 2], port),
            None => return refused(),
        },
        None => authority.split_at(authority.find(':').unwrap_or(authority.len())),
    };
    let port = port.strip_prefix(':').unwrap_or(port);
    if host.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return refused();
    }
    let loopback = matches!(host, "127.0.0.1" | "[::1]" | "localhost");
    match scheme {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => refused(),
    }
}

/// Whether a PKCE challenge is an `S256` one: 43 characters of base64url (a SHA-256 digest, unpadded).
pub fn challenge_is_s256(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether a PKCE code verifier is well formed: 43 to 128 unreserved characters (RFC 7636 §4.1).
pub fn verifier_is_valid(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The `S256` challenge of a verifier: `BASE64URL(SHA256(verifier))`.
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether `verifier` answers `challenge`, compared in constant time.
pub fn verifier_answers(verifier: &str, challenge: &str) -> bool {
    if !verifier_is_valid(verifier) {
        return false;
    }
    let computed = s256(verifier);
    computed.len() == challenge.len()
        && computed
            .bytes()
            .zip(challenge.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// The scopes granted for a request: those asked for (space-separated; none asked: every allowed one), each of
/// which the client must be allowed; `None` when one is not.
pub fn granted_scopes(requested: Option<&str>, allowed: &[String]) -> Option<Vec<String>> {
    let asked: Vec<&str> = requested
        .map(|r| r.split(' ').filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    if asked.is_empty() {
        return Some(allowed.to_vec());
    }
    let mut granted: Vec<String> = Vec::new();
    for scope in asked {
        if !allowed.iter().any(|a| a == scope) {
            return None;
        }
        if !granted.iter().any(|g| g == scope) {
            granted.push(scope.to_owned());
        }
    }
    Some(granted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_are_https_or_loopback_http_without_fragments() {
        for good in [
            "https://frontend.example/callback",
            "https://frontend.example:8443/cb?x=1",
            "http://127.0.0.1:5173/callback",
            "http://localhost:3000/cb",
            "http://[::1]:8080/cb",
        ] {
            assert!(check_redirect_uri(good).is_ok(), "{good}");
        }
        for bad in [
            "http://frontend.example/callback",
            "https://frontend.example/cb#frag",
            "https://user@frontend.example/cb",
            "javascript:alert(1)",
            "frontend.example/cb",
            "https:///cb",
            "https://frontend.example/c b",
            "ftp://frontend.example/cb",
        ] {
            assert!(check_redirect_uri(bad).is_err(), "{bad}");
        }
        assert!(check_redirect_uri(&format!("https://a.example/{}", "x".repeat(2000))).is_err());
    }

    #[test]
    fn the_rfc_7636_example_verifier_answers_its_challenge() {
        // RFC 7636 Appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(s256(verifier), challenge);
        assert!(challenge_is_s256(challenge));
        assert!(verifier_answers(verifier, challenge));
        assert!(!verifier_answers(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl",
            challenge
        ));
        assert!(!verifier_answers("short", challenge));
        assert!(!challenge_is_s256("plain-challenge"));
        assert!(!verifier_is_valid(&"a".repeat(129)));
        assert!(!verifier_is_valid(&format!("{}\0", "a".repeat(50))));
    }

    #[test]
    fn scopes_asked_must_be_allowed() {
        let allowed = vec![ACCOUNT_SCOPE.to_owned()];
        assert_eq!(granted_scopes(None, &allowed), Some(allowed.clone()));
        assert_eq!(
            granted_scopes(Some("account account"), &allowed),
            Some(allowed.clone())
        );
        assert_eq!(granted_scopes(Some("account admin"), &allowed), None);
        assert_eq!(granted_scopes(Some(""), &allowed), Some(allowed.clone()));
    }
}
