//! The HTTP side: Meta's webhook (`GET`/`POST /webhook`), the desktop API (`/v1/…`, bearer
//! device tokens) and `GET /healthz`, plus the retention task.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::Stream;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

use crate::devices::token_sha256;
use crate::ingest::{Ingest, IngestError};
use crate::signature::AppSecret;
use crate::split::split;
use crate::store::{Delivery, Device, Store};
use crate::wire::{AckRequest, ApiError, EventsPage, RelayEvent};

/// Meta's payloads are at most 3 MB; anything larger is refused with 413.
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;
/// Default and largest page of `GET /v1/events`.
const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 1000;
const SSE_KEEP_ALIVE: Duration = Duration::from_secs(15);
const RETENTION_EVERY: Duration = Duration::from_secs(3600);
const DAY_MS: i64 = 24 * 3600 * 1000;

/// How a relay runs. Secrets come from the environment, never from flags (see `main.rs`).
#[derive(Debug, Clone)]
pub struct RelayConfig {
    pub app_secret: AppSecret,
    pub verify_token: String,
    /// Events are kept this many days after every device has acknowledged them.
    pub retention_days: u32,
    /// How often an idle `/v1/stream` looks for events committed by other relay instances
    /// (with PostgreSQL); events committed by this instance are sent at once.
    pub stream_poll: Duration,
}

struct AppState<S> {
    store: S,
    ingest: Ingest,
    secret: AppSecret,
    verify_token: String,
    committed: broadcast::Sender<u64>,
    shutdown: watch::Receiver<bool>,
    stream_poll: Duration,
}

/// A relay serving on a socket. Stop it with [`RunningRelay::shutdown`].
pub struct RunningRelay {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
    writer: JoinHandle<()>,
    retention: JoinHandle<()>,
}

impl RunningRelay {
    /// Stops accepting connections, ends streams, lets in-flight webhooks finish and be
    /// committed, then returns.
    pub async fn shutdown(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        self.wait().await
    }

    /// Waits until the relay stops (after [`RunningRelay::stop_handle`] is used).
    pub async fn wait(self) -> std::io::Result<()> {
        let served = self.server.await.unwrap_or(Ok(()));
        let _ = self.writer.await;
        self.retention.abort();
        served
    }

    /// A handle that stops the relay when `true` is sent (for signal handlers).
    pub fn stop_handle(&self) -> watch::Sender<bool> {
        self.stop.clone()
    }
}

/// Serves the relay on `listener` until shut down.
pub fn start<S: Store>(listener: TcpListener, store: S, config: RelayConfig) -> RunningRelay {
    let addr = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)));
    let (committed, _) = broadcast::channel(64);
    let (stop, shutdown) = watch::channel(false);
    let (ingest, writer) = Ingest::start(store.clone(), committed.clone());
    let retention = tokio::spawn(retain(
        store.clone(),
        config.retention_days,
        shutdown.clone(),
    ));
    let state = Arc::new(AppState {
        store,
        ingest,
        secret: config.app_secret,
        verify_token: config.verify_token,
        committed,
        shutdown: shutdown.clone(),
        stream_poll: config.stream_poll,
    });
    let app = router(state);
    let mut until = shutdown;
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = until.wait_for(|stop| *stop).await;
            })
            .await
    });
    RunningRelay {
        addr,
        stop,
        server,
        writer,
        retention,
    }
}

fn router<S: Store>(state: Arc<AppState<S>>) -> Router {
    Router::new()
        .route(
            "/webhook",
            get(verify_subscription::<S>)
                .post(receive_webhook::<S>)
                .layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
        .route("/v1/events", get(list_events::<S>))
        .route("/v1/stream", get(stream_events::<S>))
        .route("/v1/ack", post(acknowledge::<S>))
        .route("/healthz", get(health::<S>))
        .with_state(state)
}

/// The wall clock, Unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

// ---- Meta's side ------------------------------------------------------------------------

/// `GET /webhook?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: echo the challenge
/// as plain text when the token matches, 403 otherwise.
async fn verify_subscription<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mode_ok = query.get("hub.mode").is_some_and(|m| m == "subscribe");
    let token_ok = query
        .get("hub.verify_token")
        .is_some_and(|t| bool::from(t.as_bytes().ct_eq(state.verify_token.as_bytes())));
    match (mode_ok && token_ok, query.get("hub.challenge")) {
        (true, Some(challenge)) => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            challenge.clone(),
        )
            .into_response(),
        (true, None) => (StatusCode::BAD_REQUEST, "no hub.challenge").into_response(),
        (false, _) => {
            tracing::warn!("webhook verification refused: wrong hub.mode or hub.verify_token");
            (StatusCode::FORBIDDEN, "Forbidden").into_response()
        }
    }
}

