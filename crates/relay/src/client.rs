//! The desktop's side of the relay's API (`GET /v1/events`, `GET /v1/stream`, `POST /v1/ack`),
//! behind the `client` feature: one device's HTTP client, the Server-Sent Events reader, and
//! the errors a desktop can meet, typed so the app words them for the merchant and knows which
//! ones are worth retrying. What to do with the events (store, apply, acknowledge) is the
//! app's; this module only speaks the protocol.
//!
//! The device token goes only to the relay's address given here, in the `Authorization`
//! header, and never into an error, a log line or `Debug` output.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::wire::AckRequest;

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

    /// The token itself, for the keychain.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RelayToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RelayToken(…)")
    }
}

/// How a connection to the relay broke off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interruption {
    /// No answer in time.
    Timeout,
    /// The answer was cut off or unreadable.
    CutOff,
    /// No connection at all (down, no network, a wrong address).
    NoConnection,
}

impl std::fmt::Display for Interruption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Timeout => "it did not answer in time",
            Self::CutOff => "its answer was cut off",
            Self::NoConnection => "it cannot be reached",
        })
    }
}

/// Why a request to the relay failed, worded for the merchant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("the relay at {url} is not answering: {why}; Vitrine tries again")]
    Unreachable { url: String, why: Interruption },
    #[error("the relay at {url} refused this device's token (revoked or mistyped): add the device again on the relay and connect with its new token")]
    TokenRefused { url: String },
    #[error("the relay at {url} answered with error {status}")]
    Status { url: String, status: u16 },
    #[error("the relay at {url} sent a page of events this version of Vitrine cannot read")]
    Unreadable { url: String },
    #[error("the connection to the relay could not be prepared on this computer")]
    Start,
}

impl ClientError {
    /// True when trying again later may succeed (the relay or the network is down); false
    /// when the merchant must act (a refused token, a request the relay will never accept).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } => true,
            Self::Status { status, .. } => !(400..500).contains(status),
            Self::TokenRefused { .. } | Self::Unreadable { .. } | Self::Start => false,
        }
    }
}

/// `GET /v1/events`'s answer with each event left as its JSON text, so that one event this
/// version cannot read does not make the whole page unreadable.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawEventsPage {
    pub events: Vec<Box<RawValue>>,
    pub has_more: bool,
}

/// The relay's HTTP API for one device.
pub struct RelayClient {
    http: reqwest::Client,
    url: String,
    token: RelayToken,
}

impl std::fmt::Debug for RelayClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayClient")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RelayClient {
    /// A client for the relay at `url` (no trailing `/`); a read that waits longer than
    /// `read_timeout` for bytes fails as [`Interruption::Timeout`].
    pub fn new(url: &str, token: RelayToken, read_timeout: Duration) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(15))
            .read_timeout(read_timeout)
            .user_agent(concat!("Vitrine/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| ClientError::Start)?;
        Ok(Self {
            http,
            url: url.to_owned(),
            token,
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn unreachable(&self, e: &reqwest::Error) -> ClientError {
        let why = if e.is_timeout() {
            Interruption::Timeout
        } else if e.is_body() || e.is_decode() {
            Interruption::CutOff
        } else {
            Interruption::NoConnection
        };
        ClientError::Unreachable {
            url: self.url.clone(),
            why,
        }
    }

    fn refused(&self, status: StatusCode) -> ClientError {
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            ClientError::TokenRefused {
                url: self.url.clone(),
            }
        } else {
            ClientError::Status {
                url: self.url.clone(),
                status: status.as_u16(),
            }
        }
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, ClientError> {
        let response = request
            .bearer_auth(self.token.expose())
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        if !response.status().is_success() {
            return Err(self.refused(response.status()));
        }
        Ok(response)
    }

    /// Up to `limit` events after the cursor `after` (`""`: from the start).
    pub async fn page(&self, after: &str, limit: u32) -> Result<RawEventsPage, ClientError> {
        let request = self
            .http
            .get(format!("{}/v1/events", self.url))
            .query(&[("after", after), ("limit", &limit.to_string())]);
        let response = self.send(request).await?;
        let bytes = response.bytes().await.map_err(|e| self.unreachable(&e))?;
        serde_json::from_slice(&bytes).map_err(|_| ClientError::Unreadable {
            url: self.url.clone(),
        })
    }

    /// Tells the relay every event up to `cursor` is stored on this device.
    pub async fn ack(&self, cursor: &str) -> Result<(), ClientError> {
        let request = self
            .http
            .post(format!("{}/v1/ack", self.url))
            .json(&AckRequest {
                cursor: cursor.to_owned(),
            });
        self.send(request).await.map(drop)
    }

    /// Opens the live stream of events after `after` (sent as `Last-Event-ID`).
    pub async fn stream(&self, after: &str) -> Result<EventStream, ClientError> {
        let mut request = self
            .http
            .get(format!("{}/v1/stream", self.url))
            .header("accept", "text/event-stream");
        if !after.is_empty() {
            request = request.header("last-event-id", after);
        }
        let response = self.send(request).await?;
        Ok(EventStream {
            body: Box::pin(response.bytes_stream()),
            reader: SseReader::default(),
            url: self.url.clone(),
        })
    }
}

type Body = std::pin::Pin<
    Box<dyn futures_util::Stream<Item = Result<bytes::Bytes, reqwest::Error>> + Send>,
>;

/// The relay's live stream, read as Server-Sent Events.
pub struct EventStream {
    body: Body,
    reader: SseReader,
    url: String,
}

impl EventStream {
    /// The events the next bytes complete (often none: a keep-alive, half an event); `None`
    /// when the relay closed the stream. Cancel-safe: dropping the future loses no byte.
    pub async fn next(&mut self) -> Option<Result<Vec<SseEvent>, ClientError>> {
        match self.body.next().await? {
            Ok(bytes) => Some(Ok(self.reader.feed(&bytes))),
            Err(e) => Some(Err(ClientError::Unreachable {
                url: self.url.clone(),
                why: if e.is_timeout() {
                    Interruption::Timeout
                } else {
                    Interruption::CutOff
                },
            })),
        }
    }
}

/// One Server-Sent Event: its `id:` and its `data:` lines joined.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub id: Option<String>,
    pub data: String,
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
        let client = RelayClient::new("https://relay.example", token, Duration::from_secs(1))
            .expect("client");
        assert!(!format!("{client:?}").contains("vrd_secret"));
    }

    #[test]
    fn only_a_refused_token_or_a_request_the_relay_refuses_stops_retrying() {
        let url = "https://relay.example".to_owned();
        let down = ClientError::Unreachable {
            url: url.clone(),
            why: Interruption::NoConnection,
        };
        assert!(down.is_transient());
        assert!(ClientError::Status {
            url: url.clone(),
            status: 503
        }
        .is_transient());
        assert!(!ClientError::Status {
            url: url.clone(),
            status: 404
        }
        .is_transient());
        assert!(!ClientError::TokenRefused { url }.is_transient());
        assert!(
            down.to_string().contains("cannot be reached") && !down.to_string().contains("photo"),
            "a relay failure reads as one, not as a photo download: {down}"
        );
    }
}
