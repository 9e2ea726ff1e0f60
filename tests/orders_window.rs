//! The order inbox end to end, every piece real: `vitrine-relay serve` on loopback, a cart
//! posted to it signed as Meta signs webhooks, and the desktop app in a real window that
//! shows it as an order without anyone clicking; then a cart that arrives while the app is
//! closed, shown after the next start (read from the saved cursor).
//!
//! Needs a display (Xvfb), `WebKitWebDriver` and tauri-driver, so it is `#[ignore]`d;
//! `make test-e2e` provides them. Environment: those of `webdriver.rs`, and
//! `VITRINE_RELAY_BIN`: the relay binary (default: `vitrine-relay` next to this test's
//! target dir).

// Shared by several test binaries, each using part of it: `expect` would be unfulfilled in one.
#[allow(
    dead_code,
    reason = "shared test support; each test binary uses part of it"
)]
mod support;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::Client;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use support::{add, click, free_port, invoke, product, wait_for, wait_for_testid, TauriDriver};
use vitrine_app::{ShopUpdate, Vitrine, RELAY_TOKEN_ENV};

/// Test-only secrets, given to the relay through its environment as in production.
const APP_SECRET: &str = "e2e-app-secret";
const VERIFY_TOKEN: &str = "e2e-verify-token";
const SHOP_NUMBER_ID: &str = "106540352242922";
const CATALOG_ID: &str = "194836987003835";

/// How long a posted cart may take to show in the open window (the goal is one second).
const LIVE_WITHIN: Duration = Duration::from_secs(5);

const ROWS: &str = "[data-testid=order-row]";

/// A cart as a customer sends it from the WhatsApp catalog.
struct Cart {
    wamid: &'static str,
    customer: &'static str,
    wa_id: &'static str,
    /// (SKU, quantity, `item_price` written as Meta writes it: a JSON number).
    items: &'static [(&'static str, u32, &'static str)],
}

const FIRST: Cart = Cart {
    wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
    customer: "Mariana Souza",
    wa_id: "5511987654321",
    // 2 × 49.90 + 1 × 35 = 134.80
    items: &[("CANECA-AZUL", 2, "49.9"), ("VELA-LAVANDA", 1, "35")],
};

const WHILE_CLOSED: Cart = Cart {
    wamid: "wamid.HBgLNTUyMTk4NzY1NDMyMRUCABIYFDNBQjc4RjQ0QzE5RDIwMEVBQzk1AA==",
    customer: "Rafael Lima",
    wa_id: "5521987654321",
    items: &[("VELA-LAVANDA", 3, "35")],
};

