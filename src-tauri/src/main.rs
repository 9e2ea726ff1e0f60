// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::IsTerminal;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // First, while no other thread exists: it may set an environment variable.
    let painting = vitrine_desktop::rendering::choose();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("VITRINE_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        // Seconds since start: the desktop benchmark reads cold-start times off these lines.
        .with_timer(tracing_subscriber::fmt::time::uptime())
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    tracing::info!(?painting, "webview painting");
    match vitrine_desktop::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "Vitrine could not start");
            ExitCode::FAILURE
        }
    }
}
