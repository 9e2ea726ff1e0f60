//! The relay as Meta and the desktops see it: HTTP on loopback, against SQLite and against
//! PostgreSQL (the same scenarios, generated for each backend by `for_each_backend!`).

mod support;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use support::{envelope, status, text_message, Backend, Kind, Relay, ORDER, SHOP, VERIFY_TOKEN};
use vitrine_relay::store::Store;
use vitrine_relay::wire::{EventKind, RelayEvent};

/// Runs each scenario `async fn name(backend: Backend)` once per backend.
macro_rules! for_each_backend {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    super::$scenario(super::Backend::new(super::Kind::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    super::$scenario(super::Backend::new(super::Kind::Postgres).await).await;
                }
            )*
        }
    };
}

for_each_backend!(
    the_handshake_echoes_the_challenge_only_for_the_verify_token,
    forged_missing_and_truncated_signatures_are_refused_and_nothing_is_stored,
    a_body_over_three_megabytes_is_refused_with_413,
    malformed_json_is_refused_with_400_and_nothing_is_stored,
    a_text_message_is_stored_and_listed_with_its_sender,
    an_order_keeps_its_float_item_price_as_meta_sent_it,
    statuses_arriving_in_any_order_never_move_a_message_back,
    unknown_message_types_fields_and_shapes_are_accepted,
    every_entry_and_change_of_a_batched_payload_becomes_events,
    a_payload_delivered_five_times_is_stored_once,
    the_same_message_in_different_payloads_is_one_event,
    concurrent_duplicates_are_stored_once,
    a_restart_between_receipt_and_read_loses_nothing,
    pages_are_ordered_and_resume_from_the_cursor,
    missing_wrong_and_revoked_tokens_are_refused,
    a_scoped_device_sees_only_its_phone_number_and_two_devices_read_the_same_shop,
    the_stream_resumes_after_a_disconnect_from_last_event_id,
    retention_deletes_only_what_every_device_acknowledged,
    an_ack_beyond_the_newest_cursor_is_refused_and_prunes_nothing,
    a_revoked_devices_stream_ends_within_two_seconds_under_steady_traffic,
    health_answers_when_the_database_does,
);

fn wamid(n: u32) -> String {
    format!("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz{n:012}")
}

fn json(event: &RelayEvent) -> Value {
    serde_json::from_str(event.data.get()).expect("event data is JSON")
}

async fn the_handshake_echoes_the_challenge_only_for_the_verify_token(backend: Backend) {
    let relay = backend.start().await;
    let handshake = |mode: &str, token: &str| {
        relay.http.get(relay.url("/webhook")).query(&[
            ("hub.mode", mode),
            ("hub.challenge", "1158201444"),
            ("hub.verify_token", token),
        ])
    };
    let ok = handshake("subscribe", VERIFY_TOKEN)
        .send()
        .await
        .expect("GET");
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(
        ok.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/plain"),
        "Meta expects the challenge as plain text"
    );
    assert_eq!(
        ok.text().await.expect("body"),
        "1158201444",
        "the challenge is echoed as is"
    );

    let wrong = handshake("subscribe", "guess").send().await.expect("GET");
    assert_eq!(
        wrong.status(),
        StatusCode::FORBIDDEN,
        "a wrong verify token is refused"
    );
    let mode = handshake("unsubscribe", VERIFY_TOKEN)
        .send()
        .await
        .expect("GET");
    assert_eq!(
        mode.status(),
        StatusCode::FORBIDDEN,
        "only hub.mode=subscribe is answered"
    );
    let bare = relay
        .http
        .get(relay.url("/webhook"))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        bare.status(),
        StatusCode::FORBIDDEN,
        "no parameters at all is refused"
    );
    relay.stop().await;
}

async fn forged_missing_and_truncated_signatures_are_refused_and_nothing_is_stored(
    backend: Backend,
) {
    let relay = backend.start().await;
    let body = text_message(SHOP, &wamid(1), "hello");
    let good = vitrine_relay::signature::AppSecret::new(support::APP_SECRET).sign(body.as_bytes());
    let forged = vitrine_relay::signature::AppSecret::new("not-the-secret").sign(body.as_bytes());
    let cases: [(&str, Option<String>); 6] = [
        ("missing", None),
        ("forged with another secret", Some(forged)),
        ("truncated", Some(good[..good.len() - 1].to_owned())),
        (
            "without the sha256= prefix",
            Some(good["sha256=".len()..].to_owned()),
        ),
        ("empty", Some(String::new())),
        (
            "of another body",
            Some(vitrine_relay::signature::AppSecret::new(support::APP_SECRET).sign(b"{}")),
        ),
    ];
    for (what, signature) in &cases {
        let status = relay
            .post_webhook(body.clone().into_bytes(), signature.as_deref())
            .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a {what} signature is refused"
        );
    }
    let mut tampered = body.clone().into_bytes();
    tampered[40] ^= 1;
    let status = relay.post_webhook(tampered, Some(&good)).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a body changed after signing is refused"
    );
    let counts = relay.store.counts().await.expect("counts");
    assert_eq!(
        (counts.payloads, counts.events),
        (0, 0),
        "nothing unsigned is stored"
    );

    assert_eq!(
        relay.post_webhook(body.into_bytes(), Some(&good)).await,
        StatusCode::OK
    );
    relay.stop().await;
}

async fn a_body_over_three_megabytes_is_refused_with_413(backend: Backend) {
    let relay = backend.start().await;
    let padding = "x".repeat(3 * 1024 * 1024);
    let body = text_message(SHOP, &wamid(1), &padding);
    assert_eq!(relay.deliver(&body).await, StatusCode::PAYLOAD_TOO_LARGE);
    let just_under = text_message(SHOP, &wamid(2), &"y".repeat(3 * 1024 * 1024 - 2048));
    assert_eq!(
        relay.deliver(&just_under).await,
        StatusCode::OK,
        "3 MB is Meta's limit, accepted"
    );
    let counts = relay.store.counts().await.expect("counts");
    assert_eq!(
        counts.payloads, 1,
        "only the payload within the limit is stored"
    );
    relay.stop().await;
}