#[test]
#[ignore = "needs Xvfb, WebKitWebDriver and tauri-driver: run `make test-e2e`"]
fn a_cart_posted_to_the_relay_shows_in_the_open_app_and_one_posted_while_it_was_closed_after_a_restart(
) {
    let sandbox = tempfile::tempdir().expect("temp dir");
    let relay_dir = sandbox.path().join("relay");
    let token = add_device(&relay_dir, "shop-laptop");
    // The desktop reads its device token from the environment where there is no keychain.
    // tauri-driver hands its environment on to WebKitWebDriver and then to the app, and
    // `TauriDriver::start` gives it this process's: set here, before any other thread runs.
    std::env::set_var(RELAY_TOKEN_ENV, token);

    let data_dir = sandbox.path().join("catalog");
    seed_shop(&data_dir);

    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(async {
            let relay = RelayServer::start(&relay_dir).await;
            let driver = TauriDriver::start(sandbox.path(), &data_dir);
            let client = driver.open_app().await;
            click(&client, "nav-orders").await;
            wait_for_testid(&client, "relay-url")
                .await
                .send_keys(&relay.url())
                .await
                .expect("type the relay's address");
            click(&client, "relay-connect-button").await;
            // Connected, and the first pull (which finds nothing) done: from here on only the
            // live stream brings orders in.
            wait_for_testid(&client, "relay-status").await;
            wait_for(
                &client,
                "return document.querySelector('[data-testid=toast].ok') !== null;",
                |v| v.as_bool() == Some(true),
            )
            .await;
            assert_eq!(
                wait_for_rows(&client, |_| true).await.len(),
                0,
                "nothing was posted yet"
            );

            let posted = Instant::now();
            relay.post(&order_webhook(&FIRST)).await;
            let rows = wait_for_rows(&client, |rows| rows.len() == 1).await;
            let shown_after = posted.elapsed();
            println!("posted → order row in the window: {shown_after:?}");
            assert!(
                rows[0].contains(FIRST.customer),
                "the row names the customer from the webhook's contacts: {rows:?}"
            );
            assert!(
                shown_after < LIVE_WITHIN,
                "the order arrived by the live stream, not by a later poll: {shown_after:?}"
            );
            assert_eq!(badge(&client, "1").await, "1", "one order waits");

            let lines = wait_for(
                &client,
                "return Array.from(document.querySelectorAll('[data-testid=order-line]'), \
                   e => e.textContent.trim());",
                |v| v.as_array().is_some_and(|a| a.len() == 2),
            )
            .await;
            let lines = lines.to_string();
            assert!(
                lines.contains("Caneca azul esmaltada") && lines.contains("Vela de lavanda"),
                "the detail joins each SKU with the catalog's title: {lines}"
            );
            let total = wait_for(
                &client,
                "return document.querySelector('[data-testid=order-total]')?.textContent ?? '';",
                |v| v.as_str().is_some_and(|t| !t.trim().is_empty()),
            )
            .await;
            let digits: String = total
                .as_str()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            assert_eq!(
                digits, "13480",
                "2 × 49.90 + 35.00, exact, as the total shows it: {total}"
            );
            let orders = invoke(&client, "orders", json!({ "query": any_order() }))
                .await
                .expect("list the orders");
            let detail = invoke(&client, "order_detail", json!({ "id": orders[0]["id"] }))
                .await
                .expect("the order's detail");
            let total = &detail["order"]["total"];
            assert_eq!(
                (&total["minor"], &total["currency"]),
                (&json!(13480), &json!("BRL")),
                "the total is computed in cents from Meta's decimal prices: {total}"
            );

            client.close().await.expect("close the WebDriver session");
            drop(driver);

            // The laptop is off; Meta delivers to the relay meanwhile.
            relay.post(&order_webhook(&WHILE_CLOSED)).await;

            let driver = TauriDriver::start(sandbox.path(), &data_dir);
            let client = driver.open_app().await;
            click(&client, "nav-orders").await;
            let rows = wait_for_rows(&client, |rows| rows.len() == 2).await;
            assert!(
                rows.iter().any(|row| row.contains(WHILE_CLOSED.customer)),
                "the cart sent while the app was closed is caught up: {rows:?}"
            );
            assert!(
                rows.iter().any(|row| row.contains(FIRST.customer)),
                "the first order is still there: {rows:?}"
            );
            assert_eq!(badge(&client, "2").await, "2", "two orders wait");
            client.close().await.expect("close the WebDriver session");
            drop(driver);
        });
}

/// `vitrine-relay serve` on a free loopback port over its own data folder. Dropping it sends
/// SIGTERM (the relay finishes in-flight webhooks and exits), then kills it if it lingers.
struct RelayServer {
    child: Child,
    address: SocketAddr,
    http: reqwest::Client,
}

impl RelayServer {
    async fn start(data_dir: &Path) -> Self {
        std::fs::create_dir_all(data_dir).expect("create the relay's data dir");
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()));
        let log = std::fs::File::create(data_dir.join("relay.log")).expect("create the relay log");
        let child = Command::new(relay_binary())
            .args(["serve", "--listen", &address.to_string(), "--data-dir"])
            .arg(data_dir)
            .env("VITRINE_RELAY_APP_SECRET", APP_SECRET)
            .env("VITRINE_RELAY_VERIFY_TOKEN", VERIFY_TOKEN)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("start {} (run `make build`): {e}", relay_binary().display())
            });
        let relay = Self {
            child,
            address,
            http: reqwest::Client::new(),
        };
        relay.wait_until_healthy().await;
        relay
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    async fn wait_until_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let answer = self
                .http
                .get(format!("{}/healthz", self.url()))
                .send()
                .await;
            if answer.is_ok_and(|a| a.status().is_success()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the relay did not answer /healthz on {} (its log: relay.log in its data dir)",
                self.address,
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// POSTs `body` to `/webhook` with Meta's signature: HMAC-SHA256 of the raw bytes with
    /// the app secret, in hex, in `X-Hub-Signature-256`.
    async fn post(&self, body: &str) {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(APP_SECRET.as_bytes()).expect("HMAC takes any key");
        mac.update(body.as_bytes());
        let signature = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        let answer = self
            .http
            .post(format!("{}/webhook", self.url()))
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .body(body.to_owned())
            .send()
            .await
            .expect("POST /webhook");
        assert_eq!(
            answer.status().as_u16(),
            200,
            "the relay stores a correctly signed webhook"
        );
    }
}

