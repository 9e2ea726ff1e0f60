//! `vitrine-relay`: the command line of the relay (serve, and manage device tokens).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use vitrine_relay::devices::DeviceToken;
use vitrine_relay::server::{self, RelayConfig};
use vitrine_relay::signature::AppSecret;
use vitrine_relay::store::{AnyStore, NewDevice, Store, StoreError};

const APP_SECRET_VAR: &str = "VITRINE_RELAY_APP_SECRET";
const VERIFY_TOKEN_VAR: &str = "VITRINE_RELAY_VERIFY_TOKEN";

/// The Vitrine webhook relay: receives a shop's WhatsApp Cloud API webhooks from Meta,
/// checks their signature, stores them durably and serves them to the shop's desktops.
///
/// Secrets are read from the environment, never from flags (flags show in `ps`):
/// VITRINE_RELAY_APP_SECRET (the Meta app secret, signs every webhook) and
/// VITRINE_RELAY_VERIFY_TOKEN (the verify token typed into Meta's webhook settings).
/// Deployment, TLS and PostgreSQL: docs/relay.md.
#[derive(Debug, Parser)]
#[command(name = "vitrine-relay", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve Meta's webhook (/webhook), the desktop API (/v1/events, /v1/stream, /v1/ack)
    /// and /healthz. Plain HTTP: put a TLS reverse proxy in front (docs/relay.md).
    Serve(ServeArgs),
    /// Add, list or revoke the desktops allowed to read the relay.
    #[command(subcommand)]
    Device(DeviceCommand),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080 behind a reverse proxy.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Events are deleted this many days after every device has acknowledged them. Keep it
    /// at 7 or more: Meta retries a webhook for 7 days.
    #[arg(long, default_value_t = 7)]
    retention_days: u32,
    #[command(flatten)]
    storage: StorageArgs,
}

#[derive(Debug, Args)]
struct StorageArgs {
    /// Directory of the SQLite database (relay.sqlite3); created if missing.
    #[arg(long, env = "VITRINE_RELAY_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Keep the state in PostgreSQL instead (postgres://user:password@host/db), so several
    /// relays can share it. Prefer the environment variable: it keeps the password out of
    /// `ps`.
    #[arg(long, env = "VITRINE_RELAY_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum DeviceCommand {
    /// Register a desktop and print its token (shown once; only its hash is stored).
    Add {
        /// A name to recognise the device by, e.g. "shop-laptop".
        name: String,
        /// Let this device read only this WhatsApp phone number id's events: one shop's.
        /// One of --phone-number-id or --all is required.
        #[arg(long, conflicts_with = "all")]
        phone_number_id: Option<String>,
        /// Let this device read the events of every phone number this relay receives (every
        /// shop on it). Never implied: a forgotten --phone-number-id must not open another
        /// shop's orders.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// List registered devices: name, scope, acknowledged cursor, revoked or not.
    List {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Revoke a device's token: its requests are refused from now on.
    Revoke {
        name: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0} is not set: the relay reads it from the environment, never from a flag")]
    MissingSecret(&'static str),
    #[error("give --data-dir DIR (SQLite) or --database-url URL (PostgreSQL)")]
    NoStorage,
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error("cannot make a random token: {0}")]
    Random(getrandom::Error),
    #[error(
        "say which orders this device may read: --phone-number-id ID for one WhatsApp number \
         (one shop), or --all for every number this relay receives"
    )]
    NoScope,
    #[error("no active device named {0:?}")]
    NoSuchDevice(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("vitrine-relay: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("vitrine-relay: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Serve(args) => serve(args).await,
        Command::Device(DeviceCommand::Add {
            name,
            phone_number_id,
            all,
            storage,
        }) => {
            if phone_number_id.is_none() && !all {
                return Err(CliError::NoScope);
            }
            let store = open(&storage).await?;
            let token = DeviceToken::generate().map_err(CliError::Random)?;
            let device = store
                .add_device(NewDevice {
                    name,
                    phone_number_id,
                    token_sha256: token.sha256(),
                    created_at_ms: server::now_ms(),
                })
                .await?;
            eprintln!(
                "device {:?} added ({}); its token, shown only now:",
                device.name,
                scope(device.phone_number_id.as_deref())
            );
            println!("{}", token.reveal());
            Ok(())
        }
        Command::Device(DeviceCommand::List { storage }) => {
            let store = open(&storage).await?;
            println!(
                "{:<24} {:<24} {:>12}  state",
                "name", "phone number id", "acked"
            );
            for device in store.devices().await? {
                println!(
                    "{:<24} {:<24} {:>12}  {}",
                    device.name,
                    scope(device.phone_number_id.as_deref()),
                    device.acked_seq,
                    if device.revoked { "revoked" } else { "active" }
                );
            }
            Ok(())
        }
        Command::Device(DeviceCommand::Revoke { name, storage }) => {
            let store = open(&storage).await?;
            if store.revoke_device(&name, server::now_ms()).await? {
                eprintln!("device {name:?} revoked");
                Ok(())
            } else {
                Err(CliError::NoSuchDevice(name))
            }
        }
    }
}

fn scope(phone_number_id: Option<&str>) -> &str {
    phone_number_id.unwrap_or("all")
}

async fn open(storage: &StorageArgs) -> Result<AnyStore, CliError> {
    match (&storage.database_url, &storage.data_dir) {
        (Some(url), _) => Ok(AnyStore::open(std::path::Path::new(""), Some(url)).await?),
        (None, Some(dir)) => Ok(AnyStore::open(dir, None).await?),
        (None, None) => Err(CliError::NoStorage),
    }
}

fn secret_from_env(name: &'static str) -> Result<String, CliError> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => Err(CliError::MissingSecret(name)),
    }
}

async fn serve(args: ServeArgs) -> Result<(), CliError> {
    let config = RelayConfig {
        app_secret: AppSecret::new(secret_from_env(APP_SECRET_VAR)?),
        verify_token: secret_from_env(VERIFY_TOKEN_VAR)?,
        retention_days: args.retention_days,
        stream_poll: Duration::from_secs(2),
    };
    let store = open(&args.storage).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|source| CliError::Listen {
            addr: args.listen,
            source,
        })?;
    let relay = server::start(listener, store, config);
    tracing::info!(addr = %relay.addr, "vitrine-relay listening");
    let stop = relay.stop_handle();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("stopping: finishing in-flight webhooks");
        let _ = stop.send(true);
    });
    relay.wait().await.map_err(CliError::Serve)
}

async fn wait_for_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}
