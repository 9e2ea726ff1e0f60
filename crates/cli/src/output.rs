//! Printing a command's result, as text or JSON, and what long commands show while they run.

use std::io::{IsTerminal, Write};

use serde::Serialize;
use vitrine_app::{AppError, InputField};

pub(crate) fn emit<T: Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) {
    let out = if json {
        match serde_json::to_string_pretty(value) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot print JSON ({e})");
                return;
            }
        }
    } else {
        text()
    };
    // A reader that stops early (`vitrine product list | head`) is not an error.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{out}").and_then(|()| stdout.flush());
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

/// Prices written as the shop's customers read them, in the shop's main language: the same
/// text its labels, posters and storefront print.
pub(crate) struct Prices(vitrine_app::core::LanguageTag);

impl Prices {
    pub(crate) fn of_shop(v: &vitrine_app::Vitrine) -> Result<Self, AppError> {
        let shop = v.shop()?;
        let language = shop.languages.first().cloned().unwrap_or_else(|| {
            vitrine_app::core::LanguageTag::parse("en")
                .unwrap_or_else(|_| unreachable!("en is a language tag"))
        });
        Ok(Self(language))
    }

    pub(crate) fn text(&self, money: &vitrine_app::core::Money) -> String {
        money.to_local_string(&self.0, false)
    }

    /// An amount that may be unknown (an order line whose price Meta did not send).
    pub(crate) fn maybe(&self, money: Option<vitrine_app::core::Money>) -> String {
        money.map_or_else(|| "?".to_owned(), |m| self.text(&m))
    }
}
