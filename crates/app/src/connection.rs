//! The connection to the merchant's Meta catalog: ids in the catalog database, the access
//! token in the OS keychain (or `VITRINE_META_TOKEN` on a headless machine) — never in
//! SQLite, logs or error messages.

use serde::Serialize;
use vitrine_meta::{AccessToken, CatalogInfo, CommerceSettings, GraphApi, GraphClient};
use vitrine_store::{app_state, machine};

use vitrine_env::{TokenSource, TOKEN_ENV};

use crate::error::Setup;
use crate::{AppError, InputField, Vitrine};

// Machine-bound settings: a restored backup never replaces them (vitrine_store::machine).
pub(crate) const CATALOG_KEY: &str = machine::META_CATALOG_ID;
const WABA_KEY: &str = machine::META_WABA_ID;
const PHONE_KEY: &str = machine::META_PHONE_NUMBER_ID;
/// What Vitrine knows of the merchant's Meta setup (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetaConnection {
    pub catalog_id: String,
    pub waba_id: Option<String>,
    pub phone_number_id: Option<String>,
    pub token: TokenSource,
}

/// The answer of "test connection".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConnectionCheck {
    pub catalog: CatalogInfo,
    pub commerce: Option<CommerceSettings>,
    /// Plain-language warnings, e.g. a hidden catalog that breaks `wa.me/c/` links.
    pub warnings: Vec<String>,
}

fn numeric_id(field: InputField, text: &str) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid(
            field,
            format!("“{t}” is not a Meta id (only digits, as shown in Commerce Manager)"),
        ));
    }
    Ok(t.to_owned())
}

impl Vitrine {
    /// Saves the Meta ids, and the token (in the keychain) when given.
    pub fn connect_meta(
        &self,
        catalog_id: &str,
        waba_id: Option<&str>,
        phone_number_id: Option<&str>,
        token: Option<&AccessToken>,
    ) -> Result<MetaConnection, AppError> {
        let catalog = numeric_id(InputField::CatalogId, catalog_id)?;
        let waba = waba_id
            .filter(|w| !w.trim().is_empty())
            .map(|w| numeric_id(InputField::WhatsAppAccountId, w))
            .transpose()?;
        let phone = phone_number_id
            .filter(|p| !p.trim().is_empty())
            .map(|p| numeric_id(InputField::PhoneNumberId, p))
            .transpose()?;
        if let Some(token) = token {
            self.seams
                .secrets
                .set(token.expose())
                .map_err(|e| AppError::invalid(InputField::Token, e))?;
        }
        self.store
            .write(|tx| {
                app_state::set(tx, CATALOG_KEY, &catalog)?;
                for (key, value) in [(WABA_KEY, &waba), (PHONE_KEY, &phone)] {
                    match value {
                        Some(v) => app_state::set(tx, key, v)?,
                        None => {
                            tx.execute("DELETE FROM app_state WHERE key = ?1", [key])?;
                        }
                    }
                }
                Ok(())
            })
            .map_err(|e| AppError::from_store("saving the Meta connection", e))?;
        self.meta_connection()?
            .ok_or_else(|| AppError::NotFound("the Meta connection".to_owned()))
    }

    pub fn meta_connection(&self) -> Result<Option<MetaConnection>, AppError> {
        let (catalog, waba, phone) = self
            .store
            .read(|c| {
                Ok((
                    app_state::get(c, CATALOG_KEY)?,
                    app_state::get(c, WABA_KEY)?,
                    app_state::get(c, PHONE_KEY)?,
                ))
            })
            .map_err(|e| AppError::from_store("reading the Meta connection", e))?;
        let Some(catalog_id) = catalog else {
            return Ok(None);
        };
        let token = self.seams.secrets.source();
        Ok(Some(MetaConnection {
            catalog_id,
            waba_id: waba,
            phone_number_id: phone,
            token,
        }))
    }

    /// Forgets the token (the ids stay).
    pub fn forget_meta_token(&self) -> Result<(), AppError> {
        self.seams
            .secrets
            .clear()
            .map_err(|e| AppError::invalid(InputField::Token, e))
    }

    /// A Graph client for the saved connection (`VITRINE_GRAPH_URL` may point it elsewhere).
    pub fn meta_client(&self) -> Result<(GraphClient, MetaConnection), AppError> {
        let connection = self
            .meta_connection()?
            .ok_or(AppError::NotSetUp(Setup::MetaCatalog))?;
        let token = self
            .seams
            .secrets
            .get()
            .map_err(|e| AppError::invalid(InputField::Token, e))?
            .and_then(AccessToken::new)
            .ok_or_else(|| {
                AppError::invalid(
                    InputField::Token,
                    format!(
                        "no access token saved; connect again with a token, or set {TOKEN_ENV}"
                    ),
                )
            })?;
        let client = GraphClient::new(self.seams.graph.clone(), token)?;
        Ok((client, connection))
    }

    /// Reads the catalog (and the commerce settings when a phone number id is known) and
    /// says in plain words what is wrong.
    pub async fn test_connection(
        &self,
        api: &impl GraphApi,
        connection: &MetaConnection,
    ) -> Result<ConnectionCheck, AppError> {
        let catalog = api.catalog(&connection.catalog_id).await?.value;
        let mut warnings = Vec::new();
        let commerce = match &connection.phone_number_id {
            Some(phone) => {
                let settings = api.commerce_settings(phone).await?.value;
                if !settings.is_catalog_visible {
                    warnings.push("The catalog is hidden on WhatsApp: customers see no storefront icon and wa.me/c/ links say “Invalid catalog link”. Turn on “catalog visible”.".to_owned());
                }
                if settings
                    .id
                    .as_deref()
                    .is_some_and(|id| id != connection.catalog_id)
                {
                    warnings.push("This phone number shows a different catalog than the one Vitrine syncs to.".to_owned());
                }
                Some(settings)
            }
            None => None,
        };
        if let Some(waba) = &connection.waba_id {
            let connected = api.waba_catalogs(waba).await?.value;
            if !connected.data.iter().any(|c| c.id == connection.catalog_id) {
                warnings.push("This catalog is not connected to the WhatsApp Business account: customers will not see it. Connect it in WhatsApp Manager (Account tools → Catalog) or Commerce Manager.".to_owned());
            }
        }
        Ok(ConnectionCheck {
            catalog,
            commerce,
            warnings,
        })
    }
}
