//! Runs the fake Graph server by hand: `cargo run -p vitrine-fake-graph -- --port 0
//! [--token T] [--catalog ID]`. It prints its base URL and serves until interrupted.

use std::process::ExitCode;

use vitrine_fake_graph::{Config, FakeGraph};

#[tokio::main]
async fn main() -> ExitCode {
    let mut port = 0u16;
    let mut config = Config::default();
    let mut catalogs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--port", Some(p)) => port = p.parse().unwrap_or(0),
            ("--token", Some(t)) => config.tokens.push(t),
            ("--catalog", Some(c)) => catalogs.push(c),
            _ => {
                eprintln!("usage: fake-graph [--port N] [--token T]… [--catalog ID]…");
                return ExitCode::FAILURE;
            }
        }
    }
    if catalogs.is_empty() {
        catalogs.push("1000000000000001".to_owned());
    }
    let fake = match FakeGraph::start(config, port).await {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    for c in &catalogs {
        fake.add_catalog(c, "Fake catalog");
    }
    println!("{}", fake.base_url());
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
