//! Keeping the WhatsApp Business catalog equal to the local one.
//!
//! A sync plans from what Meta was last sent (the journal's `meta_items`) — creates, updates
//! with only the changed fields, deletes; products with pre-flight errors are held back —
//! then journals the whole run (its batches) before the first call. Each batch goes out in
//! one `items_batch` call (new items as UPDATE with `allow_upsert`, so a resent batch can
//! never create a duplicate), is polled until Meta finishes it, and its per-item outcome is
//! recorded with what Meta now holds, in one transaction. A sync stopped at any point (crash,
//! kill, expired token, rate limit) resumes the unfinished run first; edits made meanwhile
//! differ from what was recorded as sent, and the same sync then plans and sends them in a
//! new run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::time::Duration;

use serde::Serialize;
use vitrine_core::preflight::check_product;
use vitrine_core::sync_plan::{
    fields_hash, plan, Action, FeedContext, Fields, HeldItem, PlannedItem, SyncPlan,
};
use vitrine_core::ContentHash;
use vitrine_meta::{BatchIssue, BatchMethod, BatchRequest, BatchState, GraphApi, GraphError};
use vitrine_store::{products, sync_journal};

use crate::catalog::preflight_context;
use crate::error::Setup;
use crate::{AppError, Vitrine};

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Records per `items_batch` call (Meta allows 5,000; fewer, larger calls save quota).
    pub batch_size: usize,
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A rate limit asking for a longer wait stops the sync (resumable) instead.
    pub max_rate_limit_wait: Duration,
    pub poll_interval: Duration,
    pub max_polls: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            batch_size: 5_000,
            max_attempts: 8,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_rate_limit_wait: Duration::from_secs(15 * 60),
            poll_interval: Duration::from_secs(2),
            max_polls: 600,
        }
    }
}

/// What a sync is doing with the batch after the `batches_done` finished ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    /// Sending the next batch to Meta.
    Sending,
    /// Meta took the batch and is processing it; Vitrine checks its status.
    Waiting,
    /// `batches_done` batches are finished and none is in flight.
    Done,
}

/// Reported before each batch is sent, at each status check while Meta processes it, and
/// when it is finished, so a one-batch sync shows life during Meta's processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    pub batches_done: usize,
    pub batches_total: usize,
    pub phase: SyncPhase,
    /// Status checks of the batch in flight so far (0 unless `Waiting`).
    pub polls: u32,
}

impl std::fmt::Display for SyncProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (done, total) = (self.batches_done, self.batches_total);
        match self.phase {
            SyncPhase::Sending => write!(f, "batch {}/{total}: sending", done + 1),
            SyncPhase::Waiting => write!(
                f,
                "batch {}/{total}: waiting for Meta (check {})",
                done + 1,
                self.polls
            ),
            SyncPhase::Done => write!(f, "{done}/{total} batches done"),
        }
    }
}

/// An item Meta refused, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    pub retailer_id: String,
    pub message: String,
}

/// An item Meta took (it is synced) with a warning, in Meta's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemWarning {
    pub retailer_id: String,
    pub message: String,
}

/// Runs a sync starts after the interrupted one it resumed: the first sends what changed
/// before it, the others what changed while it ran (edits in the desktop during a sync).
pub const FOLLOW_UP_RUNS: usize = 3;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// The last run this call sent.
    pub run_id: Option<i64>,
    /// True when this call finished a run an earlier sync left unfinished.
    pub resumed: bool,
    /// Items of that interrupted run (counted in the totals below too); the rest of the
    /// totals are what changed since and was sent after it.
    pub resumed_items: usize,
    pub created: usize,
    pub updated: usize,
    pub deleted: usize,
    pub unchanged: usize,
    pub held: Vec<HeldItem>,
    pub rejected: Vec<Rejection>,
    /// Items synced with a warning from Meta (counted in `created`/`updated` too).
    pub warnings: Vec<ItemWarning>,
    /// What a sync would still send after this one: items Meta refused, edits made too late
    /// for its last run. Zero when Meta holds what the catalog holds (held products aside).
    pub left_to_send: usize,
}

