//! Sync against the fake Graph server on loopback: first sync, incremental edits, deletes,
//! rejections, expired tokens, rate limits, injected faults and interrupted runs.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vitrine_app::meta::{BatchMethod, BatchRequest, GraphApi, GraphClient, Sleeper};
use vitrine_app::{ProductPatch, SyncOptions, SyncPhase, SyncState, Vitrine};
use vitrine_fake_graph::{Config, FakeGraph, Faults, TooManyRequests, Usage};

const CATALOG: &str = "1000000000000001";
use graph::TOKEN;

fn photo(path: &std::path::Path) {
    let img = image::RgbImage::from_fn(600, 600, |x, y| {
        image::Rgb([(x % 200) as u8, (y % 180) as u8, 90])
    });
    img.save(path).expect("photo");
}

/// A catalog of `n` publishable products sharing one photo.
fn catalog(n: usize) -> (tempfile::TempDir, Vitrine) {
    let dir = tempfile::tempdir().expect("tempdir");
    let v = Vitrine::open(&dir.path().join("data")).expect("open");
    v.update_shop(vitrine_app::ShopUpdate {
        currency: Some("BRL".into()),
        brand: Some("Ateliê".into()),
        ..Default::default()
    })
    .expect("shop");
    photo(&dir.path().join("p.png"));
    let mut csv = String::from("id,title,description,price,link,image_link\n");
    for i in 0..n {
        csv.push_str(&format!("SKU-{i:04},Produto {i},Feito à mão número {i},{}.90 BRL,https://loja.example/p/{i},p.png\n", 10 + i % 50));
    }
    std::fs::write(dir.path().join("c.csv"), csv).expect("csv");
    let report = v
        .import_csv(&dir.path().join("c.csv"), &mut |_| {})
        .expect("import");
    assert_eq!(report.created as usize, n, "{:?}", report.errors.first());
    v.set_image_hosting("https://img.loja.example", Some(dir.path().join("public")))
        .expect("hosting");
    (dir, v)
}

fn fast() -> SyncOptions {
    SyncOptions {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        poll_interval: Duration::from_millis(2),
        max_attempts: 30,
        ..SyncOptions::default()
    }
}

#[path = "support/graph.rs"]
mod graph;

fn client(fake: &FakeGraph) -> GraphClient {
    graph::client(fake, Duration::from_secs(5))
}

async fn fake(config: Config) -> FakeGraph {
    let f = FakeGraph::start(config, 0).await.expect("fake");
    f.add_catalog(CATALOG, "Loja");
    f
}

fn batch_calls(fake: &FakeGraph) -> usize {
    fake.calls()
        .iter()
        .filter(|c| c.edge == "items_batch")
        .count()
}

/// Meta's catalog equals the local one: same SKUs, same prices and titles.
fn assert_converged(v: &Vitrine, fake: &FakeGraph) {
    let items = fake.items(CATALOG);
    let page = v
        .list_products(&vitrine_app::ProductQuery {
            limit: 10_000,
            ..Default::default()
        })
        .expect("list");
    assert_eq!(
        items.len() as u64,
        page.total,
        "Meta has exactly the local products"
    );
    for p in &page.items {
        let item = items
            .get(&p.sku)
            .unwrap_or_else(|| panic!("{} missing at Meta", p.sku));
        assert_eq!(item.data["price"], p.price.to_meta_string().as_str());
        assert_eq!(item.data["title"], p.title.as_str());
    }
}

#[tokio::test]
async fn a_first_sync_of_1000_products_takes_one_batch_and_a_second_sends_nothing() {
    let (_dir, v) = catalog(1000);
    let fake = fake(Config::default()).await;
    let api = client(&fake);
    let report = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("sync");
    assert_eq!((report.created, report.rejected.len()), (1000, 0));
    assert_eq!(batch_calls(&fake), 1, "1000 items fit one items_batch call");
    assert_converged(&v, &fake);
    assert_eq!(fake.creates_applied(), 1000);
    let again = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("second sync");
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 1000)
    );
    assert_eq!(batch_calls(&fake), 1, "nothing changed, no call");
}