async fn malformed_json_is_refused_with_400_and_nothing_is_stored(backend: Backend) {
    let relay = backend.start().await;
    let whole = text_message(SHOP, &wamid(1), "hello");
    for body in [&whole[..whole.len() / 2], "", "not json", "{\"entry\":[}"] {
        assert_eq!(
            relay.deliver(body).await,
            StatusCode::BAD_REQUEST,
            "{body:?} is not JSON"
        );
    }
    let counts = relay.store.counts().await.expect("counts");
    assert_eq!(
        (counts.payloads, counts.events),
        (0, 0),
        "nothing malformed is stored"
    );
    relay.stop().await;
}

async fn a_text_message_is_stored_and_listed_with_its_sender(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    let id = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=";
    assert_eq!(
        relay
            .deliver(&text_message(SHOP, id, "Does it come in another color?"))
            .await,
        StatusCode::OK
    );
    let events = relay.all_events(&token).await;
    assert_eq!(events.len(), 1, "one message, one event");
    let event = &events[0];
    assert_eq!(event.kind, EventKind::Message);
    assert_eq!(
        event.phone_number_id, SHOP,
        "routed by metadata.phone_number_id"
    );
    assert_eq!(event.message_id.as_deref(), Some(id));
    assert_eq!(
        event.timestamp,
        Some(1_749_416_383),
        "Meta's string timestamp, as seconds"
    );
    assert_eq!(
        json(event)["text"]["body"],
        "Does it come in another color?"
    );
    let contact: Value =
        serde_json::from_str(event.contact.as_ref().expect("the sender's contact").get())
            .expect("contact JSON");
    assert_eq!(
        contact["profile"]["name"], "Sheena Nelson",
        "the sender's name comes along"
    );
    relay.stop().await;
}

async fn an_order_keeps_its_float_item_price_as_meta_sent_it(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    assert_eq!(relay.deliver(ORDER).await, StatusCode::OK);
    let events = relay.all_events(&token).await;
    assert_eq!(events.len(), 1);
    let data = events[0].data.get();
    assert!(
        data.contains(r#""item_price":7.99"#),
        "the price text is untouched: {data}"
    );
    assert!(
        data.contains(r#""item_price":30"#),
        "an integer price stays an integer: {data}"
    );
    assert_eq!(json(&events[0])["order"]["product_items"][0]["quantity"], 2);
    relay.stop().await;
}

async fn statuses_arriving_in_any_order_never_move_a_message_back(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    let orders: [[&str; 3]; 6] = [
        ["sent", "delivered", "read"],
        ["sent", "read", "delivered"],
        ["delivered", "sent", "read"],
        ["delivered", "read", "sent"],
        ["read", "sent", "delivered"],
        ["read", "delivered", "sent"],
    ];
    for (n, order) in orders.iter().enumerate() {
        let id = wamid(100 + n as u32);
        for (t, state) in order.iter().enumerate() {
            let body = status(SHOP, &id, state, 1_750_030_000 + t as u64);
            assert_eq!(
                relay.deliver(&body).await,
                StatusCode::OK,
                "every status is acknowledged"
            );
        }
    }
    // A failed message stays failed.
    let failed = wamid(200);
    for state in ["sent", "failed", "delivered", "read"] {
        assert_eq!(
            relay.deliver(&status(SHOP, &failed, state, 1)).await,
            StatusCode::OK
        );
    }
    let events = relay.all_events(&token).await;
    let rank = |s: &str| {
        ["sent", "delivered", "read", "failed"]
            .iter()
            .position(|x| *x == s)
    };
    for (n, order) in orders.iter().enumerate() {
        let id = wamid(100 + n as u32);
        let seen: Vec<&str> = events
            .iter()
            .filter(|e| e.message_id.as_deref() == Some(id.as_str()))
            .filter_map(|e| e.status.as_deref())
            .collect();
        assert_eq!(
            seen.last(),
            Some(&"read"),
            "order {order:?}: the message ends read"
        );
        assert!(
            seen.windows(2).all(|w| rank(w[0]) < rank(w[1])),
            "order {order:?}: statuses passed on only move forward, got {seen:?}"
        );
    }
    let failed_seen: Vec<&str> = events
        .iter()
        .filter(|e| e.message_id.as_deref() == Some(failed.as_str()))
        .filter_map(|e| e.status.as_deref())
        .collect();
    assert_eq!(failed_seen, ["sent", "failed"], "failed is terminal");
    let counts = relay.store.counts().await.expect("counts");
    assert_eq!(
        counts.payloads,
        6 * 3 + 4,
        "every raw payload is kept, even a stale status"
    );
    relay.stop().await;
}

async fn unknown_message_types_fields_and_shapes_are_accepted(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    let hologram = envelope(
        SHOP,
        r#""contacts":[{"profile":{"name":"A","username":"a.b"},"wa_id":"","user_id":"user.937"}],"messages":[{"from":"","from_user_id":"user.937","id":"wamid.NEW1","timestamp":"1760000000","type":"hologram","hologram":{"depth":3},"brand_new_field":true}],"future":{"x":1}"#,
    );
    let unsupported = envelope(
        SHOP,
        r#""messages":[{"from":"16505551234","id":"wamid.UNSUP","timestamp":"1","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}]}]"#,
    );
    let account_update = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","time":1,"changes":[{"field":"account_update","value":{"phone_number":"15550783881","event":"VERIFIED_ACCOUNT"}}]}]}"#;
    let odd_shape = r#"{"object":"page","entry":"not a list"}"#;
    for body in [
        hologram.as_str(),
        unsupported.as_str(),
        account_update,
        odd_shape,
    ] {
        assert_eq!(
            relay.deliver(body).await,
            StatusCode::OK,
            "signed JSON is accepted: {body}"
        );
    }
    let events = relay.all_events(&token).await;
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::Message,
            EventKind::Message,
            EventKind::Other,
            EventKind::Other
        ],
        "unknown types are messages, other fields and shapes are kept as other"
    );
    assert_eq!(
        json(&events[0])["hologram"]["depth"],
        3,
        "unknown fields are kept"
    );
    assert!(
        events[0].contact.is_some(),
        "the only contact is the sender's even without wa_id"
    );
    assert_eq!(
        json(&events[3])["entry"],
        "not a list",
        "an unknown shape is kept whole"
    );
    relay.stop().await;
}

