//! The HTTP side: Meta's webhook (`GET`/`POST /webhook`), the desktop API (`/v1/…`, bearer
//! device tokens) and `GET /healthz`, plus the retention task.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::Stream;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch, Semaphore};
use tokio::task::JoinHandle;

use crate::devices::token_sha256;
use crate::ingest::{Ingest, IngestError};
use crate::refusals::RefusalLog;
use crate::signature::AppSecret;
use crate::split::split;
use crate::store::{AckOutcome, Delivery, Device, Store};
use crate::wire::{AckRequest, ApiError, EventsPage, RelayEvent};

/// Meta's payloads are at most 3 MB; anything larger is refused with 413.
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;
/// Default and largest page of `GET /v1/events`.
const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 1000;
const SSE_KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How often an open stream looks whether its device was revoked (one indexed lookup).
const REVOCATION_CHECK: Duration = Duration::from_millis(500);
const RETENTION_EVERY: Duration = Duration::from_secs(3600);
const DAY_MS: i64 = 24 * 3600 * 1000;

/// Protections against slow and hostile clients; [`start`] uses the defaults.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request's headers must arrive within this (an idle keep-alive connection is closed
    /// after it too), and its body within this once the headers are in: a client that
    /// trickles bytes is cut off.
    pub read_timeout: Duration,
    /// Request bodies being received at once, at most. A webhook's body is held in memory
    /// before its signature can be checked, so anyone can make the relay hold one; beyond
    /// this the relay answers 503 with `Retry-After` at once (Meta retries), rather than
    /// queueing connections a flood could pile up.
    pub unverified_uploads: usize,
    /// Refused webhooks logged one by one per `refusal_log_interval`, at most; the others
    /// are counted in one summary line per interval (see [`crate::refusals`]).
    pub refusal_log_lines: u32,
    pub refusal_log_interval: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            read_timeout: Duration::from_secs(30),
            unverified_uploads: 64,
            refusal_log_lines: 10,
            refusal_log_interval: Duration::from_secs(60),
        }
    }
}

/// How a relay runs. Secrets come from the environment, never from flags (see `main.rs`).
#[derive(Clone)]
pub struct RelayConfig {
    pub app_secret: AppSecret,
    pub verify_token: String,
    /// Events are kept this many days after every device has acknowledged them.
    pub retention_days: u32,
    /// How often an idle `/v1/stream` looks for events committed by other relay instances
    /// (with PostgreSQL); events committed by this instance are sent at once.
    pub stream_poll: Duration,
}

impl std::fmt::Debug for RelayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self {
            app_secret,
            verify_token: _,
            retention_days,
            stream_poll,
        } = self;
        f.debug_struct("RelayConfig")
            .field("app_secret", app_secret)
            .field("verify_token", &"<redacted>")
            .field("retention_days", retention_days)
            .field("stream_poll", stream_poll)
            .finish()
    }
}

struct AppState<S> {
    store: S,
    ingest: Ingest,
    secret: AppSecret,
    verify_token: String,
    committed: broadcast::Sender<u64>,
    shutdown: watch::Receiver<bool>,
    stream_poll: Duration,
    limits: Limits,
    uploads: Arc<Semaphore>,
    refusals: Mutex<RefusalLog>,
}

/// A relay serving on a socket. Stop it with [`RunningRelay::shutdown`].
pub struct RunningRelay {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
    writer: JoinHandle<()>,
    retention: JoinHandle<()>,
    summaries: JoinHandle<()>,
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
        let _ = self.summaries.await;
        served
    }

    /// A handle that stops the relay when `true` is sent (for signal handlers).
    pub fn stop_handle(&self) -> watch::Sender<bool> {
        self.stop.clone()
    }
}

/// Serves the relay on `listener` until shut down, with the default [`Limits`].
pub fn start<S: Store>(listener: TcpListener, store: S, config: RelayConfig) -> RunningRelay {
    start_with_limits(listener, store, config, Limits::default())
}

/// Serves the relay on `listener` until shut down.
pub fn start_with_limits<S: Store>(
    listener: TcpListener,
    store: S,
    config: RelayConfig,
    limits: Limits,
) -> RunningRelay {
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
        limits,
        uploads: Arc::new(Semaphore::new(limits.unverified_uploads)),
        refusals: Mutex::new(RefusalLog::new(
            limits.refusal_log_lines,
            limits.refusal_log_interval,
        )),
    });
    let summaries = tokio::spawn(summarise_refusals(state.clone(), shutdown.clone()));
    let app = router(state);
    let server = tokio::spawn(serve(listener, app, limits.read_timeout, shutdown));
    RunningRelay {
        addr,
        stop,
        server,
        writer,
        retention,
        summaries,
    }
}

/// Accepts connections and serves HTTP/1.1 on each, with a timeout on reading headers,
/// until `shutdown`; then lets every connection finish its request and returns.
async fn serve(
    listener: TcpListener,
    app: Router,
    read_timeout: Duration,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    // Each connection task holds a clone of `open`; `closed()` waits for the last one.
    let (all_closed, open) = watch::channel(());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = stopped(&mut shutdown) => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let mut stop = shutdown.clone();
        let open = open.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(read_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = stopped(&mut stop) => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(open);
        });
    }
    drop(open);
    drop(listener);
    all_closed.closed().await;
    Ok(())
}

/// Returns once `true` is sent on the relay's stop channel (or it is gone).
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
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
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            receive_body::<S>,
        ))
        .with_state(state)
}

