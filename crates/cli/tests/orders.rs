//! `vitrine relay …`, `vitrine orders …` and `vitrine reply` as a merchant runs them: the real
//! binary over a temp catalog, a real relay in-process on loopback taking signed webhooks,
//! and the fake Graph server for replies. Also the refusal of plain http for the relay and
//! for the bucket the photos go to (`vitrine hosting set s3`).

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use vitrine_fake_graph::{Config, FakeGraph};
use vitrine_relay::devices::DeviceToken;
use vitrine_relay::server::{self, RelayConfig, RunningRelay};
use vitrine_relay::signature::AppSecret;
use vitrine_relay::store::{AnyStore, NewDevice, Store};

mod support;

const APP_SECRET: &str = "cli-app-secret";
const SHOP: &str = "106540352242922";
const CUSTOMER: &str = "16505551234";
const CATALOG: &str = "194836987003835";
const META_TOKEN: &str = "EAAtesttoken1234567890abcdef";

async fn relay(dir: &Path) -> (RunningRelay, String) {
    let store = AnyStore::open(dir, None).await.expect("relay store");
    let token = DeviceToken::generate().expect("token");
    store
        .add_device(NewDevice {
            name: "laptop".into(),
            phone_number_id: None,
            token_sha256: token.sha256(),
            created_at_ms: server::now_ms(),
        })
        .await
        .expect("device");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running = server::start(
        listener,
        store,
        RelayConfig {
            app_secret: AppSecret::new(APP_SECRET),
            verify_token: "verify".into(),
            retention_days: 7,
            stream_poll: Duration::from_millis(100),
        },
    );
    (running, token.reveal().to_owned())
}

async fn deliver(base: &str, body: &str) {
    let status = reqwest::Client::new()
        .post(format!("{base}/webhook"))
        .header("content-type", "application/json")
        .header(
            "x-hub-signature-256",
            AppSecret::new(APP_SECRET).sign(body.as_bytes()),
        )
        .body(body.to_owned())
        .send()
        .await
        .expect("POST /webhook")
        .status();
    assert_eq!(status.as_u16(), 200, "the relay takes a signed webhook");
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// Meta's order example (float `item_price`), sent `ago` seconds ago.
fn order(wamid: &str, ago: u64) -> String {
    let at = now() - ago;
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{SHOP}"}},"contacts":[{{"profile":{{"name":"Sheena Nelson"}},"wa_id":"{CUSTOMER}"}}],"messages":[{{"from":"{CUSTOMER}","id":"{wamid}","timestamp":"{at}","type":"order","order":{{"catalog_id":"{CATALOG}","text":"Love these!","product_items":[{{"product_retailer_id":"di9ozbzfi4","quantity":2,"item_price":7.99,"currency":"USD"}},{{"product_retailer_id":"GHOST-9","quantity":1,"item_price":12.5,"currency":"USD"}}]}}}}]}}}}]}}]}}"#
    )
}

fn vitrine(data: &Path, graph: &str, relay_token: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("VITRINE_DATA_DIR")
        .env("VITRINE_GRAPH_URL", graph)
        .env("VITRINE_META_TOKEN", META_TOKEN)
        .env("VITRINE_RELAY_TOKEN", relay_token)
        .env("HOME", data.join("home"))
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the vitrine binary runs")
}

fn ok_json(cmd: &mut Command) -> Value {
    let out = run(cmd.arg("--json"));
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let args: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
    support::assert_camel_case(&value, &args.join(" "));
    value
}

