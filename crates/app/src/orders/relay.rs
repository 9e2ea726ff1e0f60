//! Reading the webhook relay (`docs/relay.md`): its address in the catalog, the device token
//! in the keychain (or `VITRINE_RELAY_TOKEN`), never in SQLite, logs or errors. The address
//! must be `https://` (plain `http://` only to this computer), checked when connecting and
//! again before every request.
//!
//! * [`Vitrine::pull_relay`] reads pages of events after the saved cursor until none are
//!   left; each page is stored and applied in one transaction, then acknowledged, then the
//!   cursor saved. A crash between storing and acknowledging re-reads the page, which
//!   changes nothing (events are kept by cursor, orders and messages by `wamid`).
//! * [`Vitrine::stream_relay`] follows the relay's Server-Sent Events for the desktop,
//!   resuming after the saved cursor (`Last-Event-ID`), reconnecting with exponential
//!   backoff, and calling back for every new order, message or status.
//!
//! Nothing is acknowledged that is not stored: an event this version cannot read is kept
//! raw (`ingest`), and one that cannot even be kept (not JSON, no cursor) stops the pull or
//! the stream before it, so the relay keeps it for a Vitrine that can.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use vitrine_relay::wire::AckRequest;
use vitrine_store::{orders, relay_events, relay_settings, StoreError};

use super::ingest::{self, Incoming};
use crate::download::DownloadError;
use crate::hosting::sends_in_clear;
use crate::{AppError, SecretError, TokenSource, Vitrine};

/// Environment variable that supplies the relay's device token where no keychain is available.
pub const RELAY_TOKEN_ENV: &str = "VITRINE_RELAY_TOKEN";

/// Events asked for per page (the relay allows up to 1,000).
const PAGE: u32 = 500;

/// A relay device token (`vrd_…`). Never printed.
#[derive(Clone)]
pub struct RelayToken(String);

impl RelayToken {
    /// A token as pasted: surrounding whitespace is dropped; `None` if nothing is left or it
    /// contains spaces.
    pub fn new(text: impl Into<String>) -> Option<Self> {
        let text = text.into();
        let token = text.trim();
        (!token.is_empty() && !token.contains(char::is_whitespace)).then(|| Self(token.to_owned()))
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RelayToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RelayToken(…)")
    }
}

/// What changed in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "update",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum InboxUpdate {
    /// A cart arrived and became order `order_id`.
    NewOrder { order_id: i64, wamid: String },
    /// A customer wrote (text, product question, photo…).
    Message {
        wamid: String,
        customer_wa_id: String,
        kind: String,
    },
    /// A reply the shop sent moved to `status` (`delivered`, `read`, `failed`…).
    Status { wamid: String, status: String },
}

/// What a pull did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PullReport {
    /// Events read from the relay (repeats included).
    pub events: usize,
    pub pages: usize,
    pub updates: Vec<InboxUpdate>,
    /// The cursor now saved (everything up to it is stored and acknowledged).
    pub cursor: String,
}

impl PullReport {
    pub fn new_orders(&self) -> Vec<i64> {
        self.updates
            .iter()
            .filter_map(|u| match u {
                InboxUpdate::NewOrder { order_id, .. } => Some(*order_id),
                _ => None,
            })
            .collect()
    }
}

/// The relay connection as the settings show it (never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelayStatus {
    pub url: String,
    pub cursor: String,
    pub last_pull_at: Option<String>,
    pub token: TokenSource,
    /// Events stored from the relay.
    pub events: u64,
    pub orders: u64,
}

/// How [`Vitrine::stream_relay`] reconnects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamOptions {
    /// The first wait after a dropped connection; doubles up to `max_backoff`.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// Acknowledge at most this often while events flow.
    pub ack_every: Duration,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self {
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            ack_every: Duration::from_millis(500),
        }
    }
}

/// How often a blocked stream read looks at the cancellation flag.
const CANCEL_POLL: Duration = Duration::from_millis(100);

/// A failure talking to the relay, worded for the merchant; `fatal` ones are not retried.
struct RelayFailure {
    error: AppError,
    fatal: bool,
}