#[tokio::test]
async fn one_edit_resends_one_item_with_only_its_changed_field_and_deletes_follow() {
    let (_dir, v) = catalog(50);
    let fake = fake(Config::default()).await;
    let api = client(&fake);
    v.sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("first");
    v.edit_product(
        "SKU-0007",
        ProductPatch {
            price: Some("99.90".into()),
            ..Default::default()
        },
    )
    .expect("edit");
    v.remove_product("SKU-0008").expect("remove");
    let plan = v.sync_plan().expect("plan");
    assert_eq!(plan.items.len(), 2);
    assert_eq!(
        plan.items[0]
            .data
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        vec!["id", "price"],
        "only the changed field"
    );
    let report = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("second");
    assert_eq!((report.updated, report.deleted), (1, 1));
    assert_eq!(batch_calls(&fake), 2, "one more call for both changes");
    assert_eq!(fake.items(CATALOG)["SKU-0007"].data["price"], "99.90 BRL");
    assert_converged(&v, &fake);
}

#[tokio::test]
async fn rejected_items_are_reported_with_metas_reason_and_retried_after_a_fix() {
    let (_dir, v) = catalog(10);
    let fake = fake(Config::default()).await;
    fake.refuse("SKU-0003", "The image could not be downloaded");
    let api = client(&fake);
    let report = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("sync");
    assert_eq!(report.created, 9);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].retailer_id, "SKU-0003");
    assert!(
        report.rejected[0].message.contains("image"),
        "Meta's own words: {:?}",
        report.rejected
    );
    fake.accept_again("SKU-0003");
    let retry = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("retry");
    assert_eq!(retry.created, 1, "only the rejected item is sent again");
    assert_converged(&v, &fake);
}

#[tokio::test]
async fn products_failing_preflight_are_held_back() {
    let (_dir, v) = catalog(5);
    v.edit_product(
        "SKU-0002",
        ProductPatch {
            description: Some(String::new()),
            ..Default::default()
        },
    )
    .expect("break it");
    let fake = fake(Config::default()).await;
    let report = v
        .sync(&client(&fake), CATALOG, &fast(), &mut |_| {})
        .await
        .expect("sync");
    assert_eq!(report.created, 4);
    assert_eq!(report.held.len(), 1);
    assert_eq!(report.held[0].retailer_id, "SKU-0002");
    assert!(!fake.items(CATALOG).contains_key("SKU-0002"));
}

#[tokio::test]
async fn an_expired_token_stops_the_sync_and_a_new_one_resumes_it_without_duplicates() {
    let (_dir, v) = catalog(300);
    let fake = fake(Config::default()).await;
    let api = client(&fake);
    let opts = SyncOptions {
        batch_size: 100,
        ..fast()
    };
    let err = v
        .sync(&api, CATALOG, &opts, &mut |p| {
            if p.phase == SyncPhase::Done && p.batches_done == 1 {
                fake.expire_token(TOKEN);
            }
        })
        .await
        .expect_err("the token expired mid-sync");
    assert_eq!(err.code(), vitrine_app::ErrorCode::Meta);
    assert!(err.to_string().contains("token"), "{err}");
    assert_eq!(fake.items(CATALOG).len(), 100, "the first batch landed");
    fake.renew_token(TOKEN);
    let report = v
        .sync(&api, CATALOG, &opts, &mut |_| {})
        .await
        .expect("resume");
    assert!(report.resumed);
    assert_converged(&v, &fake);
    assert_eq!(fake.creates_applied(), 300, "no item was created twice");
}