/// Reads a request's body before any handler sees it: at most `unverified_uploads` at once
/// (503 with `Retry-After` beyond), each within `read_timeout` (408 and the connection is
/// closed), at most [`MAX_BODY_BYTES`] (413). Requests without a body pass straight on.
async fn receive_body<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if axum::body::HttpBody::is_end_stream(request.body()) {
        return next.run(request).await;
    }
    let Ok(permit) = state.uploads.clone().try_acquire_owned() else {
        tracing::debug!("a request body refused: too many being received at once");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "5"), (header::CONNECTION, "close")],
            "busy: try again shortly",
        )
            .into_response();
    };
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(state.limits.read_timeout, collect_body(body)).await;
    drop(permit);
    match read {
        Ok(Ok(bytes)) => {
            next.run(axum::extract::Request::from_parts(parts, bytes.into()))
                .await
        }
        Ok(Err(BodyError::TooLarge)) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(header::CONNECTION, "close")],
            "body over 3 MB",
        )
            .into_response(),
        Ok(Err(BodyError::Broken)) => (
            StatusCode::BAD_REQUEST,
            [(header::CONNECTION, "close")],
            "the body could not be read",
        )
            .into_response(),
        Err(_) => (
            StatusCode::REQUEST_TIMEOUT,
            [(header::CONNECTION, "close")],
            "the body took too long",
        )
            .into_response(),
    }
}

enum BodyError {
    TooLarge,
    Broken,
}

async fn collect_body(body: axum::body::Body) -> Result<Bytes, BodyError> {
    use futures_util::StreamExt;
    let mut chunks = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|_| BodyError::Broken)?;
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(bytes))
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
            log_refusal(
                &state,
                "webhook verification: wrong hub.mode or hub.verify_token",
                0,
            );
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
        log_refusal(&state, reason, body.len());
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

/// Logs a refused webhook (or handshake), unless a flood of them is under way: then they
/// are counted and summarised (see [`crate::refusals`]).
fn log_refusal<S>(state: &AppState<S>, reason: impl std::fmt::Display, bytes: usize) {
    let entry = state
        .refusals
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .refused(Instant::now());
    if let Some(count) = entry.unlogged_before {
        log_unlogged(count);
    }
    if entry.log {
        tracing::warn!(%reason, bytes, "webhook refused");
    }
}

fn log_unlogged(count: u64) {
    tracing::warn!(
        count,
        "{count} more webhooks refused (bad signature or verify token), not logged one by one"
    );
}

/// Logs the count of unlogged refusals once each window is over, and at shutdown.
async fn summarise_refusals<S>(state: Arc<AppState<S>>, mut shutdown: watch::Receiver<bool>) {
    let every = state.limits.refusal_log_interval;
    loop {
        let stopping = tokio::select! {
            _ = tokio::time::sleep(every) => false,
            () = stopped(&mut shutdown) => true,
        };
        let due = {
            let mut log = state
                .refusals
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if stopping {
                log.drain()
            } else {
                log.summary_due(Instant::now())
            }
        };
        if let Some(count) = due {
            log_unlogged(count);
        }
        if stopping {
            return;
        }
    }
}

// ---- the desktop API --------------------------------------------------------------------

/// A refusal of the desktop API, answered as [`ApiError`] JSON.
enum Refusal {
    Unauthorized,
    BadRequest(&'static str),
    CursorAhead,
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
            Refusal::CursorAhead => (
                StatusCode::CONFLICT,
                "cursor_ahead",
                "the cursor is beyond the newest event this relay holds; nothing was acknowledged",
            ),
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

/// `POST /v1/ack {"cursor": …}`: 204, or 409 `cursor_ahead` for a cursor the relay has not
/// handed out yet (a desktop holding cursors of another relay's log, or a forged ack), which
/// would otherwise let retention delete events before they are read.
async fn acknowledge<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Json(ack): Json<AckRequest>,
) -> Result<StatusCode, Refusal> {
    let device = authenticate(&state.store, &headers).await?;
    let seq = parse_cursor(Some(&ack.cursor))?;
    match state.store.ack(device.id, seq).await.map_err(unavailable)? {
        AckOutcome::Recorded => Ok(StatusCode::NO_CONTENT),
        AckOutcome::BeyondNewest => Err(Refusal::CursorAhead),
    }
}

/// `GET /v1/stream`: Server-Sent Events, each with `id:` = its cursor. Starts after the
/// `Last-Event-ID` header (or `?after=`), sends the backlog, then new events as they are
/// committed. Ends when the device is revoked (within [`REVOCATION_CHECK`] and one query,
/// even while a backlog is still being sent) or the relay shuts down.
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
        checked_at: Instant::now(),
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
    /// When the device was last found still active.
    checked_at: Instant,
}

impl<S: Store> Follow<S> {
    /// The next event for this device, waiting for one if needed; `None` ends the stream.
    async fn next(&mut self) -> Option<RelayEvent> {
        loop {
            // Checked on a clock, not only when caught up: under steady traffic (or to a
            // slow reader with a backlog) the stream may never catch up.
            if *self.shutdown.borrow()
                || (self.checked_at.elapsed() >= REVOCATION_CHECK && !self.still_active().await)
            {
                return None;
            }
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
            // Caught up: a revoked device's stream ends here at once.
            if !self.still_active().await {
                return None;
            }
            let wait = self.state.stream_poll.min(REVOCATION_CHECK);
            tokio::select! {
                _ = self.committed.recv() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = self.shutdown.wait_for(|stop| *stop) => return None,
            }
        }
    }

    /// Whether the device still exists and is not revoked (a failed lookup ends the stream).
    async fn still_active(&mut self) -> bool {
        let found = self
            .state
            .store
            .device_by_token(self.device.token_sha256)
            .await;
        self.checked_at = Instant::now();
        matches!(found, Ok(Some(device)) if !device.revoked)
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
