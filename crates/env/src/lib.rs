//! What Vitrine takes from the computer it runs on, in one place, so that the use cases
//! (`vitrine-app`) never read the environment themselves:
//!
//! * secrets — the Meta access token, the photo bucket's secret access key, the webhook
//!   relay's device token — from an environment variable where one is set (a headless
//!   machine, CI), else from the OS keychain (Secret Service on Linux, Keychain on macOS,
//!   Credential Manager on Windows). Never from or into SQLite, logs, error messages or
//!   backups; no type here prints a secret.
//! * the data folder the desktop app and the CLI share.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;

/// The application identifier: the data folder and the keychain entries are named after it.
pub const APP_IDENTIFIER: &str = "org.vitrine.desktop";

/// Environment variable that supplies the Meta access token where no keychain is available.
pub const TOKEN_ENV: &str = "VITRINE_META_TOKEN";
/// Environment variable that supplies the bucket's secret access key.
pub const S3_SECRET_ENV: &str = "VITRINE_S3_SECRET_KEY";
/// Environment variable that supplies the relay's device token.
pub const RELAY_TOKEN_ENV: &str = "VITRINE_RELAY_TOKEN";
/// Environment variable that puts the catalog in another folder.
pub const DATA_DIR_ENV: &str = "VITRINE_DATA_DIR";

/// Where the catalog lives: `$VITRINE_DATA_DIR` if set, else the per-user data folder
/// (`~/.local/share/org.vitrine.desktop` on Linux), shared by the desktop app and the CLI.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(APP_IDENTIFIER)
}

/// Why a secret could not be read, kept or forgotten.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// No keychain on this computer (no Secret Service running, a locked-down session).
    #[error("the system keychain is not available here; set {env} instead")]
    Unavailable { env: &'static str },
    #[error("the system keychain refused the request")]
    Refused,
}

/// Where a secret comes from, as the settings show it (never the secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenSource {
    Environment,
    Keychain,
    Missing,
}

/// Where one secret is kept.
pub trait SecretStore: Send + Sync {
    /// The secret, if one is kept (blank counts as none).
    fn get(&self) -> Result<Option<String>, SecretError>;
    fn set(&self, secret: &str) -> Result<(), SecretError>;
    fn clear(&self) -> Result<(), SecretError>;
    /// Where [`SecretStore::get`] finds the secret. Asks the keychain.
    fn source(&self) -> TokenSource {
        match self.get() {
            Ok(Some(_)) => TokenSource::Keychain,
            _ => TokenSource::Missing,
        }
    }
}

/// One entry of the OS keychain, with the environment variable named when it is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keychain {
    name: &'static str,
    env: &'static str,
}

impl Keychain {
    pub const META_TOKEN: Self = Self {
        name: "meta-access-token",
        env: TOKEN_ENV,
    };
    pub const BUCKET_SECRET: Self = Self {
        name: "s3-secret-access-key",
        env: S3_SECRET_ENV,
    };
    pub const RELAY_TOKEN: Self = Self {
        name: "relay-device-token",
        env: RELAY_TOKEN_ENV,
    };

    /// The environment variable that stands in for this entry.
    pub fn env(&self) -> &'static str {
        self.env
    }

    fn entry(&self) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(APP_IDENTIFIER, self.name).map_err(|e| self.refusal(&e))
    }

    fn refusal(&self, e: &keyring::Error) -> SecretError {
        match e {
            keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
                SecretError::Unavailable { env: self.env }
            }
            _ => SecretError::Refused,
        }
    }
}

impl SecretStore for Keychain {
    fn get(&self) -> Result<Option<String>, SecretError> {
        match self.entry()?.get_password() {
            Err(keyring::Error::NoEntry) => Ok(None),
            found => found
                .map(|s| (!s.trim().is_empty()).then_some(s))
                .map_err(|e| self.refusal(&e)),
        }
    }
    fn set(&self, secret: &str) -> Result<(), SecretError> {
        self.entry()?
            .set_password(secret)
            .map_err(|e| self.refusal(&e))
    }
    fn clear(&self) -> Result<(), SecretError> {
        match self.entry()?.delete_credential() {
            Err(keyring::Error::NoEntry) => Ok(()),
            done => done.map_err(|e| self.refusal(&e)),
        }
    }
}