fn ok_text(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merchant_pulls_works_and_answers_an_order_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let (running, token) = relay(&dir.path().join("relay")).await;
    let base = format!("http://{}", running.addr);
    let fake = FakeGraph::start(
        Config {
            tokens: vec![META_TOKEN.to_owned()],
            ..Config::default()
        },
        0,
    )
    .await
    .expect("fake Graph");
    fake.add_catalog(CATALOG, "Ateliê Azul");
    fake.connect_whatsapp("102290129340398", SHOP, CATALOG);
    let graph = fake.base_url();
    let v = || vitrine(&data, &graph, &token);

    for args in [
        vec![
            "shop",
            "set",
            "--name",
            "Ateliê Azul",
            "--currency",
            "USD",
            "--languages",
            "en",
        ],
        vec![
            "product",
            "add",
            "--sku",
            "di9ozbzfi4",
            "--title",
            "Caneca azul",
            "--price",
            "7.99",
        ],
        vec![
            "meta",
            "connect",
            "--catalog",
            CATALOG,
            "--phone-number-id",
            SHOP,
        ],
    ] {
        ok_text(v().args(&args));
    }
    let status = ok_json(v().args(["relay", "connect", "--url", &base]));
    assert_eq!(status["url"], base.as_str(), "the relay's address is saved");
    assert_eq!(
        status["token"], "environment",
        "the token comes from VITRINE_RELAY_TOKEN"
    );

    deliver(&base, &order("wamid.CLI1", 600)).await;
    for _ in 0..3 {
        deliver(&base, &order("wamid.CLI1", 600)).await;
    }
    let pulled = ok_json(v().args(["orders", "pull"]));
    assert_eq!(
        pulled["updates"].as_array().map(Vec::len),
        Some(1),
        "four deliveries, one order: {pulled}"
    );
    let list = ok_json(v().args(["orders", "list", "--status", "new"]));
    let id = list[0]["id"].as_i64().expect("an order id");
    assert_eq!(
        list[0]["total"]["minor"], 2848,
        "2 × 7.99 + 12.50 in cents: {list}"
    );
    let text = ok_text(v().args(["orders", "show", &id.to_string()]));
    assert!(
        text.contains("2 × di9ozbzfi4 Caneca azul @ $7.99 = $15.98")
            && text.contains("GHOST-9 (unknown product)")
            && text.contains("Total:    $28.48")
            && text.contains("left to reply"),
        "the order reads like an order book: {text}"
    );

    ok_json(v().args(["orders", "set-status", &id.to_string(), "confirmed"]));
    let back = run(v().args(["orders", "set-status", &id.to_string(), "new"]));
    assert!(!back.status.success(), "an order does not go back to new");
    let noted = ok_json(v().args(["orders", "note", &id.to_string(), "Entregar sábado"]));
    assert_eq!(noted["note"], "Entregar sábado");
    let csv = dir.path().join("orders.csv");
    let export = ok_json(v().args(["orders", "export", csv.to_str().expect("path")]));
    assert_eq!(export["lines"], 2);
    let written = std::fs::read_to_string(&csv).expect("the CSV file");
    assert!(
        written.contains("confirmed") && written.contains("Entregar sábado"),
        "{written}"
    );

    let stats = |zone: &str| ok_json(v().args(["orders", "stats", "--time-zone", zone]));
    // UTC+14 and UTC−11 are 25 hours apart: one instant is never on the same day in both.
    let east = stats("Pacific/Kiritimati");
    let west = stats("Pacific/Pago_Pago");
    assert_eq!(
        east["perDay"].as_array().map(Vec::len),
        Some(1),
        "one order, one day: {east}"
    );
    assert_ne!(
        east["perDay"][0]["start"], west["perDay"][0]["start"],
        "the order counts on the day it is in the shop's zone"
    );
    let by_default = ok_json(
        v().env("TZ", "Pacific/Kiritimati")
            .args(["orders", "stats"]),
    );
    assert_eq!(
        by_default["perDay"], east["perDay"],
        "without --time-zone, the computer's zone (TZ) is the shop's"
    );
    let unknown = run(v().args(["orders", "stats", "--time-zone", "Mars/Olympus"]));
    assert!(!unknown.status.success(), "an unknown zone is refused");
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        said.contains("“Mars/Olympus” is not a time zone") && said.contains("Africa/Cairo"),
        "the merchant is told the zone is unknown and what a zone looks like: {said}"
    );

    fake.customer_wrote(CUSTOMER, 600);
    let sent = ok_json(v().args(["reply", &id.to_string(), "--quick", "confirm"]));
    assert!(
        sent["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Hi Sheena!") && t.contains("28.48 USD")),
        "the shop's language and the order's total: {sent}"
    );
    assert_eq!(fake.sent_texts().len(), 1, "the reply reached Meta");

    fake.customer_wrote(CUSTOMER, 25 * 3600);
    let late = run(v().args(["reply", &id.to_string(), "--text", "Olá?", "--json"]));
    assert!(!late.status.success(), "Meta refused with 131047");
    let error: Value = serde_json::from_slice(&late.stdout).expect("a JSON error");
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("template")),
        "the merchant is told a template is needed: {error}"
    );

    let status = ok_json(v().args(["relay", "status"]));
    assert_eq!(status["orders"], 1);
    assert!(status["cursor"].as_str().is_some_and(|c| !c.is_empty()));
    let everything: Vec<u8> = walk(&data);
    assert!(
        !everything
            .windows(token.len())
            .any(|w| w == token.as_bytes()),
        "the relay token is never written to the catalog folder"
    );
    running.shutdown().await.expect("relay stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_relay_token_is_said_plainly_and_nothing_is_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let (running, _token) = relay(&dir.path().join("relay")).await;
    let base = format!("http://{}", running.addr);
    let out = run(vitrine(&data, "http://127.0.0.1:9", "vrd_not-a-device")
        .args(["relay", "connect", "--url", &base]));
    assert!(!out.status.success(), "a wrong token is refused");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refused this device's token"), "{stderr}");
    assert!(
        !stderr.contains("vrd_not-a-device"),
        "the token is never printed"
    );
    let status = ok_json(vitrine(&data, "http://127.0.0.1:9", "").args(["relay", "status"]));
    assert!(status.is_null(), "no relay is saved after a failed connect");
    running.shutdown().await.expect("relay stops");
}

