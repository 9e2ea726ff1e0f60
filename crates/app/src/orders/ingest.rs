//! Turning relay events into the inbox: each event is stored as received (once, by cursor),
//! then an `order` message becomes an order with its lines, every message joins its
//! customer's thread, and a status moves the shop's reply forward. All in the caller's
//! transaction, so an event is either fully applied or not at all; applying one again
//! changes nothing.
//!
//! An event this version cannot read (a kind or shape from a newer relay) is still kept:
//! stored as kind `other` with the whole event, as the relay sent it, in `data` (its
//! `cursor` and `kind` fields tell it from the relay's own `other` events, whose `data` is a
//! Meta object), so it is acknowledged only once it is safe here and a newer Vitrine can
//! read it again. Only an event that is not a JSON object with a cursor cannot be kept.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use vitrine_core::order::item_price;
use vitrine_core::share::parse_ref;
use vitrine_core::Currency;
use vitrine_relay::wire::{EventKind, RelayEvent};
use vitrine_store::{order_lines, orders, relay_events, thread_messages, StoreError, Transaction};

use super::relay::InboxUpdate;

/// How far back a ref tag the customer sent still explains their cart: a week, Meta's
/// retry horizon and about how long a customer takes from poster to cart.
const REF_TAG_WINDOW_SECONDS: i64 = 7 * 24 * 3600;

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    from: String,
    #[serde(default)]
    from_user_id: Option<String>,
    id: String,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    order: Option<OrderBody>,
    #[serde(default)]
    text: Option<TextBody>,
    #[serde(default)]
    context: Option<Context>,
}

#[derive(Deserialize)]
struct OrderBody {
    #[serde(default)]
    catalog_id: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    product_items: Vec<ProductItem>,
}

#[derive(Deserialize)]
struct ProductItem {
    #[serde(default)]
    product_retailer_id: String,
    #[serde(default)]
    quantity: i64,
    /// Kept as written: `7.99` must not pass through a float.
    #[serde(default)]
    item_price: Option<Box<RawValue>>,
    #[serde(default)]
    currency: String,
}

#[derive(Deserialize)]
struct TextBody {
    #[serde(default)]
    body: String,
}

#[derive(Deserialize)]
struct Context {
    #[serde(default)]
    referred_product: Option<ReferredProduct>,
}

#[derive(Deserialize)]
struct ReferredProduct {
    #[serde(default)]
    product_retailer_id: String,
}

#[derive(Deserialize, Default)]
struct Contact {
    #[serde(default)]
    wa_id: String,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Deserialize, Default)]
struct Profile {
    #[serde(default)]
    name: String,
}

/// One event as the relay sent it, read as far as this version of Vitrine can.
#[derive(Debug)]
pub(crate) enum Incoming {
    Known(RelayEvent),
    /// A JSON object with a cursor whose kind or shape this version does not know, as it
    /// will be kept: kind `other`, the event's text byte for byte in `data`.
    Unreadable(relay_events::StoredEvent),
}

impl Incoming {
    /// Reads one event's JSON. `sse_id` is the Server-Sent Event's `id:`, the cursor of an
    /// event whose JSON has none. `None` when the event cannot even be kept: not a JSON
    /// object, or no cursor to acknowledge it by.
    pub(crate) fn read(json: &str, sse_id: Option<&str>) -> Option<Self> {
        if let Ok(event) = serde_json::from_str::<RelayEvent>(json) {
            if !event.cursor.trim().is_empty() {
                return Some(Self::Known(event));
            }
        }
        let raw: Value = serde_json::from_str(json).ok()?;
        let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_owned);
        let cursor = text("cursor")
            .or_else(|| sse_id.map(str::to_owned))
            .filter(|c| !c.trim().is_empty())?;
        raw.is_object().then(|| {
            Self::Unreadable(relay_events::StoredEvent {
                cursor,
                phone_number_id: text("phoneNumberId").unwrap_or_default(),
                kind: kind_name(EventKind::Other).to_owned(),
                message_id: text("messageId"),
                status: text("status"),
                timestamp: raw.get("timestamp").and_then(Value::as_i64),
                received_at_ms: raw
                    .get("receivedAtMs")
                    .and_then(Value::as_i64)
                    .unwrap_or_default(),
                data: json.to_owned(),
                contact: None,
            })
        })
    }

    pub(crate) fn cursor(&self) -> &str {
        match self {
            Self::Known(event) => &event.cursor,
            Self::Unreadable(stored) => &stored.cursor,
        }
    }
}