impl SyncReport {
    /// Items sent, whatever Meta said.
    pub fn items_sent(&self) -> usize {
        self.created + self.updated + self.deleted + self.rejected.len()
    }

    /// Meta holds what the catalog holds: nothing refused, nothing left to send.
    pub fn complete(&self) -> bool {
        self.left_to_send == 0
    }
}

fn storage(e: vitrine_store::StoreError) -> AppError {
    AppError::from_store("syncing", e)
}

impl Vitrine {
    /// What a sync would send now (the `--dry-run`).
    pub fn sync_plan(&self) -> Result<SyncPlan, AppError> {
        let shop = self.shop()?;
        let ctx = preflight_context(&shop, self.storefront_url()?);
        let base = self.image_hosting()?.map(|h| h.public_base_url);
        let storefront = self.storefront_url()?;
        let context_key = context_key(&shop, base.as_deref(), storefront.as_deref());
        let sent = self.store.read(sync_journal::meta_items).map_err(storage)?;
        let sent_versions: HashMap<&str, Option<&str>> = sent
            .iter()
            .map(|m| (m.retailer_id.as_str(), m.source_version.as_deref()))
            .collect();
        let versions = self.store.read(products::versions).map_err(storage)?;
        // Products Meta already holds at their current version are not even loaded.
        let mut unchanged = std::collections::BTreeSet::new();
        let mut items = Vec::new();
        for (id, sku, updated_at) in versions {
            let current = format!("{updated_at}|{context_key}");
            if sent_versions.get(sku.as_str()).copied().flatten() == Some(current.as_str()) {
                unchanged.insert(sku);
                continue;
            }
            if let Some(p) = self.store.read(|c| products::get(c, id)).map_err(storage)? {
                let findings = check_product(&p, &ctx);
                items.push((p, findings));
            }
        }
        if base.is_none() && items.iter().any(|(p, _)| !p.images.is_empty()) {
            return Err(AppError::NotSetUp(Setup::PhotoHostingForSync));
        }
        let base = base.unwrap_or_default();
        let image_url = move |hash: &ContentHash| format!("{base}/{hash}.jpg");
        let last_sent: BTreeMap<String, Fields> = sent
            .into_iter()
            .filter(|m| !unchanged.contains(&m.retailer_id))
            .filter_map(|m| {
                serde_json::from_str(&m.fields_json)
                    .ok()
                    .map(|f| (m.retailer_id, f))
            })
            .collect();
        let link = self.storefront_link(&shop)?;
        let feed = FeedContext {
            shop_brand: &shop.brand,
            fallback_link: link.as_ref().map(|f| f as &dyn Fn(&str) -> String),
            image_url: &image_url,
            context_key: &context_key,
        };
        Ok(plan(&items, &last_sent, &unchanged, &feed))
    }

