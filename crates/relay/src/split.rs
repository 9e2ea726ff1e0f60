//! Splitting a webhook payload into events: every `entry[]`, every `changes[]`, and in a
//! `messages` change every message, status and error. The shape is read leniently, since
//! Meta adds fields and message types over time: unknown fields are ignored, unknown message
//! types are messages like any other, and a change or payload of a shape the relay does not
//! know becomes one [`EventKind::Other`] event. Only bytes that are not JSON at all are
//! refused. Each object is kept as the exact bytes Meta sent (a `RawValue`), so nothing is
//! lost by a parse and re-serialise.
//!
//! Dedupe keys, unique per phone number id: `m:<wamid>` for a message, `s:<wamid>:<status>`
//! for a status, and for objects without an id (errors, other changes) the payload's SHA-256
//! and the object's position, so a retried payload maps onto the same keys.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::wire::EventKind;

/// One event to store, before it has a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub phone_number_id: String,
    pub kind: EventKind,
    pub dedupe_key: String,
    pub message_id: Option<String>,
    pub status: Option<String>,
    pub timestamp: Option<i64>,
    /// The object's JSON text as received.
    pub data: String,
    /// For a message: the sender's `contacts[]` entry, as received.
    pub contact: Option<String>,
}

/// The body is not JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the webhook body is not JSON")]
pub struct MalformedJson;

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    entry: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow, default)]
    changes: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Change<'a> {
    #[serde(default)]
    field: Option<String>,
    #[serde(borrow)]
    value: &'a RawValue,
}

#[derive(Deserialize)]
struct MessagesValue<'a> {
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(borrow, default)]
    contacts: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    messages: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    statuses: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    errors: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    phone_number_id: Option<String>,
}

/// The few fields of a message or status the relay indexes; the rest stays in `data`.
#[derive(Deserialize, Default)]
struct Head {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    timestamp: Option<Timestamp>,
}

/// Meta sends Unix seconds as a string; accept a number too.
#[derive(Deserialize)]
#[serde(untagged)]
enum Timestamp {
    Text(String),
    Number(i64),
}

impl Timestamp {
    fn seconds(&self) -> Option<i64> {
        match self {
            Timestamp::Text(text) => text.trim().parse().ok(),
            Timestamp::Number(n) => Some(*n),
        }
    }
}

#[derive(Deserialize)]
struct ContactHead {
    #[serde(default)]
    wa_id: Option<String>,
}

/// Splits a webhook body into events, in payload order. `payload_sha256` (hex) keys the
/// objects that have no id of their own.
pub fn split(body: &[u8], payload_sha256: &str) -> Result<Vec<NewEvent>, MalformedJson> {
    let whole: &RawValue = serde_json::from_slice(body).map_err(|_| MalformedJson)?;
    let mut events = Vec::new();
    let Ok(envelope) = serde_json::from_str::<Envelope>(whole.get()) else {
        events.push(other(String::new(), format!("o:{payload_sha256}"), whole));
        return Ok(events);
    };
    for (e, entry) in envelope.entry.iter().enumerate() {
        let Ok(entry_fields) = serde_json::from_str::<Entry>(entry.get()) else {
            events.push(other(
                String::new(),
                format!("o:{payload_sha256}:{e}"),
                entry,
            ));
            continue;
        };
        for (c, change) in entry_fields.changes.iter().enumerate() {
            let position = format!("{payload_sha256}:{e}.{c}");
            split_change(change, &position, &mut events);
        }
    }
    Ok(events)
}

