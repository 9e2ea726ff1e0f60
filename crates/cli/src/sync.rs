//! `vitrine sync`: sends the catalog's changes to Meta, shows what a sync would send
//! (`--dry-run`), or where the last one left things (`sync status`).

use std::io::IsTerminal;
use std::process::ExitCode;

use vitrine_app::{AppError, Vitrine};

use crate::args::{SyncArgs, SyncCommand};
use crate::output::{emit, runtime};

/// Exit status of a sync that finished with items Meta does not hold as the catalog has
/// them (refused by Meta, or edited too late for its last run).
const EXIT_NOT_ALL_SYNCED: u8 = 2;

pub fn sync(v: &Vitrine, json: bool, args: &SyncArgs) -> Result<ExitCode, AppError> {
    if let Some(SyncCommand::Status) = args.command {
        let status = v.sync_status()?;
        emit(json, &status, || {
            let mut text = format!(
                "{} items at Meta. Next sync: {} to create, {} to update, {} to delete.{}",
                status.at_meta,
                status.to_create,
                status.to_update,
                status.to_delete,
                if status.unfinished {
                    " A sync was interrupted; the next one resumes it."
                } else {
                    ""
                }
            );
            for h in &status.held {
                text.push_str(&format!(
                    "\n  held   {}: {}",
                    h.retailer_id,
                    h.errors
                        .iter()
                        .map(|e| e.message.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
            for r in &status.rejected {
                text.push_str(&format!(
                    "\n  refused by Meta {}: {}",
                    r.retailer_id, r.message
                ));
            }
            for w in &status.warnings {
                text.push_str(&format!(
                    "\n  synced with Meta's warning {}: {}",
                    w.retailer_id, w.message
                ));
            }
            text
        });
        return Ok(ExitCode::SUCCESS);
    }
    if args.dry_run {
        let plan = v.sync_plan()?;
        emit(json, &plan, || {
            use vitrine_app::core::sync_plan::Action;
            let mut text = format!(
                "Would send {} item(s): {} to create, {} to update, {} to delete; {} unchanged; {} held back by errors.",
                plan.items.len(), plan.count(Action::Create), plan.count(Action::Update), plan.count(Action::Delete), plan.unchanged, plan.held.len()
            );
            for i in plan.items.iter().take(50) {
                let fields: Vec<&str> = i
                    .data
                    .keys()
                    .map(String::as_str)
                    .filter(|k| *k != "id")
                    .collect();
                let action = format!("{:?}", i.action).to_lowercase();
                text.push_str(&format!(
                    "\n  {action} {} {}",
                    i.retailer_id,
                    fields.join(",")
                ));
            }
            text
        });
        return Ok(ExitCode::SUCCESS);
    }
    let quiet = json || !std::io::stderr().is_terminal();
    let report = runtime()?.block_on(v.sync_connected(
        &vitrine_app::SyncOptions {
            batch_size: args.batch_size as usize,
            ..vitrine_app::SyncOptions::default()
        },
        &mut |p| {
            if !quiet {
                eprintln!("{p}");
            }
        },
    ))?;
    emit(json, &report, || {
        let mut text = String::new();
        if report.resumed {
            text.push_str(&format!(
                "Finished an interrupted sync ({} item(s)), then sent {} change(s) made since.\n",
                report.resumed_items,
                report.items_sent() - report.resumed_items
            ));
        }
        text.push_str(&format!(
            "{}: {} created, {} updated, {} deleted, {} unchanged; {} held back, {} refused by Meta.",
            if report.complete() { "Synced" } else { "Not all synced" },
            report.created, report.updated, report.deleted, report.unchanged, report.held.len(), report.rejected.len()
        ));
        for r in &report.rejected {
            text.push_str(&format!("\n  refused {}: {}", r.retailer_id, r.message));
        }
        for w in &report.warnings {
            text.push_str(&format!("\n  warning {}: {}", w.retailer_id, w.message));
        }
        for h in &report.held {
            text.push_str(&format!(
                "\n  held {}: fix {} error(s) first (vitrine product show {})",
                h.retailer_id,
                h.errors.len(),
                h.retailer_id
            ));
        }
        if !report.complete() {
            text.push_str(&format!(
                "\n{} item(s) are not at Meta as they are here: fix what Meta refused and sync again (vitrine sync status).",
                report.left_to_send
            ));
        }
        text
    });
    if !report.complete() {
        return Ok(ExitCode::from(EXIT_NOT_ALL_SYNCED));
    }
    Ok(ExitCode::SUCCESS)
}
