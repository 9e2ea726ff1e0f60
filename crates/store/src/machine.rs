//! Settings bound to this machine, not to the catalog: the connections that a secret kept in
//! this machine's keychain travels over. The relay's address (with this machine's cursor on
//! it) receives the device token; the Meta ids say what the access token acts on; the photo
//! hosting receives the bucket key; the storefront's address is where pages are published and
//! what every synced product links to. A catalog file — a backup, or a "catalog template"
//! shared in a group chat — must never choose where this machine's secrets go or where its
//! customers are sent — nor where its customers' payments go: the shop's Pix key and UPI id,
//! which replies quote to customers, are bound to the machine for the same reason.
//!
//! So a restore keeps this machine's connections: [`keep_machine_connections`] copies them
//! into the restored database before it replaces the live one and removes the file's. The
//! file's connections that differ are kept only as *pending* values, under `pending.<key>`
//! (`pending.relay.url` for the relay) in `app_state`, which no request ever reads; the
//! restore reports them, and the merchant confirms one by connecting again with its secret.
//! A restore's pending values replace earlier ones: they belong to the catalog just restored.
//!
//! Which settings are machine-bound is decided here only: the whole `relay_settings` table,
//! every `app_state` key under `meta.`, `hosting.` or `orders.payment.`, and
//! `storefront.base_url`. Code that
//! reads or writes these settings names them by the constants below.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::relay_settings::{self, RelaySettings};
use crate::StoreError;

pub const META_CATALOG_ID: &str = "meta.catalog_id";
pub const META_WABA_ID: &str = "meta.waba_id";
pub const META_PHONE_NUMBER_ID: &str = "meta.phone_number_id";
pub const HOSTING_PUBLIC_BASE_URL: &str = "hosting.public_base_url";
pub const HOSTING_FOLDER: &str = "hosting.folder";
pub const HOSTING_S3_ENDPOINT: &str = "hosting.s3.endpoint";
pub const HOSTING_S3_REGION: &str = "hosting.s3.region";
pub const HOSTING_S3_BUCKET: &str = "hosting.s3.bucket";
pub const HOSTING_S3_PREFIX: &str = "hosting.s3.prefix";
pub const HOSTING_S3_ACCESS_KEY_ID: &str = "hosting.s3.access_key_id";
pub const STOREFRONT_BASE_URL: &str = "storefront.base_url";
pub const PAYMENT_PIX_KEY: &str = "orders.payment.pix_key";
pub const PAYMENT_UPI_ID: &str = "orders.payment.upi_id";
/// The relay's address as a pending connection reports it (it lives in `relay_settings`).
pub const RELAY_URL: &str = "relay.url";

const META_PREFIX: &str = "meta.";
const HOSTING_PREFIX: &str = "hosting.";
const PAYMENT_PREFIX: &str = "orders.payment.";
const PENDING_PREFIX: &str = "pending.";

/// A connection of this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ConnectionKind {
    Relay,
    Meta,
    PhotoHosting,
    Storefront,
    /// Where customers are asked to pay (Pix key, UPI id).
    Payment,
}

impl ConnectionKind {
    const ALL: [Self; 5] = [
        Self::Relay,
        Self::Meta,
        Self::PhotoHosting,
        Self::Storefront,
        Self::Payment,
    ];

    /// The connection an `app_state` key belongs to, if the key is machine-bound.
    pub fn of_key(key: &str) -> Option<Self> {
        if key.starts_with(META_PREFIX) {
            Some(Self::Meta)
        } else if key.starts_with(HOSTING_PREFIX) {
            Some(Self::PhotoHosting)
        } else if key == STOREFRONT_BASE_URL {
            Some(Self::Storefront)
        } else if key.starts_with(PAYMENT_PREFIX) {
            Some(Self::Payment)
        } else {
            None
        }
    }
}

/// A backup's connection that was not applied: its settings by key (none of them secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingConnection {
    pub kind: ConnectionKind,
    pub settings: BTreeMap<String, String>,
}

/// The machine-bound rows of one database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MachineConnections {
    relay: Option<RelaySettings>,
    /// Machine-bound `app_state` rows (pending ones excluded).
    settings: BTreeMap<String, String>,
}

impl MachineConnections {
    /// The settings of one connection, keyed as [`PendingConnection::settings`].
    fn of(&self, kind: ConnectionKind) -> BTreeMap<String, String> {
        match kind {
            ConnectionKind::Relay => self
                .relay
                .iter()
                .map(|r| (RELAY_URL.to_owned(), r.url.clone()))
                .collect(),
            _ => self
                .settings
                .iter()
                .filter(|(key, _)| ConnectionKind::of_key(key) == Some(kind))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        }
    }
}

fn is_machine_bound(key: &str) -> bool {
    key.starts_with(PENDING_PREFIX) || ConnectionKind::of_key(key).is_some()
}

/// Reads the machine-bound rows of `conn`.
pub(crate) fn read(conn: &Connection) -> Result<MachineConnections, StoreError> {
    let mut stmt = conn.prepare("SELECT key, value FROM app_state ORDER BY key")?;
    let settings = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .filter(|row| {
            row.as_ref()
                .map_or(true, |(key, _)| ConnectionKind::of_key(key).is_some())
        })
        .collect::<Result<BTreeMap<_, _>, _>>()?;
    Ok(MachineConnections {
        relay: relay_settings::get(conn)?,
        settings,
    })
}