async fn every_entry_and_change_of_a_batched_payload_becomes_events(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    let change = |phone: &str, fields: &str| {
        format!(
            r#"{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"1","phone_number_id":"{phone}"}},{fields}}}}}"#
        )
    };
    let body = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{},{}]}},{{"id":"2","changes":[{}]}}]}}"#,
        change(
            SHOP,
            r#""messages":[{"from":"1","id":"wamid.A","timestamp":"1","type":"text","text":{"body":"a"}},{"from":"1","id":"wamid.B","timestamp":"2","type":"text","text":{"body":"b"}}]"#
        ),
        change(
            SHOP,
            r#""statuses":[{"id":"wamid.OUT","status":"sent","timestamp":"3","recipient_id":"1"}]"#
        ),
        change(
            "999",
            r#""errors":[{"code":131000,"title":"Something went wrong"}],"messages":[{"from":"2","id":"wamid.C","timestamp":"4","type":"text","text":{"body":"c"}}]"#
        ),
    );
    assert_eq!(relay.deliver(&body).await, StatusCode::OK);
    let events = relay.all_events(&token).await;
    let summary: Vec<(EventKind, &str, Option<&str>)> = events
        .iter()
        .map(|e| (e.kind, e.phone_number_id.as_str(), e.message_id.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            (EventKind::Message, SHOP, Some("wamid.A")),
            (EventKind::Message, SHOP, Some("wamid.B")),
            (EventKind::Status, SHOP, Some("wamid.OUT")),
            (EventKind::Message, "999", Some("wamid.C")),
            (EventKind::Error, "999", None),
        ],
        "every entry and change, in payload order (messages, statuses, then errors of a change)"
    );
    relay.stop().await;
}

async fn a_payload_delivered_five_times_is_stored_once(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    let body = text_message(SHOP, &wamid(7), "retry me");
    for _ in 0..5 {
        assert_eq!(
            relay.deliver(&body).await,
            StatusCode::OK,
            "Meta gets 200 for every retry"
        );
    }
    let counts = relay.store.counts().await.expect("counts");
    assert_eq!(
        (counts.payloads, counts.events),
        (1, 1),
        "five deliveries, stored once"
    );
    assert_eq!(
        relay.all_events(&token).await.len(),
        1,
        "the desktop reads it once"
    );
    relay.stop().await;
}

async fn the_same_message_in_different_payloads_is_one_event(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    let id = wamid(8);
    // A retry Meta re-batched: same message, different bytes (another app's subscription).
    let first = text_message(SHOP, &id, "hi");
    let second = first.replace("\"object\"", " \"object\"");
    assert_eq!(relay.deliver(&first).await, StatusCode::OK);
    assert_eq!(relay.deliver(&second).await, StatusCode::OK);
    let events = relay.all_events(&token).await;
    assert_eq!(events.len(), 1, "deduplicated by message id, not by bytes");
    let other_shop = text_message("555", &id, "hi");
    assert_eq!(relay.deliver(&other_shop).await, StatusCode::OK);
    assert_eq!(
        relay.all_events(&token).await.len(),
        2,
        "message ids are unique per phone number id"
    );
    relay.stop().await;
}

