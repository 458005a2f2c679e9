//! The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers-09): where the server counts attempts across
//! requests (sign-in and password change: per account and per client address; invitations: per inviting account),
//! its answers say which policies apply and what is left of them, as structured-field lists:
//!
//! ```text
//! RateLimit-Policy: "sign-in-account";q=5;w=900, "sign-in-address";q=50;w=900
//! RateLimit: "sign-in-account";r=4;t=900, "sign-in-address";r=49;t=900
//! ```
//!
//! `q` is the quota of attempts in a window of `w` seconds, `r` what remains of it, `t` the seconds until an attempt
//! is free again. Registration is limited per address too, silently: its answer must not tell whether mail was
//! sent, so it carries none of these. CORS exposes both fields (`server.rs`).

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use wsis_app::throttle::Quota;

/// `RateLimit-Policy`.
pub const POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
/// `RateLimit`.
pub const STATE: HeaderName = HeaderName::from_static("ratelimit");

/// The two fields for `quotas`; none when there is no quota to tell.
pub fn fields(quotas: &[Quota]) -> Vec<(HeaderName, HeaderValue)> {
    if quotas.is_empty() {
        return Vec::new();
    }
    let list =
        |item: &dyn Fn(&Quota) -> String| quotas.iter().map(item).collect::<Vec<_>>().join(", ");
    let policy = list(&|q| format!("\"{}\";q={};w={}", q.policy, q.quota, q.window));
    let state = list(&|q| format!("\"{}\";r={};t={}", q.policy, q.remaining, q.reset));
    [(POLICY, policy), (STATE, state)]
        .into_iter()
        .filter_map(|(name, value)| HeaderValue::from_str(&value).ok().map(|v| (name, v)))
        .collect()
}

/// Adds the fields to a response's headers.
pub fn tell(headers: &mut HeaderMap, quotas: &[Quota]) {
    for (name, value) in fields(quotas) {
        headers.insert(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_are_told_as_structured_field_lists() {
        let quotas = [
            Quota {
                policy: "sign-in-account",
                quota: 5,
                window: 900,
                remaining: 4,
                reset: 900,
            },
            Quota {
                policy: "sign-in-address",
                quota: 50,
                window: 900,
                remaining: 0,
                reset: 12,
            },
        ];
        let fields = fields(&quotas);
        assert_eq!(fields[0].0, POLICY);
        assert_eq!(
            fields[0].1,
            "\"sign-in-account\";q=5;w=900, \"sign-in-address\";q=50;w=900"
        );
        assert_eq!(fields[1].0, STATE);
        assert_eq!(
            fields[1].1,
            "\"sign-in-account\";r=4;t=900, \"sign-in-address\";r=0;t=12"
        );
        assert!(super::fields(&[]).is_empty());
    }
}
