//! Cloud API messages (meta-api.md §5): `POST /{phone_number_id}/messages` with a text
//! message, validated as strictly as Meta (messaging product, recipient, type, body of at
//! most 4,096 characters), refused with 131047 when the recipient's last message is more
//! than 24 hours old (or they never wrote), and `status: "read"` answered
//! `{"success": true}`. What was sent and marked read is kept for assertions.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::State;

/// Meta's limit on a text body, in characters.
const TEXT_MAX: usize = 4096;
/// The customer service window, in seconds.
const WINDOW: u64 = 24 * 3600;

/// A text message the fake accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentText {
    pub phone_number_id: String,
    /// `to` as the client sent it.
    pub to: String,
    pub body: String,
    pub wamid: String,
    /// The quoted message (`context.message_id`), if any.
    pub reply_to: Option<String>,
}

pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// A WhatsApp error: `code`, a title-like message and `error_data.details`.
fn whatsapp_error(code: i64, message: &str, details: &str) -> Response {
    let body = json!({"error": {
        "message": format!("(#{code}) {message}"),
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details},
        "fbtrace_id": "AFakeTrace",
    }});
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

fn invalid(details: &str) -> Response {
    whatsapp_error(100, "Invalid parameter", details)
}

/// The recipient's number as digits (Meta accepts `+`, spaces, hyphens and parentheses).
fn recipient_digits(to: &str) -> Option<String> {
    let digits: String = to.chars().filter(char::is_ascii_digit).collect();
    let allowed = to
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
    (allowed && (7..=15).contains(&digits.len())).then_some(digits)
}

pub(crate) fn post(s: &mut State, node: &str, params: &Map<String, Value>) -> Response {
    if params.get("messaging_product").and_then(Value::as_str) != Some("whatsapp") {
        return invalid("The parameter messaging_product is required and must be \"whatsapp\".");
    }
    if params.get("status").is_some() {
        return mark_read(s, node, params);
    }
    if let Some(kind) = params.get("recipient_type").and_then(Value::as_str) {
        if kind != "individual" {
            return invalid("recipient_type must be \"individual\".");
        }
    }
    let Some(to) = params.get("to").and_then(Value::as_str) else {
        return invalid("The parameter to is required.");
    };
    let Some(digits) = recipient_digits(to) else {
        return whatsapp_error(
            131009,
            "Parameter value is not valid",
            "to is not a phone number.",
        );
    };
    match params.get("type").and_then(Value::as_str) {
        Some("text") => {}
        Some(_) => {
            return whatsapp_error(
                131009,
                "Parameter value is not valid",
                "This fake sends text messages only.",
            )
        }
        None => return invalid("The parameter type is required."),
    }
    let body = match params.get("text").and_then(|t| t.get("body")) {
        Some(Value::String(b)) if !b.trim().is_empty() => b.clone(),
        _ => return invalid("The parameter text['body'] is required."),
    };
    if body.chars().count() > TEXT_MAX {
        return invalid("Param text['body'] must be at most 4096 characters long.");
    }
    let open = s
        .last_customer_message
        .get(&digits)
        .is_some_and(|at| now().saturating_sub(*at) < WINDOW);
    if !open {
        return whatsapp_error(
            131047,
            "Re-engagement message",
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        );
    }
    s.next_id += 1;
    let wamid = format!("wamid.FAKE{:020}", s.next_id);
    s.sent_texts.push(SentText {
        phone_number_id: node.to_owned(),
        to: to.to_owned(),
        body,
        wamid: wamid.clone(),
        reply_to: params
            .get("context")
            .and_then(|c| c.get("message_id"))
            .and_then(Value::as_str)
            .map(str::to_owned),
    });
    axum::Json(json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": digits}],
        "messages": [{"id": wamid}],
    }))
    .into_response()
}

fn mark_read(s: &mut State, node: &str, params: &Map<String, Value>) -> Response {
    if params.get("status").and_then(Value::as_str) != Some("read") {
        return invalid("status must be \"read\".");
    }
    match params.get("message_id").and_then(Value::as_str) {
        Some(id) if id.starts_with("wamid.") => {
            s.read_marks.push((node.to_owned(), id.to_owned()));
            axum::Json(json!({"success": true})).into_response()
        }
        _ => whatsapp_error(
            131009,
            "Parameter value is not valid",
            "message_id is not a valid WhatsApp message id.",
        ),
    }
}
