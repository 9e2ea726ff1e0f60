//! The order inbox end to end on loopback: Meta's webhooks (meta-api.md §4) signed and posted
//! to a real relay in-process (SQLite in a temp dir), read by the desktop's use cases through
//! the relay's desktop API, replies sent to the fake Graph server.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use tempfile::TempDir;
use vitrine_app::meta::{AccessToken, GraphClient, GraphConfig, GraphError};
use vitrine_app::{
    AppError, Clock, InboxUpdate, MemorySecretStore, NewProduct, OrderQuery, OrderStatus,
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

/// A clock the test moves.
struct TestClock(Mutex<DateTime<Utc>>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

impl TestClock {
    fn set(&self, unix: i64) {
        *self.0.lock().expect("clock") = DateTime::from_timestamp(unix, 0).expect("instant");
    }
}

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
    let dir = tempfile::tempdir().expect("data dir");
    let clock = Arc::new(TestClock(Mutex::new(
        DateTime::from_timestamp(NOW, 0).expect("now"),
    )));
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
    GraphClient::new(
        GraphConfig {
            base_url: fake.base_url(),
            ..GraphConfig::default()
        },
        AccessToken::new("test-token").expect("token"),
    )
    .expect("client")
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

    for step in ["confirmed", "paid", "ready"] {
        s.vitrine
            .set_order_status(newest, step)
            .unwrap_or_else(|e| panic!("{step}: {e}"));
    }
    let back = s.vitrine.set_order_status(newest, "confirmed");
    assert!(
        matches!(back, Err(AppError::Conflict(_))),
        "a shipped order cannot go back to confirmed"
    );
    s.vitrine
        .set_order_status(newest, "delivered")
        .expect("delivered");
    assert!(
        s.vitrine.set_order_status(newest, "cancelled").is_err(),
        "delivered is final"
    );
    s.vitrine
        .set_order_status(oldest, "cancelled")
        .expect("an open order can be cancelled");
    s.vitrine
        .set_order_note(oldest, "Cliente desistiu — devolver sinal")
        .expect("note");

    let by_status = |status: &str| {
        s.vitrine
            .orders(&OrderQuery {
                status: Some(status.into()),
                ..OrderQuery::default()
            })
            .expect("filter")
            .len()
    };
    assert_eq!(by_status("delivered"), 1);
    assert_eq!(by_status("cancelled"), 1);
    assert_eq!(by_status("new"), 0);
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
        matches!(offline, Err(AppError::Download { .. })),
        "an unreachable relay is a network error: {offline:?}"
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
        .set_order_status(ids[2], "cancelled")
        .expect("cancel");
    let stats = s
        .vitrine
        .order_analytics(&OrderQuery::default(), 0)
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
