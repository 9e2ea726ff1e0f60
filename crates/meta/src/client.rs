//! The HTTP implementation of [`GraphApi`].

use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use crate::error::{GraphError, GraphErrorBody};
use crate::token::AccessToken;
use crate::types::*;
use crate::usage::BusinessUseCaseUsage;
use crate::GraphApi;

pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";
/// The Graph API version Vitrine is written against; always sent explicitly.
pub const GRAPH_API_VERSION: &str = "v25.0";

#[derive(Debug, Clone)]
pub struct GraphConfig {
    /// Scheme and host, e.g. `https://graph.facebook.com` or a local fake's `http://127.0.0.1:PORT`.
    pub base_url: String,
    pub version: String,
    pub timeout: Duration,
}

impl Default for GraphConfig {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            version: GRAPH_API_VERSION.to_owned(),
            timeout: Duration::from_secs(60),
        }
    }
}

impl GraphConfig {
    /// The default configuration, with `VITRINE_GRAPH_URL` overriding the base URL (tests,
    /// proxies).
    pub fn from_env() -> Self {
        let mut config = Self::default();
        if let Some(url) = std::env::var("VITRINE_GRAPH_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
        {
            config.base_url = url.trim().trim_end_matches('/').to_owned();
        }
        config
    }
}

pub struct GraphClient {
    http: reqwest::Client,
    config: GraphConfig,
    token: AccessToken,
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: GraphErrorBody,
}

#[derive(Deserialize)]
struct Success {
    #[serde(default)]
    success: bool,
}

impl GraphClient {
    pub fn new(config: GraphConfig, token: AccessToken) -> Result<Self, GraphError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(Duration::from_secs(15))
            .user_agent(concat!("Vitrine/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| GraphError::Network(e.to_string()))?;
        Ok(Self {
            http,
            config,
            token,
        })
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let url = format!(
            "{}/{}/{}",
            self.config.base_url.trim_end_matches('/'),
            self.config.version,
            path.trim_start_matches('/')
        );
        self.http
            .request(method, url)
            .bearer_auth(self.token.expose())
    }

    async fn send<T: DeserializeOwned>(
        &self,
        builder: RequestBuilder,
    ) -> Result<Ingested<T>, GraphError> {
        let response = builder.send().await.map_err(network_error)?;
        read(response).await
    }

    /// For calls Meta answers with `{"success": true}`; anything else is an error.
    async fn send_for_success(&self, builder: RequestBuilder) -> Result<Ingested<()>, GraphError> {
        let answer: Ingested<Success> = self.send(builder).await?;
        if !answer.value.success {
            return Err(GraphError::BadResponse { status: 200 });
        }
        Ok(Ingested {
            value: (),
            usage: answer.usage,
        })
    }
}

/// Describes a transport failure without the URL (which holds ids but never the token) or
/// reqwest's internals.
fn network_error(e: reqwest::Error) -> GraphError {
    let what = if e.is_timeout() {
        "the request timed out"
    } else if e.is_connect() {
        "the connection failed"
    } else if e.is_body() || e.is_decode() {
        "the answer was cut off"
    } else {
        "the request failed"
    };
    GraphError::Network(what.to_owned())
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<Ingested<T>, GraphError> {
    let status = response.status().as_u16();
    let usage = response
        .headers()
        .get("x-business-use-case-usage")
        .and_then(|v| v.to_str().ok())
        .and_then(BusinessUseCaseUsage::parse);
    let bytes = response.bytes().await.map_err(network_error)?;
    if let Ok(envelope) = serde_json::from_slice::<ErrorEnvelope>(&bytes) {
        let retry_after = usage
            .as_ref()
            .and_then(BusinessUseCaseUsage::regain_access_after);
        let error = match GraphError::from_body(&envelope.error, retry_after) {
            // Meta's servers failing with a code no table lists: still an outage, retry.
            GraphError::Other { code, message, .. } if status >= 500 => {
                GraphError::Transient { code, message }
            }
            error => error,
        };
        tracing::warn!(code = envelope.error.code, subcode = ?envelope.error.error_subcode, fbtrace_id = ?envelope.error.fbtrace_id, "Graph API error");
        return Err(error);
    }
    if status >= 400 {
        return Err(GraphError::BadResponse { status });
    }
    let value = serde_json::from_slice(&bytes).map_err(|_| GraphError::BadResponse { status })?;
    Ok(Ingested { value, usage })
}

fn first<T>(envelope: Ingested<DataEnvelope<T>>, status: u16) -> Result<Ingested<T>, GraphError> {
    let Ingested { value, usage } = envelope;
    let item = value
        .data
        .into_iter()
        .next()
        .ok_or(GraphError::BadResponse { status })?;
    Ok(Ingested { value: item, usage })
}

impl GraphApi for GraphClient {
    async fn items_batch(
        &self,
        catalog_id: &str,
        requests: &[BatchRequest],
        allow_upsert: bool,
    ) -> Result<Ingested<ItemsBatchResponse>, GraphError> {
        let body = json!({ "item_type": "PRODUCT_ITEM", "allow_upsert": allow_upsert, "requests": requests });
        self.send(
            self.request(Method::POST, &format!("{catalog_id}/items_batch"))
                .json(&body),
        )
        .await
    }

    async fn batch_status(
        &self,
        catalog_id: &str,
        handle: &str,
    ) -> Result<Ingested<BatchStatus>, GraphError> {
        let builder = self
            .request(
                Method::GET,
                &format!("{catalog_id}/check_batch_request_status"),
            )
            .query(&[("handle", handle), ("load_ids_of_invalid_requests", "true")]);
        first(self.send(builder).await?, 200)
    }

    async fn products_page(
        &self,
        catalog_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Ingested<Page<CatalogProduct>>, GraphError> {
        let limit = limit.to_string();
        let mut query: Vec<(&str, &str)> = vec![("fields", PRODUCT_FIELDS), ("limit", &limit)];
        if let Some(after) = after {
            query.push(("after", after));
        }
        self.send(
            self.request(Method::GET, &format!("{catalog_id}/products"))
                .query(&query),
        )
        .await
    }

    async fn catalog(&self, catalog_id: &str) -> Result<Ingested<CatalogInfo>, GraphError> {
        self.send(
            self.request(Method::GET, catalog_id)
                .query(&[("fields", "id,name,product_count,vertical")]),
        )
        .await
    }

    async fn commerce_settings(
        &self,
        phone_number_id: &str,
    ) -> Result<Ingested<CommerceSettings>, GraphError> {
        first(
            self.send(self.request(
                Method::GET,
                &format!("{phone_number_id}/whatsapp_commerce_settings"),
            ))
            .await?,
            200,
        )
    }

    async fn set_commerce_settings(
        &self,
        phone_number_id: &str,
        cart_enabled: Option<bool>,
        catalog_visible: Option<bool>,
    ) -> Result<Ingested<()>, GraphError> {
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some(v) = cart_enabled {
            query.push(("is_cart_enabled", v.to_string()));
        }
        if let Some(v) = catalog_visible {
            query.push(("is_catalog_visible", v.to_string()));
        }
        self.send_for_success(
            self.request(
                Method::POST,
                &format!("{phone_number_id}/whatsapp_commerce_settings"),
            )
            .query(&query),
        )
        .await
    }

    async fn waba_catalogs(
        &self,
        waba_id: &str,
    ) -> Result<Ingested<Page<CatalogInfo>>, GraphError> {
        self.send(
            self.request(Method::GET, &format!("{waba_id}/product_catalogs"))
                .query(&[("fields", "id,name,product_count,vertical")]),
        )
        .await
    }

    async fn short_links_page(
        &self,
        phone_number_id: &str,
        after: Option<&str>,
    ) -> Result<Ingested<Page<ShortLink>>, GraphError> {
        let mut query: Vec<(&str, &str)> = vec![
            ("fields", "code,prefilled_message,deep_link_url"),
            ("limit", "100"),
        ];
        if let Some(after) = after {
            query.push(("after", after));
        }
        self.send(
            self.request(Method::GET, &format!("{phone_number_id}/message_qrdls"))
                .query(&query),
        )
        .await
    }

    async fn create_short_link(
        &self,
        phone_number_id: &str,
        prefilled_message: &str,
    ) -> Result<Ingested<ShortLink>, GraphError> {
        let body = json!({ "prefilled_message": prefilled_message, "generate_qr_image": "SVG" });
        self.send(
            self.request(Method::POST, &format!("{phone_number_id}/message_qrdls"))
                .json(&body),
        )
        .await
    }

    async fn update_short_link(
        &self,
        phone_number_id: &str,
        code: &str,
        prefilled_message: &str,
    ) -> Result<Ingested<ShortLink>, GraphError> {
        let body = json!({ "code": code, "prefilled_message": prefilled_message });
        self.send(
            self.request(Method::POST, &format!("{phone_number_id}/message_qrdls"))
                .json(&body),
        )
        .await
    }

    async fn delete_short_link(
        &self,
        phone_number_id: &str,
        code: &str,
    ) -> Result<Ingested<()>, GraphError> {
        self.send_for_success(self.request(
            Method::DELETE,
            &format!("{phone_number_id}/message_qrdls/{code}"),
        ))
        .await
    }

    async fn send_text(
        &self,
        phone_number_id: &str,
        to: &str,
        body: &str,
        reply_to: Option<&str>,
    ) -> Result<Ingested<SentMessage>, GraphError> {
        let mut message = json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "text",
            "text": { "body": body },
        });
        if let Some(quoted) = reply_to {
            message["context"] = json!({ "message_id": quoted });
        }
        let Ingested { value, usage } = self
            .send::<SendAnswer>(
                self.request(Method::POST, &format!("{phone_number_id}/messages"))
                    .json(&message),
            )
            .await?;
        let id = value
            .messages
            .into_iter()
            .next()
            .map(|m| m.id)
            .filter(|id| !id.is_empty())
            .ok_or(GraphError::BadResponse { status: 200 })?;
        let wa_id = value.contacts.into_iter().next().and_then(|c| c.wa_id);
        Ok(Ingested {
            value: SentMessage { id, wa_id },
            usage,
        })
    }

    async fn mark_read(
        &self,
        phone_number_id: &str,
        message_id: &str,
    ) -> Result<Ingested<()>, GraphError> {
        let body =
            json!({ "messaging_product": "whatsapp", "status": "read", "message_id": message_id });
        self.send_for_success(
            self.request(Method::POST, &format!("{phone_number_id}/messages"))
                .json(&body),
        )
        .await
    }
}
