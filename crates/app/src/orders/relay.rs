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

use serde::Serialize;
use vitrine_core::address::sends_in_clear;
pub use vitrine_relay::client::RelayToken;
use vitrine_relay::client::{ClientError, RelayClient};
use vitrine_store::{orders, relay_events, relay_settings, StoreError};

use super::ingest::{self, Incoming};
use crate::error::Setup;
use crate::{AppError, InputField, SecretError, TokenSource, Vitrine, RELAY_TOKEN_ENV};

/// Events asked for per page (the relay allows up to 1,000).
const PAGE: u32 = 500;

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

/// A failure while pulling or streaming: `fatal` ones are not retried.
struct RelayFailure {
    error: AppError,
    fatal: bool,
}

impl From<AppError> for RelayFailure {
    fn from(error: AppError) -> Self {
        Self { error, fatal: true }
    }
}

impl From<ClientError> for RelayFailure {
    fn from(e: ClientError) -> Self {
        Self {
            fatal: !e.is_transient(),
            error: AppError::Relay(e),
        }
    }
}

fn keychain(e: SecretError) -> AppError {
    AppError::invalid(InputField::RelayToken, e)
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
            InputField::RelayUrl,
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
            InputField::RelayUrl,
            format!("{url} is plain http://, which would send this device's token and your customers' messages unencrypted: connect to the relay's https:// address (plain http works only for a relay on this computer)"),
        ));
    }
    Ok(())
}

/// The relay sent an event that cannot even be kept: everything before it is stored and
/// acknowledged, it stays on the relay.
fn unkeepable(url: &str, after: &str) -> RelayFailure {
    tracing::warn!(%after, "the relay sent an event that is not JSON with a cursor; stopped before it");
    RelayFailure {
        error: AppError::invalid(
            InputField::Relay,
            format!("the relay at {url} sent an event this version of Vitrine cannot read; everything before it is saved, and the relay keeps it until a Vitrine that reads it fetches it: update Vitrine"),
        ),
        fatal: true,
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
        let client = RelayClient::new(&url, token.clone(), Duration::from_secs(30))?;
        client.page("", 1).await?;
        self.seams
            .relay_token
            .set(token.expose())
            .map_err(keychain)?;
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
        let token: TokenSource = self.seams.relay_token.source();
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
        self.seams
            .relay_token
            .get()
            .map_err(keychain)?
            .and_then(RelayToken::new)
            .ok_or_else(|| {
                AppError::invalid(
                    InputField::RelayToken,
                    format!("no relay token saved; connect to the relay again with the device's token, or set {RELAY_TOKEN_ENV}"),
                )
            })
    }

    fn relay_client(&self, read_timeout: Duration) -> Result<(RelayClient, String), AppError> {
        let settings = self
            .store
            .read(relay_settings::get)
            .map_err(|e| AppError::from_store("reading the relay settings", e))?
            .ok_or(AppError::NotSetUp(Setup::Relay))?;
        encrypted(&settings.url)?;
        let client = RelayClient::new(&settings.url, self.relay_token()?, read_timeout)?;
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
            let page = client.page(&cursor, PAGE).await?;
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
                client.ack(last.cursor()).await?;
                cursor = last.cursor().to_owned();
            }
            self.save_cursor(&cursor)?;
            if events.len() < page.events.len() {
                return Err(unkeepable(client.url(), &cursor).error);
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
        let mut stream = client.stream(&acked).await?;
        let mut stored = acked.clone();
        let mut last_ack = Instant::now();
        let mut progressed = false;
        let outcome = loop {
            if cancel.load(Ordering::Relaxed) {
                break Ok(());
            }
            let events = match tokio::time::timeout(CANCEL_POLL, stream.next()).await {
                Err(_) => Vec::new(),
                Ok(None) => break Ok(()),
                Ok(Some(Err(e))) => break Err(e.into()),
                Ok(Some(Ok(events))) => events,
            };
            let mut blocked = false;
            for sse in events {
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
                break Err(unkeepable(client.url(), &stored));
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