/// The environment variable of a keychain entry when it is set (and not blank), else the
/// entry itself. Saving a secret the variable already supplies keeps nothing more; forgetting
/// clears the keychain entry (the variable belongs to whoever set it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvironmentOrKeychain(pub Keychain);

impl EnvironmentOrKeychain {
    fn in_environment(&self) -> Option<String> {
        std::env::var(self.0.env)
            .ok()
            .filter(|s| !s.trim().is_empty())
    }
}

impl SecretStore for EnvironmentOrKeychain {
    fn get(&self) -> Result<Option<String>, SecretError> {
        match self.in_environment() {
            Some(secret) => Ok(Some(secret)),
            None => self.0.get(),
        }
    }
    fn set(&self, secret: &str) -> Result<(), SecretError> {
        if self.in_environment().as_deref().map(str::trim) == Some(secret.trim()) {
            return Ok(());
        }
        self.0.set(secret)
    }
    fn clear(&self) -> Result<(), SecretError> {
        self.0.clear()
    }
    fn source(&self) -> TokenSource {
        if self.in_environment().is_some() {
            TokenSource::Environment
        } else {
            self.0.source()
        }
    }
}

/// Keeps a secret in memory only (tests, and a session that must not persist it).
#[derive(Default)]
pub struct MemorySecretStore(Mutex<Option<String>>);

impl std::fmt::Debug for MemorySecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemorySecretStore(…)")
    }
}

impl SecretStore for MemorySecretStore {
    fn get(&self) -> Result<Option<String>, SecretError> {
        Ok(self
            .0
            .lock()
            .map_err(|_| SecretError::Refused)?
            .clone()
            .filter(|s| !s.trim().is_empty()))
    }
    fn set(&self, secret: &str) -> Result<(), SecretError> {
        *self.0.lock().map_err(|_| SecretError::Refused)? = Some(secret.to_owned());
        Ok(())
    }
    fn clear(&self) -> Result<(), SecretError> {
        *self.0.lock().map_err(|_| SecretError::Refused)? = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memory_store_keeps_forgets_and_never_prints_its_secret() {
        let store = MemorySecretStore::default();
        assert_eq!(store.source(), TokenSource::Missing);
        store.set("EAAB-secret").expect("set");
        assert_eq!(store.get().expect("get").as_deref(), Some("EAAB-secret"));
        assert_eq!(store.source(), TokenSource::Keychain);
        assert!(!format!("{store:?}").contains("EAAB"), "Debug hides it");
        store.clear().expect("clear");
        assert_eq!(store.get().expect("get"), None);
        store.set("   ").expect("set blank");
        assert_eq!(store.get().expect("get"), None, "blank is no secret");
    }

    #[test]
    fn a_missing_keychain_names_the_variable_of_its_secret() {
        for (entry, env) in [
            (Keychain::META_TOKEN, "VITRINE_META_TOKEN"),
            (Keychain::BUCKET_SECRET, "VITRINE_S3_SECRET_KEY"),
            (Keychain::RELAY_TOKEN, "VITRINE_RELAY_TOKEN"),
        ] {
            let e = SecretError::Unavailable { env: entry.env() };
            assert!(
                e.to_string().ends_with(&format!("set {env} instead")),
                "{e}"
            );
        }
    }

    #[test]
    fn a_variable_that_is_set_wins_over_the_keychain_and_is_not_saved_again() {
        const VAR: &str = "VITRINE_ENV_TEST_SECRET";
        // Never reached: with the variable set, nothing asks the keychain.
        let store = EnvironmentOrKeychain(Keychain {
            name: "vitrine-env-test-never-touched",
            env: VAR,
        });
        std::env::set_var(VAR, " from-env ");
        assert_eq!(store.get(), Ok(Some(" from-env ".to_owned())));
        assert_eq!(store.source(), TokenSource::Environment);
        assert_eq!(
            store.set("from-env"),
            Ok(()),
            "the same secret is not saved again"
        );
        std::env::remove_var(VAR);
    }
}