fn split_change(change: &RawValue, position: &str, events: &mut Vec<NewEvent>) {
    let parsed = serde_json::from_str::<Change>(change.get())
        .ok()
        .and_then(|c| {
            let is_messages = c.field.as_deref() == Some("messages");
            let value = serde_json::from_str::<MessagesValue>(c.value.get()).ok()?;
            is_messages.then_some(value)
        });
    let Some(value) = parsed else {
        let tenant = serde_json::from_str::<Change>(change.get())
            .ok()
            .and_then(|c| serde_json::from_str::<MessagesValue>(c.value.get()).ok())
            .and_then(|v| v.metadata)
            .and_then(|m| m.phone_number_id)
            .unwrap_or_default();
        events.push(other(tenant, format!("o:{position}"), change));
        return;
    };
    let tenant = value
        .metadata
        .and_then(|m| m.phone_number_id)
        .unwrap_or_default();
    let contacts: Vec<(Option<String>, &RawValue)> = value
        .contacts
        .iter()
        .map(|raw| {
            let wa_id = serde_json::from_str::<ContactHead>(raw.get())
                .ok()
                .and_then(|c| c.wa_id);
            (wa_id, *raw)
        })
        .collect();

    for (m, message) in value.messages.iter().enumerate() {
        let head = serde_json::from_str::<Head>(message.get()).unwrap_or_default();
        // The sender's contact: the one with the same wa_id, else the only one there is.
        let contact = contacts
            .iter()
            .find(|(wa_id, _)| wa_id.is_some() && *wa_id == head.from)
            .or_else(|| (contacts.len() == 1).then(|| &contacts[0]))
            .map(|(_, raw)| raw.get().to_owned());
        let dedupe_key = match &head.id {
            Some(id) => format!("m:{id}"),
            None => format!("m:{position}.m{m}"),
        };
        events.push(NewEvent {
            phone_number_id: tenant.clone(),
            kind: EventKind::Message,
            dedupe_key,
            message_id: head.id,
            status: None,
            timestamp: head.timestamp.as_ref().and_then(Timestamp::seconds),
            data: message.get().to_owned(),
            contact,
        });
    }
    for (s, status) in value.statuses.iter().enumerate() {
        let head = serde_json::from_str::<Head>(status.get()).unwrap_or_default();
        let dedupe_key = match (&head.id, &head.status) {
            (Some(id), Some(state)) => format!("s:{id}:{state}"),
            _ => format!("s:{position}.s{s}"),
        };
        events.push(NewEvent {
            phone_number_id: tenant.clone(),
            kind: EventKind::Status,
            dedupe_key,
            message_id: head.id,
            status: head.status,
            timestamp: head.timestamp.as_ref().and_then(Timestamp::seconds),
            data: status.get().to_owned(),
            contact: None,
        });
    }
    for (x, error) in value.errors.iter().enumerate() {
        events.push(NewEvent {
            phone_number_id: tenant.clone(),
            kind: EventKind::Error,
            dedupe_key: format!("e:{position}.e{x}"),
            message_id: None,
            status: None,
            timestamp: None,
            data: error.get().to_owned(),
            contact: None,
        });
    }
}

fn other(phone_number_id: String, dedupe_key: String, raw: &RawValue) -> NewEvent {
    NewEvent {
        phone_number_id,
        kind: EventKind::Other,
        dedupe_key,
        message_id: None,
        status: None,
        timestamp: None,
        data: raw.get().to_owned(),
        contact: None,
    }
}

