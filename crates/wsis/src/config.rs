//! Typed configuration from environment variables (and the command line for the listen address and data
//! directory). Every problem is reported at once; secrets are held in `SecretString` and never printed.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use wsis_http::HttpSettings;
use wsis_persistence::PoolOptions;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, for terminals.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The server's configuration.
pub struct Config {
    /// Where to listen (`WSIS_LISTEN`, `--listen`).
    pub listen: SocketAddr,
    /// Where local state lives (`WSIS_DATA_DIR`, `--data-dir`): the SQLite file when `DATABASE_URL` is unset.
    pub data_dir: PathBuf,
    /// The database (`DATABASE_URL`); may carry a password, so it is secret.
    pub database_url: SecretString,
    /// Pool settings (`WSIS_DB_POOL_SIZE`, `WSIS_DB_CONNECT_TIMEOUT_SECS`).
    pub pool: PoolOptions,
    /// Longest a request waits for database work (`WSIS_DB_TIMEOUT_SECS`).
    pub db_timeout: Duration,
    /// Bytes of rendered public repository pages kept per instance (`WSIS_PAGE_CACHE_BYTES`; 0 keeps none).
    pub page_cache_bytes: u64,
    /// HTTP settings.
    pub http: HttpSettings,
    /// Log format (`WSIS_LOG_FORMAT`: `pretty` or `json`).
    pub log_format: LogFormat,
    /// Log filter (`WSIS_LOG`, else `RUST_LOG`, else `info`).
    pub log_filter: String,
    /// Accounts, tokens and mail.
    pub identity: IdentityConfig,
    /// Webhook delivery (`WSIS_WEBHOOK_TIMEOUT_SECS`, `WSIS_WEBHOOK_ALLOW_PRIVATE`).
    pub webhooks: wsis_http::changes::WebhookSettings,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database", &redact_url(self.database_url.expose_secret()))
            .field("pool", &self.pool)
            .field("db_timeout", &self.db_timeout)
            .field("page_cache_bytes", &self.page_cache_bytes)
            .field("http", &self.http)
            .field("log_format", &self.log_format)
            .field("log_filter", &self.log_filter)
            .field("identity", &self.identity)
            .field("webhooks", &self.webhooks)
            .finish()
    }
}

/// A URL with any password replaced by `***`, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// One configuration problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The variable.
    pub variable: &'static str,
    /// What is wrong (never the secret value itself).
    pub message: String,
}

/// All configuration problems found.
#[derive(Debug, thiserror::Error)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "invalid configuration ({} problem{}):",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            writeln!(f, "  {}: {}", e.variable, e.message)?;
        }
        Ok(())
    }
}

/// Values given on the command line, which win over the environment.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--listen`.
    pub listen: Option<String>,
    /// `--data-dir`.
    pub data_dir: Option<PathBuf>,
}

