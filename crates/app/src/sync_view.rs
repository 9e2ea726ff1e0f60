//! The catalog against Meta, as a merchant reads it: a badge per product in the catalog
//! (synced, synced with a warning, changed since the last sync, rejected, held back) and the sync view's table of
//! every product's state with Meta's message. Computed from the sync journal, without
//! calling Meta.

use std::collections::HashMap;

use chrono::DateTime;
use serde::{Deserialize, Serialize};
use vitrine_core::sync_plan::Action;
use vitrine_core::ProductId;
use vitrine_store::{app_state, sync_journal, SyncMark};

use crate::connection::CATALOG_KEY;
use crate::sync::context_key;
use crate::{AppError, SyncStatus, Vitrine};

/// Where one product stands against the WhatsApp catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SyncState {
    /// Never sent: the next sync creates it.
    New,
    /// Meta holds this product as it is now.
    Synced,
    /// Meta holds this product as it is now, and warned about it (the message says what).
    Warning,
    /// Edited since Meta last received it: the next sync updates it.
    Changed,
    /// Meta refused it in the last sync (the message says why) and it has not been edited since.
    Rejected,
    /// Pre-flight found errors: no sync sends it until they are fixed.
    Held,
}

impl SyncState {
    pub const ALL: [Self; 6] = [
        Self::New,
        Self::Synced,
        Self::Warning,
        Self::Changed,
        Self::Rejected,
        Self::Held,
    ];
}

/// A product's badge: its state and, for a rejection or a warning, Meta's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncBadge {
    pub state: SyncState,
    pub message: Option<String>,
}

/// One line of the sync view's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncItem {
    pub id: ProductId,
    pub sku: String,
    pub title: String,
    pub badge: SyncBadge,
}

/// The sync view's table: the lines in one state (or all), and how many are in each state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncItems {
    pub items: Vec<SyncItem>,
    /// Lines matching the filter, beyond the `limit` returned.
    pub total: usize,
    pub counts: Vec<(SyncState, usize)>,
}

/// One line of the plan preview: what the next sync sends for a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanLine {
    pub retailer_id: String,
    pub action: Action,
    /// The fields sent (for an update, only those that changed; never `id`).
    pub fields: Vec<String>,
}

/// The sync view's header: where things stand and the first lines of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncPreview {
    pub status: SyncStatus,
    pub unchanged: usize,
    /// At most the `limit` asked for; `status` has the full counts.
    pub lines: Vec<PlanLine>,
}

fn is_after(a: &str, b: &str) -> bool {
    match (
        DateTime::parse_from_rfc3339(a),
        DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a > b,
        _ => a > b,
    }
}

fn badge_of(mark: &SyncMark, context: &str) -> SyncBadge {
    let current = format!("{}|{context}", mark.updated_at);
    let rejected_since_edit = mark.outcome.as_deref() == Some("rejected")
        && mark
            .outcome_at
            .as_deref()
            .is_some_and(|at| !is_after(&mark.updated_at, at));
    let state = if mark.errors > 0 {
        SyncState::Held
    } else if rejected_since_edit {
        SyncState::Rejected
    } else {
        match mark.source_version.as_deref() {
            Some(v) if v == current && mark.outcome.as_deref() == Some("warning") => {
                SyncState::Warning
            }
            Some(v) if v == current => SyncState::Synced,
            Some(_) => SyncState::Changed,
            None => SyncState::New,
        }
    };
    let message = match state {
        SyncState::Warning => mark.message.clone(),
        SyncState::Rejected | SyncState::New | SyncState::Changed
            if mark.outcome.as_deref() == Some("rejected") =>
        {
            mark.message.clone()
        }
        _ => None,
    };
    SyncBadge { state, message }
}

fn storage(e: vitrine_store::StoreError) -> AppError {
    AppError::from_store("reading the sync state", e)
}

impl Vitrine {
    /// The key every current version ends with (see `sync_plan`).
    fn current_context(&self) -> Result<String, AppError> {
        let base = self.image_hosting()?.map(|h| h.public_base_url);
        let storefront = self.storefront_url()?;
        Ok(context_key(
            &self.shop()?,
            base.as_deref(),
            storefront.as_deref(),
        ))
    }

    /// Whether badges mean anything: a Meta catalog is set, or a sync ever ran.
    pub fn sync_tracked(&self) -> Result<bool, AppError> {
        self.store
            .read(
                |c| Ok(app_state::get(c, CATALOG_KEY)?.is_some() || sync_journal::ever_synced(c)?),
            )
            .map_err(storage)
    }

    /// The badges of these products (by id); empty when nothing is tracked.
    pub fn sync_badges(
        &self,
        ids: &[ProductId],
    ) -> Result<HashMap<ProductId, SyncBadge>, AppError> {
        if ids.is_empty() || !self.sync_tracked()? {
            return Ok(HashMap::new());
        }
        let context = self.current_context()?;
        let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let marks = self
            .store
            .read(|c| sync_journal::marks(c, Some(&keys)))
            .map_err(storage)?;
        Ok(marks
            .iter()
            .filter_map(|m| Some((ProductId::parse(&m.id).ok()?, badge_of(m, &context))))
            .collect())
    }