async fn concurrent_duplicates_are_stored_once(backend: Backend) {
    let relay = std::sync::Arc::new(backend.start().await);
    let mut tasks = Vec::new();
    for n in 0..40u32 {
        let relay = relay.clone();
        // 8 distinct messages, each delivered 5 times at once.
        tasks.push(tokio::spawn(async move {
            relay
                .deliver(&text_message(SHOP, &wamid(n % 8), "same"))
                .await
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("task"), StatusCode::OK);
    }
    let counts = relay.store.counts().await.expect("counts");
    assert_eq!(
        (counts.payloads, counts.events),
        (8, 8),
        "each message stored exactly once"
    );
    if let Ok(relay) = std::sync::Arc::try_unwrap(relay) {
        relay.stop().await;
    }
}

async fn a_restart_between_receipt_and_read_loses_nothing(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    for n in 0..20 {
        assert_eq!(
            relay
                .deliver(&text_message(SHOP, &wamid(n), "before"))
                .await,
            StatusCode::OK
        );
    }
    let first = relay.page(&token, "", 5).await;
    relay.stop().await;

    let relay = backend.start().await;
    let rest = relay.all_events_after(&token, &first.next_cursor).await;
    assert_eq!(
        rest.len(),
        15,
        "the events not yet read are there after the restart"
    );
    let ids: Vec<String> = first
        .events
        .iter()
        .chain(&rest)
        .filter_map(|e| e.message_id.clone())
        .collect();
    let expected: Vec<String> = (0..20).map(wamid).collect();
    assert_eq!(ids, expected, "in order, none lost, none repeated");
    assert_eq!(
        relay
            .deliver(&text_message(SHOP, &wamid(3), "before"))
            .await,
        StatusCode::OK,
        "a retry after the restart"
    );
    assert_eq!(
        relay.store.counts().await.expect("counts").events,
        20,
        "is still a duplicate"
    );
    relay.stop().await;
}

async fn pages_are_ordered_and_resume_from_the_cursor(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    for n in 0..12 {
        assert_eq!(
            relay.deliver(&text_message(SHOP, &wamid(n), "m")).await,
            StatusCode::OK
        );
    }
    let page = relay.page(&token, "", 5).await;
    assert_eq!(page.events.len(), 5);
    assert!(page.has_more, "a full page says more may follow");
    let cursors: Vec<u64> = page
        .events
        .iter()
        .map(|e| e.cursor.parse().expect("numeric"))
        .collect();
    assert!(
        cursors.windows(2).all(|w| w[0] < w[1]),
        "cursors increase: {cursors:?}"
    );
    assert_eq!(
        page.next_cursor, page.events[4].cursor,
        "next cursor is the last event's"
    );
    let next = relay.page(&token, &page.next_cursor, 100).await;
    assert_eq!(next.events.len(), 7, "the rest, from the cursor on");
    assert!(!next.has_more);
    let empty = relay.page(&token, &next.next_cursor, 100).await;
    assert!(empty.events.is_empty(), "nothing after the last cursor");
    assert_eq!(
        empty.next_cursor, next.next_cursor,
        "an empty page keeps the cursor"
    );

    let bad = relay
        .http
        .get(relay.url("/v1/events?after=abc"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(
        bad.status(),
        StatusCode::BAD_REQUEST,
        "a cursor the relay never gave"
    );
    relay.stop().await;
}

async fn missing_wrong_and_revoked_tokens_are_refused(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    let get = |auth: Option<String>| {
        let mut request = relay.http.get(relay.url("/v1/events"));
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        request.send()
    };
    assert_eq!(
        get(None).await.expect("GET").status(),
        StatusCode::UNAUTHORIZED,
        "no token"
    );
    let last = if token.ends_with('0') { '1' } else { '0' };
    let wrong = format!("Bearer {}{last}", &token[..token.len() - 1]);
    assert_eq!(
        get(Some(wrong)).await.expect("GET").status(),
        StatusCode::UNAUTHORIZED,
        "wrong"
    );
    let basic = format!("Basic {token}");
    assert_eq!(
        get(Some(basic)).await.expect("GET").status(),
        StatusCode::UNAUTHORIZED,
        "not bearer"
    );
    let good = format!("Bearer {token}");
    assert_eq!(
        get(Some(good.clone())).await.expect("GET").status(),
        StatusCode::OK
    );

    assert!(
        relay
            .store
            .revoke_device("laptop", 1)
            .await
            .expect("revoke"),
        "laptop was active"
    );
    assert_eq!(
        get(Some(good.clone())).await.expect("GET").status(),
        StatusCode::UNAUTHORIZED,
        "a revoked token is refused at once"
    );
    let ack = relay
        .http
        .post(relay.url("/v1/ack"))
        .header("authorization", good)
        .json(&serde_json::json!({"cursor": "1"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(
        ack.status(),
        StatusCode::UNAUTHORIZED,
        "a revoked device cannot ack"
    );
    let again = relay.add_device("laptop", None).await;
    assert_ne!(
        again, token,
        "a device name can be reused after revocation, with a new token"
    );
    relay.stop().await;
}

async fn a_scoped_device_sees_only_its_phone_number_and_two_devices_read_the_same_shop(
    backend: Backend,
) {
    let relay = backend.start().await;
    let owner = relay.add_device("owner", None).await;
    let laptop_a = relay.add_device("staff-a", Some(SHOP)).await;
    let laptop_b = relay.add_device("staff-b", Some(SHOP)).await;
    let other = relay.add_device("other-shop", Some("555")).await;
    assert_eq!(
        relay
            .deliver(&text_message(SHOP, &wamid(1), "to shop"))
            .await,
        StatusCode::OK
    );
    assert_eq!(
        relay
            .deliver(&text_message("555", &wamid(2), "to 555"))
            .await,
        StatusCode::OK
    );
    assert_eq!(
        relay.all_events(&owner).await.len(),
        2,
        "an unscoped device sees every shop"
    );
    let a = relay.all_events(&laptop_a).await;
    let b = relay.all_events(&laptop_b).await;
    assert_eq!(a.len(), 1, "a scoped device sees its shop only");
    assert_eq!(a[0].phone_number_id, SHOP);
    assert_eq!(
        a.iter().map(|e| &e.cursor).collect::<Vec<_>>(),
        b.iter().map(|e| &e.cursor).collect::<Vec<_>>(),
        "two laptops of the same shop read the same events"
    );
    let o = relay.all_events(&other).await;
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].phone_number_id, "555");
    relay.stop().await;
}

/// Reads SSE frames until `count` events arrived; returns their (id, event).
async fn read_sse(response: &mut reqwest::Response, count: usize) -> Vec<(String, RelayEvent)> {
    let mut buffer = String::new();
    let mut events = Vec::new();
    while events.len() < count {
        let chunk = tokio::time::timeout(Duration::from_secs(10), response.chunk())
            .await
            .expect("an event within 10 s")
            .expect("stream readable")
            .expect("stream still open");
        buffer.push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            let mut id = None;
            let mut data = String::new();
            for line in frame.lines() {
                if let Some(value) = line.strip_prefix("id:") {
                    id = Some(value.trim().to_owned());
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push_str(value.trim_start());
                }
            }
            if let Some(id) = id {
                events.push((id, serde_json::from_str(&data).expect("event JSON")));
            }
        }
    }
    events
}

async fn the_stream_resumes_after_a_disconnect_from_last_event_id(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    for n in 0..3 {
        assert_eq!(
            relay
                .deliver(&text_message(SHOP, &wamid(n), "backlog"))
                .await,
            StatusCode::OK
        );
    }
    let mut stream = relay
        .http
        .get(relay.url("/v1/stream"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET /v1/stream");
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(stream.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("text/event-stream"));
    let backlog = read_sse(&mut stream, 3).await;
    assert_eq!(backlog.len(), 3, "the backlog comes first");
    assert_eq!(
        backlog[2].0, backlog[2].1.cursor,
        "the SSE id is the event's cursor"
    );

    // Live: an event committed while connected arrives without asking.
    assert_eq!(
        relay.deliver(&text_message(SHOP, &wamid(3), "live")).await,
        StatusCode::OK
    );
    let live = read_sse(&mut stream, 1).await;
    assert_eq!(
        live[0].1.message_id.as_deref(),
        Some(wamid(3).as_str()),
        "live event arrives"
    );
    let last_id = live[0].0.clone();
    drop(stream); // the laptop's Wi-Fi drops

    for n in 4..6 {
        assert_eq!(
            relay
                .deliver(&text_message(SHOP, &wamid(n), "missed"))
                .await,
            StatusCode::OK
        );
    }
    let mut resumed = relay
        .http
        .get(relay.url("/v1/stream"))
        .bearer_auth(&token)
        .header("last-event-id", &last_id)
        .send()
        .await
        .expect("GET /v1/stream again");
    let missed = read_sse(&mut resumed, 2).await;
    let ids: Vec<_> = missed
        .iter()
        .filter_map(|(_, e)| e.message_id.clone())
        .collect();
    assert_eq!(
        ids,
        [wamid(4), wamid(5)],
        "resumes right after Last-Event-ID, nothing repeated"
    );
    drop(resumed);
    relay.stop().await;
}

async fn retention_deletes_only_what_every_device_acknowledged(backend: Backend) {
    let relay = backend.start().await;
    let a = relay.add_device("a", None).await;
    let b = relay.add_device("b", Some(SHOP)).await;
    for n in 0..4 {
        assert_eq!(
            relay.deliver(&text_message(SHOP, &wamid(n), "m")).await,
            StatusCode::OK
        );
    }
    let events = relay.all_events(&a).await;
    let ack = |token: &str, cursor: &str| {
        relay
            .http
            .post(relay.url("/v1/ack"))
            .bearer_auth(token)
            .json(&serde_json::json!({ "cursor": cursor }))
            .send()
    };
    assert_eq!(
        ack(&a, &events[3].cursor).await.expect("ack").status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        ack(&b, &events[1].cursor).await.expect("ack").status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        ack(&b, &events[0].cursor).await.expect("ack").status(),
        StatusCode::NO_CONTENT
    );

    let in_a_day = vitrine_relay::server::now_ms() + 24 * 3600 * 1000;
    let kept = relay
        .store
        .prune(vitrine_relay::server::now_ms() - 1000)
        .await
        .expect("prune");
    assert_eq!(
        kept.events, 0,
        "nothing younger than the retention period goes"
    );
    let pruned = relay.store.prune(in_a_day).await.expect("prune");
    assert_eq!(
        pruned.events, 2,
        "only events both devices acked go (an older ack moves nothing back)"
    );
    assert_eq!(
        pruned.payloads, 2,
        "with the raw payloads nothing refers to any more"
    );
    let left = relay.all_events(&a).await;
    assert_eq!(
        left.iter().map(|e| e.cursor.clone()).collect::<Vec<_>>(),
        [events[2].cursor.clone(), events[3].cursor.clone()],
        "b has not read the last two"
    );
    assert!(relay.store.revoke_device("b", 1).await.expect("revoke"));
    assert_eq!(
        relay.store.prune(in_a_day).await.expect("prune").events,
        2,
        "a revoked device holds nothing back"
    );
    assert!(relay.store.revoke_device("a", 1).await.expect("revoke"));
    assert_eq!(
        relay.deliver(&text_message(SHOP, &wamid(9), "m")).await,
        StatusCode::OK
    );
    assert_eq!(
        relay.store.prune(in_a_day).await.expect("prune").events,
        0,
        "with no device to read them, events are kept"
    );
    relay.stop().await;
}

impl Relay {
    async fn ack(&self, token: &str, cursor: &str) -> reqwest::Response {
        self.http
            .post(self.url("/v1/ack"))
            .bearer_auth(token)
            .json(&serde_json::json!({ "cursor": cursor }))
            .send()
            .await
            .expect("POST /v1/ack")
    }
}

async fn an_ack_beyond_the_newest_cursor_is_refused_and_prunes_nothing(backend: Backend) {
    let relay = backend.start().await;
    let laptop = relay.add_device("laptop", None).await;
    let counter = relay.add_device("counter", None).await;
    for n in 0..3 {
        assert_eq!(
            relay.deliver(&text_message(SHOP, &wamid(n), "m")).await,
            StatusCode::OK
        );
    }
    let events = relay.all_events(&laptop).await;
    let newest: u64 = events[2].cursor.parse().expect("a numeric cursor");
    assert_eq!(
        relay.ack(&laptop, &events[2].cursor).await.status(),
        StatusCode::NO_CONTENT,
        "the newest cursor itself is acknowledged"
    );
    for ahead in [
        (newest + 1).to_string(),
        i64::MAX.to_string(),
        u64::MAX.to_string(),
    ] {
        let refused = relay.ack(&counter, &ahead).await;
        assert_eq!(
            refused.status(),
            StatusCode::CONFLICT,
            "cursor {ahead} was never handed out"
        );
        let error: vitrine_relay::wire::ApiError = refused.json().await.expect("an error body");
        assert_eq!(error.code, "cursor_ahead", "the desktop can tell why");
    }
    let counter_ack = relay
        .store
        .devices()
        .await
        .expect("devices")
        .into_iter()
        .find(|d| d.name == "counter")
        .map(|d| d.acked_seq);
    assert_eq!(counter_ack, Some(0), "a refused ack records nothing");
    let in_a_day = vitrine_relay::server::now_ms() + 24 * 3600 * 1000;
    assert_eq!(
        relay.store.prune(in_a_day).await.expect("prune").events,
        0,
        "the counter has read nothing, so nothing may be deleted"
    );
    assert_eq!(relay.all_events(&counter).await.len(), 3, "all still there");

    assert_eq!(
        relay.ack(&counter, &events[2].cursor).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        relay.store.prune(in_a_day).await.expect("prune").events,
        3,
        "read by both: deleted"
    );
    assert_eq!(
        relay.ack(&laptop, &events[2].cursor).await.status(),
        StatusCode::NO_CONTENT,
        "acking the newest cursor again after retention deleted its event is still fine"
    );
    assert_eq!(
        relay.ack(&laptop, &(newest + 1).to_string()).await.status(),
        StatusCode::CONFLICT,
        "and the bound still holds with no event left"
    );
    relay.stop().await;
}

/// `count` text messages of `phone_number_id` in one payload, each with a body of `size` bytes.
fn many_messages(phone_number_id: &str, first: u32, count: u32, size: usize) -> String {
    let body = "x".repeat(size);
    let messages: Vec<String> = (first..first + count)
        .map(|n| {
            format!(
                r#"{{"from":"16505551234","id":"{}","timestamp":"1749416383","type":"text","text":{{"body":"{body}"}}}}"#,
                wamid(n)
            )
        })
        .collect();
    envelope(
        phone_number_id,
        &format!(r#""messages":[{}]"#, messages.join(",")),
    )
}

/// `GET /v1/stream` read over a socket with a small receive window, like a slow link: the
/// relay can only send as fast as it is read (on loopback, default buffers would take the
/// whole backlog at once).
struct SlowLink {
    body: hyper::body::Incoming,
    text: String,
    _connection: tokio::task::JoinHandle<Result<(), hyper::Error>>,
}

impl SlowLink {
    async fn open(relay: &Relay, token: &str) -> Self {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket.set_recv_buffer_size(4096).expect("SO_RCVBUF");
        let stream = socket.connect(relay.running.addr).await.expect("connect");
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                .await
                .expect("HTTP/1 handshake");
        let connection = tokio::spawn(connection);
        let request = hyper::Request::get("/v1/stream")
            .header("host", "relay")
            .header("authorization", format!("Bearer {token}"))
            .body(http_body_util::Empty::<hyper::body::Bytes>::new())
            .expect("a request");
        let response = sender.send_request(request).await.expect("GET /v1/stream");
        assert_eq!(response.status(), StatusCode::OK);
        Self {
            body: response.into_body(),
            text: String::new(),
            _connection: connection,
        }
    }

    /// The `receivedAtMs` of the events in the next piece of the stream (waiting 2 ms after
    /// it when `slow`); empty once the stream has ended.
    async fn read(&mut self, slow: bool) -> Vec<i64> {
        use http_body_util::BodyExt;
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(10), self.body.frame())
                .await
                .expect("a frame within 10 s");
            let Some(Ok(frame)) = frame else {
                return Vec::new();
            };
            let Ok(data) = frame.into_data() else {
                continue;
            };
            self.text
                .push_str(std::str::from_utf8(&data).expect("UTF-8"));
            let mut times = Vec::new();
            while let Some(end) = self.text.find("\n\n") {
                let frame: String = self.text.drain(..end + 2).collect();
                if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) {
                    let event: RelayEvent = serde_json::from_str(data.trim()).expect("JSON");
                    times.push(event.received_at_ms);
                }
            }
            if slow {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            if !times.is_empty() {
                return times;
            }
        }
    }
}

async fn a_revoked_devices_stream_ends_within_two_seconds_under_steady_traffic(backend: Backend) {
    let relay = backend.start().await;
    let token = relay.add_device("laptop", None).await;
    // A backlog a slow link takes many seconds to receive.
    for batch in 0..20 {
        assert_eq!(
            relay
                .deliver(&many_messages(SHOP, batch * 100, 100, 2000))
                .await,
            StatusCode::OK
        );
    }
    // Steady traffic: a new message every 20 ms for as long as the test runs.
    let poster = support::Poster::start(&relay.base, |n| {
        text_message(SHOP, &wamid(100_000 + n), "still coming")
    });
    let mut stream = SlowLink::open(&relay, &token).await;
    assert!(!stream.read(true).await.is_empty(), "the stream flows");

    assert!(relay
        .store
        .revoke_device("laptop", 1)
        .await
        .expect("revoke"));
    let revoked_at = std::time::Instant::now();
    let revoked_at_ms = vitrine_relay::server::now_ms();
    // Read slowly for 3 s (the relay cannot send its backlog at once, so the stream never
    // catches up), then as fast as possible until the stream ends.
    let mut received = Vec::new();
    let mut ended = false;
    while revoked_at.elapsed() < Duration::from_secs(20) {
        let slow = revoked_at.elapsed() < Duration::from_secs(3);
        let frame = stream.read(slow).await;
        if frame.is_empty() {
            ended = true;
            break;
        }
        received.extend(frame);
    }
    assert!(poster.stop().await > 0, "the poster kept posting");
    let late = relay
        .store
        .events_after(None, 0, 10_000)
        .await
        .expect("events")
        .iter()
        .filter(|e| e.received_at_ms > revoked_at_ms + 2000)
        .count();
    assert!(
        late > 0,
        "the relay kept receiving events after revocation + 2 s"
    );
    assert!(
        ended,
        "the revoked device's stream ended (after what was already on its way)"
    );
    // What was in the socket buffers when the relay noticed still arrives (megabytes on
    // loopback); the promise is that the relay stops sending within 2 s.
    let latest = received.iter().max().copied().unwrap_or(0);
    assert!(
        latest <= revoked_at_ms + 2000,
        "nothing the relay received more than 2 s after revocation reaches the revoked \
         device: got one received {} ms after ({} events read after revocation)",
        latest - revoked_at_ms,
        received.len()
    );
    relay.stop().await;
}

async fn health_answers_when_the_database_does(backend: Backend) {
    let relay = backend.start().await;
    let response = relay
        .http
        .get(relay.url("/healthz"))
        .send()
        .await
        .expect("GET /healthz");
    assert_eq!(response.status(), StatusCode::OK);
    relay.stop().await;
}

impl Relay {
    async fn all_events_after(&self, token: &str, cursor: &str) -> Vec<RelayEvent> {
        let mut events = Vec::new();
        let mut after = cursor.to_owned();
        loop {
            let page = self.page(token, &after, 100).await;
            events.extend(page.events);
            after = page.next_cursor;
            if !page.has_more {
                return events;
            }
        }
    }
}

// ---- the binary -------------------------------------------------------------------------

fn relay_binary() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine-relay"));
    command
        .env_remove("VITRINE_RELAY_APP_SECRET")
        .env_remove("VITRINE_RELAY_VERIFY_TOKEN")
        .env_remove("VITRINE_RELAY_DATABASE_URL")
        .env_remove("VITRINE_RELAY_DATA_DIR");
    command
}

#[test]
fn help_lists_every_command_and_names_the_secret_variables() {
    let help = relay_binary().arg("--help").output().expect("run --help");
    let text = String::from_utf8_lossy(&help.stdout);
    for word in [
        "serve",
        "device",
        "VITRINE_RELAY_APP_SECRET",
        "VITRINE_RELAY_VERIFY_TOKEN",
    ] {
        assert!(text.contains(word), "--help mentions {word}:\n{text}");
    }
    let serve = relay_binary()
        .args(["serve", "--help"])
        .output()
        .expect("run serve --help");
    let text = String::from_utf8_lossy(&serve.stdout);
    for flag in [
        "--listen",
        "--data-dir",
        "--database-url",
        "--retention-days",
    ] {
        assert!(
            text.contains(flag),
            "serve --help documents {flag}:\n{text}"
        );
    }
    assert!(
        !text.contains("--app-secret"),
        "the app secret is never a flag"
    );
    let device = relay_binary()
        .args(["device", "--help"])
        .output()
        .expect("run device --help");
    let text = String::from_utf8_lossy(&device.stdout);
    for command in ["add", "list", "revoke"] {
        assert!(
            text.contains(command),
            "device --help lists {command}:\n{text}"
        );
    }
}

#[test]
fn serve_refuses_to_start_without_the_secrets_in_the_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = relay_binary()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .output()
        .expect("run serve");
    assert!(!out.status.success(), "no secret, no server");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("VITRINE_RELAY_APP_SECRET"),
        "says which variable: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_add_prints_a_token_the_relay_accepts_until_it_is_revoked() {
    let backend = Backend::new(Kind::Sqlite).await;
    let data_dir = backend.dir.path().to_owned();
    let cli = |args: &[&str]| {
        let mut command = relay_binary();
        command.args(args).arg("--data-dir").arg(&data_dir);
        command.output().expect("run vitrine-relay")
    };
    let added = cli(&["device", "add", "shop-laptop", "--phone-number-id", SHOP]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let token = String::from_utf8_lossy(&added.stdout).trim().to_owned();
    assert!(
        token.starts_with("vrd_") && token.len() == 68,
        "one token on stdout: {token:?}"
    );
    let duplicate = cli(&["device", "add", "shop-laptop", "--all"]);
    assert!(
        !duplicate.status.success(),
        "an active name is not given twice"
    );

    let list = cli(&["device", "list"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(
        listed.contains("shop-laptop") && listed.contains(SHOP),
        "{listed}"
    );
    assert!(
        !listed.contains(&token[4..]),
        "the token is never shown again"
    );

    let relay = backend.start().await;
    assert_eq!(
        relay.page(&token, "", 10).await.events.len(),
        0,
        "the printed token works"
    );
    let revoked = cli(&["device", "revoke", "shop-laptop"]);
    assert!(revoked.status.success());
    let refused = relay
        .http
        .get(relay.url("/v1/events"))
        .bearer_auth(&token)
        .send()
        .await;
    assert_eq!(
        refused.expect("GET").status(),
        StatusCode::UNAUTHORIZED,
        "revoked from the CLI"
    );
    assert!(
        !cli(&["device", "revoke", "shop-laptop"]).status.success(),
        "nothing left to revoke"
    );
    relay.stop().await;
}

#[test]
fn device_add_without_a_phone_number_id_needs_an_explicit_all() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = |args: &[&str]| {
        let mut command = relay_binary();
        command.args(args).arg("--data-dir").arg(dir.path());
        command.output().expect("run vitrine-relay")
    };
    let forgotten = cli(&["device", "add", "shop-laptop"]);
    assert!(
        !forgotten.status.success(),
        "a forgotten --phone-number-id must not let the device read every shop"
    );
    let stderr = String::from_utf8_lossy(&forgotten.stderr);
    assert!(
        stderr.contains("--phone-number-id") && stderr.contains("--all"),
        "the message names both choices: {stderr}"
    );
    assert!(forgotten.stdout.is_empty(), "no token printed");
    let both = cli(&[
        "device",
        "add",
        "shop-laptop",
        "--all",
        "--phone-number-id",
        SHOP,
    ]);
    assert!(!both.status.success(), "one scope or the other, not both");
    let listed = cli(&["device", "list"]);
    assert!(
        !String::from_utf8_lossy(&listed.stdout).contains("shop-laptop"),
        "no device was added by the refused commands"
    );

    let all = cli(&["device", "add", "shop-laptop", "--all"]);
    assert!(
        all.status.success(),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    assert!(String::from_utf8_lossy(&all.stdout)
        .trim()
        .starts_with("vrd_"));
    let listed = cli(&["device", "list"]);
    let listed = String::from_utf8_lossy(&listed.stdout);
    let row = listed
        .lines()
        .find(|line| line.starts_with("shop-laptop"))
        .unwrap_or_default();
    assert!(
        row.contains("all"),
        "listed as reading every number: {listed}"
    );
}

// ---- PostgreSQL over TLS ------------------------------------------------------------------

/// Opens the relay's store on the TLS-only cluster with these URL options; its error text
/// when it cannot.
async fn open_tls(host: &str, options: &str) -> Result<vitrine_relay::store::Counts, String> {
    let cluster = tokio::task::spawn_blocking(support::pg::tls_cluster)
        .await
        .expect("the TLS cluster");
    let url = format!(
        "postgres://postgres@{host}:{}/postgres?hostaddr=127.0.0.1&{options}",
        cluster.port
    );
    let store = vitrine_relay::store::AnyStore::open(std::path::Path::new(""), Some(&url))
        .await
        .map_err(|e| e.to_string())?;
    store.counts().await.map_err(|e| e.to_string())
}

fn tls_file(name: &str) -> String {
    support::pg::tls_cluster()
        .dir
        .join(name)
        .to_str()
        .expect("a UTF-8 path")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sslmode_require_connects_over_tls_and_disable_is_refused_by_a_tls_only_server() {
    assert_eq!(
        open_tls("127.0.0.1", "sslmode=require").await,
        Ok(vitrine_relay::store::Counts::default()),
        "require: encrypted, the self-signed certificate not checked (as libpq)"
    );
    assert!(
        open_tls("127.0.0.1", "sslmode=disable").await.is_err(),
        "the server takes TLS connections only, so the one above was TLS"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_verify_full_connects_with_the_right_ca_and_host_name() {
    let ca = tokio::task::spawn_blocking(|| tls_file("ca.crt"))
        .await
        .expect("path");
    let options = format!("sslmode=verify-full&sslrootcert={ca}");
    assert_eq!(
        open_tls("localhost", &options).await,
        Ok(vitrine_relay::store::Counts::default()),
        "the certificate is for localhost and signed by this CA"
    );
    let options = format!("sslmode=verify-ca&sslrootcert={ca}");
    assert!(
        open_tls("127.0.0.1", &options).await.is_ok(),
        "verify-ca checks the CA, not the name"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_verify_full_refuses_a_wrong_ca_or_host_name_saying_which() {
    let (ca, other) =
        tokio::task::spawn_blocking(|| (tls_file("ca.crt"), tls_file("other-ca.crt")))
            .await
            .expect("paths");
    let refusals = [
        (
            "localhost",
            format!("sslmode=verify-full&sslrootcert={other}"),
            "another CA's",
            "not signed by a trusted certificate authority",
        ),
        (
            "127.0.0.1",
            format!("sslmode=verify-full&sslrootcert={ca}"),
            "another name's",
            "not for the host name \"127.0.0.1\"",
        ),
    ];
    for (host, options, whose, reason) in refusals {
        let refused = open_tls(host, &options)
            .await
            .expect_err("the certificate is refused");
        assert!(
            refused.contains(reason),
            "{whose} certificate, says why: {refused}"
        );
    }
    let public_roots = open_tls("localhost", "sslmode=verify-full")
        .await
        .expect_err("without sslrootcert only public authorities are trusted");
    assert!(
        public_roots.contains("not signed by a trusted certificate authority"),
        "{public_roots}"
    );
}

// ---- slow and hostile clients -----------------------------------------------------------

fn quick_limits() -> vitrine_relay::server::Limits {
    vitrine_relay::server::Limits {
        read_timeout: Duration::from_millis(500),
        ..vitrine_relay::server::Limits::default()
    }
}

/// Whether the relay closed `stream` (EOF or reset), reading whatever it answered first.
async fn closed_within(stream: &mut tokio::net::TcpStream, wait: Duration) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return Some(String::from_utf8_lossy(&answer).into_owned()),
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => return None,
        }
    }
}

/// A connection to `relay` that has sent `start` of a request.
async fn partial_request(relay: &Relay, start: &[u8]) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(relay.running.addr)
        .await
        .expect("connect");
    stream.write_all(start).await.expect("write");
    stream
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sending_its_headers_byte_by_byte_is_cut_off() {
    use tokio::io::AsyncWriteExt;
    let backend = Backend::new(Kind::Sqlite).await;
    let relay = backend.start_with_limits(quick_limits()).await;
    let mut stream =
        partial_request(&relay, b"POST /webhook HTTP/1.1\r\nHost: relay\r\nX-Slow: ").await;
    let started = std::time::Instant::now();
    let mut cut_off = None;
    while started.elapsed() < Duration::from_secs(5) {
        if stream.write_all(b"a").await.is_err()
            || closed_within(&mut stream, Duration::from_millis(50))
                .await
                .is_some()
        {
            cut_off = Some(started.elapsed());
            break;
        }
    }
    let cut_off = cut_off.expect("a header sent a byte every 50 ms is cut off");
    assert!(
        cut_off < Duration::from_secs(2),
        "cut off after the 500 ms read timeout, not later: {cut_off:?}"
    );
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_body_that_never_finishes_is_answered_408_and_cut_off() {
    let backend = Backend::new(Kind::Sqlite).await;
    let relay = backend.start_with_limits(quick_limits()).await;
    let mut stream = partial_request(
        &relay,
        b"POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n\
          X-Hub-Signature-256: sha256=00\r\nContent-Length: 1000\r\n\r\n{\"entry\":",
    )
    .await;
    let answer = closed_within(&mut stream, Duration::from_secs(3))
        .await
        .expect("the connection is closed within 3 s, not held open for the rest of the body");
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "told the body took too long: {answer:?}"
    );
    assert_eq!(
        relay.store.counts().await.expect("counts").payloads,
        0,
        "nothing stored"
    );
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_beyond_the_cap_are_refused_with_503_and_retry_after_until_one_ends() {
    let backend = Backend::new(Kind::Sqlite).await;
    let limits = vitrine_relay::server::Limits {
        unverified_uploads: 2,
        read_timeout: Duration::from_secs(30),
        ..vitrine_relay::server::Limits::default()
    };
    let relay = backend.start_with_limits(limits).await;
    // Two bodies that are still arriving hold both places.
    let mut held = Vec::new();
    for _ in 0..2 {
        let start = b"POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Length: 100000\r\n\r\n{";
        held.push(partial_request(&relay, start).await);
    }
    let body = text_message(SHOP, &wamid(1), "hello");
    let signature =
        vitrine_relay::signature::AppSecret::new(support::APP_SECRET).sign(body.as_bytes());
    let post = || {
        relay
            .http
            .post(relay.url("/webhook"))
            .header("x-hub-signature-256", &signature)
            .body(body.clone())
            .send()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let refused = loop {
        let response = post().await.expect("POST");
        if response.status() != StatusCode::OK || std::time::Instant::now() > deadline {
            break response;
        }
        // The two slow uploads may not have reached the handler yet.
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        refused.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "a third body is not taken while two are arriving"
    );
    assert!(
        refused.headers().get("retry-after").is_some(),
        "and Meta is told when to retry"
    );
    drop(held); // the slow clients give up
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let status = post().await.expect("POST").status();
        if status == StatusCode::OK {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the places are freed once the slow uploads end: still {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_forged_webhooks_logs_a_few_lines_and_never_a_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let added = relay_binary()
        .args(["device", "add", "laptop", "--all", "--data-dir"])
        .arg(dir.path())
        .output()
        .expect("device add");
    let token = String::from_utf8_lossy(&added.stdout).trim().to_owned();
    assert!(token.starts_with("vrd_"), "a token: {token:?}");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut server = relay_binary()
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir.path())
        .env("VITRINE_RELAY_APP_SECRET", support::APP_SECRET)
        .env("VITRINE_RELAY_VERIFY_TOKEN", VERIFY_TOKEN)
        .env("RUST_LOG", "debug")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(std::time::Instant::now() < deadline, "the relay starts");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for n in 0..300 {
        let forged = http
            .post(format!("{base}/webhook"))
            .header("x-hub-signature-256", format!("sha256={:064x}", n))
            .body(text_message(SHOP, &wamid(n), "forged"))
            .send()
            .await
            .expect("POST");
        assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    }
    let body = text_message(SHOP, &wamid(1000), "genuine");
    let signature =
        vitrine_relay::signature::AppSecret::new(support::APP_SECRET).sign(body.as_bytes());
    let genuine = http
        .post(format!("{base}/webhook"))
        .header("x-hub-signature-256", signature)
        .body(body)
        .send()
        .await
        .expect("POST");
    assert_eq!(genuine.status(), StatusCode::OK);
    let read = http
        .get(format!("{base}/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(read.status(), StatusCode::OK);
    let _ = http
        .get(format!(
            "{base}/webhook?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"
        ))
        .send()
        .await
        .expect("GET");
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(stopped.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(
        &mut server.stderr.take().expect("stderr piped"),
        &mut stderr,
    )
    .expect("read the log");
    assert!(server.wait().expect("wait").success(), "{stderr}");

    let one_by_one = stderr.matches("webhook refused").count();
    assert!(
        one_by_one <= 10,
        "300 forged webhooks log at most 10 lines one by one, not {one_by_one}:\n{stderr}"
    );
    assert!(
        stderr.contains("290 more webhooks refused"),
        "and one line counts the rest:\n{stderr}"
    );
    for (what, secret) in [
        ("the app secret", support::APP_SECRET),
        ("the verify token", VERIFY_TOKEN),
        ("the device token", &token[4..]),
    ] {
        assert!(
            !stderr.contains(secret),
            "{what} is never logged:\n{stderr}"
        );
    }
}
