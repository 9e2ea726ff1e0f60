//! A local HTTP server that plays Meta's Graph API as strictly as Meta does, written from
//! `shared/spec/meta-api.md` §10: catalog `items_batch` with per-record validation, batches
//! applied asynchronously and polled through `check_batch_request_status` (lower-case
//! `finished`), the `products` edge with cursor paging and ProductItem field names, token
//! checks answering 190, a per-catalog batch budget answering 80014, the nested
//! `X-Business-Use-Case-Usage` header, commerce settings, managed short links
//! (`message_qrdls`: 14-character codes, messages of at most 140 characters, 2,000 per number),
//! Cloud API text messages and read marks (`/{phone_number_id}/messages`, with the 24-hour
//! customer service window answering 131047), a photo CDN (`/cdn/{name}`), and a
//! fault mode (5xx, slow answers, rate limits, dropped connections) with a seeded random
//! generator so failures are reproducible. Tests can also set the usage Meta reports
//! (`X-Business-Use-Case-Usage`, `X-App-Usage`) and make the next calls meet a bare HTTP 429
//! (a proxy's or Meta's edge's "Too Many Requests", without a Graph error object, maybe
//! with `Retry-After`). Like Meta, it processes a batch whether or not
//! anyone asks for its status: before it takes a catalog's next batch, and at once when the
//! answer of the call that sent it was lost.
//!
//! Tests start it with [`FakeGraph::start`] on a loopback port; `cargo run -p
//! vitrine-fake-graph -- --port 0` runs it by hand.

mod batch;
mod messages;
mod server;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Map, Value};

pub use batch::validate_record;
pub use messages::SentText;

/// How often things go wrong, for fault tests. Shares are in percent.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// HTTP 500 with error code 2 ("temporary downtime").
    pub server_error_pct: u32,
    /// HTTP 400 with code 80014 / 80009 although the budget is not used up.
    pub rate_limit_pct: u32,
    /// An HTML 503 from a "proxy" (no Graph error object).
    pub gateway_pct: u32,
    /// An answer delayed by `slow_by` (long enough to trip the client's timeout). The call
    /// has already taken effect: a client that gives up has lost its answer, not its call.
    pub slow_pct: u32,
    pub slow_by: Duration,
    /// An `items_batch` call Meta takes and processes, whose answer never arrives: the
    /// connection breaks after the headers, so the client sees a network error.
    pub drop_pct: u32,
    pub seed: u64,
}

/// Usage percentages, and minutes to regain access, as Meta's rate-limit headers carry them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub call_count: u32,
    pub total_cputime: u32,
    pub total_time: u32,
    /// Only in `X-Business-Use-Case-Usage`.
    pub estimated_time_to_regain_access: u32,
}

/// A bare HTTP 429 for the next `times` calls: `body` as plain text (may be empty), and a
/// `Retry-After` header when given (seconds or an HTTP date, as sent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TooManyRequests {
    pub times: u32,
    pub retry_after: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub tokens: Vec<String>,
    /// `items_batch` calls allowed per catalog before 80014 (Meta: about 200 an hour).
    pub batch_calls_per_hour: u32,
    /// Status polls before a batch is applied and reported `finished`.
    pub polls_until_finished: u32,
    pub faults: Faults,
    /// When set, every Graph answer carries this `X-Business-Use-Case-Usage` (keyed by the
    /// node called) instead of the fake's own count of batch calls.
    pub business_usage: Option<Usage>,
    /// When set, every Graph answer carries `X-App-Usage` with these percentages.
    pub app_usage: Option<Usage>,
    pub too_many_requests: TooManyRequests,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            tokens: vec!["test-token".to_owned()],
            batch_calls_per_hour: 200,
            polls_until_finished: 1,
            faults: Faults::default(),
            business_usage: None,
            app_usage: None,
            too_many_requests: TooManyRequests::default(),
        }
    }
}

/// An item as Meta stores it: Meta's id plus the feed fields last sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub fb_id: String,
    pub data: Map<String, Value>,
    pub review_status: String,
    /// Meta's `errors[]` for the item as its review left them, each as Meta sends it
    /// (`error_type`, `error_priority`, `title`, `description`, `call_to_action`).
    pub review_errors: Vec<Value>,
}

#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub name: String,
    pub items: BTreeMap<String, Item>,
    pub batch_calls: u32,
}

