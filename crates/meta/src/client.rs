//! The HTTP implementation of [`GraphApi`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use crate::error::{GraphError, GraphErrorBody};
use crate::sleep::{Sleeper, TokioSleeper};
use crate::token::AccessToken;
use crate::types::*;
use crate::usage::{pause_before_next_call, AppUsage, BusinessUseCaseUsage};
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
    /// The longest pause before a call that the usage headers may impose inside the call;
    /// a longer one (Meta estimating an hour to regain access) fails the call as
    /// [`GraphError::RateLimited`] with the wait, for the caller to stop and come back.
    pub max_pause: Duration,
}

impl Default for GraphConfig {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            version: GRAPH_API_VERSION.to_owned(),
            timeout: Duration::from_secs(60),
            max_pause: Duration::from_secs(15 * 60),
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
    sleeper: Arc<dyn Sleeper>,
    /// No call to a bucket before its instant: an answer's usage was near a limit.
    not_before: Mutex<HashMap<String, Instant>>,
}

/// The usage an answer reports is that of the bucket its call counts against. Meta does
/// not document the bucket names of catalog calls, so a pause holds back the next calls to
/// the same node and edge (`{catalog}/items_batch`); `X-App-Usage`, the app's platform limit,
/// holds back every call.
const EVERY_CALL: &str = "";

/// `/v25.0/{node}/{edge}/…` → `{node}/{edge}`.
fn bucket_of(path: &str) -> String {
    path.trim_matches('/')
        .split('/')
        .skip(1)
        .take(2)
        .collect::<Vec<_>>()
        .join("/")
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
            sleeper: Arc::new(TokioSleeper),
            not_before: Mutex::new(HashMap::new()),
        })
    }

    /// Waits through `sleeper` instead of tokio's timer (tests record the waits).
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Waits out the pause an earlier answer's usage asked for before calling `bucket`, or
    /// fails (once) when it is longer than `max_pause`.
    async fn respect_usage(&self, bucket: &str) -> Result<(), GraphError> {
        let wait = {
            let mut not_before = self.not_before.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            [bucket, EVERY_CALL]
                .into_iter()
                .filter_map(|key| not_before.remove(key))
                .filter_map(|at| at.checked_duration_since(now))
                .max()
                .filter(|wait| !wait.is_zero())
        };
        let Some(wait) = wait else {
            return Ok(());
        };
        if wait > self.config.max_pause {
            return Err(GraphError::RateLimited {
                code: None,
                scope: "API",
                retry_after: Some(wait),
            });
        }
        tracing::info!(
            bucket,
            wait_ms = wait.as_millis() as u64,
            "usage near Meta's limit: waiting before the next call"
        );
        self.sleeper.sleep(wait).await;
        Ok(())
    }

    /// Remembers the pause the usage headers of an answer from `bucket` ask for.
    fn note_usage(&self, bucket: &str, headers: &Answered) {
        let mut not_before = self.not_before.lock().unwrap_or_else(|p| p.into_inner());
        let mut hold = |key: &str, pause: Option<Duration>| {
            if let Some(pause) = pause {
                let at = Instant::now() + pause;
                let entry = not_before.entry(key.to_owned()).or_insert(at);
                *entry = (*entry).max(at);
            }
        };
        hold(bucket, pause_before_next_call(headers.usage.as_ref(), None));
        hold(
            EVERY_CALL,
            pause_before_next_call(None, headers.app_usage.as_ref()),
        );
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
        let request = builder.build().map_err(network_error)?;
        let bucket = bucket_of(request.url().path());
        self.respect_usage(&bucket).await?;
        let response = self.http.execute(request).await.map_err(network_error)?;
        let headers = Answered::of(response.headers());
        self.note_usage(&bucket, &headers);
        read(response, headers).await
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

/// What the headers of an answer say about Meta's limits.
struct Answered {
    usage: Option<BusinessUseCaseUsage>,
    app_usage: Option<AppUsage>,
    /// `Retry-After`, in seconds or as an HTTP date.
    retry_after: Option<Duration>,
}

impl Answered {
    fn of(headers: &HeaderMap) -> Self {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        Self {
            usage: text("x-business-use-case-usage").and_then(BusinessUseCaseUsage::parse),
            app_usage: text("x-app-usage").and_then(AppUsage::parse),
            retry_after: text("retry-after").and_then(parse_retry_after),
        }
    }

    /// The longest wait asked for: `Retry-After` or Meta's estimate to regain access.
    fn wait(&self) -> Option<Duration> {
        let regain = self
            .usage
            .as_ref()
            .and_then(BusinessUseCaseUsage::regain_access_after);
        self.retry_after.max(regain)
    }
}

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` (RFC 9110 §10.2.3).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

async fn read<T: DeserializeOwned>(
    response: Response,
    headers: Answered,
) -> Result<Ingested<T>, GraphError> {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(network_error)?;
    let usage = headers.usage.clone();
    if let Ok(envelope) = serde_json::from_slice::<ErrorEnvelope>(&bytes) {
        let error = match GraphError::from_body(&envelope.error, headers.wait()) {
            // Meta's servers failing with a code no table lists: still an outage, retry.
            GraphError::Other { code, message, .. } if status >= 500 => {
                GraphError::Transient { code, message }
            }
            error => error,
        };
        tracing::warn!(code = envelope.error.code, subcode = ?envelope.error.error_subcode, fbtrace_id = ?envelope.error.fbtrace_id, "Graph API error");
        return Err(error);
    }
    if status == 429 {
        // Too Many Requests from a proxy or Meta's edge, without a Graph error object: a
        // rate limit all the same.
        tracing::warn!(retry_after_ms = ?headers.wait().map(|w| w.as_millis() as u64), "HTTP 429 without a Graph error");
        return Err(GraphError::RateLimited {
            code: None,
            scope: "API",
            retry_after: headers.wait(),
        });
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
    async fn pause(&self, wait: Duration) {
        self.sleeper.sleep(wait).await;
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_read_in_seconds_or_as_an_http_date() {
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
        let wait = parse_retry_after(&in_an_hour).expect("an HTTP date");
        assert!(
            wait <= Duration::from_secs(3600) && wait > Duration::from_secs(3590),
            "the time left until the date: {wait:?}"
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a date past is no wait"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn a_calls_bucket_is_its_node_and_edge() {
        assert_eq!(bucket_of("/v25.0/123/items_batch"), "123/items_batch");
        assert_eq!(bucket_of("/v25.0/123"), "123");
        assert_eq!(bucket_of("/v25.0/55/message_qrdls/ABC"), "55/message_qrdls");
    }
}