    /// Brings Meta's catalog to what the catalog holds: finishes a run an earlier sync left
    /// unfinished (crash, kill, expired token, rate limit), then plans and sends everything
    /// changed since — edits made before this call and while it runs, in up to
    /// [`FOLLOW_UP_RUNS`] runs. `left_to_send` in the report says what a sync would still
    /// send (items Meta refused, edits too late for the last run): zero means Meta holds
    /// what the catalog holds, held-back products aside.
    pub async fn sync(
        &self,
        api: &impl GraphApi,
        catalog_id: &str,
        opts: &SyncOptions,
        progress: &mut (dyn FnMut(SyncProgress) + Send),
    ) -> Result<SyncReport, AppError> {
        let mut report = SyncReport::default();
        match self.store.read(sync_journal::running).map_err(storage)? {
            Some((run, catalog)) if catalog == catalog_id => {
                report.resumed = true;
                self.run_batches(api, catalog_id, run, opts, progress, &mut report)
                    .await?;
                report.resumed_items = report.items_sent();
            }
            Some((_, other)) => {
                return Err(AppError::Conflict(format!("a sync to catalog {other} is unfinished; finish it before syncing to another catalog")));
            }
            None => {}
        }
        self.publish_images().await?;
        let mut planned = self.sync_plan()?;
        report.unchanged = planned.unchanged;
        report.held = planned.held.clone();
        let mut runs = 0;
        loop {
            report.left_to_send = planned.items.len();
            // An item Meta refused in this call goes again only after an edit, in a later sync.
            let refused: HashSet<&str> = report
                .rejected
                .iter()
                .map(|r| r.retailer_id.as_str())
                .collect();
            let items: Vec<PlannedItem> = planned
                .items
                .into_iter()
                .filter(|i| !refused.contains(i.retailer_id.as_str()))
                .collect();
            if items.is_empty() || runs == FOLLOW_UP_RUNS {
                break;
            }
            if runs > 0 {
                // Edits made during the last run may have brought new photos.
                self.publish_images().await?;
            }
            runs += 1;
            let batches: Vec<String> = items
                .chunks(opts.batch_size.clamp(1, 5_000))
                .map(|chunk| serde_json::to_string(chunk).unwrap_or_default())
                .collect();
            let at = self.now().to_rfc3339();
            let run = self
                .store
                .write(|tx| sync_journal::start_run(tx, catalog_id, &batches, &at))
                .map_err(storage)?;
            self.run_batches(api, catalog_id, run, opts, progress, &mut report)
                .await?;
            planned = self.sync_plan()?;
        }
        Ok(report)
    }