#[derive(Debug)]
pub(crate) struct PendingBatch {
    /// When it arrived, relative to other batches: Meta processes a catalog's in order.
    pub seq: u64,
    pub catalog_id: String,
    pub records: Vec<(usize, Value)>,
    pub allow_upsert: bool,
    pub polls: u32,
    pub applied: Option<Value>,
}

/// A managed short link as Meta keeps it: a 14-character code and the prefilled message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortLink {
    pub code: String,
    pub prefilled_message: String,
}

/// Every call the fake answered, for assertions (`"POST items_batch"`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub method: String,
    pub edge: String,
    pub status: u16,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub config: Config,
    pub catalogs: HashMap<String, Catalog>,
    pub batches: HashMap<String, PendingBatch>,
    pub expired: HashSet<String>,
    pub commerce: HashMap<String, (bool, bool)>,
    pub waba_catalogs: HashMap<String, Vec<String>>,
    pub calls: Vec<Call>,
    pub next_id: u64,
    pub rng: u64,
    pub creates: u64,
    /// Retailer ids Meta's ingestion refuses, with the message it gives.
    pub refused: HashMap<String, String>,
    /// Files served at `/cdn/{name}`.
    pub cdn: HashMap<String, Vec<u8>>,
    /// Managed short links (`message_qrdls`) per phone number id, oldest first.
    pub short_links: HashMap<String, Vec<ShortLink>>,
    /// When each customer (number as digits) last wrote, Unix seconds: the 24-hour window.
    pub last_customer_message: HashMap<String, u64>,
    /// Text messages accepted, oldest first.
    pub sent_texts: Vec<SentText>,
    /// `(phone_number_id, wamid)` of every read mark.
    pub read_marks: Vec<(String, String)>,
}

impl State {
    pub(crate) fn roll(&mut self, pct: u32) -> bool {
        if pct == 0 {
            return false;
        }
        // xorshift64*: reproducible from the seed.
        let mut x = self.rng.max(1);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % 100 < u64::from(pct)
    }

    pub(crate) fn new_fb_id(&mut self) -> String {
        self.next_id += 1;
        format!("{}", 7_000_000_000_000_000u64 + self.next_id)
    }
}

/// A running fake. Dropping it stops the server.
pub struct FakeGraph {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl FakeGraph {
    /// Starts on `127.0.0.1:port` (0 = any free port) inside the current tokio runtime.
    pub async fn start(config: Config, port: u16) -> std::io::Result<Self> {
        let seed = config.faults.seed;
        let state = Arc::new(Mutex::new(State {
            config,
            rng: seed.max(1),
            next_id: 0,
            ..State::default()
        }));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app = server::router(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Self {
            addr,
            state,
            _shutdown: tx,
        })
    }

    /// `http://127.0.0.1:PORT`, for `VITRINE_GRAPH_URL`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn add_catalog(&self, id: &str, name: &str) {
        self.lock().catalogs.insert(
            id.to_owned(),
            Catalog {
                name: name.to_owned(),
                ..Catalog::default()
            },
        );
    }

    /// Connects a catalog to a WhatsApp Business account and a phone number.
    pub fn connect_whatsapp(&self, waba_id: &str, phone_number_id: &str, catalog_id: &str) {
        let mut s = self.lock();
        s.waba_catalogs
            .entry(waba_id.to_owned())
            .or_default()
            .push(catalog_id.to_owned());
        s.commerce.insert(phone_number_id.to_owned(), (true, false));
    }

    /// Puts an item straight into a catalog (an item created elsewhere, e.g. an orphan).
    pub fn seed_item(&self, catalog_id: &str, data: Map<String, Value>) -> String {
        let mut s = self.lock();
        let fb_id = s.new_fb_id();
        let retailer = data
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(c) = s.catalogs.get_mut(catalog_id) {
            c.items.insert(
                retailer,
                Item {
                    fb_id: fb_id.clone(),
                    data,
                    review_status: "approved".to_owned(),
                    review_errors: Vec::new(),
                },
            );
        }
        fb_id
    }

    /// Serves `bytes` at `/cdn/{name}` without a token, as Meta's CDN serves the photos of
    /// items made in the WhatsApp Business app; returns the URL.
    pub fn host_file(&self, name: &str, bytes: Vec<u8>) -> String {
        self.lock().cdn.insert(name.to_owned(), bytes);
        format!("{}/cdn/{name}", self.base_url())
    }

    /// The catalog's items by retailer id.
    pub fn items(&self, catalog_id: &str) -> BTreeMap<String, Item> {
        self.lock()
            .catalogs
            .get(catalog_id)
            .map(|c| c.items.clone())
            .unwrap_or_default()
    }