impl From<AppError> for RelayFailure {
    fn from(error: AppError) -> Self {
        Self { error, fatal: true }
    }
}

fn unreachable(url: &str, e: &reqwest::Error) -> RelayFailure {
    let source = if e.is_timeout() {
        DownloadError::Timeout
    } else if e.is_body() || e.is_decode() {
        DownloadError::Interrupted("the answer was cut off".to_owned())
    } else {
        DownloadError::Failed("the relay cannot be reached".to_owned())
    };
    RelayFailure {
        error: AppError::Download {
            source_name: format!("the relay at {url}"),
            source,
        },
        fatal: false,
    }
}

fn refused(url: &str, status: StatusCode) -> RelayFailure {
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return RelayFailure {
            error: AppError::invalid(
                "relay token",
                format!("the relay at {url} refused this device's token (revoked or mistyped): add the device again on the relay and connect with its new token"),
            ),
            fatal: true,
        };
    }
    RelayFailure {
        error: AppError::Download {
            source_name: format!("the relay at {url}"),
            source: DownloadError::Status(status.as_u16()),
        },
        fatal: status.is_client_error(),
    }
}

fn keychain(e: SecretError) -> AppError {
    match e {
        SecretError::Unavailable => AppError::invalid(
            "relay token",
            format!("the system keychain is not available here; set {RELAY_TOKEN_ENV} instead"),
        ),
        SecretError::Refused => AppError::invalid("relay token", e),
    }
}

fn relay_address(text: &str) -> Result<String, AppError> {
    let url = text.trim().trim_end_matches('/').to_owned();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
            encrypted(&url)?;
            Ok(url)
        }
        _ => Err(AppError::invalid(
            "relay URL",
            format!(
                "“{}” is not a web address like https://relay.example",
                text.trim()
            ),
        )),
    }
}

/// Refuses a relay address that would carry the device token and the customers' messages
/// unencrypted; checked when connecting and again before every request (the saved address
/// can come from elsewhere, a restored backup or an older version).
fn encrypted(url: &str) -> Result<(), AppError> {
    if sends_in_clear(url) {
        return Err(AppError::invalid(
            "relay URL",
            format!("{url} is plain http://, which would send this device's token and your customers' messages unencrypted: connect to the relay's https:// address (plain http works only for a relay on this computer)"),
        ));
    }
    Ok(())
}

fn http(read_timeout: Duration) -> Result<reqwest::Client, AppError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .read_timeout(read_timeout)
        .user_agent(concat!("Vitrine/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|_| AppError::invalid("relay", "the HTTP client could not start"))
}

/// `GET /v1/events`'s answer with each event left as its JSON text, so that one event this
/// version cannot read does not make the whole page unreadable.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventsPage {
    events: Vec<Box<RawValue>>,
    has_more: bool,
}

/// The relay sent an event that cannot even be kept: everything before it is stored and
/// acknowledged, it stays on the relay.
fn unkeepable(url: &str, after: &str) -> RelayFailure {
    tracing::warn!(%after, "the relay sent an event that is not JSON with a cursor; stopped before it");
    RelayFailure {
        error: AppError::invalid(
            "relay",
            format!("the relay at {url} sent an event this version of Vitrine cannot read; everything before it is saved, and the relay keeps it until a Vitrine that reads it fetches it: update Vitrine"),
        ),
        fatal: true,
    }
}

/// The relay's HTTP API for one device.
struct RelayClient {
    http: reqwest::Client,
    url: String,
    token: RelayToken,
}

impl RelayClient {
    async fn page(&self, after: &str, limit: u32) -> Result<EventsPage, RelayFailure> {
        let response = self
            .http
            .get(format!("{}/v1/events", self.url))
            .bearer_auth(self.token.expose())
            .query(&[("after", after), ("limit", &limit.to_string())])
            .send()
            .await
            .map_err(|e| unreachable(&self.url, &e))?;
        if !response.status().is_success() {
            return Err(refused(&self.url, response.status()));
        }
        response
            .json()
            .await
            .map_err(|e| unreachable(&self.url, &e))
    }