    /// The plan a sync would send now (its first `limit` lines) and the status around it.
    pub fn sync_preview(&self, limit: usize) -> Result<SyncPreview, AppError> {
        let plan = self.sync_plan()?;
        let unchanged = plan.unchanged;
        let lines = plan
            .items
            .iter()
            .take(limit)
            .map(|item| PlanLine {
                retailer_id: item.retailer_id.clone(),
                action: item.action,
                fields: item
                    .data
                    .keys()
                    .filter(|k| k.as_str() != "id")
                    .cloned()
                    .collect(),
            })
            .collect();
        Ok(SyncPreview {
            status: self.status_of(plan)?,
            unchanged,
            lines,
        })
    }

    /// Every product's line in the sync view, latest edit first, narrowed to one state;
    /// at most `limit` lines (0: all).
    pub fn sync_items(
        &self,
        state: Option<SyncState>,
        limit: usize,
    ) -> Result<SyncItems, AppError> {
        let context = self.current_context()?;
        let marks = self
            .store
            .read(|c| sync_journal::marks(c, None))
            .map_err(storage)?;
        let mut counts: HashMap<SyncState, usize> = HashMap::new();
        let mut items = Vec::new();
        let mut total = 0;
        for mark in marks {
            let badge = badge_of(&mark, &context);
            *counts.entry(badge.state).or_default() += 1;
            if state.is_some_and(|s| s != badge.state) {
                continue;
            }
            total += 1;
            if limit == 0 || items.len() < limit {
                let Ok(id) = ProductId::parse(&mark.id) else {
                    continue;
                };
                items.push(SyncItem {
                    id,
                    sku: mark.sku,
                    title: mark.title,
                    badge,
                });
            }
        }
        Ok(SyncItems {
            items,
            total,
            counts: SyncState::ALL
                .iter()
                .map(|s| (*s, counts.get(s).copied().unwrap_or(0)))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(errors: u32, version: Option<&str>, outcome: Option<(&str, &str)>) -> SyncMark {
        SyncMark {
            id: String::new(),
            sku: "S".to_owned(),
            title: "T".to_owned(),
            errors,
            updated_at: "2026-11-20T10:00:00.000Z".to_owned(),
            source_version: version.map(str::to_owned),
            outcome: outcome.map(|(o, _)| o.to_owned()),
            message: outcome.map(|_| "Meta says no".to_owned()),
            outcome_at: outcome.map(|(_, at)| at.to_owned()),
        }
    }

    #[test]
    fn each_state_comes_from_the_journal() {
        let now = "2026-11-20T10:00:00.000Z|ctx";
        let state = |m: &SyncMark| badge_of(m, "ctx").state;
        assert_eq!(state(&mark(0, None, None)), SyncState::New);
        assert_eq!(state(&mark(0, Some(now), None)), SyncState::Synced);
        assert_eq!(
            state(&mark(0, Some("2026-11-19T10:00:00.000Z|ctx"), None)),
            SyncState::Changed
        );
        assert_eq!(
            state(&mark(0, Some("2026-11-20T10:00:00.000Z|old-context"), None)),
            SyncState::Changed,
            "a new image host or brand resends everything"
        );
        assert_eq!(
            state(&mark(2, Some(now), None)),
            SyncState::Held,
            "errors hold it back"
        );
    }

    #[test]
    fn a_warning_shows_on_a_synced_product_until_it_is_edited() {
        let now = "2026-11-20T10:00:00.000Z|ctx";
        let warned = mark(0, Some(now), Some(("warning", "2026-11-20T11:00:00+00:00")));
        let badge = badge_of(&warned, "ctx");
        assert_eq!(
            badge.state,
            SyncState::Warning,
            "Meta holds it, with a warning"
        );
        assert_eq!(badge.message.as_deref(), Some("Meta says no"));
        let edited = mark(
            0,
            Some("2026-11-19T10:00:00.000Z|ctx"),
            Some(("warning", "2026-11-19T11:00:00+00:00")),
        );
        assert_eq!(
            badge_of(&edited, "ctx").state,
            SyncState::Changed,
            "an edit since is what the next sync sends"
        );
    }

    #[test]
    fn a_rejection_shows_until_the_product_is_edited() {
        let rejected = mark(0, None, Some(("rejected", "2026-11-20T11:00:00+00:00")));
        let badge = badge_of(&rejected, "ctx");
        assert_eq!(badge.state, SyncState::Rejected);
        assert_eq!(badge.message.as_deref(), Some("Meta says no"));

        let edited_after = mark(0, None, Some(("rejected", "2026-11-20T09:00:00+00:00")));
        let badge = badge_of(&edited_after, "ctx");
        assert_eq!(
            badge.state,
            SyncState::New,
            "fixed: the next sync sends it again"
        );
        assert_eq!(
            badge.message.as_deref(),
            Some("Meta says no"),
            "the last reason stays visible"
        );
    }
}
