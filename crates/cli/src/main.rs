//! `vitrine`: the catalog from the command line. Every command calls the same use cases
//! as the desktop app (`vitrine-app`), on the same data folder by default.

mod args;
mod output;
mod share;

use std::process::ExitCode;

use clap::Parser;
use vitrine_app::{default_data_dir, Vitrine};

use crate::args::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = cli.data_dir.clone().unwrap_or_else(default_data_dir);
    let result = Vitrine::open(&data_dir).and_then(|vitrine| output::run(&vitrine, &cli));
    match result {
        Ok(code) => code,
        Err(error) => {
            let line = error.to_string().replace('\n', " ");
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
