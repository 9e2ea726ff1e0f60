//! `vitrine`: the catalog from the command line. Every command calls the same use cases
//! as the desktop app (`vitrine-app`), on the same data folder by default.

mod args;
mod catalog;
mod collections;
mod dispatch;
mod export;
mod hints;
mod hosting;
mod import;
mod meta;
mod orders;
mod output;
mod photos;
mod secrets;
mod share;
mod shop;
mod storefront;
mod sync;

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use vitrine_app::{default_data_dir, Vitrine};

use crate::args::Cli;

/// Logs go to stderr, filtered like the desktop app's by `VITRINE_LOG` (e.g.
/// `VITRINE_LOG=vitrine_app=debug`). By default only errors: a failure is already said in
/// one line by the command, and scripts read stderr.
fn install_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("VITRINE_LOG").unwrap_or_else(|_| EnvFilter::new("error")),
        )
        .with_ansi(false)
        .with_writer(std::io::stderr)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    install_logging();
    let data_dir = cli.data_dir.clone().unwrap_or_else(default_data_dir);
    let result = Vitrine::open(&data_dir).and_then(|vitrine| dispatch::run(&vitrine, &cli));
    match result {
        Ok(code) => code,
        Err(error) => {
            let line = hints::line(&error);
            if cli.json {
                let body =
                    serde_json::json!({ "error": { "code": error.code(), "message": line } });
                println!("{body}");
            }
            eprintln!("error: {line}");
            ExitCode::FAILURE
        }
    }
}
