//! The order inbox end to end on loopback: Meta's webhooks (meta-api.md §4) signed and posted
//! to a real relay in-process (SQLite in a temp dir), read by the desktop's use cases through
//! the relay's desktop API, replies sent to the fake Graph server.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tempfile::TempDir;
use vitrine_app::meta::{GraphClient, GraphConfig, GraphError};
use vitrine_app::{
    AppError, InboxUpdate, InputField, MemorySecretStore, NewProduct, OrderQuery, OrderStatus,
    RelayToken, Seams, ShopUpdate, StreamOptions, VariantInput, Vitrine,
};
use vitrine_fake_graph::{Config, FakeGraph};
use vitrine_relay::devices::DeviceToken;
use vitrine_relay::server::{self, RelayConfig, RunningRelay};
use vitrine_relay::signature::AppSecret;
use vitrine_relay::store::{AnyStore, NewDevice, Store};

const APP_SECRET: &str = "test-app-secret";
const SHOP: &str = "106540352242922";
const CUSTOMER: &str = "16505551234";
const CATALOG: &str = "194836987003835";
const ORDER_WAMID: &str = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=";
/// The fixed "now" of the desktop: 2025-06-15T14:13:20Z.
const NOW: i64 = 1_750_000_000;

#[path = "support/clock.rs"]
mod clock;
use clock::TestClock;
#[path = "support/graph.rs"]
mod graph;

/// A relay on loopback over a data folder that outlives restarts.
struct Relay {
    dir: TempDir,
    running: Option<RunningRelay>,
    addr: SocketAddr,
}

impl Relay {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("relay dir");
        let running = run(dir.path(), "127.0.0.1:0").await;
        Self {
            addr: running.addr,
            running: Some(running),
            dir,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    async fn add_device(&self) -> String {
        let store = AnyStore::open(self.dir.path(), None).await.expect("store");
        let token = DeviceToken::generate().expect("random token");
        store
            .add_device(NewDevice {
                name: "shop-laptop".into(),
                phone_number_id: None,
                token_sha256: token.sha256(),
                created_at_ms: server::now_ms(),
            })
            .await
            .expect("device");
        token.reveal().to_owned()
    }

    /// POSTs `body` signed with the app secret, as Meta does.
    async fn deliver(&self, body: &str) {
        let signature = AppSecret::new(APP_SECRET).sign(body.as_bytes());
        let status = reqwest::Client::new()
            .post(format!("{}/webhook", self.url()))
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .body(body.to_owned())
            .send()
            .await
            .expect("POST /webhook")
            .status();
        assert_eq!(status.as_u16(), 200, "the relay takes a signed webhook");
    }

    async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await.expect("clean shutdown");
        }
    }

    /// Starts again on the same port and data.
    async fn restart(&mut self) {
        self.stop().await;
        self.running = Some(run(self.dir.path(), &self.addr.to_string()).await);
    }
}

async fn run(dir: &Path, addr: &str) -> RunningRelay {
    let store = AnyStore::open(dir, None)
        .await
        .expect("open the relay store");
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
    server::start(
        listener,
        store,
        RelayConfig {
            app_secret: AppSecret::new(APP_SECRET),
            verify_token: "verify".into(),
            retention_days: 7,
            stream_poll: Duration::from_millis(100),
        },
    )
}

struct Shop {
    _dir: TempDir,
    vitrine: Arc<Vitrine>,
    clock: Arc<TestClock>,
    relay: Relay,
}

/// A shop with three products (one with variants, one that Meta shows at an older price),
/// connected to a fresh relay.
async fn shop() -> Shop {
    let (dir, vitrine, clock) = catalog();
    let relay = Relay::start().await;
    let token = relay.add_device().await;
    vitrine
        .connect_relay(&relay.url(), RelayToken::new(token).as_ref())
        .await
        .expect("the relay accepts the device token");
    Shop {
        _dir: dir,
        vitrine: Arc::new(vitrine),
        clock,
        relay,
    }
}

/// The shop's catalog, not yet connected to a relay.
fn catalog() -> (TempDir, Vitrine, Arc<TestClock>) {
    let dir = tempfile::tempdir().expect("data dir");
    let clock = Arc::new(TestClock::at(NOW));
    let vitrine = Vitrine::open_with(
        dir.path(),
        Seams {
            clock: clock.clone(),
            secrets: Arc::new(MemorySecretStore::default()),
            relay_token: Arc::new(MemorySecretStore::default()),
            ..Seams::default()
        },
    )
    .expect("open");
    vitrine
        .update_shop(ShopUpdate {
            name: Some("Ateliê Azul".into()),
            currency: Some("USD".into()),
            languages: Some(vec!["pt-BR".into()]),
            ..ShopUpdate::default()
        })
        .expect("shop");
    for (sku, title, price, variant) in [
        ("di9ozbzfi4", "Caneca azul", "7.99", Some(("Cor", "Azul"))),
        ("MUG-01", "Caneca grande", "25.00", None),
        ("TOTE-02", "Sacola de algodão", "12.00", None),
    ] {
        vitrine
            .add_product(NewProduct {
                sku: sku.into(),
                title: title.into(),
                description: format!("{title} feita à mão"),
                price: price.into(),
                variant: variant.map(|(name, value)| VariantInput {
                    group_id: "canecas".into(),
                    attributes: vec![(name.into(), value.into())],
                }),
                ..NewProduct::default()
            })
            .expect("product");
    }
    (dir, vitrine, clock)
}

