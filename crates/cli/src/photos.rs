//! `vitrine image retry` and the pending photos an import reports: photos whose address
//! gave no photo yet, each with why.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use vitrine_app::{AppError, PendingPhotoReport, Vitrine};

use crate::output::{emit, progress_bar, show_progress};

/// Exit status of a retry after which some photos still wait.
const EXIT_STILL_PENDING: u8 = 2;

fn photos(n: usize) -> String {
    if n == 1 {
        "1 photo".to_owned()
    } else {
        format!("{n} photos")
    }
}

/// The end of an import's summary line: `.` or `; 2 photos pending.`
pub(crate) fn pending_summary(pending: usize) -> String {
    if pending == 0 {
        ".".to_owned()
    } else {
        format!("; {} pending.", photos(pending))
    }
}

/// One line per pending photo of an import, then how to fetch them later.
pub(crate) fn import_lines(pending: &[PendingPhotoReport]) -> String {
    let mut text = String::new();
    for p in pending {
        let PendingPhotoReport {
            line,
            sku,
            url,
            reason,
        } = p;
        text.push_str(&format!(
            "\n  line {line} ({sku}): photo pending, {reason} — {url}"
        ));
    }
    if !pending.is_empty() {
        text.push_str("\nThe products are saved; `vitrine image retry` downloads the photos later (so does importing the file again).");
    }
    text
}

/// `vitrine image retry`.
pub(crate) fn retry(v: &Vitrine, json: bool) -> Result<ExitCode, AppError> {
    let bar = progress_bar(json, "downloading", "photos");
    let report = v.retry_pending_photos(
        &mut |p| show_progress(bar.as_ref(), p.done, p.total),
        &AtomicBool::new(false),
    )?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    emit(json, &report, || {
        let waiting = report.still_pending.len();
        if report.fetched == 0 && waiting == 0 {
            return "No photos are waiting to be downloaded.".to_owned();
        }
        let mut text = format!("Fetched {}; ", photos(report.fetched as usize));
        if waiting == 0 {
            text.push_str("none pending.");
        } else {
            text.push_str(&format!("{waiting} still pending:"));
        }
        for p in &report.still_pending {
            text.push_str(&format!("\n  {}  {} — {}", p.sku, p.url, p.reason));
        }
        text
    });
    Ok(if report.still_pending.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_STILL_PENDING)
    })
}
