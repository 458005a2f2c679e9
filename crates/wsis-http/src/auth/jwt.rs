//! Access tokens: JWTs signed with HS256 under a key id. The first configured key signs; every configured key
//! verifies, so keys rotate without invalidating tokens signed by the previous one. The algorithm is pinned on
//! verification; `iss`, `aud`, `exp` and `nbf` are checked with a small leeway.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretSlice};
use serde::{Deserialize, Serialize};

/// Seconds of clock skew tolerated on `exp` and `nbf`.
pub const LEEWAY_SECONDS: u64 = 30;

/// A signing key: an id and a secret of at least 32 bytes.
pub struct SigningKey {
    /// The `kid`.
    pub kid: String,
    /// The HMAC secret.
    pub secret: SecretSlice<u8>,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Subject: a user id, or an API client's record id.
    pub sub: String,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    /// Not before.
    pub nbf: i64,
    /// Token id.
    pub jti: String,
    /// Session id: revoking the session revokes the token.
    pub sid: String,
    /// `user` or `client`.
    pub kind: String,
    /// Roles (`staff`, `reviewer`, `partner`).
    pub roles: Vec<String>,
    /// Space-separated scopes.
    pub scope: String,
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a JWT, an unknown algorithm (including `none`), or no `kid`.
    #[error("the token is malformed or uses an algorithm other than HS256")]
    Malformed,
    /// The `kid` names no configured key.
    #[error("the token was signed with an unknown key")]
    UnknownKey,
    /// Signature, issuer, audience, expiry or not-before check failed.
    #[error("the token is invalid: {0}")]
    Invalid(String),
}

/// Issues and verifies access tokens.
pub struct TokenIssuer {
    issuer: String,
    audience: String,
    lifetime_seconds: i64,
    active: (String, EncodingKey),
    verifying: HashMap<String, DecodingKey>,
}

impl fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenIssuer")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("active_kid", &self.active.0)
            .field("kids", &self.verifying.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl TokenIssuer {
    /// Builds from keys (the first signs).
    pub fn new(
        issuer: &str,
        audience: &str,
        lifetime_seconds: i64,
        keys: &[SigningKey],
    ) -> Result<Self, String> {
        let first = keys.first().ok_or("no signing key")?;
        let mut verifying = HashMap::new();
        for key in keys {
            if key.secret.expose_secret().len() < 32 {
                return Err(format!(
                    "signing key `{}` is shorter than 32 bytes",
                    key.kid
                ));
            }
            let decoding =
                DecodingKey::from_secret(key.secret.expose_secret()).map_err(|e| e.to_string())?;
            verifying.insert(key.kid.clone(), decoding);
        }
        let encoding =
            EncodingKey::from_secret(first.secret.expose_secret()).map_err(|e| e.to_string())?;
        Ok(Self {
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            lifetime_seconds,
            active: (first.kid.clone(), encoding),
            verifying,
        })
    }

    /// The issuer (`iss`) of access tokens and of authorization responses.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Access token lifetime in seconds.
    pub fn lifetime_seconds(&self) -> i64 {
        self.lifetime_seconds
    }

    /// Signs claims for `sub` in session `sid`.
    pub fn issue(
        &self,
        sub: &str,
        sid: &str,
        kind: &str,
        roles: Vec<String>,
        scope: &str,
        now: DateTime<Utc>,
    ) -> Result<String, String> {
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: sub.to_owned(),
            exp: now.timestamp() + self.lifetime_seconds,
            iat: now.timestamp(),
            nbf: now.timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
            sid: sid.to_owned(),
            kind: kind.to_owned(),
            roles,
            scope: scope.to_owned(),
        };
        self.sign(&claims)
    }

    /// Signs arbitrary claims with the active key (tests use it to forge expired or premature tokens).
    pub fn sign(&self, claims: &Claims) -> Result<String, String> {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.active.0.clone());
        jsonwebtoken::encode(&header, claims, &self.active.1).map_err(|e| e.to_string())
    }

    /// Verifies a token at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::HS256 {
            return Err(TokenError::Malformed);
        }
        let kid = header.kid.ok_or(TokenError::Malformed)?;
        let key = self.verifying.get(&kid).ok_or(TokenError::UnknownKey)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        // jsonwebtoken compares with the system clock; check against the injected clock ourselves instead.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let data = jsonwebtoken::decode::<Claims>(token, key, &validation)
            .map_err(|e| TokenError::Invalid(e.to_string()))?;
        let claims = data.claims;
        let leeway = i64::try_from(LEEWAY_SECONDS).unwrap_or(30);
        if claims.exp + leeway < now.timestamp() {
            return Err(TokenError::Invalid("expired".into()));
        }
        if claims.nbf - leeway > now.timestamp() {
            return Err(TokenError::Invalid("not yet valid".into()));
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kid: &str, byte: u8) -> SigningKey {
        SigningKey {
            kid: kid.into(),
            secret: SecretSlice::from(vec![byte; 32]),
        }
    }

    fn now() -> DateTime<Utc> {
        "2025-03-14T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn tokens_round_trip_and_survive_key_rotation() {
        let old = TokenIssuer::new("wsis", "wsis-api", 900, &[key("k1", 1)]).unwrap();
        let token = old
            .issue("user", "session", "user", vec!["staff".into()], "", now())
            .unwrap();
        let claims = old.verify(&token, now()).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.sid.as_str(), claims.exp),
            ("user", "session", now().timestamp() + 900)
        );
        let rotated =
            TokenIssuer::new("wsis", "wsis-api", 900, &[key("k2", 2), key("k1", 1)]).unwrap();
        assert!(
            rotated.verify(&token, now()).is_ok(),
            "the previous key still verifies"
        );
        let dropped = TokenIssuer::new("wsis", "wsis-api", 900, &[key("k2", 2)]).unwrap();
        assert_eq!(dropped.verify(&token, now()), Err(TokenError::UnknownKey));
    }

    #[test]
    fn expiry_and_not_before_follow_the_given_clock_with_leeway() {
        let issuer = TokenIssuer::new("wsis", "wsis-api", 900, &[key("k1", 1)]).unwrap();
        let token = issuer.issue("u", "s", "user", vec![], "", now()).unwrap();
        let at = |secs: i64| now() + chrono::Duration::seconds(secs);
        assert!(issuer.verify(&token, at(900 + 30)).is_ok());
        assert!(issuer.verify(&token, at(900 + 31)).is_err());
        assert!(issuer.verify(&token, at(-30)).is_ok());
        assert!(issuer.verify(&token, at(-31)).is_err());
    }
}