/// A relay of a newer version, as far as the desktop can tell: it serves the events given
/// (each as its JSON text, with the cursor the stream's `id:` line carries, if any), both
/// as `GET /v1/events` and as `GET /v1/stream`, and records every cursor acknowledged.
/// Plain HTTP/1.1 on loopback, one request per connection.
struct ScriptedRelay {
    addr: SocketAddr,
    events: Arc<Vec<(Option<String>, String)>>,
    acks: Arc<Mutex<Vec<String>>>,
}

impl ScriptedRelay {
    async fn start(events: Vec<(Option<&str>, String)>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let relay = Self {
            addr: listener.local_addr().expect("address"),
            events: Arc::new(
                events
                    .into_iter()
                    .map(|(id, json)| (id.map(str::to_owned), json))
                    .collect(),
            ),
            acks: Arc::default(),
        };
        let (events, acks) = (relay.events.clone(), relay.acks.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(Self::answer(socket, events.clone(), acks.clone()));
            }
        });
        relay
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn acks(&self) -> Vec<String> {
        self.acks.lock().expect("acks").clone()
    }

    /// The events after `cursor` (all of them for an empty or unknown one).
    fn after(events: &[(Option<String>, String)], cursor: &str) -> Vec<(Option<String>, String)> {
        let start = events
            .iter()
            .position(|(id, _)| id.as_deref() == Some(cursor))
            .map_or(0, |i| i + 1);
        events[start..].to_vec()
    }

    async fn answer(
        mut socket: tokio::net::TcpStream,
        events: Arc<Vec<(Option<String>, String)>>,
        acks: Arc<Mutex<Vec<String>>>,
    ) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut request = Vec::new();
        let mut buffer = [0_u8; 4096];
        let head_end = loop {
            if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buffer[..n]),
            }
        };
        let head = String::from_utf8_lossy(&request[..head_end]).to_string();
        let header = |name: &str| {
            head.lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_owned())
        };
        let target = head
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let reply = |body: String| {
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
        };
        match path {
            "/v1/events" => {
                let param = |name: &str| {
                    query
                        .split('&')
                        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
                        .unwrap_or_default()
                };
                let after = param("after");
                let mut page = Self::after(&events, after);
                let more = param("limit")
                    .parse::<usize>()
                    .is_ok_and(|limit| page.len() > limit);
                if let Ok(limit) = param("limit").parse::<usize>() {
                    page.truncate(limit);
                }
                let next = page
                    .iter()
                    .rev()
                    .find_map(|(id, _)| id.clone())
                    .unwrap_or_else(|| after.to_owned());
                let jsons: Vec<&str> = page.iter().map(|(_, json)| json.as_str()).collect();
                let body = format!(
                    r#"{{"events":[{}],"nextCursor":"{next}","hasMore":{more}}}"#,
                    jsons.join(",")
                );
                let _ = socket.write_all(reply(body).as_bytes()).await;
            }
            "/v1/ack" => {
                let length: usize = header("content-length")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or_default();
                while request.len() < head_end + length {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let body: Value = serde_json::from_slice(&request[head_end..head_end + length])
                    .expect("an ack is JSON");
                let cursor = body["cursor"].as_str().expect("an ack names a cursor");
                acks.lock().expect("acks").push(cursor.to_owned());
                let _ = socket.write_all(reply("{}".to_owned()).as_bytes()).await;
            }
            "/v1/stream" => {
                let after = header("last-event-id").unwrap_or_default();
                let mut body = String::from(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
                );
                for (id, json) in Self::after(&events, &after) {
                    if let Some(id) = id {
                        body.push_str(&format!("id: {id}\n"));
                    }
                    body.push_str(&format!("data: {json}\n\n"));
                }
                if socket.write_all(body.as_bytes()).await.is_ok() {
                    // Held open, as a live stream is, until the desktop hangs up.
                    while matches!(socket.read(&mut buffer).await, Ok(n) if n > 0) {}
                }
            }
            _ => {
                let _ = socket
                    .write_all(
                        b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    )
                    .await;
            }
        }
    }

    /// The first acknowledged cursor that passed an event the desktop has not stored.
    fn ack_past_unstored(&self, vitrine: &Vitrine) -> Option<String> {
        let store = vitrine_store::Store::open(vitrine.data_dir()).expect("the same catalog");
        for ack in self.acks() {
            let upto = self
                .events
                .iter()
                .position(|(id, _)| id.as_deref() == Some(ack.as_str()))
                .unwrap_or(self.events.len() - 1);
            for (id, _) in &self.events[..=upto] {
                let stored = match id {
                    Some(id) => store
                        .read(|c| vitrine_store::relay_events::get(c, id))
                        .expect("read the events")
                        .is_some(),
                    None => false,
                };
                if !stored {
                    return Some(ack);
                }
            }
        }
        None
    }
}

/// The event stored under `cursor`.
fn stored_event(
    vitrine: &Vitrine,
    cursor: &str,
) -> Option<vitrine_store::relay_events::StoredEvent> {
    vitrine_store::Store::open(vitrine.data_dir())
        .expect("the same catalog")
        .read(|c| vitrine_store::relay_events::get(c, cursor))
        .expect("read the events")
}

