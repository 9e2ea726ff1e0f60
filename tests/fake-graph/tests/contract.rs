//! The real Graph client (`vitrine-meta`) against the fake: the fake behaves as the contract
//! says, and the client reads it right.

use serde_json::{json, Map, Value};
use vitrine_fake_graph::{Config, FakeGraph, Faults, TooManyRequests, Usage};
use vitrine_meta::{
    AccessToken, BatchMethod, BatchRequest, BatchState, GraphApi, GraphClient, GraphConfig,
    GraphError,
};

const CATALOG: &str = "1000000000000001";

fn item(id: &str, price: &str) -> BatchRequest {
    let data: Map<String, Value> = json!({
        "id": id, "title": format!("Product {id}"), "description": "A product", "availability": "in stock",
        "condition": "new", "price": price, "link": format!("https://shop.example/{id}"),
        "image_link": format!("https://cdn.example/{id}.jpg"), "brand": "Brand"
    })
    .as_object()
    .cloned()
    .unwrap_or_default();
    BatchRequest {
        method: BatchMethod::Create,
        data,
    }
}

fn client(fake: &FakeGraph, token: &str) -> GraphClient {
    let config = GraphConfig {
        base_url: fake.base_url(),
        ..GraphConfig::default()
    };
    GraphClient::new(config, AccessToken::new(token).expect("token")).expect("client")
}

async fn start(config: Config) -> FakeGraph {
    let fake = FakeGraph::start(config, 0)
        .await
        .expect("fake starts on loopback");
    fake.add_catalog(CATALOG, "Loja");
    fake
}

async fn finish(c: &GraphClient, handle: &str) -> vitrine_meta::BatchStatus {
    for _ in 0..10 {
        let status = c.batch_status(CATALOG, handle).await.expect("status").value;
        if status.state() != BatchState::Pending {
            return status;
        }
    }
    panic!("batch never finished");
}

#[tokio::test]
async fn a_batch_is_validated_now_applied_later_and_read_back_page_by_page() {
    let fake = start(Config::default()).await;
    let c = client(&fake, "test-token");
    let mut requests: Vec<BatchRequest> = (0..30)
        .map(|i| item(&format!("SKU-{i:02}"), "12.99 BRL"))
        .collect();
    requests.push(item("BAD", "12,99 BRL"));
    let answer = c
        .items_batch(CATALOG, &requests, true)
        .await
        .expect("accepted")
        .value;
    assert_eq!(answer.handles.len(), 1);
    assert_eq!(
        answer.validation_status.len(),
        1,
        "only the bad record is reported"
    );
    assert!(answer.validation_status[0].errors[0]
        .message
        .contains("Invalid price"));
    assert!(
        fake.items(CATALOG).is_empty(),
        "nothing is applied before the status is polled"
    );
    let status = finish(&c, &answer.handles[0]).await;
    assert_eq!(status.status, "finished", "lower case on the wire");
    assert_eq!(fake.items(CATALOG).len(), 30);
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = c
            .products_page(CATALOG, after.as_deref(), 7)
            .await
            .expect("page")
            .value;
        seen.extend(page.data.iter().filter_map(|p| p.retailer_id.clone()));
        match page.next_cursor() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 30, "every item, once, across pages of 7");
}

#[tokio::test]
async fn nothing_ingestable_means_no_handle() {
    let fake = start(Config::default()).await;
    let answer = client(&fake, "test-token")
        .items_batch(CATALOG, &[item("X", "free")], true)
        .await
        .expect("answer")
        .value;
    assert!(
        answer.handles.is_empty(),
        "handles: [] means nothing was ingested"
    );
}

#[tokio::test]
async fn updates_without_upsert_and_deletes_of_unknown_items_fail_per_item() {
    let fake = start(Config::default()).await;
    let c = client(&fake, "test-token");
    let mut update = item("GHOST", "1 USD");
    update.method = BatchMethod::Update;
    let delete = BatchRequest {
        method: BatchMethod::Delete,
        data: json!({"id": "NOPE"})
            .as_object()
            .cloned()
            .unwrap_or_default(),
    };
    let handle = c
        .items_batch(CATALOG, &[update, delete], false)
        .await
        .expect("ok")
        .value
        .handles[0]
        .clone();
    let status = finish(&c, &handle).await;
    assert_eq!(status.errors_total_count, 2);
    assert_eq!(status.ids_of_invalid_requests, vec!["GHOST", "NOPE"]);
    assert!(fake.items(CATALOG).is_empty());
}

