//! `vitrine import`: a CSV, spreadsheet or feed file (or its URL) into the catalog, or a
//! preview of how it reads.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use vitrine_app::{
    AppError, FileReading, ImportFile, ImportOptions, ReadChoices, RowResult, Vitrine,
};

use crate::args::ImportArgs;
use crate::output::{emit, progress_bar, show_progress};

/// Exit status of an import that finished but skipped some rows.
pub(crate) const EXIT_ROWS_SKIPPED: u8 = 2;

pub fn import(v: &Vitrine, json: bool, args: &ImportArgs) -> Result<ExitCode, AppError> {
    let file = if args.file.starts_with("https://") || args.file.starts_with("http://") {
        ImportFile::Url(args.file.clone())
    } else {
        ImportFile::Path(args.file.clone().into())
    };
    let choices = ReadChoices {
        encoding: args.encoding,
        delimiter: args.delimiter,
        currency: args.currency.clone(),
    };
    if args.preview {
        let preview = v.preview_import(&file, &choices)?;
        emit(json, &preview, || {
            let mut text = format!(
                "{}, {} products. {}",
                preview.format,
                preview.products,
                describe_reading(&preview.reading)
            );
            for row in &preview.rows {
                text.push_str(&format!(
                    "\n  line {}: {} | {} | {} {} | {} | {} photos",
                    row.line,
                    row.sku.as_deref().unwrap_or("(no SKU)"),
                    row.title.as_deref().unwrap_or("(no title)"),
                    row.price.as_deref().unwrap_or("(no price)"),
                    row.currency.as_deref().unwrap_or(""),
                    row.availability.as_deref().unwrap_or(""),
                    row.photos
                ));
                for note in &row.notes {
                    text.push_str(&format!("\n    note: {note}"));
                }
            }
            for e in &preview.unreadable {
                text.push_str(&format!("\n  line {}: {}", e.line, e.message));
            }
            text
        });
        return Ok(ExitCode::SUCCESS);
    }
    let options = ImportOptions {
        choices,
        dedupe_skus: args.dedupe_skus,
        ..ImportOptions::default()
    };
    let bar = progress_bar(json, "importing", "rows");
    let report = v.import_file(
        &file,
        &options,
        &mut |p| show_progress(bar.as_ref(), p.done, p.total),
        &AtomicBool::new(false),
    )?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    emit(json, &report, || {
        let mut text = format!(
            "{}: {} added, {} updated, {} unchanged, {} skipped{}",
            report.format,
            report.created,
            report.updated,
            report.unchanged,
            report.errors.len(),
            crate::photos::pending_summary(report.photos_pending.len()),
        );
        if let Some(reading) = &report.reading {
            text.push(' ');
            text.push_str(&describe_reading(reading));
        }
        for row in &report.rows {
            let sku = row
                .sku
                .as_ref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            match &row.result {
                RowResult::Skipped { reason } => {
                    text.push_str(&format!("\n  line {}{sku}: {reason}", row.line));
                }
                RowResult::Collection { name, members } => text.push_str(&format!(
                    "\n  line {}: grouped product, made the collection “{name}” of {members} products",
                    row.line
                )),
                _ => {}
            }
            for note in &row.notes {
                text.push_str(&format!("\n  line {}{sku}: note: {note}", row.line));
            }
        }
        text.push_str(&crate::photos::import_lines(&report.photos_pending));
        text
    });
    if !report.errors.is_empty() {
        return Ok(ExitCode::from(EXIT_ROWS_SKIPPED));
    }
    Ok(ExitCode::SUCCESS)
}

/// How a file was read, and what to pass to read it otherwise.
fn describe_reading(reading: &FileReading) -> String {
    let FileReading {
        encoding,
        encoding_guessed,
        delimiter,
        decimal_comma,
        currency_in_file,
    } = reading;
    let mut text = format!("Read as {encoding}");
    if *encoding_guessed {
        text.push_str(" (guessed: pass --encoding if letters look wrong)");
    }
    if let Some(d) = delimiter {
        text.push_str(&format!(", cells separated by {d}"));
    }
    if *decimal_comma {
        text.push_str(", decimal comma");
    }
    if !currency_in_file {
        text.push_str(", prices in the shop's currency unless --currency is given");
    }
    text.push('.');
    text
}