#[tokio::test]
async fn a_rate_limit_pauses_the_sync_and_it_resumes_when_the_budget_returns() {
    let (_dir, v) = catalog(500);
    let fake = fake(Config {
        batch_calls_per_hour: 2,
        ..Config::default()
    })
    .await;
    let api = client(&fake);
    let opts = SyncOptions {
        batch_size: 100,
        ..fast()
    };
    let err = v
        .sync(&api, CATALOG, &opts, &mut |_| {})
        .await
        .expect_err("80014 asks for an hour");
    assert!(err.to_string().contains("limit"), "{err}");
    assert_eq!(fake.items(CATALOG).len(), 200);
    fake.set_batch_budget(200);
    let report = v
        .sync(&api, CATALOG, &opts, &mut |_| {})
        .await
        .expect("resume");
    assert!(report.resumed);
    assert_converged(&v, &fake);
}

#[tokio::test]
async fn with_30_percent_faults_the_sync_converges_with_no_duplicate_creates() {
    let (_dir, v) = catalog(400);
    let fake = fake(Config::default()).await;
    // About 30 % of calls go wrong: errors before Meta does anything, and answers lost
    // after it did (a timeout, a dropped connection), which the sync must not redo twice.
    fake.set_faults(Faults {
        server_error_pct: 4,
        gateway_pct: 4,
        rate_limit_pct: 4,
        slow_pct: 6,
        slow_by: Duration::from_millis(800),
        drop_pct: 12,
        seed: 42,
    });
    let api = graph::client(&fake, Duration::from_millis(400));
    let opts = SyncOptions {
        batch_size: 10,
        ..fast()
    };
    sync_until_quiet(&v, &api, &opts).await;
    // Then a day's work: products sold out for good (deleted) and a few edited.
    for i in (0..400).step_by(10) {
        v.remove_product(&format!("SKU-{i:04}")).expect("remove");
    }
    for i in (5..400).step_by(20) {
        v.edit_product(
            &format!("SKU-{i:04}"),
            ProductPatch {
                title: Some(format!("Novo {i}")),
                ..Default::default()
            },
        )
        .expect("edit");
    }
    sync_until_quiet(&v, &api, &opts).await;
    let faults = fake
        .calls()
        .iter()
        .filter(|c| c.edge == "items_batch")
        .count();
    fake.set_faults(Faults::default());
    assert_converged(&v, &fake);
    assert_eq!(fake.creates_applied(), 400, "no duplicate creates");
    assert_settled(&v);
    assert!(
        faults > 40 + 6,
        "some batches went twice (40 then 6 were needed): {faults} items_batch calls"
    );
}

/// Syncs until a sync that resumed nothing sends nothing, accepting only Meta's trouble.
async fn sync_until_quiet(v: &Vitrine, api: &GraphClient, opts: &SyncOptions) {
    let mut rounds = 0;
    loop {
        rounds += 1;
        match v.sync(api, CATALOG, opts, &mut |_| {}).await {
            Ok(r) if r.created + r.updated + r.deleted == 0 && !r.resumed => break,
            Ok(_) => {}
            Err(e) => assert_eq!(
                e.code(),
                vitrine_app::ErrorCode::Meta,
                "only Meta trouble: {e}"
            ),
        }
        assert!(rounds < 30, "converges");
    }
}

/// Nothing left to send and nothing refused: a resent delete whose first answer was lost
/// is not stuck as "rejected" and planned again forever.
fn assert_settled(v: &Vitrine) {
    let plan = v.sync_plan().expect("plan");
    assert!(
        plan.items.is_empty(),
        "nothing left to send: {:?}",
        plan.items
            .iter()
            .map(|i| &i.retailer_id)
            .collect::<Vec<_>>()
    );
    let status = v.sync_status().expect("status");
    assert_eq!(status.rejected, vec![], "no item refused");
}

