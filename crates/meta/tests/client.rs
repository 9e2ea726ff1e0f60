//! The HTTP client against a canned loopback server: what goes on the wire and how
//! answers (and errors) come back.

use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use vitrine_meta::{
    AccessToken, BatchMethod, BatchRequest, GraphApi, GraphClient, GraphConfig, GraphError,
    RecordingSleeper,
};

#[derive(Debug, Clone)]
struct Seen {
    head: String,
    body: String,
}

/// An HTTP status, extra headers and a body.
type Answer = (u16, Vec<(&'static str, String)>, String);

/// Answers each connection with the next canned `(status, headers, body)`; records requests.
async fn canned(answers: Vec<Answer>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        for (status, headers, body) in answers {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            loop {
                let n = socket.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let len = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + len {
                        log.lock().expect("log").push(Seen {
                            head: text[..end].to_owned(),
                            body: text[end + 4..].to_owned(),
                        });
                        break;
                    }
                }
            }
            let extra: String = headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}\r\n"))
                .collect();
            let response = format!("HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}", body.len());
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    (format!("http://{addr}"), seen)
}

fn client(base: &str) -> GraphClient {
    let config = GraphConfig {
        base_url: base.to_owned(),
        ..GraphConfig::default()
    };
    GraphClient::new(
        config,
        AccessToken::new("EAAtest-secret-token").expect("token"),
    )
    .expect("client")
}

#[tokio::test]
async fn items_batch_posts_json_with_the_token_in_the_header_and_a_pinned_version() {
    let answer = json!({"handles": ["H1"], "validation_status": [{"retailer_id": "SKU-1", "warnings": [{"message": "Unrecognised field"}]}]});
    let usage = r#"{"99":[{"type":"catalog_batch","call_count":12,"total_cputime":1,"total_time":2,"estimated_time_to_regain_access":0}]}"#;
    let (base, seen) = canned(vec![(
        200,
        vec![("X-Business-Use-Case-Usage", usage.to_owned())],
        answer.to_string(),
    )])
    .await;
    let mut data = Map::new();
    data.insert("id".into(), Value::from("SKU-1"));
    data.insert("price".into(), Value::from("12.99 BRL"));
    let out = client(&base)
        .items_batch(
            "99",
            &[BatchRequest {
                method: BatchMethod::Update,
                data,
            }],
            true,
        )
        .await
        .expect("ok");
    assert_eq!(out.value.handles, vec!["H1"]);
    assert_eq!(
        out.usage.map(|u| u.max_percent()),
        Some(12),
        "usage header is read"
    );
    let request = seen.lock().expect("log")[0].clone();
    assert!(
        request.head.starts_with("POST /v25.0/99/items_batch "),
        "{}",
        request.head
    );
    assert!(request
        .head
        .to_ascii_lowercase()
        .contains("authorization: bearer eaatest-secret-token"));
    let body: Value = serde_json::from_str(&request.body).expect("JSON body");
    assert_eq!(body["item_type"], "PRODUCT_ITEM");
    assert_eq!(body["requests"][0]["method"], "UPDATE");
    assert_eq!(body["requests"][0]["data"]["price"], "12.99 BRL");
}

#[tokio::test]
async fn errors_are_typed_from_metas_code_and_never_show_the_token() {
    let expired = json!({"error": {"message": "Error validating access token: Session has expired", "type": "OAuthException", "code": 190, "error_subcode": 463, "fbtrace_id": "X"}});
    let limited = json!({"error": {"message": "There have been too many calls for the batch uploads to this catalog account.", "type": "OAuthException", "code": 80014}});
    let usage =
        r#"{"99":[{"type":"catalog_batch","call_count":100,"estimated_time_to_regain_access":2}]}"#;
    let (base, _) = canned(vec![
        (401, vec![], expired.to_string()),
        (
            400,
            vec![("X-Business-Use-Case-Usage", usage.to_owned())],
            limited.to_string(),
        ),
        (502, vec![], "<html>bad gateway</html>".to_owned()),
        (
            500,
            vec![],
            json!({"error": {"message": "Service temporarily unavailable", "type": "FacebookApiException", "code": 98765}}).to_string(),
        ),
    ])
    .await;
    let c = client(&base);
    let err = c.catalog("99").await.expect_err("expired");
    assert!(
        matches!(
            err,
            GraphError::InvalidToken {
                subcode: Some(463),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        !err.to_string().contains("secret"),
        "the token never appears: {err}"
    );
    let err = c.items_batch("99", &[], true).await.expect_err("limited");
    assert_eq!(
        err.retry_after(),
        Some(std::time::Duration::from_secs(120)),
        "wait from the usage header, in minutes"
    );
    assert!(err.is_retryable());
    let err = c.catalog("99").await.expect_err("gateway");
    assert_eq!(err, GraphError::BadResponse { status: 502 });
    assert!(err.is_retryable());
    let err = c.catalog("99").await.expect_err("server error");
    assert!(
        err.is_retryable(),
        "a 5xx with a code Vitrine does not know is an outage to retry: {err:?}"
    );
}

#[tokio::test]
async fn a_bare_429_is_a_rate_limit_that_honours_retry_after() {
    let (base, seen) = canned(vec![
        (
            429,
            vec![("Retry-After", "7".to_owned())],
            "Too Many Requests".to_owned(),
        ),
        (429, vec![], String::new()),
    ])
    .await;
    let c = client(&base);
    let err = c
        .items_batch("99", &[], true)
        .await
        .expect_err("plain-text 429");
    assert!(
        matches!(
            err,
            GraphError::RateLimited {
                code: None,
                retry_after: Some(wait),
                ..
            } if wait == Duration::from_secs(7)
        ),
        "a 429 without a Graph error is a rate limit with the Retry-After wait: {err:?}"
    );
    assert!(err.is_retryable(), "a rate limit is retried");
    let err = c.catalog("99").await.expect_err("empty 429");
    assert!(
        matches!(
            err,
            GraphError::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "an empty 429 without Retry-After is a rate limit too, for the caller's backoff: {err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(seen.lock().expect("log").len(), 2);
}

/// A canned 200 carrying the usage headers given (`None`: no header).
fn answer_with_usage(business: Option<String>, app: Option<&str>) -> Answer {
    let mut headers = Vec::new();
    if let Some(b) = business {
        headers.push(("X-Business-Use-Case-Usage", b));
    }
    if let Some(a) = app {
        headers.push(("X-App-Usage", a.to_owned()));
    }
    // Read as an items_batch answer or as the catalog.
    (
        200,
        headers,
        json!({"handles": ["H"], "id": "99", "name": "Loja"}).to_string(),
    )
}

fn business_usage(call_count: u32, regain_minutes: u32) -> String {
    format!(
        r#"{{"99":[{{"type":"catalog_batch","call_count":{call_count},"total_cputime":3,"total_time":4,"estimated_time_to_regain_access":{regain_minutes}}}]}}"#
    )
}

/// `wait` is `expected`, less the moment that passed between the answer and the next call.
fn about(wait: Duration, expected: Duration) -> bool {
    wait <= expected && wait + Duration::from_secs(2) > expected
}

#[tokio::test]
async fn usage_near_a_limit_makes_the_next_call_of_its_bucket_wait_first() {
    let (base, seen) = canned(vec![
        answer_with_usage(Some(business_usage(95, 0)), None),
        answer_with_usage(None, None),
        answer_with_usage(None, None),
        answer_with_usage(
            Some(business_usage(40, 0)),
            Some(r#"{"call_count":91,"total_time":10,"total_cputime":10}"#),
        ),
        answer_with_usage(None, None),
        answer_with_usage(Some(business_usage(100, 30)), None),
        answer_with_usage(None, None),
    ])
    .await;
    let sleeper = RecordingSleeper::default();
    let c = client(&base).with_sleeper(std::sync::Arc::new(sleeper.clone()));
    c.items_batch("99", &[], true).await.expect("95 % used");
    assert_eq!(sleeper.waits(), vec![], "the first call does not wait");
    c.catalog("99").await.expect("another bucket");
    assert_eq!(
        sleeper.waits(),
        vec![],
        "the catalog batch usage does not hold back other calls"
    );
    c.items_batch("99", &[], true)
        .await
        .expect("the next batch call");
    let waits = sleeper.waits();
    assert_eq!(
        waits.len(),
        1,
        "one wait, before the next batch call: {waits:?}"
    );
    assert!(
        about(waits[0], Duration::from_secs(60)),
        "95 % waits 60 s (10 s a point from 89 %): {waits:?}"
    );

    c.items_batch("99", &[], true)
        .await
        .expect("91 % of the app's limit");
    c.catalog("99").await.expect("any call");
    let waits = sleeper.waits();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(
        about(waits[1], Duration::from_secs(20)),
        "the app's platform usage holds back every call: {waits:?}"
    );

    c.items_batch("99", &[], true)
        .await
        .expect("Meta estimates 30 minutes");
    let calls = seen.lock().expect("log").len();
    let err = c
        .items_batch("99", &[], true)
        .await
        .expect_err("a wait longer than max_pause is not slept inside a call");
    assert!(
        matches!(err, GraphError::RateLimited { retry_after: Some(wait), .. } if about(wait, Duration::from_secs(30 * 60))),
        "the caller learns the wait Meta estimated: {err:?}"
    );
    assert_eq!(
        seen.lock().expect("log").len(),
        calls,
        "the held-back call never reached Meta"
    );
    assert_eq!(sleeper.waits().len(), 2, "and nothing was slept");
    c.items_batch("99", &[], true)
        .await
        .expect("the caller decides when to call again");
}

#[tokio::test]
async fn a_closed_port_is_a_network_error_without_details() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let err = client(&format!("http://{addr}"))
        .catalog("1")
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, GraphError::Network(_)), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn batch_status_unwraps_the_data_array_and_pages_follow_cursors() {
    let status = json!({"data": [{"handle": "H1", "status": "finished", "errors_total_count": 1, "errors": [{"line": 1, "id": "SKU-1", "message": "bad price"}], "ids_of_invalid_requests": ["SKU-1"]}]});
    let page = json!({"data": [{"id": "501", "retailer_id": "SKU-1", "review_status": "approved"}], "paging": {"cursors": {"before": "A", "after": "B"}, "next": "https://graph.facebook.com/next"}});
    let (base, seen) = canned(vec![
        (200, vec![], status.to_string()),
        (200, vec![], page.to_string()),
    ])
    .await;
    let c = client(&base);
    let s = c.batch_status("99", "H1").await.expect("status").value;
    assert_eq!(s.state(), vitrine_meta::BatchState::Finished);
    assert_eq!(s.ids_of_invalid_requests, vec!["SKU-1"]);
    let p = c
        .products_page("99", Some("A0"), 100)
        .await
        .expect("page")
        .value;
    assert_eq!(p.next_cursor(), Some("B"));
    let heads: Vec<String> = seen
        .lock()
        .expect("log")
        .iter()
        .map(|s| s.head.lines().next().unwrap_or_default().to_owned())
        .collect();
    assert!(
        heads[0].contains("handle=H1") && heads[0].contains("load_ids_of_invalid_requests=true"),
        "{heads:?}"
    );
    assert!(
        heads[1].contains("after=A0")
            && heads[1].contains("limit=100")
            && heads[1].contains("review_status"),
        "{heads:?}"
    );
}

#[tokio::test]
async fn send_text_posts_metas_message_shape_and_returns_the_wamid() {
    let answer = json!({"messaging_product": "whatsapp", "contacts": [{"input": "16505551234", "wa_id": "16505551234"}], "messages": [{"id": "wamid.SENT1"}]});
    let (base, seen) = canned(vec![(200, vec![], answer.to_string())]).await;
    let sent = client(&base)
        .send_text(
            "106540352242922",
            "16505551234",
            "Olá! Seu pedido foi confirmado.",
            Some("wamid.ORDER1"),
        )
        .await
        .expect("accepted")
        .value;
    assert_eq!(
        sent.id, "wamid.SENT1",
        "the wamid names the later status webhooks"
    );
    assert_eq!(sent.wa_id.as_deref(), Some("16505551234"));
    let request = seen.lock().expect("log")[0].clone();
    assert!(
        request
            .head
            .starts_with("POST /v25.0/106540352242922/messages "),
        "{}",
        request.head
    );
    let body: Value = serde_json::from_str(&request.body).expect("a JSON body");
    assert_eq!(
        body,
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": "16505551234", "type": "text", "text": {"body": "Olá! Seu pedido foi confirmado."}, "context": {"message_id": "wamid.ORDER1"}}),
        "exactly the body of meta-api.md §5, quoting the order"
    );
}

#[tokio::test]
async fn a_send_outside_the_24_hour_window_is_a_typed_error() {
    let error = json!({"error": {"message": "(#131047) Re-engagement message", "type": "OAuthException", "code": 131047, "error_data": {"messaging_product": "whatsapp", "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."}, "fbtrace_id": "AXsg"}});
    let (base, _) = canned(vec![(400, vec![], error.to_string())]).await;
    let err = client(&base)
        .send_text("1", "16505551234", "hello", None)
        .await
        .expect_err("Meta refuses");
    assert_eq!(
        err,
        GraphError::OutsideServiceWindow,
        "131047 says a template is needed, whatever the HTTP status"
    );
}

#[tokio::test]
async fn mark_read_posts_the_read_status_and_wants_success() {
    let (base, seen) = canned(vec![
        (200, vec![], json!({"success": true}).to_string()),
        (200, vec![], json!({"success": false}).to_string()),
    ])
    .await;
    let c = client(&base);
    c.mark_read("1", "wamid.IN1").await.expect("read");
    let body: Value =
        serde_json::from_str(&seen.lock().expect("log")[0].body).expect("a JSON body");
    assert_eq!(
        body,
        json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN1"})
    );
    assert!(
        c.mark_read("1", "wamid.IN2").await.is_err(),
        "an answer without success is not taken as done"
    );
}