/// `POST /webhook`: signature first, then JSON, then a durable commit, then 200.
async fn receive_webhook<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let signature = headers.get("x-hub-signature-256").map(|v| v.as_bytes());
    if let Err(reason) = state.secret.verify(signature, &body) {
        tracing::warn!(%reason, bytes = body.len(), "webhook refused");
        return (StatusCode::UNAUTHORIZED, "bad signature").into_response();
    }
    let sha256: [u8; 32] = Sha256::digest(&body).into();
    let events = match split(&body, &hex::encode(sha256)) {
        Ok(events) => events,
        Err(reason) => {
            tracing::warn!(%reason, bytes = body.len(), "webhook refused");
            return (StatusCode::BAD_REQUEST, "body is not JSON").into_response();
        }
    };
    let delivery = Delivery {
        sha256,
        body: body.to_vec(),
        received_at_ms: now_ms(),
        events,
    };
    match state.ingest.submit(delivery).await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        // Not stored: a non-200 makes Meta retry later.
        Err(IngestError::Store) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "not stored").into_response()
        }
        Err(IngestError::Stopped) => {
            (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response()
        }
    }
}

// ---- the desktop API --------------------------------------------------------------------

/// A refusal of the desktop API, answered as [`ApiError`] JSON.
enum Refusal {
    Unauthorized,
    BadRequest(&'static str),
    Unavailable,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            Refusal::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "a valid device token is needed",
            ),
            Refusal::BadRequest(message) => (StatusCode::BAD_REQUEST, "bad_request", message),
            Refusal::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the relay's database failed",
            ),
        };
        let body = Json(ApiError {
            code: code.into(),
            message: message.into(),
        });
        let mut response = (status, body).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

fn unavailable(error: crate::store::StoreError) -> Refusal {
    tracing::error!(%error, "desktop API: database failed");
    Refusal::Unavailable
}

/// The device presenting `Authorization: Bearer <token>`, if it exists and is not revoked.
async fn authenticate<S: Store>(store: &S, headers: &HeaderMap) -> Result<Device, Refusal> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(Refusal::Unauthorized)?;
    let presented = token_sha256(token.trim());
    let device = store
        .device_by_token(presented)
        .await
        .map_err(unavailable)?;
    match device {
        // The lookup is by hash; the comparison again, in constant time, does not rely on
        // how the database compares.
        Some(device) if !device.revoked && bool::from(device.token_sha256.ct_eq(&presented)) => {
            Ok(device)
        }
        _ => Err(Refusal::Unauthorized),
    }
}

fn parse_cursor(text: Option<&str>) -> Result<u64, Refusal> {
    match text.map(str::trim) {
        None | Some("") => Ok(0),
        Some(text) => text
            .parse()
            .map_err(|_| Refusal::BadRequest("cursor is not one the relay gave")),
    }
}

#[derive(serde::Deserialize)]
struct PageQuery {
    after: Option<String>,
    limit: Option<u32>,
}

/// `GET /v1/events?after=CURSOR&limit=N`.
async fn list_events<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Result<Json<EventsPage>, Refusal> {
    let device = authenticate(&state.store, &headers).await?;
    let after = parse_cursor(query.after.as_deref())?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let events = state
        .store
        .events_after(device.phone_number_id.as_deref(), after, limit)
        .await
        .map_err(unavailable)?;
    let next_cursor = events
        .last()
        .map_or_else(|| after.to_string(), |e| e.cursor.clone());
    let has_more = events.len() == limit as usize;
    Ok(Json(EventsPage {
        events,
        next_cursor,
        has_more,
    }))
}