    /// Marks an item rejected by review for breaking the Commerce Policies, as Meta's
    /// reviewers might.
    pub fn reject(&self, catalog_id: &str, retailer_id: &str) {
        self.reject_for(
            catalog_id,
            retailer_id,
            "POLICY_VIOLATION",
            "Item rejected",
            "This item doesn't comply with our Commerce Policies.",
            "Review the Commerce Policies and edit the item.",
        );
    }

    /// Marks an item rejected by review with one of Meta's typed errors
    /// (`IMAGE_RESOLUTION_LOW`, `EMPTY_DESCRIPTION`…) and its words, as the `products` edge
    /// then reads it back.
    pub fn reject_for(
        &self,
        catalog_id: &str,
        retailer_id: &str,
        error_type: &str,
        title: &str,
        description: &str,
        call_to_action: &str,
    ) {
        if let Some(item) = self
            .lock()
            .catalogs
            .get_mut(catalog_id)
            .and_then(|c| c.items.get_mut(retailer_id))
        {
            item.review_status = "rejected".to_owned();
            item.review_errors = vec![serde_json::json!({
                "error_type": error_type,
                "error_priority": "HIGH",
                "title": title,
                "description": description,
                "call_to_action": call_to_action,
            })];
        }
    }

    /// The short links of a phone number, oldest first.
    pub fn short_links(&self, phone_number_id: &str) -> Vec<ShortLink> {
        self.lock()
            .short_links
            .get(phone_number_id)
            .cloned()
            .unwrap_or_default()
    }

    /// From now on this token answers 190/463 (expired).
    pub fn expire_token(&self, token: &str) {
        self.lock().expired.insert(token.to_owned());
    }

    /// Makes ingestion refuse this retailer id (reported in the batch status).
    pub fn refuse(&self, retailer_id: &str, message: &str) {
        self.lock()
            .refused
            .insert(retailer_id.to_owned(), message.to_owned());
    }

    pub fn accept_again(&self, retailer_id: &str) {
        self.lock().refused.remove(retailer_id);
    }

    /// A renewed token works again.
    pub fn renew_token(&self, token: &str) {
        self.lock().expired.remove(token);
    }

    /// Sets the batch budget and forgets the calls counted so far (a new hour).
    pub fn set_batch_budget(&self, calls_per_hour: u32) {
        let mut s = self.lock();
        s.config.batch_calls_per_hour = calls_per_hour;
        for c in s.catalogs.values_mut() {
            c.batch_calls = 0;
        }
    }

    /// The usage the following answers report (`None`: the fake's own count, no app usage).
    pub fn report_usage(&self, business: Option<Usage>, app: Option<Usage>) {
        let mut s = self.lock();
        s.config.business_usage = business;
        s.config.app_usage = app;
    }

    /// The next calls meet a bare HTTP 429 (before the token is even looked at, as a proxy
    /// answers).
    pub fn answer_too_many_requests(&self, answer: TooManyRequests) {
        self.lock().config.too_many_requests = answer;
    }

    /// Status polls before each batch from now on is finished.
    pub fn set_polls_until_finished(&self, polls: u32) {
        self.lock().config.polls_until_finished = polls;
    }

    pub fn set_faults(&self, faults: Faults) {
        let mut s = self.lock();
        s.rng = faults.seed.max(1);
        s.config.faults = faults;
    }

    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// CREATE operations applied, over the fake's life (a duplicate create is a bug).
    pub fn creates_applied(&self) -> u64 {
        self.lock().creates
    }

    pub fn commerce_settings(&self, phone_number_id: &str) -> Option<(bool, bool)> {
        self.lock().commerce.get(phone_number_id).copied()
    }

    /// The customer (number as digits, e.g. `16505551234`) last wrote `seconds_ago` seconds
    /// ago: texts to them are accepted for what is left of 24 hours, then refused with 131047.
    pub fn customer_wrote(&self, wa_id: &str, seconds_ago: u64) {
        self.lock().last_customer_message.insert(
            wa_id.to_owned(),
            messages::now().saturating_sub(seconds_ago),
        );
    }

    /// Every text message accepted, oldest first.
    pub fn sent_texts(&self) -> Vec<SentText> {
        self.lock().sent_texts.clone()
    }

    /// `(phone_number_id, wamid)` of every message marked read, oldest first.
    pub fn read_marks(&self) -> Vec<(String, String)> {
        self.lock().read_marks.clone()
    }
}