#[tokio::test]
async fn a_sync_cut_off_at_any_point_resumes_and_converges() {
    let (_dir, v) = catalog(200);
    let fake = fake(Config {
        polls_until_finished: 2,
        ..Config::default()
    })
    .await;
    let api = client(&fake);
    let opts = SyncOptions {
        batch_size: 20,
        ..fast()
    };
    for cut in 0..20u64 {
        // Cut the sync off after a varying time, as a crash or kill would.
        let _ = tokio::time::timeout(
            Duration::from_millis(3 + cut * 7 % 40),
            v.sync(&api, CATALOG, &opts, &mut |_| {}),
        )
        .await;
        if cut % 5 == 4 {
            v.edit_product(
                &format!("SKU-{:04}", cut),
                ProductPatch {
                    title: Some(format!("Editado {cut}")),
                    ..Default::default()
                },
            )
            .expect("edit during syncs");
        }
    }
    loop {
        let r = v
            .sync(&api, CATALOG, &opts, &mut |_| {})
            .await
            .expect("finish");
        if !r.resumed && r.created + r.updated + r.deleted == 0 {
            break;
        }
    }
    assert_converged(&v, &fake);
    assert_eq!(fake.creates_applied(), 200, "no duplicate creates");
    assert_eq!(
        fake.items(CATALOG)["SKU-0019"].data["title"],
        "Editado 19",
        "edits made between runs arrive"
    );
}

#[tokio::test]
async fn a_delete_meta_already_applied_counts_as_deleted() {
    let (_dir, v) = catalog(10);
    let fake = fake(Config::default()).await;
    let api = client(&fake);
    v.sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("first");
    v.remove_product("SKU-0004").expect("remove");
    // The delete reached Meta once already, but its answer was lost (crash, kill, timeout).
    let delete = BatchRequest {
        method: BatchMethod::Delete,
        data: [("id".to_owned(), "SKU-0004".into())].into_iter().collect(),
    };
    let sent = api
        .items_batch(CATALOG, &[delete], true)
        .await
        .expect("delete");
    let handle = &sent.value.handles[0];
    while api
        .batch_status(CATALOG, handle)
        .await
        .expect("status")
        .value
        .state()
        == vitrine_app::meta::BatchState::Pending
    {}
    assert!(!fake.items(CATALOG).contains_key("SKU-0004"));

    let report = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("resend");
    assert_eq!(
        (report.deleted, report.rejected.len()),
        (1, 0),
        "Meta's 'does not exist' means the delete is done: {:?}",
        report.rejected
    );
    assert_settled(&v);
    assert_converged(&v, &fake);
}

#[tokio::test]
async fn a_warning_from_meta_is_recorded_with_its_words_and_the_item_is_synced() {
    let (_dir, v) = catalog(5);
    let long = format!("Bolsa de couro legítimo{}", " feita à mão".repeat(8));
    assert!(long.chars().count() > 100 && long.chars().count() <= 150);
    v.edit_product(
        "SKU-0002",
        ProductPatch {
            title: Some(long.clone()),
            ..Default::default()
        },
    )
    .expect("long title");
    let fake = fake(Config::default()).await;
    let api = client(&fake);
    let report = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("sync");
    assert_eq!(
        (report.created, report.rejected.len()),
        (5, 0),
        "a warned item is synced"
    );
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert_eq!(report.warnings[0].retailer_id, "SKU-0002");
    assert!(
        report.warnings[0]
            .message
            .contains("longer than 100 characters"),
        "Meta's own words: {}",
        report.warnings[0].message
    );
    assert_eq!(fake.items(CATALOG)["SKU-0002"].data["title"], long.as_str());

    let status = v.sync_status().expect("status");
    assert_eq!(status.warnings, report.warnings, "the warning is journaled");
    let items = v
        .sync_items(Some(SyncState::Warning), 0)
        .expect("warning items");
    assert_eq!(items.items.len(), 1);
    assert_eq!(items.items[0].sku, "SKU-0002");
    assert_eq!(
        items.items[0].badge.message.as_deref(),
        Some(report.warnings[0].message.as_str())
    );
    let synced = v.sync_items(Some(SyncState::Synced), 0).expect("synced");
    assert_eq!(synced.items.len(), 4, "the others are plainly synced");

    let again = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("again");
    assert_eq!(
        (again.created, again.updated),
        (0, 0),
        "a warned item is not resent"
    );
}