impl Drop for RelayServer {
    fn drop(&mut self) {
        support::stop(&mut self.child, Duration::from_secs(10));
    }
}

/// `vitrine-relay device add NAME` on the relay's data folder (the server need not run):
/// the token it prints, once, on stdout.
fn add_device(data_dir: &Path, name: &str) -> String {
    std::fs::create_dir_all(data_dir).expect("create the relay's data dir");
    let output = Command::new(relay_binary())
        .args(["device", "add", name, "--all", "--data-dir"])
        .arg(data_dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run {} (run `make build`): {e}", relay_binary().display()));
    assert!(
        output.status.success(),
        "device add failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).expect("the token is text");
    let token = token.trim();
    assert!(
        token.starts_with("vrd_"),
        "the device token is the only thing printed on stdout"
    );
    token.to_owned()
}

/// `VITRINE_RELAY_BIN`, else the debug binary in this test's own target dir
/// (`<target>/debug/deps/orders_window-…` → `<target>/debug/vitrine-relay`).
fn relay_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("VITRINE_RELAY_BIN") {
        return PathBuf::from(path);
    }
    let test_binary = std::env::current_exe().expect("path of this test binary");
    test_binary
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .join("vitrine-relay")
}

/// A shop selling in reais with two products, written through the API the app reads with.
fn seed_shop(data_dir: &Path) {
    let vitrine = Vitrine::open(data_dir).expect("open a fresh catalog");
    let shop = ShopUpdate {
        name: Some("Ateliê Azul".into()),
        currency: Some("BRL".into()),
        languages: Some(vec!["pt-BR".into()]),
        ..ShopUpdate::default()
    };
    vitrine.update_shop(shop).expect("set up the shop");
    add(
        &vitrine,
        product("CANECA-AZUL", "Caneca azul esmaltada", "49.90", "BRL"),
        Some(210.0),
    );
    add(
        &vitrine,
        product("VELA-LAVANDA", "Vela de lavanda", "35.00", "BRL"),
        Some(265.0),
    );
}

/// Meta's `order` webhook (meta-api.md §4) for `cart`, written by hand so that `item_price`
/// is a JSON number exactly as Meta writes it (`49.9`, `35`).
fn order_webhook(cart: &Cart) -> String {
    let items: Vec<String> = cart
        .items
        .iter()
        .map(|(sku, quantity, price)| {
            format!(
                r#"{{"product_retailer_id":"{sku}","quantity":{quantity},"item_price":{price},"currency":"BRL"}}"#
            )
        })
        .collect();
    let sent_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let message = format!(
        r#"{{"from":"{wa_id}","id":"{wamid}","timestamp":"{sent_at}","type":"order","order":{{"catalog_id":"{CATALOG_ID}","text":"Oi! Quero estes.","product_items":[{items}]}}}}"#,
        wa_id = cart.wa_id,
        wamid = cart.wamid,
        items = items.join(","),
    );
    let contact = json!({ "profile": { "name": cart.customer }, "wa_id": cart.wa_id });
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{SHOP_NUMBER_ID}"}},"contacts":[{contact}],"messages":[{message}]}}}}]}}]}}"#
    )
}

fn any_order() -> Value {
    json!({ "status": null, "text": null, "from": null, "to": null })
}

/// Waits for the navigation's badge to read `expected`; returns what it reads.
async fn badge(client: &Client, expected: &str) -> String {
    let value = wait_for(
        client,
        "return document.querySelector('[data-testid=orders-badge]')?.textContent.trim() ?? '';",
        |v| v.as_str() == Some(expected),
    )
    .await;
    value.as_str().unwrap_or_default().to_owned()
}

/// Polls the order rows' text until `done` accepts it. One script reads them all: the list
/// re-renders when the inbox changes, and element handles may be gone by the next call.
async fn wait_for_rows(client: &Client, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let script = format!(
        "return Array.from(document.querySelectorAll({ROWS:?}), e => e.textContent.trim());"
    );
    let as_rows = |value: &Value| -> Vec<String> {
        serde_json::from_value(value.clone()).expect("a list of strings")
    };
    let value = wait_for(client, &script, |value| done(&as_rows(value))).await;
    as_rows(&value)
}