    /// Sends and settles the open batches of a journaled run, adding their outcome to
    /// `report`, and closes the run.
    async fn run_batches(
        &self,
        api: &impl GraphApi,
        catalog_id: &str,
        run: i64,
        opts: &SyncOptions,
        progress: &mut (dyn FnMut(SyncProgress) + Send),
        report: &mut SyncReport,
    ) -> Result<(), AppError> {
        let now = || self.now().to_rfc3339();
        report.run_id = Some(run);
        let open = self
            .store
            .read(|c| sync_journal::open_batches(c, run))
            .map_err(storage)?;
        let total = open.len();
        for (done, batch) in open.into_iter().enumerate() {
            let sync_journal::OpenBatch {
                seq,
                items_json,
                state,
                handle,
            } = batch;
            let items: Vec<PlannedItem> = serde_json::from_str(&items_json)
                .map_err(|e| storage(vitrine_store::StoreError::Corrupt(e.to_string())))?;
            let at_phase = |phase, polls| SyncProgress {
                batches_done: done,
                batches_total: total,
                phase,
                polls,
            };
            let mut notes = Notes::default();
            let handle = match (state.as_str(), handle) {
                ("sent", Some(h)) => Some(h),
                _ => {
                    progress(at_phase(SyncPhase::Sending, 0));
                    let requests: Vec<BatchRequest> = items
                        .iter()
                        .map(|i| BatchRequest {
                            method: if i.action == Action::Delete {
                                BatchMethod::Delete
                            } else {
                                BatchMethod::Update
                            },
                            data: i.data.clone().into_iter().collect(),
                        })
                        .collect();
                    let answer =
                        with_retry(api, opts, || api.items_batch(catalog_id, &requests, true))
                            .await?
                            .value;
                    for v in &answer.validation_status {
                        if let Some(e) = v.errors.first() {
                            notes.refuse(&v.retailer_id, &e.message);
                        } else if let Some(w) = v.warnings.first() {
                            notes.warn(&v.retailer_id, &w.message);
                        }
                    }
                    let handle = answer.handles.first().cloned();
                    if handle.is_none() {
                        for i in &items {
                            notes.refuse(&i.retailer_id, "Meta ingested nothing from this batch");
                        }
                    }
                    notes.settle(&items);
                    let at = now();
                    // Validation warnings come only in this answer: journal them now so a
                    // sync resumed after a crash still records them.
                    self.store
                        .write(|tx| {
                            for (rid, message) in &notes.rejected {
                                sync_journal::set_outcome(
                                    tx,
                                    rid,
                                    "rejected",
                                    Some(message),
                                    run,
                                    &at,
                                )?;
                            }
                            for (rid, message) in &notes.warnings {
                                sync_journal::set_outcome(
                                    tx,
                                    rid,
                                    "warning",
                                    Some(message),
                                    run,
                                    &at,
                                )?;
                            }
                            sync_journal::mark_sent(tx, run, seq, handle.as_deref())
                        })
                        .map_err(storage)?;
                    handle
                }
            };
            if let Some(handle) = handle {
                let status = self
                    .poll(api, catalog_id, &handle, opts, &mut |polls| {
                        progress(at_phase(SyncPhase::Waiting, polls));
                    })
                    .await?;
                let retailer_id = |issue: &BatchIssue| {
                    issue.id.clone().or_else(|| {
                        // `line` is the 1-based position of the record in the batch.
                        let line = usize::try_from(issue.line?).ok()?;
                        Some(items.get(line.checked_sub(1)?)?.retailer_id.clone())
                    })
                };
                for issue in &status.errors {
                    if let Some(id) = retailer_id(issue) {
                        notes.refuse(&id, &issue.message);
                    }
                }
                for id in &status.ids_of_invalid_requests {
                    notes
                        .rejected
                        .entry(id.clone())
                        .or_insert_with(|| "Meta refused this item".to_owned());
                }
                for issue in &status.warnings {
                    if let Some(id) = retailer_id(issue) {
                        notes.warn(&id, &issue.message);
                    }
                }
                // What earlier calls of this run recorded (a resumed batch's validation).
                for o in self.store.read(sync_journal::outcomes).map_err(storage)? {
                    if o.run_id != run {
                        continue;
                    }
                    let message = o.message.unwrap_or_default();
                    match o.outcome.as_str() {
                        "rejected" => notes.refuse(&o.retailer_id, &message),
                        "warning" => notes.warn(&o.retailer_id, &message),
                        _ => {}
                    }
                }
                notes.settle(&items);
                let at = now();
                self.store
                    .write(|tx| {
                        for item in &items {
                            let rid = item.retailer_id.as_str();
                            if let Some(message) = notes.rejected.get(rid) {
                                sync_journal::set_outcome(
                                    tx,
                                    rid,
                                    "rejected",
                                    Some(message),
                                    run,
                                    &at,
                                )?;
                                continue;
                            }
                            match (&item.action, &item.after) {
                                (Action::Delete, _) => {
                                    sync_journal::remove_meta_item(tx, rid)?;
                                    sync_journal::set_outcome(tx, rid, "deleted", None, run, &at)?;
                                }
                                (_, Some(after)) => {
                                    let json = serde_json::to_string(after).unwrap_or_default();
                                    sync_journal::put_meta_item(
                                        tx,
                                        rid,
                                        &json,
                                        &fields_hash(after),
                                        item.version.as_deref(),
                                        &at,
                                    )?;
                                    let warning = notes.warnings.get(rid);
                                    let outcome = if warning.is_some() {
                                        "warning"
                                    } else {
                                        "synced"
                                    };
                                    sync_journal::set_outcome(
                                        tx,
                                        rid,
                                        outcome,
                                        warning.map(String::as_str),
                                        run,
                                        &at,
                                    )?;
                                }
                                (_, None) => {}
                            }
                        }
                        sync_journal::mark_finished(tx, run, seq)
                    })
                    .map_err(storage)?;
            }
            for item in &items {
                let retailer_id = item.retailer_id.clone();
                if let Some(message) = notes.rejected.get(&item.retailer_id) {
                    report.rejected.push(Rejection {
                        retailer_id,
                        message: message.clone(),
                    });
                    continue;
                }
                if let Some(message) = notes.warnings.get(&item.retailer_id) {
                    report.warnings.push(ItemWarning {
                        retailer_id,
                        message: message.clone(),
                    });
                }
                match item.action {
                    Action::Create => report.created += 1,
                    Action::Update => report.updated += 1,
                    Action::Delete => report.deleted += 1,
                }
            }
            progress(SyncProgress {
                batches_done: done + 1,
                batches_total: total,
                phase: SyncPhase::Done,
                polls: 0,
            });
        }
        let at = now();
        self.store
            .write(|tx| sync_journal::finish_run(tx, run, &at))
            .map_err(storage)?;
        Ok(())
    }