#[tokio::test]
async fn progress_shows_the_wait_for_meta_within_a_single_batch() {
    let (_dir, v) = catalog(3);
    let fake = fake(Config {
        polls_until_finished: 3,
        ..Config::default()
    })
    .await;
    let mut seen = Vec::new();
    v.sync(&client(&fake), CATALOG, &fast(), &mut |p| seen.push(p))
        .await
        .expect("sync");
    let phases: Vec<(usize, SyncPhase, u32)> = seen
        .iter()
        .map(|p| (p.batches_done, p.phase, p.polls))
        .collect();
    assert_eq!(
        phases,
        vec![
            (0, SyncPhase::Sending, 0),
            (0, SyncPhase::Waiting, 0),
            (0, SyncPhase::Waiting, 1),
            (0, SyncPhase::Waiting, 2),
            (0, SyncPhase::Waiting, 3),
            (1, SyncPhase::Done, 0),
        ],
        "sent, then each status check while Meta processes it, then done"
    );
    assert!(seen.iter().all(|p| p.batches_total == 1));
    assert_eq!(seen[3].to_string(), "batch 1/1: waiting for Meta (check 2)");
}

fn price(v: &Vitrine, sku: &str, price: &str) {
    v.edit_product(
        sku,
        ProductPatch {
            price: Some(price.into()),
            ..Default::default()
        },
    )
    .expect("edit the price");
}

#[tokio::test]
async fn a_sync_after_an_interrupted_one_finishes_it_then_sends_the_edits_made_since() {
    let (_dir, v) = catalog(5);
    let fake = fake(Config::default()).await;
    let api = client(&fake);
    v.sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("first sync");
    price(&v, "SKU-0001", "71.90");
    price(&v, "SKU-0002", "72.90");
    // Stopped while Meta processes the batch (sent and journaled, not settled), as a kill,
    // a crash or an expired token stops it.
    v.sync(&api, CATALOG, &fast(), &mut |p| {
        if p.phase == SyncPhase::Waiting {
            fake.expire_token(TOKEN);
        }
    })
    .await
    .expect_err("stopped mid-run");
    assert!(v.sync_status().expect("status").unfinished);
    price(&v, "SKU-0003", "73.90");
    fake.renew_token(TOKEN);

    let report = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("one sync");
    assert!(report.resumed, "the interrupted run is finished first");
    assert_eq!(
        report.resumed_items, 2,
        "the interrupted run carried the two earlier edits"
    );
    assert_eq!(
        report.updated, 3,
        "then the edit made since is sent in the same sync: {report:?}"
    );
    assert_eq!(report.left_to_send, 0, "nothing is left to send");
    assert!(report.complete());
    let items = fake.items(CATALOG);
    for (sku, expected) in [
        ("SKU-0001", "71.90 BRL"),
        ("SKU-0002", "72.90 BRL"),
        ("SKU-0003", "73.90 BRL"),
    ] {
        assert_eq!(items[sku].data["price"], expected, "{sku} reached Meta");
    }
    assert_settled(&v);
    assert_converged(&v, &fake);
}

#[tokio::test]
async fn an_item_meta_refuses_is_sent_once_per_sync_and_reported_as_left() {
    let (_dir, v) = catalog(4);
    let fake = fake(Config::default()).await;
    fake.refuse("SKU-0002", "The image could not be downloaded");
    let report = v
        .sync(&client(&fake), CATALOG, &fast(), &mut |_| {})
        .await
        .expect("sync");
    assert_eq!((report.created, report.rejected.len()), (3, 1));
    assert_eq!(
        batch_calls(&fake),
        1,
        "the refused item is not resent by follow-up runs of the same sync"
    );
    assert_eq!(
        report.left_to_send, 1,
        "a refused item is not at Meta: the sync is not complete"
    );
    assert!(!report.complete());
}

/// Records each wait with the number of calls Meta had answered when it began: the call
/// at that index of [`FakeGraph::calls`] is the one the wait held back.
struct WaitLog {
    fake: Arc<FakeGraph>,
    waits: Mutex<Vec<(Duration, usize)>>,
}

impl WaitLog {
    fn new(fake: &Arc<FakeGraph>) -> Arc<Self> {
        Arc::new(Self {
            fake: Arc::clone(fake),
            waits: Mutex::new(Vec::new()),
        })
    }