    async fn ack(&self, cursor: &str) -> Result<(), RelayFailure> {
        let response = self
            .http
            .post(format!("{}/v1/ack", self.url))
            .bearer_auth(self.token.expose())
            .json(&AckRequest {
                cursor: cursor.to_owned(),
            })
            .send()
            .await
            .map_err(|e| unreachable(&self.url, &e))?;
        if !response.status().is_success() {
            return Err(refused(&self.url, response.status()));
        }
        Ok(())
    }

    async fn stream(&self, after: &str) -> Result<reqwest::Response, RelayFailure> {
        let mut request = self
            .http
            .get(format!("{}/v1/stream", self.url))
            .bearer_auth(self.token.expose())
            .header("accept", "text/event-stream");
        if !after.is_empty() {
            request = request.header("last-event-id", after);
        }
        let response = request
            .send()
            .await
            .map_err(|e| unreachable(&self.url, &e))?;
        if !response.status().is_success() {
            return Err(refused(&self.url, response.status()));
        }
        Ok(response)
    }
}

/// One Server-Sent Event being read: its `id:` and `data:` lines.
#[derive(Default)]
struct SseEvent {
    id: Option<String>,
    data: String,
}

/// Splits a byte stream into SSE lines and events (`\n` or `\r\n` line ends, `:` comments).
#[derive(Default)]
struct SseReader {
    buffer: Vec<u8>,
    current: SseEvent,
}

impl SseReader {
    /// Feeds bytes; returns the events they complete.
    fn feed(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        self.buffer.extend_from_slice(bytes);
        let mut done = Vec::new();
        while let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.buffer.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                let event = std::mem::take(&mut self.current);
                if !event.data.is_empty() {
                    done.push(event);
                }
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "id" => self.current.id = Some(value.to_owned()),
                "data" => {
                    if !self.current.data.is_empty() {
                        self.current.data.push('\n');
                    }
                    self.current.data.push_str(value);
                }
                _ => {}
            }
        }
        done
    }
}

impl Vitrine {
    /// Saves the relay's address, and the device token (in the keychain) when given, after
    /// checking that the relay answers and accepts the token.
    pub async fn connect_relay(
        &self,
        url: &str,
        token: Option<&RelayToken>,
    ) -> Result<RelayStatus, AppError> {
        let url = relay_address(url)?;
        let token = match token {
            Some(t) => t.clone(),
            None => self.relay_token()?,
        };
        let client = RelayClient {
            http: http(Duration::from_secs(30))?,
            url: url.clone(),
            token: token.clone(),
        };
        client.page("", 1).await.map_err(|f| f.error)?;
        if std::env::var(RELAY_TOKEN_ENV)
            .ok()
            .as_deref()
            .map(str::trim)
            != Some(token.expose())
        {
            self.seams
                .relay_token
                .set(token.expose())
                .map_err(keychain)?;
        }
        self.store
            .write(|tx| relay_settings::set_url(tx, &url))
            .map_err(|e| AppError::from_store("saving the relay", e))?;
        self.relay_status()?
            .ok_or_else(|| AppError::NotFound("the relay connection".to_owned()))
    }

    /// The relay connection, if one is set.
    pub fn relay_status(&self) -> Result<Option<RelayStatus>, AppError> {
        let (settings, events, orders) = self
            .store
            .read(|c| {
                Ok((
                    relay_settings::get(c)?,
                    relay_events::count(c)?,
                    orders::count(c)?,
                ))
            })
            .map_err(|e| AppError::from_store("reading the relay settings", e))?;
        let Some(settings) = settings else {
            return Ok(None);
        };
        let token = if std::env::var(RELAY_TOKEN_ENV).is_ok_and(|t| !t.trim().is_empty()) {
            TokenSource::Environment
        } else if matches!(self.seams.relay_token.get(), Ok(Some(_))) {
            TokenSource::Keychain
        } else {
            TokenSource::Missing
        };
        Ok(Some(RelayStatus {
            url: settings.url,
            cursor: settings.cursor,
            last_pull_at: settings.last_pull_at,
            token,
            events,
            orders,
        }))
    }