    async fn poll(
        &self,
        api: &impl GraphApi,
        catalog_id: &str,
        handle: &str,
        opts: &SyncOptions,
        on_poll: &mut (dyn FnMut(u32) + Send),
    ) -> Result<vitrine_meta::BatchStatus, AppError> {
        for attempt in 0..opts.max_polls {
            on_poll(attempt);
            let status = with_retry(api, opts, || api.batch_status(catalog_id, handle))
                .await?
                .value;
            if status.state() != BatchState::Pending {
                return Ok(status);
            }
            // Poll quickly at first, then back off.
            let wait = opts
                .poll_interval
                .mul_f64(f64::from(attempt.min(5) + 1) / 2.0)
                .min(opts.max_delay);
            api.pause(wait).await;
        }
        Err(AppError::Meta(GraphError::Transient {
            code: 0,
            message: "Meta has not finished processing a batch; sync again later to check it"
                .to_owned(),
        }))
    }
}

/// What Meta said about a batch's items, by retailer id: refusals and warnings.
#[derive(Debug, Default)]
struct Notes {
    rejected: HashMap<String, String>,
    warnings: HashMap<String, String>,
}

impl Notes {
    /// Records Meta's first reason for refusing an item.
    fn refuse(&mut self, retailer_id: &str, message: &str) {
        self.rejected
            .entry(retailer_id.to_owned())
            .or_insert_with(|| message.to_owned());
    }

    /// Records Meta's first warning about an item.
    fn warn(&mut self, retailer_id: &str, message: &str) {
        self.warnings
            .entry(retailer_id.to_owned())
            .or_insert_with(|| message.to_owned());
    }

    /// A DELETE refused because the item does not exist did what it asked: a batch resent
    /// after its answer was lost (crash, kill, timeout) finds its deleted items gone. A
    /// refused item has no warning, and a delete none worth showing.
    fn settle(&mut self, items: &[PlannedItem]) {
        for item in items.iter().filter(|i| i.action == Action::Delete) {
            let rid = item.retailer_id.as_str();
            if self.rejected.get(rid).is_some_and(|m| says_missing(m)) {
                self.rejected.remove(rid);
            }
            self.warnings.remove(rid);
        }
        let rejected = &self.rejected;
        self.warnings.retain(|rid, _| !rejected.contains_key(rid));
    }
}

/// Whether Meta's message says the item is not in the catalog.
fn says_missing(message: &str) -> bool {
    let m = message.to_lowercase();
    [
        "does not exist",
        "doesn't exist",
        "not found",
        "no longer exists",
    ]
    .iter()
    .any(|p| m.contains(p))
}

