//! Webhooks' rules (docs/changes.md): an endpoint's address, the Standard Webhooks signature, and when a failing
//! endpoint is tried again and when it is given up. Pure: the worker and the use cases apply them.

use std::net::IpAddr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use hmac::{KeyInit as _, Mac as _};

use crate::said;
use crate::said::Said;

/// The most endpoints a partner's API client may register (staff have no cap): each one is a worker's load.
pub const MAX_ENDPOINTS_PER_CLIENT: usize = 10;
/// How long an endpoint is retried after its first failure before it is disabled.
pub const GIVE_UP_AFTER_HOURS: i64 = 24;
/// The longest wait between two attempts.
pub const MAX_BACKOFF_SECONDS: i64 = 3600;
/// How long the secret before a rotation keeps signing, unless the rotation says otherwise.
pub const DEFAULT_OVERLAP_HOURS: i64 = 24;
/// The longest an endpoint's description may be.
pub const DESCRIPTION_MAX: usize = 200;
/// The longest URL an endpoint may have.
pub const URL_MAX: usize = 2000;
/// The prefix of a signing secret as partners see it.
pub const SECRET_PREFIX: &str = "whsec_";

/// The wait before attempt `attempts + 1`, after `attempts` failures in a row (`attempts` ≥ 1): 1 s doubling up to an
/// hour, with "equal jitter" (half of it fixed, half drawn by `unit` in [0, 1)), so that endpoints failing together
/// do not retry together and no wait is zero.
pub fn backoff(attempts: u32, unit: f64) -> Duration {
    let exponent = attempts.saturating_sub(1).min(20);
    let base = (1_i64 << exponent).min(MAX_BACKOFF_SECONDS) * 1000;
    let unit = if unit.is_finite() {
        unit.clamp(0.0, 1.0)
    } else {
        0.0
    };
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_precision_loss,
        reason = "at most an hour in milliseconds, far inside f64's exact integers"
    )]
    let jitter = ((base / 2) as f64 * unit) as i64;
    Duration::milliseconds(base / 2 + jitter)
}

/// Whether an endpoint failing since `failing_since` is given up at `now` (and disabled).
pub fn gives_up(failing_since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - failing_since >= Duration::hours(GIVE_UP_AFTER_HOURS)
}

/// Whether an address is on the public internet: not loopback, private, link-local, shared (CGNAT), unique-local,
/// multicast, documentation, benchmarking, reserved or unspecified. Webhooks are delivered only there (SSRF).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8
                || first == 0x0064 && v6.segments()[1] == 0xff9b
                || first == 0x0100)
        }
    }
}

/// Checks an endpoint's URL: absolute, `https` (or `http` when `allow_insecure`, for tests and local work), a host,
/// no user name or password, no fragment, at most [`URL_MAX`] characters. An address literal must be public unless
/// `allow_private` (host names are checked when they are resolved, at each delivery).
pub fn check_url(url: &str, allow_insecure: bool, allow_private: bool) -> Result<(), Said> {
    let refuse = || {
        if allow_insecure {
            said!("field-webhook-url-local")
        } else {
            said!("field-webhook-url")
        }
    };
    if url.chars().count() > URL_MAX || url.chars().any(char::is_control) {
        return Err(refuse());
    }
    let rest = match url.split_once("://") {
        Some(("https", rest)) => rest,
        Some(("http", rest)) if allow_insecure => rest,
        _ => return Err(refuse()),
    };
    if url.contains('#') {
        return Err(refuse());
    }
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err(refuse());
    }
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(refuse());
    }
    if let Ok(ip) = host.parse::<IpAddr>()
        && !allow_private
        && !is_public(ip)
    {
        return Err(said!("field-webhook-url-private"));
    }
    if !allow_private && (host.eq_ignore_ascii_case("localhost") || host.ends_with(".localhost")) {
        return Err(said!("field-webhook-url-private"));
    }
    Ok(())
}

/// A signing secret (`whsec_` and the key in base64, as the Standard Webhooks libraries take it).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// A secret of these key bytes (24 to 64 of them: the Standard Webhooks range).
    pub fn from_key(key: Vec<u8>) -> Option<Self> {
        (24..=64).contains(&key.len()).then_some(Self(key))
    }

    /// Reads `whsec_<base64>`.
    pub fn parse(text: &str) -> Option<Self> {
        let key = STANDARD.decode(text.strip_prefix(SECRET_PREFIX)?).ok()?;
        Self::from_key(key)
    }

    /// `whsec_<base64>`.
    pub fn encode(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.0))
    }

    /// The signature of a delivery: `v1,` and the base64 of HMAC-SHA256 over `{id}.{timestamp}.{body}`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.0) else {
            // Any key length is accepted by HMAC; this cannot happen.
            return String::new();
        };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

/// The `webhook-signature` header: the signatures of every secret that signs now, space-separated.
pub fn signature_header(secrets: &[Secret], id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets
        .iter()
        .map(|s| s.sign(id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
