//! The order inbox's live link to the relay: a background thread follows the relay's stream
//! (the app resumes from its saved cursor, so nothing is lost while the laptop was off), tells
//! the UI through [`InboxChanged`] and shows a desktop notification for each new order. It
//! waits while no relay is connected and starts again when [`InboxStream::restart`] is called
//! (after `connect_relay`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;
use vitrine_app::{InboxUpdate, OrderQuery, StreamOptions, Vitrine};

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
            status: Some("new".to_owned()),
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
    let who = if order.customer.name.trim().is_empty() {
        format!("+{}", order.customer.wa_id)
    } else {
        order.customer.name.clone()
    };
    let total = order
        .total
        .map(|t| format!(" · {}", t.to_meta_string()))
        .unwrap_or_default();
    let shown = app
        .notification()
        .builder()
        .title("Vitrine 🛒")
        .body(format!("{who}: {} item(s){total}", order.item_count))
        .show();
    if let Err(error) = shown {
        tracing::debug!(%error, "no desktop notification");
    }
}
