//! Secrets the merchant gives the CLI (the Meta token, a bucket's secret key): read from
//! standard input, and where each one is kept, in words.

use vitrine_app::{AppError, InputField};

/// Reads one secret line from standard input (a secret never goes in an argument, where
/// other users and the shell history could see it).
pub(crate) fn stdin_secret<T>(
    field: InputField,
    wrap: fn(String) -> Option<T>,
) -> Result<T, AppError> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| AppError::Invalid {
            field,
            message: e.to_string(),
        })?;
    wrap(line).ok_or(AppError::Invalid {
        field,
        message: "standard input was empty".to_owned(),
    })
}

/// Where a secret comes from, in words; `env` is its environment variable and `again` how to
/// save one.
pub(crate) fn secret_words(source: vitrine_app::TokenSource, env: &str, again: &str) -> String {
    match source {
        vitrine_app::TokenSource::Environment => format!("from {env}"),
        vitrine_app::TokenSource::Keychain => "saved in the system keychain".to_owned(),
        vitrine_app::TokenSource::Missing => format!("missing: {again}, or set {env}"),
    }
}