/// Everything outside a product that shapes its fields (the shop's brand, where photos are
/// published): when it changes, every item is resent.
pub(crate) fn context_key(
    shop: &vitrine_core::Shop,
    image_base: Option<&str>,
    storefront: Option<&str>,
) -> String {
    let mut context: Fields = [
        ("brand".to_owned(), shop.brand.clone().into()),
        ("images".to_owned(), image_base.unwrap_or_default().into()),
    ]
    .into_iter()
    .collect();
    // Only when set, so catalogs without a storefront keep the versions they were synced at.
    // The storefront pages are in the main language, which shapes the links too.
    if let Some(url) = storefront {
        let language = shop
            .main_language()
            .map(|l| l.to_string())
            .unwrap_or_default();
        context.insert("storefront".to_owned(), format!("{url}|{language}").into());
    }
    fields_hash(&context)
}

/// Calls `call` until it succeeds, a non-retryable error comes, attempts run out, or Meta
/// asks for a wait longer than the options allow.
async fn with_retry<T, F, Fut>(
    api: &impl GraphApi,
    opts: &SyncOptions,
    mut call: F,
) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, GraphError>>,
{
    let mut attempt = 0;
    loop {
        match call().await {
            Ok(v) => return Ok(v),
            Err(e) if !e.is_retryable() => return Err(e.into()),
            Err(e) => {
                attempt += 1;
                if attempt >= opts.max_attempts {
                    return Err(e.into());
                }
                let backoff = opts
                    .base_delay
                    .saturating_mul(1 << attempt.min(16))
                    .min(opts.max_delay);
                let wait = match e.retry_after() {
                    Some(asked) if asked > opts.max_rate_limit_wait => return Err(e.into()),
                    Some(asked) => asked.max(backoff),
                    None => backoff,
                };
                // Jitter (up to +50 %) so many clients do not retry in step.
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos());
                let jitter = wait.mul_f64(f64::from(nanos % 500) / 1000.0);
                tracing::info!(
                    attempt,
                    wait_ms = (wait + jitter).as_millis() as u64,
                    "retrying a Graph API call"
                );
                api.pause(wait + jitter).await;
            }
        }
    }
}

/// Where the catalog stands against Meta, without calling Meta.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// A sync stopped before the end; the next sync resumes it.
    pub unfinished: bool,
    /// Items Meta holds from Vitrine.
    pub at_meta: usize,
    /// What the next sync would send.
    pub to_create: usize,
    pub to_update: usize,
    pub to_delete: usize,
    pub held: Vec<HeldItem>,
    pub rejected: Vec<Rejection>,
    /// Items Meta holds with a warning from their last sync.
    pub warnings: Vec<ItemWarning>,
    pub last_synced_at: Option<String>,
}

impl Vitrine {
    pub fn sync_status(&self) -> Result<SyncStatus, AppError> {
        self.status_of(self.sync_plan()?)
    }

    /// The status given the plan a sync would send now.
    pub(crate) fn status_of(&self, planned: SyncPlan) -> Result<SyncStatus, AppError> {
        let (running, at_meta, outcomes) = self
            .store
            .read(|c| {
                Ok((
                    sync_journal::running(c)?,
                    sync_journal::meta_items(c)?.len(),
                    sync_journal::outcomes(c)?,
                ))
            })
            .map_err(storage)?;
        // (retailer id, Meta's message) of every item whose last outcome is `kind`.
        let noted = |kind: &'static str| {
            outcomes
                .iter()
                .filter(move |o| o.outcome == kind)
                .map(|o| (o.retailer_id.clone(), o.message.clone().unwrap_or_default()))
        };
        let rejected = noted("rejected")
            .map(|(retailer_id, message)| Rejection {
                retailer_id,
                message,
            })
            .collect();
        let warnings = noted("warning")
            .map(|(retailer_id, message)| ItemWarning {
                retailer_id,
                message,
            })
            .collect();
        Ok(SyncStatus {
            unfinished: running.is_some(),
            at_meta,
            to_create: planned.count(Action::Create),
            to_update: planned.count(Action::Update),
            to_delete: planned.count(Action::Delete),
            held: planned.held,
            rejected,
            warnings,
            last_synced_at: outcomes.iter().map(|o| o.at.clone()).max(),
        })
    }
}