/// `POST /v1/ack {"cursor": …}`.
async fn acknowledge<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Json(ack): Json<AckRequest>,
) -> Result<StatusCode, Refusal> {
    let device = authenticate(&state.store, &headers).await?;
    let seq = parse_cursor(Some(&ack.cursor))?;
    state.store.ack(device.id, seq).await.map_err(unavailable)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/stream`: Server-Sent Events, each with `id:` = its cursor. Starts after the
/// `Last-Event-ID` header (or `?after=`), sends the backlog, then new events as they are
/// committed. Ends when the device is revoked or the relay shuts down.
async fn stream_events<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>>, Refusal> {
    let device = authenticate(&state.store, &headers).await?;
    let last_event_id = headers.get("last-event-id").and_then(|v| v.to_str().ok());
    let cursor = parse_cursor(last_event_id.or(query.after.as_deref()))?;
    // Subscribe before reading the backlog, so nothing committed in between is missed.
    let follow = Follow {
        committed: state.committed.subscribe(),
        shutdown: state.shutdown.clone(),
        state,
        device,
        cursor,
        backlog: VecDeque::new(),
    };
    let stream = futures_util::stream::unfold(follow, |mut follow| async move {
        let event = follow.next().await?;
        let frame = match serde_json::to_string(&event) {
            Ok(json) => Event::default().id(&event.cursor).event("event").data(json),
            Err(_) => Event::default().comment("unserialisable event skipped"),
        };
        Some((Ok(frame), follow))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(SSE_KEEP_ALIVE)))
}

struct Follow<S> {
    state: Arc<AppState<S>>,
    device: Device,
    cursor: u64,
    backlog: VecDeque<RelayEvent>,
    committed: broadcast::Receiver<u64>,
    shutdown: watch::Receiver<bool>,
}

impl<S: Store> Follow<S> {
    /// The next event for this device, waiting for one if needed; `None` ends the stream.
    async fn next(&mut self) -> Option<RelayEvent> {
        loop {
            if let Some(event) = self.backlog.pop_front() {
                self.cursor = event.cursor.parse().unwrap_or(self.cursor);
                return Some(event);
            }
            let store = &self.state.store;
            let page = store
                .events_after(
                    self.device.phone_number_id.as_deref(),
                    self.cursor,
                    MAX_PAGE,
                )
                .await;
            match page {
                Ok(events) if !events.is_empty() => {
                    self.backlog.extend(events);
                    continue;
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(%error, "event stream: database failed");
                    return None;
                }
            }
            // Caught up: a revoked device's stream ends here.
            match store.device_by_token(self.device.token_sha256).await {
                Ok(Some(device)) if !device.revoked => {}
                _ => return None,
            }
            tokio::select! {
                _ = self.committed.recv() => {}
                _ = tokio::time::sleep(self.state.stream_poll) => {}
                _ = self.shutdown.wait_for(|stop| *stop) => return None,
            }
        }
    }
}

/// `GET /healthz`: 200 when the database answers.
async fn health<S: Store>(State(state): State<Arc<AppState<S>>>) -> Response {
    // An index probe past the end: cheap on any size of log.
    match state.store.events_after(None, u64::MAX >> 1, 1).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: database failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

// ---- retention --------------------------------------------------------------------------

/// Hourly: delete what every device has acknowledged, `retention_days` after receipt.
async fn retain<S: Store>(store: S, retention_days: u32, mut shutdown: watch::Receiver<bool>) {
    loop {
        let cutoff = now_ms() - i64::from(retention_days) * DAY_MS;
        match store.prune(cutoff).await {
            Ok(report) if report.events + report.payloads > 0 => {
                tracing::info!(
                    events = report.events,
                    payloads = report.payloads,
                    "retention"
                );
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "retention pass failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(RETENTION_EVERY) => {}
            _ = shutdown.wait_for(|stop| *stop) => return,
        }
    }
}