/// A catalog connected to a scripted relay serving: a customer's text (cursor 1), `middle`,
/// then a cart (cursor 3).
async fn around(middle: (Option<&str>, String)) -> (TempDir, Arc<Vitrine>, ScriptedRelay) {
    let event = |cursor: &str, kind: &str, wamid: &str, data: Value| {
        json!({
            "cursor": cursor, "phoneNumberId": SHOP, "kind": kind, "messageId": wamid,
            "status": null, "timestamp": NOW - 600, "receivedAtMs": (NOW - 600) * 1000,
            "data": data,
            "contact": {"profile": {"name": "Sheena Nelson"}, "wa_id": CUSTOMER},
        })
        .to_string()
    };
    let hello = event(
        "1",
        "message",
        "wamid.HELLO",
        json!({"from": CUSTOMER, "id": "wamid.HELLO", "timestamp": (NOW - 600).to_string(), "type": "text", "text": {"body": "Oi!"}}),
    );
    let cart = event(
        "3",
        "message",
        "wamid.CART",
        json!({"from": CUSTOMER, "id": "wamid.CART", "timestamp": (NOW - 590).to_string(), "type": "order",
               "order": {"catalog_id": CATALOG, "product_items": [{"product_retailer_id": "MUG-01", "quantity": 1, "item_price": 25, "currency": "USD"}]}}),
    );
    let relay = ScriptedRelay::start(vec![(Some("1"), hello), middle, (Some("3"), cart)]).await;
    let (dir, vitrine, _clock) = catalog();
    vitrine
        .connect_relay(&relay.url(), RelayToken::new("vrd_scripted").as_ref())
        .await
        .expect("connect to the scripted relay");
    (dir, Arc::new(vitrine), relay)
}

/// After a pull or stream met an event it could not keep, second of three: the first is
/// stored and acknowledged, nothing past it, and the saved cursor points before it.
fn assert_stopped_before_the_second_event(
    vitrine: &Vitrine,
    relay: &ScriptedRelay,
    error: &AppError,
) {
    assert!(
        error.to_string().contains("cannot read"),
        "the merchant is told why: {error}"
    );
    assert!(
        stored_event(vitrine, "1").is_some(),
        "the event before it is stored"
    );
    assert!(
        stored_event(vitrine, "3").is_none(),
        "nothing after it is read"
    );
    assert_eq!(
        relay.ack_past_unstored(vitrine),
        None,
        "no ack passed an unstored event"
    );
    let status = vitrine.relay_status().expect("status").expect("connected");
    assert_eq!(
        status.cursor, "1",
        "the next pull or stream starts at the event it could not keep"
    );
}

/// An event of a kind this version does not know, as a newer relay would send it.
fn reaction() -> String {
    json!({
        "cursor": "2", "phoneNumberId": SHOP, "kind": "reaction", "messageId": "wamid.HELLO",
        "receivedAtMs": (NOW - 595) * 1000, "data": {"emoji": "👍", "message_id": "wamid.HELLO"},
    })
    .to_string()
}

/// Follows the stream until `done` holds or the stream ends (5 s at most); the stream's end.
async fn follow_until(
    vitrine: &Arc<Vitrine>,
    done: impl Fn() -> bool,
) -> Option<Result<(), AppError>> {
    let cancel = Arc::new(AtomicBool::new(false));
    let task = {
        let (vitrine, cancel) = (vitrine.clone(), cancel.clone());
        tokio::spawn(async move {
            let options = StreamOptions {
                min_backoff: Duration::from_millis(50),
                max_backoff: Duration::from_millis(200),
                ack_every: Duration::from_millis(50),
            };
            vitrine.stream_relay(&cancel, options, &mut |_| {}).await
        })
    };
    for _ in 0..100 {
        if done() || task.is_finished() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ended = task.is_finished();
    cancel.store(true, Ordering::Relaxed);
    let outcome = task.await.expect("the stream task ends");
    ended.then_some(outcome)
}

// ---- Meta's payloads (meta-api.md §4) ----------------------------------------------------

fn envelope(value: Value) -> String {
    let mut value = value;
    value["messaging_product"] = json!("whatsapp");
    value["metadata"] = json!({"display_phone_number": "15550783881", "phone_number_id": SHOP});
    json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}]}).to_string()
}

fn inbound(message: Value) -> String {
    envelope(json!({
        "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": CUSTOMER}],
        "messages": [message],
    }))
}

fn text(wamid: &str, at: i64, body: &str) -> String {
    inbound(
        json!({"from": CUSTOMER, "id": wamid, "timestamp": at.to_string(), "type": "text", "text": {"body": body}}),
    )
}

/// Meta's order example, with a second line at an older price and one SKU the shop lacks.
/// `item_price` is written as Meta writes it: a JSON number (`7.99`, `30`, `12.5`).
fn order(wamid: &str, at: i64) -> String {
    let body = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{SHOP}"}},"contacts":[{{"profile":{{"name":"Sheena Nelson"}},"wa_id":"{CUSTOMER}"}}],"messages":[{{"from":"{CUSTOMER}","id":"{wamid}","timestamp":"{at}","type":"order","order":{{"catalog_id":"{CATALOG}","text":"Love these!","product_items":[{{"product_retailer_id":"di9ozbzfi4","quantity":2,"item_price":7.99,"currency":"USD"}},{{"product_retailer_id":"MUG-01","quantity":1,"item_price":30,"currency":"USD"}},{{"product_retailer_id":"GHOST-9","quantity":1,"item_price":12.5,"currency":"USD"}}]}}}}]}}}}]}}]}}"#
    );
    body
}

