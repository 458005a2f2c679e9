//! Building the identity services from configuration: signing keys (configured, or generated once into the data
//! directory), the mail transport, and the outbox worker.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use secrecy::ExposeSecret;
use wsis_http::auth::{SigningKey, TokenIssuer};
use wsis_http::mail::{Mailer, Transport};
use wsis_http::{AppState, Identity};

use crate::config::{IdentityConfig, parse_keys};

/// The file holding the generated signing key when `WSIS_JWT_KEYS` is not set.
pub const KEY_FILE: &str = "jwt-keys";

/// Reads the data directory's key file, creating it (mode 0600) with a fresh 256-bit key when absent.
pub fn load_or_create_key_file(data_dir: &Path) -> Result<Vec<SigningKey>, String> {
    let path = data_dir.join(KEY_FILE);
    if !path.exists() {
        wsis_http::mail::private_dir(data_dir)
            .map_err(|e| format!("{}: {e}", data_dir.display()))?;
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let kid = format!("local-{}", chrono::Utc::now().format("%Y%m%d%H%M%S"));
        let line = format!("{kid}:{}\n", URL_SAFE_NO_PAD.encode(secret));
        write_private(&path, &line)?;
        tracing::warn!(
            path = %path.display(),
            "no WSIS_JWT_KEYS: generated a signing key in the data directory; instances that share a database must share configured keys"
        );
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let keys =
        parse_keys(&text.replace('\n', ",")).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(keys
        .into_iter()
        .map(|k| SigningKey {
            kid: k.kid,
            secret: k.secret,
        })
        .collect())
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.write_all(contents.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

/// Builds the identity services.
pub fn build(config: &IdentityConfig, data_dir: &Path) -> Result<Identity, String> {
    let keys: Vec<SigningKey> = if config.jwt_keys.is_empty() {
        load_or_create_key_file(data_dir)?
    } else {
        config
            .jwt_keys
            .iter()
            .map(|k| SigningKey {
                kid: k.kid.clone(),
                secret: secrecy::SecretSlice::from(k.secret.expose_secret().to_vec()),
            })
            .collect()
    };
    let tokens = TokenIssuer::new(
        &config.issuer,
        &config.audience,
        config.access_token_seconds,
        &keys,
    )?;
    let transport = match &config.smtp_url {
        Some(url) => Mailer::smtp(url.expose_secret())?,
        None => Transport::Files(data_dir.join("outbox")),
    };
    Ok(Identity {
        tokens,
        hashing: wsis_http::auth::passwords::HashGate::for_this_machine(),
        mailer: Mailer::new(transport, &config.mail_from)?,
        frontend_url: config.frontend_url.clone(),
        max_account_failures: config.max_account_failures,
        max_address_failures: config.max_address_failures,
        max_signups_per_address: config.max_signups_per_address,
        throttle_window: chrono::Duration::seconds(config.login_window_seconds),
        session_lifetime: chrono::Duration::days(config.session_days),
        trusted_proxies: config.trusted_proxies.clone(),
    })
}

/// Delivers pending mail, expires accounts never verified in time, and forgets the hourly counters of past hours,
/// every `every` until the process stops (runs on the actix runtime); once an hour it also deletes the personal
/// data kept past its retention period (docs/privacy.md).
pub fn spawn_outbox_worker(state: AppState, every: Duration) {
    actix_web::rt::spawn(async move {
        let mut ticks = actix_web::rt::time::interval(every);
        let mut swept_at: Option<chrono::DateTime<chrono::Utc>> = None;
        loop {
            // Every `every`, or at once when a request queued mail it does not deliver itself.
            let queued = state.mail_queued.clone();
            let woken = queued.notified();
            futures_util::pin_mut!(woken);
            futures_util::future::select(Box::pin(ticks.tick()), woken).await;
            let db = state.db.clone();
            let identity: Arc<Identity> = state.identity.clone();
            let now = state.clock.now();
            let sweep = swept_at.is_none_or(|at| now - at >= chrono::Duration::hours(1));
            if sweep {
                swept_at = Some(now);
            }
            match actix_web::web::block(move || {
                if sweep {
                    let swept = db.with(|conn| wsis_app::accounts::sweep_retention(conn, now))?;
                    tracing::info!(?swept, "personal data past its retention deleted");
                }
                // Accounts never verified in time are expired here too, not only when someone registers.
                let lifetime =
                    chrono::Duration::days(wsis_domain::account::UNVERIFIED_LIFETIME_DAYS);
                let expired = db.with(|conn| {
                    wsis_persistence::users::expire_unverified(conn, now - lifetime, None, now)
                })?;
                if expired > 0 {
                    tracing::info!(expired, "unverified accounts expired");
                }
                db.with(|conn| {
                    wsis_persistence::users::forget_hourly_before(
                        conn,
                        now - chrono::Duration::hours(2),
                    )
                })?;
                wsis_http::mail::deliver_pending(&db, &identity.mailer, now, None)
            })
            .await
            {
                Ok(Ok(0)) => {}
                Ok(Ok(sent)) => tracing::info!(sent, "outbox delivered"),
                Ok(Err(err)) => tracing::warn!(error = %err, "outbox delivery failed"),
                Err(err) => tracing::warn!(error = %err, "outbox worker could not run"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_key_is_private_and_kept_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create_key_file(dir.path()).unwrap();
        let again = load_or_create_key_file(dir.path()).unwrap();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].kid, again[0].kid);
        assert_eq!(
            first[0].secret.expose_secret(),
            again[0].secret.expose_secret()
        );
        assert_eq!(first[0].secret.expose_secret().len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // A token signed before a restart verifies after it.
        let before = TokenIssuer::new("wsis", "wsis-api", 900, &first).unwrap();
        let after = TokenIssuer::new("wsis", "wsis-api", 900, &again).unwrap();
        let now = chrono::Utc::now();
        let token = before.issue("u", "s", "user", vec![], "", now).unwrap();
        assert!(after.verify(&token, now).is_ok());
    }
}