/// Stores `event` and applies it; what changed in the inbox (nothing for a repeat, nor for
/// an event this version cannot read, which is only kept).
pub(crate) fn apply(
    tx: &Transaction<'_>,
    event: &Incoming,
) -> Result<Vec<InboxUpdate>, StoreError> {
    match event {
        Incoming::Known(event) => apply_known(tx, event),
        Incoming::Unreadable(stored) => {
            if relay_events::insert(tx, stored)? {
                tracing::warn!(
                    cursor = %stored.cursor,
                    "kept an event from the relay that this version of Vitrine cannot read"
                );
            }
            Ok(Vec::new())
        }
    }
}

fn apply_known(tx: &Transaction<'_>, event: &RelayEvent) -> Result<Vec<InboxUpdate>, StoreError> {
    let stored = relay_events::StoredEvent {
        cursor: event.cursor.clone(),
        phone_number_id: event.phone_number_id.clone(),
        kind: kind_name(event.kind).to_owned(),
        message_id: event.message_id.clone(),
        status: event.status.clone(),
        timestamp: event.timestamp,
        received_at_ms: event.received_at_ms,
        data: event.data.get().to_owned(),
        contact: event.contact.as_ref().map(|c| c.get().to_owned()),
    };
    if !relay_events::insert(tx, &stored)? {
        return Ok(Vec::new());
    }
    match event.kind {
        EventKind::Message => message(tx, event),
        EventKind::Status => status(tx, event),
        // Kept in `relay_events`; nothing in the inbox depends on them yet.
        EventKind::Error | EventKind::Other => Ok(Vec::new()),
    }
}

fn kind_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Message => "message",
        EventKind::Status => "status",
        EventKind::Error => "error",
        EventKind::Other => "other",
    }
}

fn message(tx: &Transaction<'_>, event: &RelayEvent) -> Result<Vec<InboxUpdate>, StoreError> {
    let Ok(message) = serde_json::from_str::<Message>(event.data.get()) else {
        tracing::warn!(cursor = %event.cursor, "a message event of an unexpected shape was kept as received");
        return Ok(Vec::new());
    };
    let contact: Contact = event
        .contact
        .as_ref()
        .and_then(|c| serde_json::from_str(c.get()).ok())
        .unwrap_or_default();
    // Meta keys customers by number, or by a business-scoped user id when the number is hidden.
    let customer = [
        contact.wa_id.as_str(),
        message.from.as_str(),
        contact.user_id.as_deref().unwrap_or_default(),
        message.from_user_id.as_deref().unwrap_or_default(),
    ]
    .into_iter()
    .find(|k| !k.is_empty())
    .unwrap_or_default()
    .to_owned();
    let name = contact.profile.map(|p| p.name).unwrap_or_default();
    let sent_at = event
        .timestamp
        .or_else(|| message.timestamp.as_deref().and_then(|t| t.parse().ok()))
        .unwrap_or(event.received_at_ms / 1000);
    let referred = message
        .context
        .as_ref()
        .and_then(|c| c.referred_product.as_ref())
        .map(|r| r.product_retailer_id.clone())
        .filter(|r| !r.is_empty());
    let body = match (&message.order, &message.text) {
        (Some(order), _) => order.text.clone().unwrap_or_default(),
        (None, Some(text)) => text.body.clone(),
        (None, None) => other_body(event.data.get(), &message.kind),
    };
    let kind = if referred.is_some() {
        "product_inquiry".to_owned()
    } else {
        message.kind.clone()
    };
    let ref_tag = parse_ref(&body).map(|t| t.as_str().to_owned());
    let mut updates = Vec::new();
    let new_message = thread_messages::insert(
        tx,
        &thread_messages::ThreadMessage {
            wamid: message.id.clone(),
            phone_number_id: event.phone_number_id.clone(),
            customer_wa_id: customer.clone(),
            direction: thread_messages::Direction::Inbound,
            kind: kind.clone(),
            body,
            referred_retailer_id: referred,
            ref_tag: ref_tag.clone(),
            sent_at,
            status: None,
            error: None,
            marked_read: false,
        },
    )?;
    if let Some(order) = &message.order {
        let ref_tag = match ref_tag {
            Some(tag) => Some(tag),
            None => thread_messages::last_ref_tag(
                tx,
                &event.phone_number_id,
                &customer,
                sent_at - REF_TAG_WINDOW_SECONDS,
                sent_at,
            )?,
        };
        let new_order = orders::NewOrder {
            wamid: message.id.clone(),
            phone_number_id: event.phone_number_id.clone(),
            customer_wa_id: customer.clone(),
            customer_name: name,
            received_at: sent_at,
            catalog_id: order.catalog_id.clone(),
            customer_text: order.text.clone().unwrap_or_default(),
            ref_tag,
        };
        if let Some(order_id) = orders::insert(tx, &new_order)? {
            order_lines::insert_all(tx, order_id, &lines(&order.product_items))?;
            updates.push(InboxUpdate::NewOrder {
                order_id,
                wamid: message.id.clone(),
            });
        }
    } else if new_message {
        updates.push(InboxUpdate::Message {
            wamid: message.id,
            customer_wa_id: customer,
            kind,
        });
    }
    Ok(updates)
}