fn status(wamid: &str, state: &str, at: i64) -> String {
    envelope(
        json!({"statuses": [{"id": wamid, "status": state, "timestamp": at.to_string(), "recipient_id": CUSTOMER, "pricing": {"billable": false, "pricing_model": "PMP", "type": "free_customer_service", "category": "service"}}]}),
    )
}

fn graph(fake: &FakeGraph) -> GraphClient {
    graph::client(fake, GraphConfig::default().timeout)
}

async fn fake_graph() -> FakeGraph {
    let fake = FakeGraph::start(Config::default(), 0)
        .await
        .expect("fake Graph on loopback");
    fake.add_catalog(CATALOG, "Ateliê Azul");
    fake.connect_whatsapp("102290129340398", SHOP, CATALOG);
    fake
}

// ---- Tests ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_cart_becomes_an_order_joined_with_the_catalog_with_exact_totals() {
    let s = shop().await;
    s.relay.deliver(&order(ORDER_WAMID, NOW - 600)).await;
    let report = s.vitrine.pull_relay().await.expect("pull");
    assert_eq!(report.new_orders().len(), 1, "one cart, one order");
    let order = s.vitrine.order(report.new_orders()[0]).expect("order");
    assert_eq!(
        order.customer.name, "Sheena Nelson",
        "the name comes from contacts"
    );
    assert_eq!(order.customer.wa_id, CUSTOMER);
    assert_eq!(order.status, OrderStatus::New);
    assert_eq!(order.customer_text, "Love these!");
    assert_eq!(order.catalog_id, CATALOG);
    let [mug, big, ghost] = &order.lines[..] else {
        panic!("three lines, in Meta's order: {:?}", order.lines);
    };
    assert_eq!(
        mug.item_price, "7.99",
        "Meta's price is kept exactly as written"
    );
    assert_eq!(
        mug.line_total.map(|m| m.to_meta_string()).as_deref(),
        Some("15.98 USD"),
        "2 × 7.99 in cents, no float error"
    );
    let product = mug.product.as_ref().expect("a known SKU is joined");
    assert_eq!(product.title, "Caneca azul");
    assert_eq!(product.variant.as_deref(), Some("Cor: Azul"));
    assert!(!mug.price_differs, "Meta's price equals the catalog's");
    assert_eq!(big.item_price, "30");
    assert!(
        big.price_differs,
        "the customer saw 30.00 where the catalog now says 25.00"
    );
    assert!(
        ghost.product.is_none(),
        "an unknown SKU is kept, shown as unknown"
    );
    assert_eq!(ghost.sku, "GHOST-9");
    assert_eq!(
        ghost.line_total.map(|m| m.minor()),
        Some(1250),
        "its price still counts"
    );
    assert_eq!(
        order.total.map(|m| m.to_meta_string()).as_deref(),
        Some("58.48 USD"),
        "15.98 + 30.00 + 12.50"
    );
    assert_eq!(order.item_count, 4);
    assert!(order.has_unknown_products && order.has_price_differences);
}

#[tokio::test]
async fn a_webhook_delivered_five_times_gives_one_order() {
    let s = shop().await;
    for _ in 0..5 {
        s.relay.deliver(&order(ORDER_WAMID, NOW - 600)).await;
    }
    let first = s.vitrine.pull_relay().await.expect("pull");
    let again = s.vitrine.pull_relay().await.expect("pull again");
    assert_eq!(first.new_orders().len(), 1, "Meta's retries make one order");
    assert!(again.updates.is_empty(), "a second pull finds nothing new");
    let orders = s.vitrine.orders(&OrderQuery::default()).expect("orders");
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].lines.len(), 3, "lines are not doubled");
}

#[tokio::test]
async fn texts_and_product_questions_join_the_thread_and_a_ref_tag_attributes_the_order() {
    let s = shop().await;
    s.relay
        .deliver(&text(
            "wamid.T1",
            NOW - 3000,
            "Oi! Quero a caneca azul\n\nRef: poster-window",
        ))
        .await;
    s.relay
        .deliver(&inbound(json!({"from": CUSTOMER, "id": "wamid.Q1", "timestamp": (NOW - 2000).to_string(), "type": "text", "text": {"body": "Tem em verde?"}, "context": {"from": "15550783881", "id": "wamid.CAT", "referred_product": {"catalog_id": CATALOG, "product_retailer_id": "MUG-01"}}})))
        .await;
    s.relay
        .deliver(&inbound(json!({"from": CUSTOMER, "id": "wamid.S1", "timestamp": (NOW - 1500).to_string(), "type": "sticker", "sticker": {"id": "1", "mime_type": "image/webp", "sha256": "x"}})))
        .await;
    s.relay
        .deliver(&inbound(json!({"from": CUSTOMER, "id": "wamid.U1", "timestamp": (NOW - 1400).to_string(), "type": "unsupported", "errors": [{"code": 131051, "title": "Message type unknown"}]})))
        .await;
    s.relay.deliver(&order(ORDER_WAMID, NOW - 1000)).await;
    let report = s.vitrine.pull_relay().await.expect("pull");
    let messages = report
        .updates
        .iter()
        .filter(|u| matches!(u, InboxUpdate::Message { .. }))
        .count();
    assert_eq!(messages, 4, "every message is news, known type or not");
    let id = report.new_orders()[0];
    let detail = s.vitrine.order_detail(id).expect("detail");
    assert_eq!(
        detail.order.ref_tag.as_deref(),
        Some("poster-window"),
        "the poster's tag the customer sent before the cart attributes it"
    );
    let kinds: Vec<&str> = detail.thread.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["text", "product_inquiry", "sticker", "unsupported", "order"],
        "the thread in time order, unknown types kept by name"
    );
    let question = &detail.thread[1];
    assert_eq!(question.referred_sku.as_deref(), Some("MUG-01"));
    assert_eq!(
        question.referred_product.as_ref().map(|p| p.title.as_str()),
        Some("Caneca grande"),
        "a product question shows the product"
    );
    assert!(detail.window.open, "the customer wrote 1,000 s ago");
    assert_eq!(detail.window.remaining_seconds, 24 * 3600 - 1000);
}

