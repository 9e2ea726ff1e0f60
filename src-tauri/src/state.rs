//! Small typed state the commands share besides the catalog itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tauri::ipc::Channel;
use vitrine_app as app;

use crate::dto::ImportProgress;

/// Lets `cancel_import` reach the import running on a worker thread.
#[derive(Debug, Default)]
pub struct ImportControl {
    cancel: Arc<AtomicBool>,
    /// The last file import's report, for "save report".
    last: std::sync::Mutex<Option<app::ImportReport>>,
}

impl ImportControl {
    /// The flag a new import polls between rows, cleared of any earlier cancel.
    pub fn begin(&self) -> Arc<AtomicBool> {
        self.cancel.store(false, Ordering::Relaxed);
        Arc::clone(&self.cancel)
    }

    /// Asks the running import (if any) to stop after its current row.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Keeps `report` as the last import's, and gives it back.
    pub fn finished(&self, report: app::ImportReport) -> app::ImportReport {
        if let Ok(mut last) = self.last.lock() {
            *last = Some(report.clone());
        }
        report
    }

    /// The last import's report, if there was one.
    pub fn last_report(&self) -> Option<app::ImportReport> {
        self.last.lock().ok().and_then(|last| last.clone())
    }
}

/// A progress callback that forwards to the UI's channel, at most about 100 times per
/// import (plus the first and last report): a 10,000-row CSV should not send 10,000 messages.
pub fn progress_to(channel: &Channel<ImportProgress>) -> impl FnMut(app::ImportProgress) + '_ {
    let mut last_sent: Option<u64> = None;
    move |progress: app::ImportProgress| {
        let step = (progress.total / 100).max(1);
        let due = match last_sent {
            None => true,
            Some(last) => progress.done >= progress.total || progress.done >= last + step,
        };
        if due {
            last_sent = Some(progress.done);
            if let Err(error) = channel.send(progress.into()) {
                // The window went away; the import itself carries on and saves its rows.
                tracing::debug!(%error, "import progress not delivered");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use tauri::ipc::InvokeResponseBody;

    use super::*;

    #[test]
    fn a_long_import_reports_about_a_hundred_times_and_always_the_end() {
        let sent = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&sent);
        let channel = Channel::new(move |body| {
            if let InvokeResponseBody::Json(json) = body {
                sink.lock().expect("not poisoned").push(json);
            }
            Ok(())
        });

        let mut report = progress_to(&channel);
        for done in 0..=10_000 {
            report(app::ImportProgress {
                done,
                total: 10_000,
            });
        }

        let sent = sent.lock().expect("not poisoned");
        assert!(
            (100..=102).contains(&sent.len()),
            "about one message per percent, not per row: {}",
            sent.len()
        );
        assert_eq!(
            sent.last().map(String::as_str),
            Some(r#"{"done":10000,"total":10000}"#),
            "the last report says it is finished"
        );
    }

    #[test]
    fn a_new_import_starts_uncancelled() {
        let control = ImportControl::default();
        control.cancel();

        let flag = control.begin();

        assert!(
            !flag.load(Ordering::Relaxed),
            "an old cancel does not stop a new import"
        );
        control.cancel();
        assert!(
            flag.load(Ordering::Relaxed),
            "the running import sees the cancel"
        );
    }
}
