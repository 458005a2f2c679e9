//! `wsis`: the WSIS Contributions API server.

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;
use wsis::config::{Config, Overrides, redact_url};
use wsis_domain::SystemClock;
use wsis_http::AppState;

/// The WSIS Contributions API.
#[derive(Debug, Parser)]
#[command(name = "wsis", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the API server (applies migrations and seeds first).
    Serve {
        /// Listen address (overrides WSIS_LISTEN).
        #[arg(long)]
        listen: Option<String>,
        /// Data directory (overrides WSIS_DATA_DIR).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Apply pending migrations and seed reference data, then exit.
    Migrate {
        /// Data directory (overrides WSIS_DATA_DIR).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Fill the database with realistic synthetic accepted projects and an open demo call.
    SeedDemo {
        /// How many projects.
        #[arg(long, default_value_t = 1000)]
        projects: usize,
        /// Data directory (overrides WSIS_DATA_DIR).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Fill the database with a WSIS Prizes vote in progress (a call whose voting is open, five published nominees
    /// per category) and `voters` signed-in voters; writes their access tokens, one per line, to `--tokens`, and
    /// the nominees (`category nomination-id`, one per line) to `--nominees` (bench/votes.sh uses both).
    SeedVoting {
        /// How many voters.
        #[arg(long, default_value_t = 1000)]
        voters: usize,
        /// Where to write the voters' access tokens.
        #[arg(long)]
        tokens: PathBuf,
        /// Where to write the nominees.
        #[arg(long)]
        nominees: PathBuf,
        /// Data directory (overrides WSIS_DATA_DIR).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Write the OpenAPI document.
    Openapi {
        /// Where to write it; `-` for standard output.
        #[arg(long, default_value = "openapi/openapi.json")]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create a staff account; the password is read from standard input (one line).
    CreateStaff {
        /// The staff member's e-mail address.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long, default_value = "WSIS staff")]
        name: String,
        /// Preferred language (ar, zh, en, fr, ru, es).
        #[arg(long, default_value = "en")]
        language: String,
        /// Data directory (overrides WSIS_DATA_DIR).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    // A .env file in the working directory, if any, fills variables that are not already set.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "wsis: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load(overrides: Overrides) -> Result<Config, String> {
    load_with(overrides, None)
}

/// Reads the configuration and starts logging, with `extra` log directives after the configured ones.
fn load_with(overrides: Overrides, extra: Option<&str>) -> Result<Config, String> {
    let config = Config::from_env(overrides).map_err(|e| e.to_string())?;
    let filter = match extra {
        Some(extra) => format!("{},{extra}", config.log_filter),
        None => config.log_filter.clone(),
    };
    wsis::telemetry::init(config.log_format, &filter);
    Ok(config)
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Openapi { output } => {
            let json = wsis_http::openapi::document_json().map_err(|e| e.to_string())?;
            if output.as_os_str() == "-" {
                std::io::stdout()
                    .write_all(json.as_bytes())
                    .map_err(|e| e.to_string())
            } else {
                if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                std::fs::write(&output, json).map_err(|e| format!("{}: {e}", output.display()))
            }
        }
        Command::Migrate { data_dir } => {
            let config = load(Overrides {
                listen: None,
                data_dir,
            })?;
            let url = config.database_url.expose_secret();
            tracing::info!(database = %redact_url(url), "migrating");
            wsis::prepare_database(url, &config.pool, &SystemClock).map_err(|e| e.to_string())?;
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::Admin {
            command:
                AdminCommand::CreateStaff {
                    email,
                    name,
                    language,
                    data_dir,
                },
        } => {
            let config = load(Overrides {
                listen: None,
                data_dir,
            })?;
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .map_err(|e| format!("reading the password: {e}"))?;
            let password = password.trim_end_matches(['\r', '\n']);
            let database = wsis::prepare_database(
                config.database_url.expose_secret(),
                &config.pool,
                &SystemClock,
            )
            .map_err(|e| e.to_string())?;
            let user =
                wsis::create_staff(&database, &email, &name, &language, password, &SystemClock)?;
            let _ = writeln!(
                std::io::stdout(),
                "staff account {} created for {email}",
                user
            );
            Ok(())
        }
        Command::SeedDemo { projects, data_dir } => {
            let (_, database) = bulk_load(data_dir)?;
            let started = std::time::Instant::now();
            let progress = |done: usize| {
                let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
                let _ = write!(
                    std::io::stderr(),
                    "\rseeding: {done}/{projects} projects ({rate:.0}/s)   "
                );
            };
            let report = wsis::demo::seed(
                &database,
                projects,
                wsis_domain::Clock::now(&SystemClock),
                &progress,
            )?;
            let _ = writeln!(
                std::io::stdout(),
                "\n{} projects from {} organisations in {:.1} s; demo call `{}` is open",
                report.projects,
                report.organisations,
                started.elapsed().as_secs_f64(),
                report.call
            );
            Ok(())
        }
        Command::SeedVoting {
            voters,
            tokens,
            nominees,
            data_dir,
        } => {
            let (config, database) = bulk_load(data_dir)?;
            let identity = wsis::identity::build(&config.identity, &config.data_dir)?;
            let started = std::time::Instant::now();
            let report = wsis::demo_voting::seed(
                &database,
                &identity.tokens,
                voters,
                wsis_domain::Clock::now(&SystemClock),
            )?;
            let write = |path: &PathBuf, lines: Vec<String>| {
                std::fs::write(path, lines.join("\n") + "\n")
                    .map_err(|e| format!("{}: {e}", path.display()))
            };
            write(&tokens, report.tokens.clone())?;
            write(
                &nominees,
                report
                    .nominees
                    .iter()
                    .flat_map(|(c, ids)| ids.iter().map(move |id| format!("{c} {id}")))
                    .collect(),
            )?;
            let _ = writeln!(
                std::io::stdout(),
                "vote `{}` open with {} voters signed in ({:.1} s)",
                report.call,
                report.tokens.len(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Serve { listen, data_dir } => {
            let config = load(Overrides { listen, data_dir })?;
            serve(config)
        }
    }
}

/// The configuration and the prepared database of a seeding command. The use cases log each entry they change;
/// for a bulk load that is noise, and a fifth of its time.
fn bulk_load(data_dir: Option<PathBuf>) -> Result<(Config, wsis_persistence::Database), String> {
    let config = load_with(
        Overrides {
            listen: None,
            data_dir,
        },
        Some("wsis_app=warn"),
    )?;
    let database = wsis::prepare_database(
        config.database_url.expose_secret(),
        &config.pool,
        &SystemClock,
    )
    .map_err(|e| e.to_string())?;
    Ok((config, database))
}

#[actix_web::main]
async fn serve(config: Config) -> Result<(), String> {
    let url = config.database_url.expose_secret().to_owned();
    tracing::info!(database = %redact_url(&url), listen = %config.listen, "starting");
    // The pool connects lazily, so this fails only on a malformed URL; a database that cannot be reached yet is
    // waited for below, while the server already answers (liveness 200, everything else 503 with Retry-After).
    let database =
        wsis_persistence::Database::new(&url, &config.pool).map_err(|e| e.to_string())?;
    // Usually the database is there: prepare it before listening, so the first request finds it ready.
    let db = database.clone();
    let first = actix_web::web::block(move || wsis::prepare(&db, &SystemClock))
        .await
        .map_err(|e| e.to_string())?;
    let prepared = match first {
        Ok(()) => true,
        Err(wsis_persistence::DbError::Unavailable(cause)) => {
            tracing::warn!(error = %cause, "database not reachable yet; serving 503 and retrying");
            false
        }
        Err(err) => return Err(err.to_string()),
    };
    let listener = TcpListener::bind(config.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let identity = wsis::identity::build(&config.identity, &config.data_dir)?;
    let gate = AppState::gate_for(&database);
    let ready = Arc::new(std::sync::atomic::AtomicBool::new(prepared));
    let state = AppState {
        db: database.clone(),
        clock: Arc::new(SystemClock),
        timeout: config.db_timeout,
        identity: Arc::new(identity),
        pages: Arc::new(wsis_http::responses::pages::Pages::new(
            config.page_cache_bytes,
        )),
        gate,
        ready: ready.clone(),
        mail_queued: Arc::new(tokio::sync::Notify::new()),
        feed: Arc::default(),
        webhooks: Arc::new(config.webhooks.clone()),
    };
    let server = wsis::start(listener, state.clone(), config.http).map_err(|e| e.to_string())?;
    tracing::info!(address = %address, "listening; API reference at http://{address}/docs/");
    let handle = server.handle();
    let preparation = actix_web::rt::spawn(async move {
        if prepared {
            wsis::spawn_workers(state);
            return Ok(());
        }
        let mut wait = std::time::Duration::from_millis(500);
        loop {
            let db = database.clone();
            let outcome = actix_web::web::block(move || wsis::prepare(&db, &SystemClock)).await;
            match outcome {
                Ok(Ok(())) => {
                    ready.store(true, std::sync::atomic::Ordering::Release);
                    tracing::info!("database ready");
                    wsis::spawn_workers(state);
                    return Ok(());
                }
                Ok(Err(wsis_persistence::DbError::Unavailable(cause))) => {
                    tracing::warn!(error = %cause, retry_in_ms = wait.as_millis(), "database not reachable yet; retrying");
                    actix_web::rt::time::sleep(wait).await;
                    wait = (wait * 2).min(std::time::Duration::from_secs(5));
                }
                Ok(Err(err)) => {
                    tracing::error!(error = %err, "the database could not be prepared; stopping");
                    handle.stop(false).await;
                    return Err(err.to_string());
                }
                Err(err) => {
                    handle.stop(false).await;
                    return Err(err.to_string());
                }
            }
        }
    });
    server.await.map_err(|e| e.to_string())?;
    if preparation.is_finished() {
        preparation.await.map_err(|e| e.to_string())??;
    } else {
        preparation.abort();
    }
    tracing::info!("stopped");
    Ok(())
}
