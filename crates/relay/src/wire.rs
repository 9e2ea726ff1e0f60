//! What the relay sends to desktops, and what they send back: the JSON of the desktop API
//! (`GET /v1/events`, `GET /v1/stream`, `POST /v1/ack`). Plain serde types with no server
//! dependency, so the desktop reads the relay with these and nothing more.
//!
//! A cursor is an opaque string: the position of an event in the relay's log. Events come
//! in cursor order; asking for the events after the last cursor seen resumes without gaps or
//! repeats. `data` is the WhatsApp object exactly as Meta sent it (its bytes are kept, so a
//! price such as `"item_price": 7.99` reaches the desktop as the same text).

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// What kind of WhatsApp webhook object an event carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    /// An inbound message (`value.messages[]`), any `type`, known or not.
    Message,
    /// A status of a message the shop sent (`value.statuses[]`): sent, delivered, read,
    /// failed… Only statuses that move a message forward are events; a `sent` arriving
    /// after `read` is kept in the raw payload but never reaches a desktop.
    Status,
    /// A system-level error (`value.errors[]`).
    Error,
    /// Anything else: a change of another field (`account_update`, …) or a payload whose
    /// shape the relay does not know. `data` is that change (or the whole payload).
    Other,
}

/// One event, as listed by `GET /v1/events` and sent by `GET /v1/stream` (where the SSE
/// `id:` is the same cursor).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelayEvent {
    /// Position in the relay's log; pass it back as `after`, `Last-Event-ID` or in an ack.
    pub cursor: String,
    /// The shop's number (`metadata.phone_number_id`); empty when the payload had none.
    pub phone_number_id: String,
    pub kind: EventKind,
    /// `wamid.…` of the message (for a status: of the message it is about).
    pub message_id: Option<String>,
    /// For a status: `sent`, `delivered`, `read`, `failed`, or what Meta sent.
    pub status: Option<String>,
    /// Meta's `timestamp`, Unix seconds (Meta sends it as a string).
    pub timestamp: Option<i64>,
    /// When the relay received the webhook, Unix milliseconds.
    pub received_at_ms: i64,
    /// The message, status, error or change object, byte for byte as Meta sent it.
    pub data: Box<RawValue>,
    /// For a message: the sender's entry of `value.contacts[]` (name, `wa_id`, `user_id`).
    pub contact: Option<Box<RawValue>>,
}

/// The answer of `GET /v1/events?after=CURSOR&limit=N`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventsPage {
    pub events: Vec<RelayEvent>,
    /// The cursor to ask after next: the last event's, or the one asked after when empty.
    pub next_cursor: String,
    /// True when the page was full: more events may follow right away.
    pub has_more: bool,
}

/// The body of `POST /v1/ack`: every event up to and including `cursor` has been read by
/// this device. Acks only move forward; an older cursor changes nothing, and a cursor beyond
/// the newest the relay has is refused (409 `cursor_ahead`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AckRequest {
    pub cursor: String,
}

/// An error answer of the desktop API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// `unauthorized` (401), `bad_request` (400), `cursor_ahead` (409: an ack beyond the
    /// newest cursor the relay has; nothing was acknowledged) or `unavailable` (503).
    pub code: String,
    pub message: String,
}