#[tokio::test]
async fn the_workflow_moves_forward_with_notes_search_filters_and_a_csv_export() {
    let s = shop().await;
    s.relay.deliver(&order(ORDER_WAMID, NOW - 86_400 * 3)).await;
    s.relay.deliver(&order("wamid.ORDER2", NOW - 600)).await;
    s.vitrine.pull_relay().await.expect("pull");
    let all = s.vitrine.orders(&OrderQuery::default()).expect("orders");
    assert_eq!(all.len(), 2);
    let (newest, oldest) = (all[0].id, all[1].id);
    assert!(all[0].received_at > all[1].received_at, "newest first");

    for step in [
        OrderStatus::Confirmed,
        OrderStatus::Paid,
        OrderStatus::Shipped,
    ] {
        s.vitrine
            .set_order_status(newest, step)
            .unwrap_or_else(|e| panic!("{step:?}: {e}"));
    }
    let back = s.vitrine.set_order_status(newest, OrderStatus::Confirmed);
    assert!(
        matches!(back, Err(AppError::Conflict(_))),
        "a shipped order cannot go back to confirmed"
    );
    s.vitrine
        .set_order_status(newest, OrderStatus::Delivered)
        .expect("delivered");
    assert!(
        s.vitrine
            .set_order_status(newest, OrderStatus::Cancelled)
            .is_err(),
        "delivered is final"
    );
    s.vitrine
        .set_order_status(oldest, OrderStatus::Cancelled)
        .expect("an open order can be cancelled");
    s.vitrine
        .set_order_note(oldest, "Cliente desistiu — devolver sinal")
        .expect("note");

    let by_status = |status: OrderStatus| {
        s.vitrine
            .orders(&OrderQuery {
                status: Some(status),
                ..OrderQuery::default()
            })
            .expect("filter")
            .len()
    };
    assert_eq!(by_status(OrderStatus::Delivered), 1);
    assert_eq!(by_status(OrderStatus::Cancelled), 1);
    assert_eq!(by_status(OrderStatus::New), 0);
    let search = |text: &str| {
        s.vitrine
            .orders(&OrderQuery {
                text: Some(text.into()),
                ..OrderQuery::default()
            })
            .expect("search")
            .len()
    };
    assert_eq!(search("desistiu"), 1, "the note is searched");
    assert_eq!(search("caneca azul"), 2, "product titles are searched");
    assert_eq!(search("sheena"), 2, "the customer's name, any case");
    assert_eq!(search("5551234"), 2, "the customer's number");
    let today = s
        .vitrine
        .orders(&OrderQuery {
            from: Some("2025-06-15".into()),
            to: Some("2025-06-15".into()),
            ..OrderQuery::default()
        })
        .expect("date range");
    assert_eq!(today.len(), 1, "only the order of 15 June");
    assert!(s
        .vitrine
        .orders(&OrderQuery {
            from: Some("15/06".into()),
            ..OrderQuery::default()
        })
        .is_err());

    let out = tempfile::tempdir().expect("out");
    let path = out.path().join("orders.csv");
    let summary = s
        .vitrine
        .export_orders(&path, &OrderQuery::default())
        .expect("export");
    assert_eq!((summary.orders, summary.lines), (2, 6));
    let csv = std::fs::read_to_string(&path).expect("csv");
    assert!(csv.starts_with("order,received_at,status,"), "{csv}");
    assert!(
        csv.contains("MUG-01,Caneca grande,1,30.00,30.00,USD,25.00,58.48"),
        "Meta's and the catalog's prices side by side: {csv}"
    );
    assert!(
        csv.contains("GHOST-9,,1,12.50"),
        "the unknown SKU is exported too"
    );
    let leftovers = std::fs::read_dir(out.path()).expect("dir").count();
    assert_eq!(leftovers, 1, "no temporary file is left beside the export");
}