/// Every variable read, with its documentation (kept in step with docs/configuration.md by a test).
pub const VARIABLES: &[(&str, &str)] = &[
    (
        "DATABASE_URL",
        "postgres://… or sqlite://PATH; default sqlite://<data dir>/wsis.sqlite3",
    ),
    ("WSIS_LISTEN", "listen address, default 127.0.0.1:8080"),
    ("WSIS_DATA_DIR", "data directory, default ./data"),
    ("WSIS_LOG_FORMAT", "pretty (default) or json"),
    (
        "WSIS_LOG",
        "log filter (tracing EnvFilter syntax), default info; RUST_LOG is read when unset",
    ),
    (
        "WSIS_CORS_ALLOWED_ORIGINS",
        "comma-separated origins allowed from browsers, or *; default none",
    ),
    (
        "WSIS_BODY_LIMIT_BYTES",
        "largest request body, default 1048576",
    ),
    (
        "WSIS_DB_TIMEOUT_SECS",
        "longest a request may wait for database work before it is answered 503, default 30",
    ),
    (
        "WSIS_CLIENT_REQUEST_TIMEOUT_SECS",
        "longest a client may take to send request headers, default 10",
    ),
    (
        "WSIS_KEEP_ALIVE_SECS",
        "idle keep-alive connection lifetime, default 75",
    ),
    (
        "WSIS_SHUTDOWN_TIMEOUT_SECS",
        "grace for requests in flight on SIGTERM/SIGINT, default 30",
    ),
    ("WSIS_WORKERS", "HTTP worker threads, default one per core"),
    (
        "WSIS_DB_POOL_SIZE",
        "most database connections, default 16 (SQLite: at most 8)",
    ),
    (
        "WSIS_DB_CONNECT_TIMEOUT_SECS",
        "wait for a database connection before answering 503, default 5",
    ),
    (
        "WSIS_PAGE_CACHE_BYTES",
        "bytes of rendered public repository pages kept per instance, default 33554432 (0: none)",
    ),
    (
        "WSIS_WEBHOOK_TIMEOUT_SECS",
        "the longest a webhook receiver may take to answer, default 10",
    ),
    (
        "WSIS_WEBHOOK_ALLOW_PRIVATE",
        "1: deliver webhooks over http and to loopback and private addresses (tests, local work only), default 0",
    ),
    (
        "WSIS_JWT_KEYS",
        "access-token signing keys `kid:base64url-secret,…` (first signs, all verify)",
    ),
    (
        "WSIS_JWT_ISSUER",
        "the `iss` of access tokens, default wsis",
    ),
    (
        "WSIS_JWT_AUDIENCE",
        "the `aud` of access tokens, default wsis-api",
    ),
    (
        "WSIS_ACCESS_TOKEN_SECS",
        "access token lifetime, default 900",
    ),
    (
        "WSIS_SESSION_DAYS",
        "session (refresh token) lifetime, default 30",
    ),
    (
        "WSIS_FRONTEND_URL",
        "base URL of the frontend for links in mail, default http://127.0.0.1:8080",
    ),
    (
        "WSIS_SMTP_URL",
        "smtps://user:password@host:465 to send mail; default .eml files in <data dir>/outbox",
    ),
    (
        "WSIS_MAIL_FROM",
        "sender of mail, default WSIS <no-reply@wsis.invalid>",
    ),
    (
        "WSIS_LOGIN_MAX_ACCOUNT_FAILURES",
        "failed sign-ins per account within the window before 429, default 5",
    ),
    (
        "WSIS_LOGIN_MAX_ADDRESS_FAILURES",
        "failed sign-ins per client address within the window before 429, default 50",
    ),
    (
        "WSIS_LOGIN_WINDOW_SECS",
        "the window failed sign-ins are counted over, default 900",
    ),
    (
        "WSIS_TRUSTED_PROXIES",
        "proxies (addresses or networks) whose X-Forwarded-For is believed, default none",
    ),
];

/// An access-token signing key from `WSIS_JWT_KEYS`.
pub struct KeySpec {
    /// Key id.
    pub kid: String,
    /// Secret bytes.
    pub secret: secrecy::SecretSlice<u8>,
}

