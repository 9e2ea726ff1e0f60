//! `vitrine meta …`: the connection to Meta's catalog and WhatsApp settings, Meta's review
//! of each item, orphans at Meta, and a catalog built elsewhere brought in.

use std::process::ExitCode;

use serde_json::json;
use vitrine_app::{AppError, CommerceChange, InputField, Vitrine};

use crate::args::{MetaCommand, Switch};
use crate::import::EXIT_ROWS_SKIPPED;
use crate::output::{emit, progress_bar, runtime, show_progress};
use crate::secrets::{secret_words, stdin_secret};

pub fn meta(v: &Vitrine, json: bool, cmd: &MetaCommand) -> Result<ExitCode, AppError> {
    match cmd {
        MetaCommand::Connect {
            catalog,
            waba,
            phone_number_id,
            token_stdin,
        } => {
            let token = if *token_stdin {
                Some(stdin_secret(
                    InputField::Token,
                    vitrine_app::meta::AccessToken::new,
                )?)
            } else {
                None
            };
            let c = v.connect_meta(
                catalog,
                waba.as_deref(),
                phone_number_id.as_deref(),
                token.as_ref(),
            )?;
            emit(json, &c, || {
                format!(
                    "Connected to catalog {} (token: {}). Check it with: vitrine meta test",
                    c.catalog_id,
                    token_words(c.token)
                )
            });
        }
        MetaCommand::Test => {
            let check = runtime()?.block_on(v.check_meta())?;
            emit(json, &check, || {
                let mut text = format!(
                    "OK: catalog “{}” ({}), {} items at Meta.",
                    check.catalog.name.clone().unwrap_or_default(),
                    check.catalog.id,
                    check.catalog.product_count.unwrap_or(0)
                );
                if let Some(c) = &check.commerce {
                    text.push_str(&format!(
                        "\nWhatsApp: catalog {}, cart {}.",
                        on_off(c.is_catalog_visible, "visible", "hidden"),
                        on_off(c.is_cart_enabled, "enabled", "disabled")
                    ));
                }
                for w in &check.warnings {
                    text.push_str(&format!("\nwarning: {w}"));
                }
                text
            });
        }
        MetaCommand::Settings {
            catalog_visible,
            cart,
        } => {
            let settings = runtime()?.block_on(v.change_commerce(CommerceChange {
                catalog_visible: catalog_visible.map(Switch::is_on),
                cart_enabled: cart.map(Switch::is_on),
            }))?;
            emit(json, &settings, || {
                let mut text = format!(
                    "Catalog {}, cart {}.",
                    on_off(settings.is_catalog_visible, "visible", "hidden"),
                    on_off(settings.is_cart_enabled, "enabled", "disabled")
                );
                if !settings.is_catalog_visible {
                    text.push_str("\nwarning: a hidden catalog breaks wa.me/c/ links; turn it on with --catalog-visible on");
                }
                text
            });
        }
        MetaCommand::Pull => {
            let items = runtime()?.block_on(v.review_at_meta())?;
            emit(json, &items, || {
                let count = |s: &str| items.iter().filter(|i| i.review_status == s).count();
                let mut text = format!(
                    "{} items at Meta: {} approved, {} pending review, {} rejected; {} not in Vitrine (orphans).",
                    items.len(), count("approved"), count("pending"), count("rejected"), items.iter().filter(|i| !i.in_vitrine).count()
                );
                for i in items
                    .iter()
                    .filter(|i| i.review_status == "rejected" || !i.errors.is_empty())
                {
                    let why: Vec<String> = i
                        .errors
                        .iter()
                        .map(|e| {
                            format!(
                                "{} {}",
                                e.description.clone().unwrap_or_default(),
                                e.call_to_action.clone().unwrap_or_default()
                            )
                        })
                        .collect();
                    text.push_str(&format!(
                        "\n  {} ({}): {}",
                        i.retailer_id,
                        i.review_status,
                        why.join(" ").trim()
                    ));
                }
                text
            });
        }
        MetaCommand::Orphans { delete: true } => {
            let removed = runtime()?.block_on(v.remove_orphans_at_meta())?;
            emit(json, &removed, || {
                format!(
                    "Deleted {} of {} orphan(s) at Meta.",
                    removed.deleted,
                    removed.orphans.len()
                )
            });
        }
        MetaCommand::Orphans { delete: false } => {
            let orphans = runtime()?.block_on(v.orphans_at_meta())?;
            emit(json, &json!({ "orphans": orphans }), || {
                if orphans.is_empty() {
                    "No orphans: every item at Meta is in Vitrine.".to_owned()
                } else {
                    format!("{} item(s) at Meta are not in Vitrine: {}\nDelete them with: vitrine meta orphans --delete", orphans.len(), orphans.join(", "))
                }
            });
        }
        MetaCommand::Import => {
            let bar = progress_bar(json, "importing", "rows");
            let report = runtime()?.block_on(
                v.import_connected(&mut |p| show_progress(bar.as_ref(), p.done, p.total)),
            )?;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            emit(json, &report, || {
                let mut text = format!(
                    "Imported {} product(s) from Meta; {} already in Vitrine; {} skipped.",
                    report.imported,
                    report.already_in_vitrine,
                    report.skipped.len()
                );
                for i in &report.skipped {
                    text.push_str(&format!("\n  skipped {}: {}", i.retailer_id, i.message));
                }
                for i in &report.photos_missing {
                    text.push_str(&format!("\n  {}: {}", i.retailer_id, i.message));
                }
                text
            });
            if !report.skipped.is_empty() {
                return Ok(ExitCode::from(EXIT_ROWS_SKIPPED));
            }
        }
        MetaCommand::Disconnect => {
            v.forget_meta_token()?;
            emit(json, &json!({ "tokenForgotten": true }), || {
                "The access token was removed from the keychain.".to_owned()
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn on_off(value: bool, on: &'static str, off: &'static str) -> &'static str {
    if value {
        on
    } else {
        off
    }
}

fn token_words(source: vitrine_app::TokenSource) -> String {
    secret_words(
        source,
        vitrine_app::TOKEN_ENV,
        "connect again with --token-stdin",
    )
}