#[tokio::test]
async fn a_reply_reaches_the_customer_and_its_statuses_never_go_back() {
    let s = shop().await;
    let fake = fake_graph().await;
    fake.customer_wrote(CUSTOMER, 600);
    s.relay.deliver(&order(ORDER_WAMID, NOW - 600)).await;
    let id = s.vitrine.pull_relay().await.expect("pull").new_orders()[0];
    let api = graph(&fake);

    let sent = s
        .vitrine
        .reply(&api, id, "Olá Sheena, já separamos seu pedido!")
        .await
        .expect("inside the window");
    assert_eq!(fake.sent_texts().len(), 1, "one message reached Meta");
    assert_eq!(fake.sent_texts()[0].to, CUSTOMER);
    assert!(sent.window.open && sent.window.remaining_seconds == 24 * 3600 - 600);

    s.vitrine
        .set_payment_details(Some("pix@atelieazul.com.br"), None)
        .expect("payment details");
    let payment = s
        .vitrine
        .reply_quick(&api, id, "payment-info", None)
        .await
        .expect("quick reply");
    assert!(
        payment.text.starts_with("O total do pedido #")
            && payment.text.contains("58.48 USD")
            && payment.text.contains("Pix: pix@atelieazul.com.br"),
        "in the shop's language, with the total and the Pix key: {}",
        payment.text
    );
    let english = s
        .vitrine
        .quick_reply_for(id, "confirm", Some("en"))
        .expect("confirm in English");
    assert!(english.starts_with("Hi Sheena!"), "{english}");
    s.vitrine
        .set_quick_reply("confirm", "pt-BR", "Pedido {order} confirmado, {name}!")
        .expect("edit");
    assert_eq!(
        s.vitrine
            .quick_reply_for(id, "confirm", None)
            .expect("edited"),
        format!("Pedido #{id} confirmado, Sheena!"),
        "the merchant's own text replaces the built-in one"
    );
    assert!(
        s.vitrine
            .set_quick_reply("confirm", "pt-BR", "Oi {cliente}")
            .is_err(),
        "unknown placeholders are refused"
    );

    for state in ["delivered", "read", "sent", "delivered"] {
        s.relay.deliver(&status(&sent.wamid, state, NOW)).await;
    }
    s.vitrine.pull_relay().await.expect("pull statuses");
    let detail = s.vitrine.order_detail(id).expect("detail");
    let reply = detail
        .thread
        .iter()
        .find(|m| m.wamid == sent.wamid)
        .expect("the reply is in the thread");
    assert!(!reply.inbound);
    assert_eq!(
        reply.status.as_deref(),
        Some("read"),
        "late sent and delivered statuses do not undo read"
    );

    let read = s
        .vitrine
        .mark_order_read(&api, id)
        .await
        .expect("mark read");
    assert_eq!(read, 1, "the order message was unread");
    assert_eq!(
        fake.read_marks(),
        vec![(SHOP.to_owned(), ORDER_WAMID.to_owned())],
        "the customer's latest message is marked read"
    );
}

#[tokio::test]
async fn outside_the_24_hour_window_a_reply_says_a_template_is_needed_before_and_after_meta() {
    let s = shop().await;
    let fake = fake_graph().await;
    s.relay.deliver(&order(ORDER_WAMID, NOW - 600)).await;
    let id = s.vitrine.pull_relay().await.expect("pull").new_orders()[0];
    let api = graph(&fake);

    s.clock.set(NOW - 600 + 25 * 3600);
    let window = s.vitrine.reply_window(id).expect("window");
    assert!(!window.open && window.remaining_seconds == 0);
    let late = s.vitrine.reply(&api, id, "Olá?").await;
    assert!(
        matches!(late, Err(AppError::Meta(GraphError::OutsideServiceWindow))),
        "25 hours after the cart: {late:?}"
    );
    assert!(fake.sent_texts().is_empty(), "nothing was sent to Meta");

    // Vitrine thinks the window is open, Meta knows better (a message read elsewhere).
    s.clock.set(NOW);
    fake.customer_wrote(CUSTOMER, 25 * 3600);
    let refused = s.vitrine.reply(&api, id, "Olá?").await;
    let error = refused.expect_err("Meta answers 131047");
    assert!(
        matches!(error, AppError::Meta(GraphError::OutsideServiceWindow)),
        "Meta's 131047 is the same error: {error:?}"
    );
    assert!(error.to_string().contains("template"), "{error}");
}

