//! The test harness: a relay on loopback over a temp SQLite directory or a fresh PostgreSQL
//! database, a signing HTTP client, and Meta's example payloads (docs: meta-api.md §4).

pub mod pg;

use std::time::Duration;

use reqwest::StatusCode;
use tempfile::TempDir;
use vitrine_relay::devices::DeviceToken;
use vitrine_relay::server::{self, Limits, RelayConfig, RunningRelay};
use vitrine_relay::signature::AppSecret;
use vitrine_relay::store::{AnyStore, NewDevice, Store};
use vitrine_relay::wire::{EventsPage, RelayEvent};

pub const APP_SECRET: &str = "test-app-secret";
pub const VERIFY_TOKEN: &str = "test-verify-token";
pub const SHOP: &str = "106540352242922";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// Where a test's relay keeps its state; outlives restarts of the relay.
pub struct Backend {
    pub dir: TempDir,
    pub url: Option<String>,
}

impl Backend {
    pub async fn new(kind: Kind) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = match kind {
            Kind::Sqlite => None,
            Kind::Postgres => Some(pg::fresh_database().await),
        };
        Self { dir, url }
    }

    pub async fn open(&self) -> AnyStore {
        AnyStore::open(self.dir.path(), self.url.as_deref())
            .await
            .expect("open the store")
    }

    pub async fn start(&self) -> Relay {
        self.start_with_limits(Limits::default()).await
    }

    pub async fn start_with_limits(&self, limits: Limits) -> Relay {
        let store = self.open().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let config = RelayConfig {
            app_secret: AppSecret::new(APP_SECRET),
            verify_token: VERIFY_TOKEN.into(),
            retention_days: 7,
            stream_poll: Duration::from_millis(200),
        };
        let running = server::start_with_limits(listener, store.clone(), config, limits);
        let base = format!("http://{}", running.addr);
        Relay {
            running,
            store,
            base,
            http: reqwest::Client::new(),
        }
    }
}

pub struct Relay {
    pub running: RunningRelay,
    pub store: AnyStore,
    pub base: String,
    pub http: reqwest::Client,
}

impl Relay {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs `body` signed with the app secret, as Meta does.
    pub async fn deliver(&self, body: &str) -> StatusCode {
        let signature = AppSecret::new(APP_SECRET).sign(body.as_bytes());
        self.post_webhook(body.as_bytes().to_vec(), Some(&signature))
            .await
    }

    pub async fn post_webhook(&self, body: Vec<u8>, signature: Option<&str>) -> StatusCode {
        let mut request = self
            .http
            .post(self.url("/webhook"))
            .header("content-type", "application/json")
            .body(body);
        if let Some(signature) = signature {
            request = request.header("x-hub-signature-256", signature);
        }
        request.send().await.expect("POST /webhook").status()
    }

    /// Registers a device and returns its token.
    pub async fn add_device(&self, name: &str, phone_number_id: Option<&str>) -> String {
        let token = DeviceToken::generate().expect("random token");
        self.store
            .add_device(NewDevice {
                name: name.into(),
                phone_number_id: phone_number_id.map(str::to_owned),
                token_sha256: token.sha256(),
                created_at_ms: server::now_ms(),
            })
            .await
            .expect("add a device");
        token.reveal().to_owned()
    }

    pub async fn page(&self, token: &str, after: &str, limit: u32) -> EventsPage {
        let response = self
            .http
            .get(self.url("/v1/events"))
            .bearer_auth(token)
            .query(&[("after", after), ("limit", &limit.to_string())])
            .send()
            .await
            .expect("GET /v1/events");
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "a valid token reads events"
        );
        response.json().await.expect("an events page")
    }

    /// Every event the device can see, read page by page.
    pub async fn all_events(&self, token: &str) -> Vec<RelayEvent> {
        let mut events = Vec::new();
        let mut after = String::new();
        loop {
            let page = self.page(token, &after, 7).await;
            events.extend(page.events);
            after = page.next_cursor;
            if !page.has_more {
                return events;
            }
        }
    }

    pub async fn stop(self) {
        self.running.shutdown().await.expect("clean shutdown");
    }
}

/// Steady webhook traffic in the background: a signed POST of `body(n)` every 20 ms.
pub struct Poster {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<u32>,
}

impl Poster {
    pub fn start(base: &str, body: impl Fn(u32) -> String + Send + 'static) -> Self {
        let url = format!("{base}/webhook");
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            let http = reqwest::Client::new();
            let secret = AppSecret::new(APP_SECRET);
            let mut sent = 0;
            while !*stopped.borrow() {
                let body = body(sent);
                let posted = http
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("x-hub-signature-256", secret.sign(body.as_bytes()))
                    .body(body)
                    .send()
                    .await;
                if posted.is_ok_and(|r| r.status() == StatusCode::OK) {
                    sent += 1;
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(20)) => {}
                    _ = stopped.changed() => {}
                }
            }
            sent
        });
        Self { stop, task }
    }

    /// Stops posting; how many posts were stored.
    pub async fn stop(self) -> u32 {
        let _ = self.stop.send(true);
        self.task.await.expect("the poster task")
    }
}

// ---- Meta's payloads --------------------------------------------------------------------

/// The envelope around one `messages` change of `phone_number_id`.
pub fn envelope(phone_number_id: &str, value_fields: &str) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{phone_number_id}"}},{value_fields}}}}}]}}]}}"#
    )
}

pub fn text_message(phone_number_id: &str, wamid: &str, body: &str) -> String {
    envelope(
        phone_number_id,
        &format!(
            r#""contacts":[{{"profile":{{"name":"Sheena Nelson"}},"wa_id":"16505551234"}}],"messages":[{{"from":"16505551234","id":"{wamid}","timestamp":"1749416383","type":"text","text":{{"body":"{body}"}}}}]"#
        ),
    )
}

pub fn status(phone_number_id: &str, wamid: &str, state: &str, timestamp: u64) -> String {
    envelope(
        phone_number_id,
        &format!(
            r#""statuses":[{{"id":"{wamid}","status":"{state}","timestamp":"{timestamp}","recipient_id":"16505551234","pricing":{{"billable":false,"pricing_model":"PMP","type":"free_customer_service","category":"service"}}}}]"#
        ),
    )
}

pub const ORDER: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=","timestamp":"1739321024","type":"order","order":{"catalog_id":"194836987003835","text":"Love these!","product_items":[{"product_retailer_id":"di9ozbzfi4","quantity":2,"item_price":7.99,"currency":"USD"},{"product_retailer_id":"MUG-01","quantity":1,"item_price":30,"currency":"USD"}]}}]}}]}]}"#;
