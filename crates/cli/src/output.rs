//! Printing a command's result, as text or JSON, and what long commands show while they run.

use std::io::IsTerminal;

use serde::Serialize;
use vitrine_app::{AppError, InputField};

pub(crate) fn emit<T: Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) {
    if json {
        match serde_json::to_string_pretty(value) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("error: cannot print JSON ({e})"),
        }
    } else {
        println!("{}", text());
    }
}

pub(crate) fn show_progress(bar: Option<&indicatif::ProgressBar>, done: u64, total: u64) {
    if let Some(bar) = bar {
        bar.set_length(total);
        bar.set_position(done);
    }
}

/// A progress bar on stderr ("importing [===>  ] 3/10 rows"), when a person watches.
pub(crate) fn progress_bar(json: bool, doing: &str, unit: &str) -> Option<indicatif::ProgressBar> {
    if json || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
        "{{spinner}} {doing} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{eta}})"
    )) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, AppError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Invalid {
            field: InputField::Runtime,
            message: e.to_string(),
        })
}
