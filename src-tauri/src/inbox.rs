//! The order inbox's live link to the relay: a background thread follows the relay's stream
//! (the app resumes from its saved cursor, so nothing is lost while the laptop was off), tells
//! the UI through [`InboxChanged`] and shows a desktop notification for each new order. It
//! waits while no relay is connected and starts again when [`InboxStream::restart`] is called
//! (after `connect_relay`).
//!
//! A customer chooses their own WhatsApp name, so it is shown as text: where notification
//! daemons read the body as markup (the freedesktop servers of Linux and the BSDs render
//! `<b>`, `<a href>`, `<img src>` and `&` entities), it is escaped first.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;
use vitrine_app::{InboxUpdate, Order, OrderQuery, OrderStatus, StreamOptions, Vitrine};

use crate::orders_dto::InboxChanged;

/// How long to wait before trying again after the stream stopped with an error, or before
/// looking again for a relay connection.
const RETRY: Duration = Duration::from_secs(30);

/// Managed state: stops the running stream (it then starts again with the saved settings).
#[derive(Debug, Default)]
pub struct InboxStream {
    cancel: Arc<AtomicBool>,
    wake: Arc<(Mutex<bool>, Condvar)>,
}

impl InboxStream {
    /// Follow the relay again from the saved settings (a new URL or token).
    pub fn restart(&self) {
        self.cancel.store(true, Ordering::Release);
        let (lock, signal) = &*self.wake;
        if let Ok(mut woken) = lock.lock() {
            *woken = true;
            signal.notify_all();
        }
    }

    /// Sleeps up to `RETRY`, or until [`InboxStream::restart`].
    fn wait(&self) {
        let (lock, signal) = &*self.wake;
        if let Ok(guard) = lock.lock() {
            if let Ok((mut woken, _)) = signal.wait_timeout_while(guard, RETRY, |woken| !*woken) {
                *woken = false;
            }
        }
    }
}

/// Starts following the relay on a thread of its own, for as long as the app runs.
pub fn start<R: Runtime>(app: &AppHandle<R>, vitrine: Arc<Vitrine>) {
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("relay-inbox".into())
        .spawn(move || loop {
            let Some(inbox) = app.try_state::<InboxStream>() else {
                return;
            };
            let connected = matches!(vitrine.relay_status(), Ok(Some(_)));
            if !connected {
                inbox.wait();
                continue;
            }
            inbox.cancel.store(false, Ordering::Release);
            let mut on_update = |update: InboxUpdate| changed(&app, &vitrine, &update);
            let outcome = tauri::async_runtime::block_on(vitrine.stream_relay(
                &inbox.cancel,
                StreamOptions::default(),
                &mut on_update,
            ));
            if let Err(error) = outcome {
                tracing::warn!(%error, "the relay stream stopped; trying again later");
                inbox.wait();
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "could not start following the relay");
    }
}

fn changed<R: Runtime>(app: &AppHandle<R>, vitrine: &Vitrine, update: &InboxUpdate) {
    let waiting = vitrine
        .orders(&OrderQuery {
            status: Some(OrderStatus::New),
            ..OrderQuery::default()
        })
        .map(|orders| orders.len())
        .unwrap_or(0);
    let new_order = match update {
        InboxUpdate::NewOrder { order_id, .. } => {
            notify(app, vitrine, *order_id);
            u32::try_from(*order_id).ok()
        }
        _ => None,
    };
    let event = InboxChanged {
        new_order,
        waiting: u32::try_from(waiting).unwrap_or(u32::MAX),
    };
    if let Err(error) = event.emit(app) {
        tracing::debug!(%error, "inbox change not delivered to the window");
    }
}

/// A desktop notification: who ordered, how many items, the total.
fn notify<R: Runtime>(app: &AppHandle<R>, vitrine: &Vitrine, order_id: i64) {
    use tauri_plugin_notification::NotificationExt;
    if app
        .try_state::<tauri_plugin_notification::Notification<R>>()
        .is_none()
    {
        return;
    }
    let Ok(order) = vitrine.order(order_id) else {
        return;
    };
    let notice = new_order_notice(&order, BODY_MARKUP);
    let shown = app
        .notification()
        .builder()
        .title(notice.title)
        .body(notice.body)
        .show();
    if let Err(error) = shown {
        tracing::debug!(%error, "no desktop notification");
    }
}

/// Whether this system's notification daemons read the body as markup (freedesktop
/// notifications; macOS and Windows show it as plain text).
const BODY_MARKUP: bool = cfg!(all(unix, not(target_os = "macos")));

/// The words of a desktop notification: the title plain text, the body as the daemon reads it.
#[derive(Debug, PartialEq, Eq)]
struct Notice {
    title: String,
    body: String,
}

/// Who ordered, how many items, the total; with `markup`, the customer's words escaped so
/// that they show as the text they are.
fn new_order_notice(order: &Order, markup: bool) -> Notice {
    let who = if order.customer.name.trim().is_empty() {
        format!("+{}", order.customer.wa_id)
    } else {
        order.customer.name.clone()
    };
    let total = order
        .total
        .map(|t| format!(" · {}", t.to_meta_string()))
        .unwrap_or_default();
    let body = format!("{who}: {} item(s){total}", order.item_count);
    Notice {
        title: "Vitrine 🛒".to_owned(),
        body: if markup { markup_text(&body) } else { body },
    }
}

/// `text` as markup that shows exactly `text` (the five XML escapes).
fn markup_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitrine_app::core::{Currency, Money};
    use vitrine_app::{Customer, OrderStatus};

    fn order_from(name: &str) -> Order {
        Order {
            id: 7,
            wamid: "wamid.N1".into(),
            phone_number_id: "106540352242922".into(),
            customer: Customer {
                wa_id: "16505551234".into(),
                name: name.into(),
            },
            received_at: chrono::DateTime::UNIX_EPOCH,
            status: OrderStatus::New,
            note: String::new(),
            ref_tag: None,
            catalog_id: "194836987003835".into(),
            customer_text: String::new(),
            lines: Vec::new(),
            total: Some(Money::from_minor(
                1598,
                Currency::from_code("USD").expect("USD"),
            )),
            item_count: 2,
            has_unknown_products: false,
            has_price_differences: false,
        }
    }

    #[test]
    fn a_customer_name_made_of_markup_shows_as_text_in_the_notification() {
        let name = r#"<a href="http://x">Ana</a> & <img src=x>"#;
        let notice = new_order_notice(&order_from(name), true);
        assert_eq!(
            notice.body,
            "&lt;a href=&quot;http://x&quot;&gt;Ana&lt;/a&gt; &amp; &lt;img src=x&gt;: 2 item(s) · 15.98 USD",
            "every character of the name is escaped, so the daemon shows it literally"
        );
        assert!(
            !notice.body.contains('<') && !notice.body.contains("& "),
            "no tag and no bare ampersand reaches the daemon: {}",
            notice.body
        );
        assert_eq!(
            notice.title, "Vitrine 🛒",
            "the title carries no customer text"
        );
    }

    #[test]
    fn without_markup_the_notification_shows_the_name_as_written() {
        let name = "Ana & <b>Zé</b>";
        let notice = new_order_notice(&order_from(name), false);
        assert_eq!(
            notice.body, "Ana & <b>Zé</b>: 2 item(s) · 15.98 USD",
            "plain-text daemons need no escapes"
        );
        let nameless = new_order_notice(&order_from("  "), true);
        assert_eq!(
            nameless.body, "+16505551234: 2 item(s) · 15.98 USD",
            "no name: the number"
        );
    }
}