#[tokio::test]
async fn a_bad_or_expired_token_is_190_and_unknown_ids_are_100_33() {
    let fake = start(Config::default()).await;
    assert!(matches!(
        client(&fake, "wrong").catalog(CATALOG).await,
        Err(GraphError::InvalidToken { .. })
    ));
    assert!(matches!(
        client(&fake, "test-token").catalog("999").await,
        Err(GraphError::NotFound { .. })
    ));
    fake.expire_token("test-token");
    assert!(matches!(
        client(&fake, "test-token").catalog(CATALOG).await,
        Err(GraphError::InvalidToken {
            subcode: Some(463),
            ..
        })
    ));
}

#[tokio::test]
async fn the_batch_budget_answers_80014_with_a_wait() {
    let fake = start(Config {
        batch_calls_per_hour: 2,
        ..Config::default()
    })
    .await;
    let c = client(&fake, "test-token");
    for i in 0..2 {
        c.items_batch(CATALOG, &[item(&format!("R{i}"), "1 USD")], true)
            .await
            .expect("within budget");
    }
    let held_back = c
        .items_batch(CATALOG, &[item("R3", "1 USD")], true)
        .await
        .expect_err("the usage said 100 %, an hour to wait");
    assert!(
        matches!(held_back, GraphError::RateLimited { code: None, .. }),
        "the client held the call back itself: {held_back:?}"
    );
    assert_eq!(
        fake.calls().len(),
        2,
        "a client that read the usage header does not call"
    );
    let err = client(&fake, "test-token")
        .items_batch(CATALOG, &[item("R3", "1 USD")], true)
        .await
        .expect_err("over budget");
    assert!(
        matches!(
            err,
            GraphError::RateLimited {
                code: Some(80014),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.retry_after(),
        Some(std::time::Duration::from_secs(3600)),
        "estimated_time_to_regain_access, in minutes"
    );
}

#[tokio::test]
async fn the_usage_headers_say_what_the_test_sets_and_a_bare_429_comes_when_asked() {
    let fake = start(Config::default()).await;
    let high = Usage {
        call_count: 12,
        total_cputime: 96,
        total_time: 40,
        estimated_time_to_regain_access: 0,
    };
    fake.report_usage(
        Some(high),
        Some(Usage {
            call_count: 91,
            ..Usage::default()
        }),
    );
    let answer = raw_get(&fake, &format!("/v25.0/{CATALOG}?fields=id")).await;
    let head = answer.to_ascii_lowercase();
    assert!(
        head.contains(&format!(r#"x-business-use-case-usage: {{"{CATALOG}":[{{"#))
            && head.contains(r#""total_cputime":96"#),
        "the documented nested shape, keyed by the node: {answer}"
    );
    assert!(
        head.contains("x-app-usage: {") && head.contains(r#""call_count":91"#),
        "the flat app usage: {answer}"
    );
    fake.report_usage(None, None);

    fake.answer_too_many_requests(TooManyRequests {
        times: 1,
        retry_after: Some("3".to_owned()),
        body: "Too Many Requests".to_owned(),
    });
    let answer = raw_get(&fake, &format!("/v25.0/{CATALOG}?fields=id")).await;
    assert!(
        answer.starts_with("HTTP/1.1 429")
            && answer.to_ascii_lowercase().contains("retry-after: 3")
            && answer.ends_with("Too Many Requests")
            && !answer.contains("\"error\""),
        "plain text, no Graph error object: {answer}"
    );
    let c = client(&fake, "test-token");
    c.catalog(CATALOG)
        .await
        .expect("only the next call met the 429");
}

/// The raw answer to a GET with the test token, headers and body.
async fn raw_get(fake: &FakeGraph, path: &str) -> String {
    raw(fake, |addr| format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer test-token\r\nConnection: close\r\n\r\n"
    ))
    .await
}

#[tokio::test]
async fn faults_are_retryable_and_reproducible() {
    let fake = start(Config::default()).await;
    fake.set_faults(Faults {
        server_error_pct: 30,
        gateway_pct: 20,
        rate_limit_pct: 10,
        seed: 7,
        ..Faults::default()
    });
    let c = client(&fake, "test-token");
    let mut outcomes = Vec::new();
    for _ in 0..40 {
        match c.catalog(CATALOG).await {
            Ok(_) => outcomes.push("ok"),
            Err(e) => {
                assert!(e.is_retryable(), "an injected fault is retryable: {e:?}");
                outcomes.push("fault");
            }
        }
    }
    let faults = outcomes.iter().filter(|o| **o == "fault").count();
    assert!((10..=35).contains(&faults), "about half fail: {faults}/40");
}

#[tokio::test]
async fn commerce_settings_default_to_cart_on_catalog_hidden_and_toggle() {
    let fake = start(Config::default()).await;
    fake.connect_whatsapp("WABA1", "PN1", CATALOG);
    let c = client(&fake, "test-token");
    let s = c.commerce_settings("PN1").await.expect("settings").value;
    assert!(s.is_cart_enabled && !s.is_catalog_visible);
    c.set_commerce_settings("PN1", None, Some(true))
        .await
        .expect("toggle");
    assert_eq!(fake.commerce_settings("PN1"), Some((true, true)));
    let catalogs = c.waba_catalogs("WABA1").await.expect("catalogs").value;
    assert_eq!(catalogs.data[0].id, CATALOG);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_made_in_the_whatsapp_app_reads_back_with_every_field_and_photos_on_the_cdn() {
    let fake = start(Config::default()).await;
    let main = fake.host_file("main.jpg", b"\xFF\xD8main".to_vec());
    let more = fake.host_file("more.jpg", b"\xFF\xD8more".to_vec());
    fake.seed_item(
        CATALOG,
        json!({"id": "WA-1", "title": "Bolsa", "description": "Couro", "price": "120.00 BRL",
            "sale_price": "99.90 BRL", "availability": "in stock", "condition": "used",
            "link": "https://shop.example/wa-1", "image_link": main, "brand": "Ana",
            "additional_image_link": [more]})
        .as_object()
        .cloned()
        .unwrap_or_default(),
    );
    let page = client(&fake, "test-token")
        .products_page(CATALOG, None, 10)
        .await
        .expect("page")
        .value;
    let item = &page.data[0];
    assert_eq!(item.retailer_id.as_deref(), Some("WA-1"));
    assert_eq!(item.currency.as_deref(), Some("BRL"));
    assert!(
        item.price.as_deref().is_some_and(|p| p.contains("120.00"))
            && item
                .sale_price
                .as_deref()
                .is_some_and(|p| p.contains("99.90")),
        "display prices: {item:?}"
    );
    assert_eq!(item.condition.as_deref(), Some("used"));
    assert_eq!(item.additional_image_urls, vec![more.clone()]);
    let url = item.image_url.clone().expect("image_url");
    let body = tokio::task::spawn_blocking(move || get(&url))
        .await
        .expect("fetched");
    assert!(
        body.ends_with(b"main"),
        "the CDN serves the photo without a token"
    );
    let unknown = format!(
        "{}/v25.0/{CATALOG}/products?fields=id,price_in_cents&access_token=test-token",
        fake.base_url()
    );
    let answer = tokio::task::spawn_blocking(move || get(&unknown))
        .await
        .expect("answer");
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.contains("nonexisting field (price_in_cents)") && text.contains("\"code\":100"),
        "an unknown field is refused as Graph refuses it: {text}"
    );
}

/// A plain HTTP/1.1 GET on loopback; returns the whole answer (head and body).
fn get(url: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest.split_once('/').expect("path");
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("answer");
    answer
}

const PHONE: &str = "106540352242922";
const CUSTOMER: &str = "16505551234";

#[tokio::test]
async fn a_text_inside_the_window_is_accepted_and_kept_with_its_wamid() {
    let fake = start(Config::default()).await;
    fake.connect_whatsapp("102290129340398", PHONE, CATALOG);
    fake.customer_wrote(CUSTOMER, 3600);
    let c = client(&fake, "test-token");
    let sent = c
        .send_text(
            PHONE,
            "+1 (650) 555-1234",
            "Seu pedido foi confirmado!",
            Some("wamid.ORDER"),
        )
        .await
        .expect("inside the window")
        .value;
    assert!(
        sent.id.starts_with("wamid."),
        "Meta's ids start with wamid."
    );
    assert_eq!(
        sent.wa_id.as_deref(),
        Some(CUSTOMER),
        "the number is read as Meta reads it"
    );
    let texts = fake.sent_texts();
    assert_eq!(texts.len(), 1);
    assert_eq!(texts[0].body, "Seu pedido foi confirmado!");
    assert_eq!(texts[0].wamid, sent.id);
    assert_eq!(texts[0].reply_to.as_deref(), Some("wamid.ORDER"));
    c.mark_read(PHONE, "wamid.IN1").await.expect("read");
    assert_eq!(
        fake.read_marks(),
        vec![(PHONE.to_owned(), "wamid.IN1".to_owned())]
    );
}

#[tokio::test]
async fn a_text_outside_the_24_hour_window_is_refused_with_131047() {
    let fake = start(Config::default()).await;
    fake.connect_whatsapp("102290129340398", PHONE, CATALOG);
    let c = client(&fake, "test-token");
    let never = c.send_text(PHONE, CUSTOMER, "Olá", None).await;
    assert_eq!(
        never.err(),
        Some(GraphError::OutsideServiceWindow),
        "a customer who never wrote has no window"
    );
    fake.customer_wrote(CUSTOMER, 25 * 3600);
    let late = c.send_text(PHONE, CUSTOMER, "Olá", None).await;
    assert_eq!(
        late.err(),
        Some(GraphError::OutsideServiceWindow),
        "25 hours is too late"
    );
    assert!(
        fake.sent_texts().is_empty(),
        "nothing refused is kept as sent"
    );
}

#[tokio::test]
async fn a_malformed_message_is_refused_like_meta_refuses_it() {
    let fake = start(Config::default()).await;
    fake.connect_whatsapp("102290129340398", PHONE, CATALOG);
    fake.customer_wrote(CUSTOMER, 60);
    let c = client(&fake, "test-token");
    let long = "a".repeat(4097);
    assert!(
        matches!(
            c.send_text(PHONE, CUSTOMER, &long, None).await,
            Err(GraphError::InvalidParameter { .. })
        ),
        "a body over 4,096 characters is refused"
    );
    assert!(
        matches!(
            c.send_text(PHONE, "not a number", "Olá", None).await,
            Err(GraphError::InvalidParameter { .. })
        ),
        "a recipient that is not a number is refused (131009)"
    );
    assert!(
        matches!(
            c.mark_read(PHONE, "123").await,
            Err(GraphError::InvalidParameter { .. })
        ),
        "a read mark needs a wamid"
    );
    assert!(
        matches!(
            c.send_text("999", CUSTOMER, "Olá", None).await,
            Err(GraphError::NotFound { .. })
        ),
        "an unknown phone number id does not exist"
    );
    let http = reqwest_free_post(&fake).await;
    assert!(
        http.contains("131009") || http.contains("messaging_product"),
        "{http}"
    );
}

/// A send without `messaging_product`, over a plain TCP socket (the client always sends it).
async fn reqwest_free_post(fake: &FakeGraph) -> String {
    let body = json!({"to": CUSTOMER, "type": "text", "text": {"body": "Olá"}}).to_string();
    raw(fake, |addr| format!(
        "POST /v25.0/{PHONE}/messages HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer test-token\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ))
    .await
}

/// Sends `request(host:port)` over a plain TCP socket; returns the whole answer.
async fn raw(fake: &FakeGraph, request: impl FnOnce(&str) -> String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = fake.base_url().trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    socket
        .write_all(request(&addr).as_bytes())
        .await
        .expect("send");
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await.expect("read");
    answer
}