    /// Forgets the relay (address, cursor and token); orders and messages stay.
    pub fn disconnect_relay(&self) -> Result<(), AppError> {
        self.seams.relay_token.clear().map_err(keychain)?;
        self.store
            .write(relay_settings::remove)
            .map_err(|e| AppError::from_store("forgetting the relay", e))
    }

    fn relay_token(&self) -> Result<RelayToken, AppError> {
        if let Some(t) = std::env::var(RELAY_TOKEN_ENV)
            .ok()
            .and_then(RelayToken::new)
        {
            return Ok(t);
        }
        self.seams
            .relay_token
            .get()
            .map_err(keychain)?
            .and_then(RelayToken::new)
            .ok_or_else(|| {
                AppError::invalid(
                    "relay token",
                    format!("no relay token saved; connect to the relay again with the device's token, or set {RELAY_TOKEN_ENV}"),
                )
            })
    }

    fn relay_client(&self, read_timeout: Duration) -> Result<(RelayClient, String), AppError> {
        let settings = self
            .store
            .read(relay_settings::get)
            .map_err(|e| AppError::from_store("reading the relay settings", e))?
            .ok_or_else(|| {
                AppError::invalid(
                    "relay",
                    "connect to your webhook relay first (vitrine relay connect)",
                )
            })?;
        encrypted(&settings.url)?;
        let client = RelayClient {
            http: http(read_timeout)?,
            url: settings.url,
            token: self.relay_token()?,
        };
        Ok((client, settings.cursor))
    }

    /// Stores and applies events in one transaction.
    fn take_events(&self, events: &[Incoming]) -> Result<Vec<InboxUpdate>, AppError> {
        self.store
            .write(|tx| {
                let mut updates = Vec::new();
                for event in events {
                    updates.extend(ingest::apply(tx, event)?);
                }
                Ok::<_, StoreError>(updates)
            })
            .map_err(|e| AppError::from_store("storing the relay's events", e))
    }

    fn save_cursor(&self, cursor: &str) -> Result<(), AppError> {
        let at = self.now().to_rfc3339();
        self.store
            .write(|tx| relay_settings::set_cursor(tx, cursor, &at))
            .map_err(|e| AppError::from_store("saving the relay cursor", e))
    }

    /// Reads every event the relay holds after the saved cursor into the inbox.
    pub async fn pull_relay(&self) -> Result<PullReport, AppError> {
        let (client, mut cursor) = self.relay_client(Duration::from_secs(60))?;
        let mut report = PullReport::default();
        loop {
            let page = client.page(&cursor, PAGE).await.map_err(|f| f.error)?;
            report.pages += 1;
            let mut events = Vec::with_capacity(page.events.len());
            for json in &page.events {
                let Some(event) = Incoming::read(json.get(), None) else {
                    break;
                };
                events.push(event);
            }
            report.events += events.len();
            if let Some(last) = events.last() {
                report.updates.extend(self.take_events(&events)?);
                // The last event stored, not the page's `nextCursor`: nothing unstored is
                // acknowledged.
                client.ack(last.cursor()).await.map_err(|f| f.error)?;
                cursor = last.cursor().to_owned();
            }
            self.save_cursor(&cursor)?;
            if events.len() < page.events.len() {
                return Err(unkeepable(&client.url, &cursor).error);
            }
            if !page.has_more || page.events.is_empty() {
                break;
            }
        }
        tracing::info!(
            events = report.events,
            pages = report.pages,
            "pulled the relay"
        );
        report.cursor = cursor;
        Ok(report)
    }