/// Replaces the machine-bound rows of a restored database with `machine`'s (this machine's),
/// and records the restored database's own connections that differ as pending; returns them.
pub(crate) fn keep_machine_connections(
    tx: &Transaction<'_>,
    machine: &MachineConnections,
) -> Result<Vec<PendingConnection>, StoreError> {
    let file = read(tx)?;
    let keys = {
        let mut stmt = tx.prepare("SELECT key FROM app_state")?;
        let keys = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        keys
    };
    for key in keys.iter().filter(|k| is_machine_bound(k)) {
        crate::app_state::remove(tx, key)?;
    }
    relay_settings::remove(tx)?;
    if let Some(relay) = &machine.relay {
        tx.execute(
            "INSERT INTO relay_settings (id, url, cursor, last_pull_at) VALUES (1, ?1, ?2, ?3)",
            params![relay.url, relay.cursor, relay.last_pull_at],
        )?;
    }
    for (key, value) in &machine.settings {
        crate::app_state::set(tx, key, value)?;
    }
    let mut pending = Vec::new();
    for kind in ConnectionKind::ALL {
        let theirs = file.of(kind);
        if theirs.is_empty() || theirs == machine.of(kind) {
            continue;
        }
        for (key, value) in &theirs {
            crate::app_state::set(tx, &format!("{PENDING_PREFIX}{key}"), value)?;
        }
        pending.push(PendingConnection {
            kind,
            settings: theirs,
        });
    }
    Ok(pending)
}

/// A pending value, by the key of the setting it would replace.
pub fn pending_value(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT value FROM app_state WHERE key = ?1",
            [format!("{PENDING_PREFIX}{key}")],
            |r| r.get(0),
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use rusqlite::Connection;

    use super::*;
    use crate::app_state;

    fn catalog(relay: (&str, &str), settings: &[(&str, &str)]) -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory");
        crate::schema::migrations()
            .to_latest(&mut conn)
            .expect("schema");
        let tx = conn.transaction().expect("tx");
        relay_settings::set_url(&tx, relay.0).expect("relay");
        relay_settings::set_cursor(&tx, relay.1, "2025-01-01T00:00:00Z").expect("cursor");
        for (key, value) in settings {
            app_state::set(&tx, key, value).expect("setting");
        }
        tx.commit().expect("commit");
        conn
    }

    #[test]
    fn a_restored_database_keeps_this_machines_connections_and_sets_its_own_aside_as_pending() {
        let machine = catalog(
            ("https://relay.loja.example", "42"),
            &[
                (META_CATALOG_ID, "111"),
                (STOREFRONT_BASE_URL, "https://loja.example"),
                (PAYMENT_PIX_KEY, "loja@example.com"),
            ],
        );
        let mut file = catalog(
            ("https://relay.golpe.example", "7"),
            &[
                (META_CATALOG_ID, "111"),
                (HOSTING_FOLDER, "/home/someone/.config/autostart"),
                ("pending.meta.catalog_id", "stale"),
                (PAYMENT_PIX_KEY, "golpista@example.com"),
                ("share.order_template.pt-BR", "the catalog's own text"),
            ],
        );
        let ours = read(&machine).expect("read");
        let tx = file.transaction().expect("tx");
        let pending = keep_machine_connections(&tx, &ours).expect("keep");
        tx.commit().expect("commit");

        assert_eq!(
            pending,
            vec![
                PendingConnection {
                    kind: ConnectionKind::Relay,
                    settings: BTreeMap::from([(
                        RELAY_URL.to_owned(),
                        "https://relay.golpe.example".to_owned()
                    )]),
                },
                PendingConnection {
                    kind: ConnectionKind::PhotoHosting,
                    settings: BTreeMap::from([(
                        HOSTING_FOLDER.to_owned(),
                        "/home/someone/.config/autostart".to_owned()
                    )]),
                },
                PendingConnection {
                    kind: ConnectionKind::Payment,
                    settings: BTreeMap::from([(
                        PAYMENT_PIX_KEY.to_owned(),
                        "golpista@example.com".to_owned()
                    )]),
                },
            ],
            "only the file's connections that differ are pending; the same Meta catalog is not"
        );
        let relay = relay_settings::get(&file).expect("get").expect("relay");
        assert_eq!(
            (relay.url.as_str(), relay.cursor.as_str()),
            ("https://relay.loja.example", "42"),
            "this machine's relay stays, with its cursor"
        );
        let get = |key: &str| app_state::get(&file, key).expect("get");
        assert_eq!(
            get(STOREFRONT_BASE_URL).as_deref(),
            Some("https://loja.example")
        );
        assert_eq!(get(HOSTING_FOLDER), None, "the file's folder is not used");
        assert_eq!(
            get(PAYMENT_PIX_KEY).as_deref(),
            Some("loja@example.com"),
            "customers are still asked to pay to this shop's own Pix key"
        );
        assert_eq!(
            get("share.order_template.pt-BR").as_deref(),
            Some("the catalog's own text"),
            "catalog settings come with the file"
        );
        assert_eq!(
            pending_value(&file, RELAY_URL).expect("get").as_deref(),
            Some("https://relay.golpe.example")
        );
        assert_eq!(
            pending_value(&file, META_CATALOG_ID).expect("get"),
            None,
            "pending values the file brought itself are dropped"
        );
    }
}