impl fmt::Debug for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySpec")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Identity settings.
#[derive(Debug)]
pub struct IdentityConfig {
    /// Configured signing keys (empty: use the data directory's generated key).
    pub jwt_keys: Vec<KeySpec>,
    /// `iss`.
    pub issuer: String,
    /// `aud`.
    pub audience: String,
    /// Access token lifetime.
    pub access_token_seconds: i64,
    /// Session lifetime.
    pub session_days: i64,
    /// Frontend base URL.
    pub frontend_url: String,
    /// SMTP URL (secret: it may hold a password).
    pub smtp_url: Option<SecretString>,
    /// Sender.
    pub mail_from: String,
    /// Throttle: per account.
    pub max_account_failures: i64,
    /// Throttle: per address.
    pub max_address_failures: i64,
    /// Registrations one client address makes at most per hour.
    pub max_signups_per_address: i64,
    /// Throttle window.
    pub login_window_seconds: i64,
    /// The proxies whose `X-Forwarded-For`/`Forwarded` are believed for the client address.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// Parses `kid:base64url,kid:base64url`.
pub fn parse_keys(raw: &str) -> Result<Vec<KeySpec>, String> {
    use base64::Engine;
    let mut keys: Vec<KeySpec> = Vec::new();
    for (i, item) in raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
    {
        let (kid, secret) = item
            .split_once(':')
            .ok_or(format!("key {} is not `kid:secret`", i + 1))?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(secret.trim_end_matches('='))
            .map_err(|_| format!("key `{kid}`: the secret is not base64url"))?;
        if bytes.len() < 32 {
            return Err(format!("key `{kid}`: the secret must be at least 32 bytes"));
        }
        if kid.is_empty() || keys.iter().any(|k| k.kid == kid) {
            return Err(format!(
                "key {}: key ids must be present and distinct",
                i + 1
            ));
        }
        keys.push(KeySpec {
            kid: kid.to_owned(),
            secret: secrecy::SecretSlice::from(bytes),
        });
    }
    Ok(keys)
}

impl Config {
    /// Reads the configuration from `env` (a lookup, so tests need not touch the process environment).
    pub fn load(
        env: impl Fn(&str) -> Option<String>,
        overrides: Overrides,
    ) -> Result<Self, ConfigErrors> {
        let mut errors = Vec::new();
        let get = |name: &str| {
            env(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut number = |name: &'static str, default: u64, min: u64, max: u64| -> u64 {
            match get(name) {
                None => default,
                Some(raw) => match raw.parse::<u64>() {
                    Ok(n) if (min..=max).contains(&n) => n,
                    _ => {
                        errors.push(ConfigError {
                            variable: name,
                            message: format!("`{raw}` is not a whole number from {min} to {max}"),
                        });
                        default
                    }
                },
            }
        };
        let body_limit = number("WSIS_BODY_LIMIT_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024);
        let db_timeout = number("WSIS_DB_TIMEOUT_SECS", 30, 1, 3600);
        let client_request_timeout = number("WSIS_CLIENT_REQUEST_TIMEOUT_SECS", 10, 1, 600);
        let keep_alive = number("WSIS_KEEP_ALIVE_SECS", 75, 1, 3600);
        let shutdown_timeout = number("WSIS_SHUTDOWN_TIMEOUT_SECS", 30, 0, 3600);
        let pool_size = number("WSIS_DB_POOL_SIZE", 16, 1, 1024);
        let connect_timeout = number("WSIS_DB_CONNECT_TIMEOUT_SECS", 5, 1, 600);
        let page_cache_bytes = number("WSIS_PAGE_CACHE_BYTES", 32 * 1024 * 1024, 0, 1 << 34);
        let webhook_timeout = number("WSIS_WEBHOOK_TIMEOUT_SECS", 10, 1, 60);
        let webhook_allow_private = number("WSIS_WEBHOOK_ALLOW_PRIVATE", 0, 0, 1) == 1;
        let workers = get("WSIS_WORKERS").map(|_| number("WSIS_WORKERS", 1, 1, 1024));
        let access_token_seconds = number("WSIS_ACCESS_TOKEN_SECS", 900, 60, 86_400);
        let session_days = number("WSIS_SESSION_DAYS", 30, 1, 365);
        let max_account_failures = number("WSIS_LOGIN_MAX_ACCOUNT_FAILURES", 5, 1, 1000);
        let max_address_failures = number("WSIS_LOGIN_MAX_ADDRESS_FAILURES", 50, 1, 100_000);
        let max_signups_per_address = number("WSIS_SIGNUP_MAX_PER_ADDRESS", 20, 1, 100_000);
        let login_window_seconds = number("WSIS_LOGIN_WINDOW_SECS", 900, 10, 86_400);

        let listen_raw = overrides
            .listen
            .or_else(|| get("WSIS_LISTEN"))
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen = listen_raw.parse().unwrap_or_else(|_| {
            errors.push(ConfigError {
                variable: "WSIS_LISTEN",
                message: format!("`{listen_raw}` is not an address such as 127.0.0.1:8080"),
            });
            SocketAddr::from(([127, 0, 0, 1], 8080))
        });
        let data_dir = overrides
            .data_dir
            .or_else(|| get("WSIS_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| "data".into());
        let database_url = match get("DATABASE_URL") {
            Some(url) => {
                if let Err(err) = wsis_persistence::Backend::from_url(&url) {
                    errors.push(ConfigError {
                        variable: "DATABASE_URL",
                        message: err.to_string(),
                    });
                }
                url
            }
            None => format!("sqlite://{}", data_dir.join("wsis.sqlite3").display()),
        };
        let log_format = match get("WSIS_LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                errors.push(ConfigError {
                    variable: "WSIS_LOG_FORMAT",
                    message: format!("`{other}` is neither pretty nor json"),
                });
                LogFormat::Pretty
            }
        };
        let log_filter = get("WSIS_LOG")
            .or_else(|| get("RUST_LOG"))
            .unwrap_or_else(|| "info".into());
        if let Err(err) = tracing_subscriber::EnvFilter::try_new(&log_filter) {
            errors.push(ConfigError {
                variable: "WSIS_LOG",
                message: format!("invalid filter: {err}"),
            });
        }
        let cors_allowed_origins: Vec<String> = get("WSIS_CORS_ALLOWED_ORIGINS")
            .map(|v| {
                v.split(',')
                    .map(|o| o.trim().trim_end_matches('/').to_owned())
                    .filter(|o| !o.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        for origin in &cors_allowed_origins {
            let ok =
                origin == "*" || origin.starts_with("https://") || origin.starts_with("http://");
            if !ok {
                errors.push(ConfigError {
                    variable: "WSIS_CORS_ALLOWED_ORIGINS",
                    message: format!(
                        "`{origin}` is not an origin such as https://example.org, or *"
                    ),
                });
            }
        }
        let jwt_keys = match get("WSIS_JWT_KEYS") {
            None => Vec::new(),
            Some(raw) => parse_keys(&raw).unwrap_or_else(|message| {
                errors.push(ConfigError {
                    variable: "WSIS_JWT_KEYS",
                    message,
                });
                Vec::new()
            }),
        };
        let frontend_url =
            get("WSIS_FRONTEND_URL").unwrap_or_else(|| "http://127.0.0.1:8080".into());
        if !(frontend_url.starts_with("https://") || frontend_url.starts_with("http://")) {
            errors.push(ConfigError {
                variable: "WSIS_FRONTEND_URL",
                message: format!("`{frontend_url}` is not an http(s) URL"),
            });
        }
        let smtp_url = get("WSIS_SMTP_URL");
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            errors.push(ConfigError {
                variable: "WSIS_SMTP_URL",
                message: "must start with smtp:// or smtps://".into(),
            });
        }
        let mail_from =
            get("WSIS_MAIL_FROM").unwrap_or_else(|| "WSIS <no-reply@wsis.invalid>".into());
        if get("WSIS_TRUST_FORWARDED").is_some() {
            errors.push(ConfigError {
                variable: "WSIS_TRUST_FORWARDED",
                message: "replaced by WSIS_TRUSTED_PROXIES: list the proxies' addresses or networks (the client is \
                          the rightmost X-Forwarded-For address that is not one of them)"
                    .into(),
            });
        }
        let trusted_proxies = wsis_http::client_address::parse_trusted(
            &get("WSIS_TRUSTED_PROXIES").unwrap_or_default(),
        )
        .unwrap_or_else(|message| {
            errors.push(ConfigError {
                variable: "WSIS_TRUSTED_PROXIES",
                message,
            });
            Vec::new()
        });
        let to_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let identity = IdentityConfig {
            jwt_keys,
            issuer: get("WSIS_JWT_ISSUER").unwrap_or_else(|| "wsis".into()),
            audience: get("WSIS_JWT_AUDIENCE").unwrap_or_else(|| "wsis-api".into()),
            access_token_seconds: to_i64(access_token_seconds),
            session_days: to_i64(session_days),
            frontend_url,
            smtp_url: smtp_url.map(SecretString::from),
            mail_from,
            max_account_failures: to_i64(max_account_failures),
            max_address_failures: to_i64(max_address_failures),
            max_signups_per_address: to_i64(max_signups_per_address),
            login_window_seconds: to_i64(login_window_seconds),
            trusted_proxies,
        };
        if !errors.is_empty() {
            return Err(ConfigErrors(errors));
        }
        let usize_of = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Ok(Self {
            listen,
            data_dir,
            database_url: SecretString::from(database_url),
            pool: PoolOptions {
                max_size: u32::try_from(pool_size).unwrap_or(u32::MAX),
                connection_timeout: Duration::from_secs(connect_timeout),
            },
            db_timeout: Duration::from_secs(db_timeout),
            page_cache_bytes,
            http: HttpSettings {
                cors_allowed_origins,
                body_limit: usize_of(body_limit),
                client_request_timeout: Duration::from_secs(client_request_timeout),
                keep_alive: Duration::from_secs(keep_alive),
                shutdown_timeout: Duration::from_secs(shutdown_timeout),
                workers: workers.map(usize_of),
                handle_signals: true,
            },
            log_format,
            log_filter,
            identity,
            webhooks: wsis_http::changes::WebhookSettings {
                allow_private: webhook_allow_private,
                timeout: Duration::from_secs(webhook_timeout),
                ..wsis_http::changes::WebhookSettings::default()
            },
        })
    }

    /// Reads the process environment.
    pub fn from_env(overrides: Overrides) -> Result<Self, ConfigErrors> {
        let snapshot: BTreeMap<String, String> = std::env::vars().collect();
        Self::load(|name| snapshot.get(name).cloned(), overrides)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigErrors> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::load(|k| map.get(k).cloned(), Overrides::default())
    }

    #[test]
    fn defaults_give_the_embedded_sqlite_database() {
        let config = load(&[]).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(
            config.database_url.expose_secret(),
            "sqlite://data/wsis.sqlite3"
        );
        assert_eq!(config.http.body_limit, 1024 * 1024);
        assert_eq!(config.log_format, LogFormat::Pretty);
    }

    #[test]
    fn every_error_is_reported_at_once_without_secrets() {
        let errors = load(&[
            ("WSIS_LISTEN", "nowhere"),
            ("DATABASE_URL", "mysql://root:topsecret@db/wsis"),
            ("WSIS_BODY_LIMIT_BYTES", "-1"),
            ("WSIS_LOG_FORMAT", "xml"),
            ("WSIS_CORS_ALLOWED_ORIGINS", "example.org"),
        ])
        .unwrap_err();
        let vars: Vec<&str> = errors.0.iter().map(|e| e.variable).collect();
        assert_eq!(
            vars,
            [
                "WSIS_BODY_LIMIT_BYTES",
                "WSIS_LISTEN",
                "DATABASE_URL",
                "WSIS_LOG_FORMAT",
                "WSIS_CORS_ALLOWED_ORIGINS"
            ]
        );
        assert!(!errors.to_string().contains("topsecret"), "{errors}");
    }

    #[test]
    fn overrides_win_and_debug_output_redacts_the_password() {
        let map: BTreeMap<String, String> = [
            ("WSIS_LISTEN".to_owned(), "0.0.0.0:1".to_owned()),
            (
                "DATABASE_URL".to_owned(),
                "postgres://wsis:topsecret@db:5432/wsis".to_owned(),
            ),
        ]
        .into();
        let config = Config::load(
            |k| map.get(k).cloned(),
            Overrides {
                listen: Some("127.0.0.1:9999".into()),
                data_dir: None,
            },
        )
        .unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:9999");
        let debug = format!("{config:?}");
        assert!(!debug.contains("topsecret"), "{debug}");
        assert!(
            debug.contains("postgres://wsis:***@db:5432/wsis"),
            "{debug}"
        );
    }

    #[test]
    fn urls_without_passwords_are_unchanged() {
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            redact_url("sqlite://data/wsis.sqlite3"),
            "sqlite://data/wsis.sqlite3"
        );
    }
}

#[cfg(test)]
mod documentation {
    use super::VARIABLES;

    #[test]
    fn every_variable_is_documented_and_in_the_example_file() {
        let docs = include_str!("../../../docs/configuration.md");
        let example = include_str!("../../../.env.example");
        for (name, _) in VARIABLES {
            assert!(
                docs.contains(&format!("`{name}`")),
                "{name} is missing from docs/configuration.md"
            );
            assert!(
                example.contains(name),
                "{name} is missing from .env.example"
            );
        }
    }
}