    /// Follows the relay's live stream until `cancel` is set, calling `on_update` for every
    /// change to the inbox. Reconnects after a dropped connection or a relay restart, waiting
    /// `min_backoff`, doubling up to `max_backoff` while it fails; a refused token or a
    /// missing connection ends it with the error.
    pub async fn stream_relay(
        &self,
        cancel: &AtomicBool,
        options: StreamOptions,
        on_update: &mut (dyn FnMut(InboxUpdate) + Send),
    ) -> Result<(), AppError> {
        let mut backoff = options.min_backoff;
        while !cancel.load(Ordering::Relaxed) {
            // Read anew each time: a reconnection resumes after what was saved.
            let (client, cursor) = self.relay_client(Duration::from_secs(45))?;
            match self
                .follow(&client, cursor, cancel, options, on_update)
                .await
            {
                Ok(progressed) => {
                    if progressed {
                        backoff = options.min_backoff;
                    }
                }
                Err(failure) if failure.fatal => return Err(failure.error),
                Err(failure) => {
                    tracing::warn!(error = %failure.error, wait_ms = backoff.as_millis() as u64, "relay stream interrupted; reconnecting");
                }
            }
            let until = Instant::now() + backoff;
            while Instant::now() < until && !cancel.load(Ordering::Relaxed) {
                tokio::time::sleep(CANCEL_POLL.min(until - Instant::now())).await;
            }
            backoff = (backoff * 2).min(options.max_backoff);
        }
        Ok(())
    }

    /// One connection of the stream; true when it delivered events.
    async fn follow(
        &self,
        client: &RelayClient,
        mut acked: String,
        cancel: &AtomicBool,
        options: StreamOptions,
        on_update: &mut (dyn FnMut(InboxUpdate) + Send),
    ) -> Result<bool, RelayFailure> {
        let response = client.stream(&acked).await?;
        let mut body = response.bytes_stream();
        let mut reader = SseReader::default();
        let mut stored = acked.clone();
        let mut last_ack = Instant::now();
        let mut progressed = false;
        let outcome = loop {
            if cancel.load(Ordering::Relaxed) {
                break Ok(());
            }
            let chunk = match tokio::time::timeout(CANCEL_POLL, body.next()).await {
                Err(_) => None,
                Ok(None) => break Ok(()),
                Ok(Some(Err(e))) => break Err(unreachable(&client.url, &e)),
                Ok(Some(Ok(bytes))) => Some(bytes),
            };
            let mut blocked = false;
            for sse in chunk.map(|b| reader.feed(&b)).unwrap_or_default() {
                let Some(event) = Incoming::read(&sse.data, sse.id.as_deref()) else {
                    blocked = true;
                    break;
                };
                for update in self.take_events(std::slice::from_ref(&event))? {
                    on_update(update);
                }
                stored = event.cursor().to_owned();
                progressed = true;
            }
            if blocked {
                break Err(unkeepable(&client.url, &stored));
            }
            if stored != acked && last_ack.elapsed() >= options.ack_every {
                client.ack(&stored).await?;
                self.save_cursor(&stored)?;
                acked = stored.clone();
                last_ack = Instant::now();
            }
        };
        if stored != acked {
            // Best effort: what is stored but not acknowledged is read again next time.
            if client.ack(&stored).await.is_ok() {
                self.save_cursor(&stored)?;
            }
        }
        outcome.map(|()| progressed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_events_are_cut_at_blank_lines_whatever_the_chunks() {
        let mut reader = SseReader::default();
        let text = ": keep-alive\n\nid: 7\ndata: {\"a\":1}\n\nid: 8\r\ndata: x\r\ndata: y\r\n\r\n";
        let mut events = Vec::new();
        for chunk in text.as_bytes().chunks(3) {
            events.extend(reader.feed(chunk));
        }
        let seen: Vec<(Option<String>, String)> =
            events.into_iter().map(|e| (e.id, e.data)).collect();
        assert_eq!(
            seen,
            vec![
                (Some("7".into()), "{\"a\":1}".into()),
                (Some("8".into()), "x\ny".into())
            ],
            "comments are skipped, data lines joined, CRLF accepted"
        );
    }

    #[test]
    fn a_relay_token_never_prints() {
        let token = RelayToken::new("  vrd_secret  ").expect("a token");
        assert_eq!(format!("{token:?}"), "RelayToken(…)");
        assert!(RelayToken::new("   ").is_none(), "blank is no token");
    }
}
