//! Latency of the order inbox's live path: from the start of Meta's signed POST to the relay
//! until the desktop's stream has stored the cart as an order and called back with
//! `InboxUpdate::NewOrder` (what makes the window's row and badge appear). Target < 100 ms.
//!
//! A relay runs in-process on loopback (SQLite in a temp dir, durable commits, the stream
//! woken on commit as `vitrine-relay serve` runs it); a catalog in a temp dir is connected to
//! it and follows its stream on a thread of its own with `stream_relay`, as the desktop does.
//! Orders are posted one at a time, each waiting for the previous one's callback; the first
//! few warm up and are not counted. Also reported: POST → 200 (the relay's durable commit),
//! so the rest is the stream and the desktop's own store.
//!
//! `cargo bench --workspace --bench inbox_latency`. Knob: `VITRINE_INBOX_BENCH_ORDERS`
//! (default 200).

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use vitrine_app::{
    InboxUpdate, MemorySecretStore, NewProduct, RelayToken, Seams, ShopUpdate, StreamOptions,
    Vitrine,
};
use vitrine_relay::devices::DeviceToken;
use vitrine_relay::server::{self, RelayConfig};
use vitrine_relay::signature::AppSecret;
use vitrine_relay::store::{AnyStore, NewDevice, Store};

const APP_SECRET: &str = "bench-app-secret";
const WARM_UP: usize = 10;
/// A pause between orders, so each one arrives on its own as a customer's cart does.
const GAP: Duration = Duration::from_millis(20);
const RECEIPT_TIMEOUT: Duration = Duration::from_secs(10);

fn main() {
    let orders: usize = std::env::var("VITRINE_INBOX_BENCH_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().expect("temp dir");

    // The relay, on a runtime of its own (it is another machine in production).
    let relay_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("relay runtime");
    let (relay, token) = relay_runtime.block_on(async {
        let store = AnyStore::open(&dir.path().join("relay"), None)
            .await
            .expect("relay store");
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
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let relay = server::start(
            listener,
            store,
            RelayConfig {
                app_secret: AppSecret::new(APP_SECRET),
                verify_token: "verify".into(),
                retention_days: 7,
                // As `vitrine-relay serve`: streams are woken by each commit; this is only
                // the fallback poll.
                stream_poll: Duration::from_secs(2),
            },
        );
        (relay, token.reveal().to_owned())
    });
    let url = format!("http://{}", relay.addr);

    let vitrine = Arc::new(shop(&dir.path().join("catalog")));
    let client_runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    client_runtime
        .block_on(vitrine.connect_relay(&url, RelayToken::new(token).as_ref()))
        .expect("connect the catalog to the relay");

    // The desktop's inbox thread: every new order is timed the moment the callback sees it.
    let (received, receipts) = mpsc::channel::<(String, Instant)>();
    let cancel = Arc::new(AtomicBool::new(false));
    let follower = {
        let (vitrine, cancel) = (vitrine.clone(), cancel.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("stream runtime");
            let mut on_update = |update: InboxUpdate| {
                if let InboxUpdate::NewOrder { wamid, .. } = update {
                    let _ = received.send((wamid, Instant::now()));
                }
            };
            runtime
                .block_on(vitrine.stream_relay(&cancel, StreamOptions::default(), &mut on_update))
                .expect("the stream runs until cancelled");
        })
    };

    let http = reqwest::Client::new();
    let secret = AppSecret::new(APP_SECRET);
    let mut to_receipt = Vec::with_capacity(orders);
    let mut to_commit = Vec::with_capacity(orders);
    let mut early: HashMap<String, Instant> = HashMap::new();
    for i in 0..WARM_UP + orders {
        let wamid = format!("wamid.LATENCY{i:06}");
        let body = order(&wamid);
        let signature = secret.sign(body.as_bytes());
        let started = Instant::now();
        let status = client_runtime.block_on(async {
            http.post(format!("{url}/webhook"))
                .header("content-type", "application/json")
                .header("x-hub-signature-256", &signature)
                .body(body)
                .send()
                .await
                .expect("POST /webhook")
                .status()
        });
        let committed = started.elapsed();
        assert!(status.is_success(), "the relay took order {i}: {status}");
        // The callback may come before the POST's answer is read: keep what came early.
        let at = loop {
            if let Some(at) = early.remove(&wamid) {
                break at;
            }
            let (id, at) = receipts
                .recv_timeout(RECEIPT_TIMEOUT)
                .unwrap_or_else(|_| panic!("order {i} never reached the desktop"));
            if id == wamid {
                break at;
            }
            early.insert(id, at);
        };
        if i >= WARM_UP {
            to_receipt.push(at.saturating_duration_since(started));
            to_commit.push(committed);
        }
        std::thread::sleep(GAP);
    }

    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    follower.join().expect("the stream thread ends");
    relay_runtime
        .block_on(relay.shutdown())
        .expect("the relay stops");

    println!(
        "machine: {} cores, {}, load average {} (at the end)",
        std::thread::available_parallelism().map_or(0, usize::from),
        cpu_model(),
        load_average()
    );
    println!("{orders} orders, one at a time ({WARM_UP} warm-up orders not counted)\n");
    println!("| measure | p50 | p95 | p99 | max |");
    println!("|---|---|---|---|---|");
    report("POST → 200 (relay's durable commit)", &mut to_commit);
    report(
        "POST → desktop's `NewOrder` callback (stored, on screen next)",
        &mut to_receipt,
    );
}

/// A shop with the two products the orders name.
fn shop(data_dir: &std::path::Path) -> Vitrine {
    let vitrine = Vitrine::open_with(
        data_dir,
        Seams {
            relay_token: Arc::new(MemorySecretStore::default()),
            secrets: Arc::new(MemorySecretStore::default()),
            ..Seams::default()
        },
    )
    .expect("open the catalog");
    vitrine
        .update_shop(ShopUpdate {
            name: Some("Ateliê Azul".into()),
            currency: Some("BRL".into()),
            ..ShopUpdate::default()
        })
        .expect("shop");
    for (sku, title, price) in [
        ("CANECA-AZUL", "Caneca azul esmaltada", "49.90"),
        ("VELA-LAVANDA", "Vela de lavanda", "35.00"),
    ] {
        vitrine
            .add_product(NewProduct {
                sku: sku.into(),
                title: title.into(),
                price: price.into(),
                ..NewProduct::default()
            })
            .expect("product");
    }
    vitrine
}

/// Meta's `order` webhook (meta-api.md §4), `item_price` as JSON numbers.
fn order(wamid: &str) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}},"contacts":[{{"profile":{{"name":"Mariana Souza"}},"wa_id":"5511987654321"}}],"messages":[{{"from":"5511987654321","id":"{wamid}","timestamp":"1749416383","type":"order","order":{{"catalog_id":"194836987003835","text":"","product_items":[{{"product_retailer_id":"CANECA-AZUL","quantity":2,"item_price":49.9,"currency":"BRL"}},{{"product_retailer_id":"VELA-LAVANDA","quantity":1,"item_price":35,"currency":"BRL"}}]}}}}]}}}}]}}]}}"#
    )
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |p: f64| {
        let rank = ((samples.len() as f64 - 1.0) * p).round() as usize;
        samples
            .get(rank.min(samples.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "| {what} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0)
    );
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