/// How far a status moves a message: `sent` < `delivered` < `read` < `played`, and
/// `failed` is terminal. `None` for a status the relay does not know: such a status is
/// passed on once (deduped by id and status) and never changes a message's state.
pub fn status_rank(status: &str) -> Option<i32> {
    match status {
        "sent" => Some(1),
        "delivered" => Some(2),
        "read" => Some(3),
        "played" => Some(4),
        "failed" => Some(100),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_json_are_refused() {
        assert_eq!(split(b"{\"entry\":[", "x"), Err(MalformedJson));
        assert_eq!(split(b"", "x"), Err(MalformedJson));
    }

    #[test]
    fn json_of_an_unknown_shape_becomes_one_other_event() {
        let events = split(b"[1,2]", "abc").unwrap_or_default();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, EventKind::Other);
        assert_eq!(events[0].data, "[1,2]");
    }

    #[test]
    fn a_change_of_another_field_is_kept_as_other() {
        let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
            {"field":"account_update","value":{"event":"VERIFIED_ACCOUNT"}}]}]}"#;
        let events = split(body, "abc").unwrap_or_default();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, EventKind::Other);
        assert!(events[0].data.contains("VERIFIED_ACCOUNT"));
    }

    mod properties {
        use proptest::prelude::*;
        use serde_json::{json, Value};

        use super::super::*;

        /// Keys the splitter reads, so arbitrary objects often take its every branch.
        const KEYS: &[&str] = &[
            "object",
            "entry",
            "changes",
            "field",
            "value",
            "metadata",
            "phone_number_id",
            "contacts",
            "wa_id",
            "messages",
            "statuses",
            "errors",
            "id",
            "from",
            "status",
            "timestamp",
            "type",
            "text",
        ];

        fn arbitrary_json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_map(Value::from),
                ".{0,12}".prop_map(Value::String),
                Just(json!("messages")),
            ];
            leaf.prop_recursive(5, 64, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                    prop::collection::vec(
                        (prop::sample::select(KEYS).prop_map(str::to_owned), inner),
                        0..6
                    )
                    .prop_map(|fields| Value::Object(fields.into_iter().collect())),
                ]
            })
        }

        /// How many messages, statuses and errors each `messages` change holds, per entry.
        type Shape = Vec<Vec<(usize, usize, usize)>>;

        fn shape() -> impl Strategy<Value = Shape> {
            prop::collection::vec(
                prop::collection::vec((0..5usize, 0..4usize, 0..3usize), 0..4),
                0..4,
            )
        }

        /// A payload as Meta sends it, with arbitrary text in the messages.
        fn payload(shape: &Shape, text: &str) -> Value {
            let mut n = 0;
            let mut next = || {
                n += 1;
                n
            };
            let entries: Vec<Value> = shape
                .iter()
                .map(|changes| {
                    let changes: Vec<Value> = changes
                        .iter()
                        .map(|&(messages, statuses, errors)| {
                            let messages: Vec<Value> = (0..messages)
                                .map(|_| {
                                    json!({"from": "16505551234", "id": format!("wamid.{}", next()),
                                           "timestamp": "1749416383", "type": "text",
                                           "text": {"body": text}})
                                })
                                .collect();
                            let statuses: Vec<Value> = (0..statuses)
                                .map(|_| {
                                    json!({"id": format!("wamid.{}", next()), "status": "read",
                                           "timestamp": "1749416390", "recipient_id": "1"})
                                })
                                .collect();
                            let errors: Vec<Value> = (0..errors)
                                .map(|_| json!({"code": 131_000, "title": text}))
                                .collect();
                            json!({"field": "messages", "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"phone_number_id": "106540352242922"},
                                "contacts": [{"profile": {"name": text}, "wa_id": "16505551234"}],
                                "messages": messages, "statuses": statuses, "errors": errors}})
                        })
                        .collect();
                    json!({"id": "102290129340398", "changes": changes})
                })
                .collect();
            json!({"object": "whatsapp_business_account", "entry": entries})
        }

        proptest! {
            #[test]
            fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
                let _ = split(&bytes, "sha");
            }

            #[test]
            fn any_json_is_accepted_and_split_the_same_way_twice(value in arbitrary_json()) {
                let body = serde_json::to_vec(&value).expect("JSON");
                let first = split(&body, "sha");
                prop_assert!(first.is_ok(), "only bytes that are not JSON are refused");
                prop_assert_eq!(first, split(&body, "sha"), "splitting is deterministic");
            }

            #[test]
            fn a_payload_with_k_messages_yields_k_message_events_in_order(
                shape in shape(),
                text in any::<String>(),
            ) {
                let body = serde_json::to_vec(&payload(&shape, &text)).expect("JSON");
                let events = split(&body, "sha").expect("a well-formed payload");
                let count = |pick: fn(&(usize, usize, usize)) -> usize| -> usize {
                    shape.iter().flatten().map(pick).sum()
                };
                let of = |kind: EventKind| events.iter().filter(|e| e.kind == kind).count();
                prop_assert_eq!(of(EventKind::Message), count(|c| c.0), "one event per message");
                prop_assert_eq!(of(EventKind::Status), count(|c| c.1), "one per status");
                prop_assert_eq!(of(EventKind::Error), count(|c| c.2), "one per error");
                prop_assert_eq!(of(EventKind::Other), 0, "nothing unrecognised");
                let keys: std::collections::HashSet<&str> =
                    events.iter().map(|e| e.dedupe_key.as_str()).collect();
                prop_assert_eq!(keys.len(), events.len(), "every event has its own dedupe key");
                for event in events.iter().filter(|e| e.kind == EventKind::Message) {
                    let data: Value = serde_json::from_str(&event.data).expect("data is JSON");
                    prop_assert_eq!(&data["text"]["body"], &json!(text), "the text as sent");
                    prop_assert_eq!(event.phone_number_id.as_str(), "106540352242922");
                    prop_assert!(event.contact.is_some(), "the sender's contact is attached");
                }
                let ids: Vec<u64> = events
                    .iter()
                    .filter_map(|e| e.message_id.as_deref()?.strip_prefix("wamid.")?.parse().ok())
                    .collect();
                prop_assert!(ids.windows(2).all(|w| w[0] < w[1]), "payload order: {:?}", ids);
                prop_assert_eq!(split(&body, "sha").expect("again"), events, "deterministic");
            }
        }
    }

    #[test]
    fn status_ranks_order_sent_delivered_read_and_failed_last() {
        let ranks: Vec<_> = ["sent", "delivered", "read", "failed"]
            .map(status_rank)
            .into();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
        assert_eq!(status_rank("deleted"), None);
    }
}