#[test]
fn an_order_status_is_one_of_the_words_the_workflow_knows_in_any_case_with_ready_for_shipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let v = || vitrine(&data, "http://127.0.0.1:9", "");
    let listed = ok_json(v().args(["orders", "list", "--status", "Ready"]));
    assert_eq!(
        listed,
        serde_json::json!([]),
        "ready (for pickup), in any case, is a status to list by: {listed}"
    );
    let made_up = run(v().args(["orders", "set-status", "1", "lost"]));
    let said = String::from_utf8_lossy(&made_up.stderr);
    assert!(
        !made_up.status.success() && said.contains("shipped") && said.contains("cancelled"),
        "a made-up status is refused with the statuses there are: {said}"
    );
}

#[test]
fn plain_http_is_refused_for_the_relay_and_the_bucket_with_a_message_saying_to_use_https() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let v = || vitrine(&data, "http://127.0.0.1:9", "vrd_never-sent");
    let relay = run(v().args(["relay", "connect", "--url", "http://relay.example"]));
    let bucket = run(v().args([
        "hosting",
        "set",
        "s3",
        "--bucket",
        "loja-fotos",
        "--region",
        "us-east-1",
        "--endpoint",
        "http://minio.shop.example:9000",
        "--access-key-id",
        "AKIDEXAMPLE",
        "--public-url",
        "https://fotos.shop.example",
    ]));
    for (what, out) in [("relay", relay), ("bucket", bucket)] {
        assert!(!out.status.success(), "{what}: plain http is refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("error: ")
                && stderr.contains("plain http://")
                && stderr.contains("https://"),
            "{what}: the merchant is told to use https: {stderr}"
        );
    }
    let status = ok_json(v().args(["relay", "status"]));
    assert!(status.is_null(), "no relay is saved");
    let hosting = ok_json(v().args(["hosting", "show"]));
    assert!(hosting.is_null(), "no bucket is saved: {hosting}");
}

/// Every file's bytes under `dir`.
fn walk(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(walk(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            all.extend(bytes);
        }
    }
    all
}