fn lines(items: &[ProductItem]) -> Vec<order_lines::OrderLineRow> {
    items
        .iter()
        .map(|item| {
            let raw = item.item_price.as_ref().map(|p| p.get()).unwrap_or("");
            // Some senders quote the number; the text inside is the same decimal.
            let text = raw.trim().trim_matches('"').to_owned();
            let unit_minor = Currency::from_code(item.currency.trim())
                .ok()
                .and_then(|c| item_price(&text, c))
                .map(|m| m.minor());
            order_lines::OrderLineRow {
                retailer_id: item.product_retailer_id.clone(),
                quantity: item.quantity,
                item_price: text,
                unit_minor,
                currency: item.currency.trim().to_ascii_uppercase(),
            }
        })
        .collect()
}

/// Something readable for a message that is not text or a cart: a caption, a button's
/// title, a place's name, a reaction's emoji; empty for the rest.
fn other_body(data: &str, kind: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(data) else {
        return String::new();
    };
    let object = &value[kind];
    let candidates = [
        &object["caption"],
        &object["text"],
        &object["title"],
        &object["button_reply"]["title"],
        &object["list_reply"]["title"],
        &object["body"],
        &object["name"],
        &object["address"],
        &object["emoji"],
    ];
    let body = candidates
        .into_iter()
        .find_map(|v| v.as_str().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_owned();
    body
}

/// A status of a message the shop sent: failures carry Meta's code and reason.
fn status(tx: &Transaction<'_>, event: &RelayEvent) -> Result<Vec<InboxUpdate>, StoreError> {
    let (Some(wamid), Some(state)) = (&event.message_id, &event.status) else {
        return Ok(Vec::new());
    };
    let error = failure(event.data.get());
    if thread_messages::advance_status(tx, wamid, state, error.as_deref())? {
        return Ok(vec![InboxUpdate::Status {
            wamid: wamid.clone(),
            status: state.clone(),
        }]);
    }
    Ok(Vec::new())
}

/// `errors[0]` of a failed status, as `131047: Re-engagement message`.
pub(crate) fn failure(data: &str) -> Option<String> {
    let value: Value = serde_json::from_str(data).ok()?;
    let error = value.get("errors")?.get(0)?;
    let code = error
        .get("code")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    let text = error
        .pointer("/error_data/details")
        .or_else(|| error.get("message"))
        .or_else(|| error.get("title"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    Some(format!("{code}: {text}"))
}