#[tokio::test]
async fn the_stream_resumes_after_a_disconnect_without_losing_or_repeating() {
    let mut s = shop().await;
    let cancel = Arc::new(AtomicBool::new(false));
    let seen: Arc<Mutex<Vec<InboxUpdate>>> = Arc::default();
    let task = {
        let (vitrine, cancel, seen) = (s.vitrine.clone(), cancel.clone(), seen.clone());
        tokio::spawn(async move {
            let options = StreamOptions {
                min_backoff: Duration::from_millis(50),
                max_backoff: Duration::from_millis(200),
                ack_every: Duration::from_millis(50),
            };
            let mut on_update = move |u: InboxUpdate| seen.lock().expect("seen").push(u);
            vitrine.stream_relay(&cancel, options, &mut on_update).await
        })
    };
    let orders_seen = |seen: &Arc<Mutex<Vec<InboxUpdate>>>| {
        seen.lock()
            .expect("seen")
            .iter()
            .filter(|u| matches!(u, InboxUpdate::NewOrder { .. }))
            .count()
    };
    let wait_for = |n: usize| {
        let seen = seen.clone();
        async move {
            for _ in 0..100 {
                if orders_seen(&seen) >= n {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            panic!("the stream did not bring order {n} within 5 s");
        }
    };
    s.relay.deliver(&order(ORDER_WAMID, NOW - 600)).await;
    wait_for(1).await;
    s.relay.restart().await;
    s.relay.deliver(&order("wamid.ORDER2", NOW - 300)).await;
    wait_for(2).await;
    s.relay.deliver(&order(ORDER_WAMID, NOW - 600)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    cancel.store(true, Ordering::Relaxed);
    task.await
        .expect("the stream task ends")
        .expect("a cancelled stream ends cleanly");
    assert_eq!(
        orders_seen(&seen),
        2,
        "each order once, none lost across the restart"
    );
    let status = s
        .vitrine
        .relay_status()
        .expect("status")
        .expect("connected");
    assert!(
        !status.cursor.is_empty(),
        "the stream saved what it acknowledged"
    );
    assert!(
        s.vitrine
            .pull_relay()
            .await
            .expect("pull")
            .updates
            .is_empty(),
        "a pull after the stream finds nothing it missed"
    );
}

#[tokio::test]
async fn a_relay_restart_between_receipt_and_read_loses_nothing() {
    let mut s = shop().await;
    s.relay.deliver(&order(ORDER_WAMID, NOW - 600)).await;
    s.relay
        .deliver(&text("wamid.T9", NOW - 500, "Pode entregar amanhã?"))
        .await;
    s.relay.stop().await;
    let offline = s.vitrine.pull_relay().await;
    assert!(
        matches!(
            &offline,
            Err(e @ AppError::Relay(vitrine_app::RelayError::Unreachable { .. }))
                if e.code() == vitrine_app::ErrorCode::Network
                    && e.to_string().starts_with("the relay at ")
        ),
        "an unreachable relay is a network error that names the relay, not a photo: {offline:?}"
    );
    s.relay.restart().await;
    let report = s
        .vitrine
        .pull_relay()
        .await
        .expect("pull after the restart");
    assert_eq!(
        report.new_orders().len(),
        1,
        "the order survived the restart"
    );
    assert_eq!(report.updates.len(), 2, "and the text");
}

#[tokio::test]
async fn a_pull_interrupted_before_its_ack_reads_again_and_changes_nothing() {
    let s = shop().await;
    s.relay
        .deliver(&text("wamid.T1", NOW - 900, "Oi\nRef: instagram-bio"))
        .await;
    s.relay.deliver(&order(ORDER_WAMID, NOW - 600)).await;
    let first = s.vitrine.pull_relay().await.expect("pull");
    let before = s.vitrine.orders(&OrderQuery::default()).expect("orders");
    // As if the process died after storing the events but before the ack was saved.
    let store = vitrine_store::Store::open(s.vitrine.data_dir()).expect("the same catalog");
    store
        .write(|tx| vitrine_store::relay_settings::set_cursor(tx, "", "2025-06-15T14:13:20Z"))
        .expect("rewind");
    let again = s.vitrine.pull_relay().await.expect("pull again");
    assert_eq!(
        again.events, first.events,
        "the relay gives the same events again"
    );
    assert!(again.updates.is_empty(), "re-reading them changes nothing");
    assert_eq!(
        s.vitrine.orders(&OrderQuery::default()).expect("orders"),
        before,
        "the orders are exactly as they were"
    );
}

#[tokio::test]
async fn analytics_count_orders_revenue_products_and_channels() {
    let s = shop().await;
    s.relay
        .deliver(&text("wamid.T1", NOW - 90_000, "Oi\nRef: poster-window"))
        .await;
    s.relay.deliver(&order("wamid.O1", NOW - 86_400)).await;
    s.relay.deliver(&order("wamid.O2", NOW - 600)).await;
    s.relay.deliver(&order("wamid.O3", NOW - 500)).await;
    let ids = s.vitrine.pull_relay().await.expect("pull").new_orders();
    s.vitrine
        .set_order_status(ids[2], OrderStatus::Cancelled)
        .expect("cancel");
    let stats = s
        .vitrine
        .order_analytics(&OrderQuery::default(), vitrine_app::core::TimeZone::UTC)
        .expect("analytics");
    let days: Vec<(String, u64, Vec<String>)> = stats
        .per_day
        .iter()
        .map(|d| {
            (
                d.start.to_string(),
                d.orders,
                d.revenue.iter().map(|m| m.to_meta_string()).collect(),
            )
        })
        .collect();
    assert_eq!(
        days,
        vec![
            ("2025-06-14".into(), 1, vec!["58.48 USD".into()]),
            ("2025-06-15".into(), 1, vec!["58.48 USD".into()]),
        ],
        "a cancelled order counts nowhere"
    );
    let weeks: Vec<(String, u64, Vec<String>)> = stats
        .per_week
        .iter()
        .map(|w| {
            (
                w.start.to_string(),
                w.orders,
                w.revenue.iter().map(|m| m.to_meta_string()).collect(),
            )
        })
        .collect();
    assert_eq!(
        weeks,
        vec![("2025-06-09".into(), 2, vec!["116.96 USD".into()])],
        "Saturday 14 and Sunday 15 June are in the week starting Monday 9 June"
    );
    let top = &stats.top_products[0];
    assert_eq!(
        (top.sku.as_str(), top.quantity),
        ("di9ozbzfi4", 4),
        "2 mugs × 2 orders"
    );
    assert_eq!(top.title.as_deref(), Some("Caneca azul"));
    let channels: Vec<(Option<&str>, u64)> = stats
        .per_channel
        .iter()
        .map(|c| (c.ref_tag.as_deref(), c.orders))
        .collect();
    assert_eq!(
        channels,
        vec![(Some("poster-window"), 2)],
        "both carts within a week of the poster's message are attributed to it"
    );
}

#[tokio::test]
async fn a_pull_keeps_an_event_of_an_unknown_kind_raw_and_reads_on_past_it() {
    let (_dir, vitrine, relay) = around((Some("2"), reaction())).await;
    let report = vitrine
        .pull_relay()
        .await
        .expect("a new kind does not stop the pull");
    assert_eq!(report.events, 3, "all three events are read");
    assert_eq!(
        report.new_orders().len(),
        1,
        "the cart after the unknown event is an order"
    );
    let kept = stored_event(&vitrine, "2").expect("the unknown event is stored");
    assert_eq!(
        kept.kind, "other",
        "kept as an event Vitrine cannot read yet"
    );
    assert_eq!(
        kept.data,
        reaction(),
        "kept byte for byte, for a newer Vitrine to read"
    );
    assert_eq!(
        relay.ack_past_unstored(&vitrine),
        None,
        "no ack passed an unstored event"
    );
    assert_eq!(
        relay.acks().last().map(String::as_str),
        Some("3"),
        "everything is acknowledged once stored"
    );
}

#[tokio::test]
async fn a_pull_stops_before_an_event_without_a_cursor_and_never_acknowledges_past_it() {
    let no_cursor = json!({"kind": "reaction", "data": {"emoji": "👍"}}).to_string();
    let (_dir, vitrine, relay) = around((None, no_cursor)).await;
    let error = vitrine
        .pull_relay()
        .await
        .expect_err("the pull stops at the unkeepable event");
    assert_eq!(
        relay.acks(),
        ["1"],
        "acknowledged up to the event before it, not past it"
    );
    assert_stopped_before_the_second_event(&vitrine, &relay, &error);
}

#[tokio::test]
async fn the_stream_keeps_an_event_of_an_unknown_kind_raw_and_reads_on_past_it() {
    let (_dir, vitrine, relay) = around((Some("2"), reaction())).await;
    let done = || relay.acks().iter().any(|a| a == "3");
    let ended = follow_until(&vitrine, done).await;
    assert!(
        ended.is_none(),
        "a new kind does not end the stream: {ended:?}"
    );
    let kept = stored_event(&vitrine, "2").expect("the unknown event is stored");
    assert_eq!(
        (kept.kind.as_str(), kept.data),
        ("other", reaction()),
        "kept raw as other"
    );
    assert!(
        stored_event(&vitrine, "3").is_some(),
        "the cart after it is read"
    );
    assert_eq!(
        relay.ack_past_unstored(&vitrine),
        None,
        "no ack passed an unstored event"
    );
}

#[tokio::test]
async fn the_stream_stops_before_an_event_that_is_not_json_and_never_acknowledges_past_it() {
    let (_dir, vitrine, relay) = around((Some("2"), "not JSON at all".to_owned())).await;
    let ended = follow_until(&vitrine, || false).await;
    let error = ended
        .expect("the stream ends at the unkeepable event")
        .expect_err("with an error");
    assert_stopped_before_the_second_event(&vitrine, &relay, &error);
}

#[tokio::test]
async fn a_relay_over_plain_http_is_refused_unless_on_this_computer() {
    let (_dir, vitrine, _clock) = catalog();
    let token = RelayToken::new("vrd_never-sent").expect("token");
    for url in [
        "http://relay.example",
        "HTTP://relay.example:8080/",
        "http://127.0.0.1@relay.example",
        "http://192.168.1.20:8080",
    ] {
        let error = vitrine
            .connect_relay(url, Some(&token))
            .await
            .expect_err(url);
        assert!(
            matches!(
                error,
                AppError::Invalid {
                    field: InputField::RelayUrl,
                    ..
                }
            ),
            "{url}: refused as a setting, before any request: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains("plain http://") && message.contains("https://"),
            "{url}: says to use https: {message}"
        );
    }
    assert!(
        vitrine.relay_status().expect("status").is_none(),
        "nothing saved"
    );
    let relay = Relay::start().await;
    let device = RelayToken::new(relay.add_device().await);
    for url in [
        relay.url(),
        format!("http://localhost:{}", relay.addr.port()),
    ] {
        vitrine
            .connect_relay(&url, device.as_ref())
            .await
            .expect("a relay on this computer may be plain http");
    }
}

#[tokio::test]
async fn a_saved_plain_http_relay_address_is_refused_before_any_request() {
    let s = shop().await;
    // As if the address had come from elsewhere (an older version, a restored backup).
    let store = vitrine_store::Store::open(s.vitrine.data_dir()).expect("the same catalog");
    store
        .write(|tx| vitrine_store::relay_settings::set_url(tx, "http://relay.example"))
        .expect("change the address");
    let pulled = s.vitrine.pull_relay().await.expect_err("a pull is refused");
    assert!(
        matches!(
            pulled,
            AppError::Invalid {
                field: InputField::RelayUrl,
                ..
            }
        ) && pulled.to_string().contains("plain http://"),
        "refused as a setting, before any request: {pulled:?}"
    );
    let cancel = AtomicBool::new(false);
    let streamed = tokio::time::timeout(
        Duration::from_secs(5),
        s.vitrine
            .stream_relay(&cancel, StreamOptions::default(), &mut |_| {}),
    )
    .await
    .expect("the stream is refused at once, not retried")
    .expect_err("the stream is refused");
    assert!(
        matches!(
            streamed,
            AppError::Invalid {
                field: InputField::RelayUrl,
                ..
            }
        ),
        "refused as a setting, before any request: {streamed:?}"
    );
}