    /// Waits of at least `min`, each with the edge of the call it held back.
    fn at_least(&self, min: Duration) -> Vec<(Duration, String)> {
        let calls = self.fake.calls();
        let waits = self.waits.lock().unwrap_or_else(|p| p.into_inner());
        waits
            .iter()
            .filter(|(w, _)| *w >= min)
            .map(|(w, at)| {
                let next = calls.get(*at).map_or("none", |c| c.edge.as_str());
                (*w, next.to_owned())
            })
            .collect()
    }
}

impl Sleeper for WaitLog {
    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        let answered = self.fake.calls().len();
        self.waits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((wait, answered));
        Box::pin(std::future::ready(()))
    }
}

#[tokio::test]
async fn usage_near_metas_limit_makes_the_sync_wait_before_its_next_batch() {
    // (usage Meta reports, the wait expected before each batch call after the first)
    let cases = [
        (
            Usage {
                call_count: 95,
                total_cputime: 20,
                total_time: 20,
                estimated_time_to_regain_access: 0,
            },
            Duration::from_secs(60),
            "95 % of the calls used: 10 s a point from 89 %",
        ),
        (
            Usage {
                call_count: 30,
                total_cputime: 92,
                total_time: 20,
                estimated_time_to_regain_access: 0,
            },
            Duration::from_secs(30),
            "92 % of the CPU time used counts like calls",
        ),
        (
            Usage {
                call_count: 60,
                total_cputime: 20,
                total_time: 20,
                estimated_time_to_regain_access: 2,
            },
            Duration::from_secs(120),
            "Meta's estimate to regain access (minutes) is waited out",
        ),
    ];
    for (usage, expected, why) in cases {
        let (_dir, v) = catalog(30);
        let fake = Arc::new(
            fake(Config {
                business_usage: Some(usage),
                ..Config::default()
            })
            .await,
        );
        let log = WaitLog::new(&fake);
        let api = client(&fake).with_sleeper(log.clone());
        let opts = SyncOptions {
            batch_size: 10,
            ..fast()
        };
        let report = v
            .sync(&api, CATALOG, &opts, &mut |_| {})
            .await
            .expect("sync");
        assert_eq!((report.created, batch_calls(&fake)), (30, 3));
        let before_batches: Vec<Duration> = log
            .at_least(Duration::from_secs(1))
            .into_iter()
            .filter(|(_, next)| next == "items_batch")
            .map(|(w, _)| w)
            .collect();
        assert_eq!(
            before_batches.len(),
            2,
            "{why}: a wait before the second batch call and before the third, none before \
             the first: {before_batches:?}"
        );
        assert!(
            before_batches
                .iter()
                .all(|w| *w <= expected && *w + Duration::from_secs(2) > expected),
            "{why}: {expected:?} expected, less the moment since the answer: {before_batches:?}"
        );
        assert_converged(&v, &fake);
    }
}

#[tokio::test]
async fn a_bare_429_is_retried_after_its_retry_after_and_the_sync_completes() {
    let (_dir, v) = catalog(5);
    let fake = Arc::new(fake(Config::default()).await);
    fake.answer_too_many_requests(TooManyRequests {
        times: 1,
        retry_after: Some("3".to_owned()),
        body: "Too Many Requests".to_owned(),
    });
    let log = WaitLog::new(&fake);
    let api = client(&fake).with_sleeper(log.clone());
    let report = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("a bare 429 is retried, not an unknown error");
    assert_eq!((report.created, report.left_to_send), (5, 0));
    assert_eq!(
        fake.calls().iter().filter(|c| c.status == 429).count(),
        1,
        "Meta's edge answered 429 once"
    );
    let waits = log.at_least(Duration::from_secs(3));
    assert_eq!(waits.len(), 1, "one wait of Retry-After: {waits:?}");
    assert!(
        waits[0].0 <= Duration::from_millis(4_500),
        "3 s as asked, plus at most half as jitter: {waits:?}"
    );
    assert_converged(&v, &fake);
}
