//! Photos must not cost the product: a photo URL that gives no photo (offline, dead link,
//! hotlink protection, a slow server, a redirect loop) leaves its product imported and the
//! photo pending, with why, until a retry or the next import of the file fetches it. A
//! temporary catalog; photo servers on loopback only, with a shortened download timeout.

#[path = "support/photo_server.rs"]
mod photo_server;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use photo_server::{closed_address, jpeg, shop_website, PhotoServer};
use vitrine_app::core::preflight::RuleId;
use vitrine_app::{Downloader, ImportReport, PhotoRetryReport, Seams, Vitrine};

const HEADER: &str = "id,title,description,availability,condition,price,link,image_link,brand";

/// How long a test download may take; the slow photo takes far longer.
const TIMEOUT: Duration = Duration::from_millis(1500);
const SLOW: Duration = Duration::from_secs(8);

fn open(dir: &Path) -> Vitrine {
    let seams = Seams {
        downloader: Downloader::allowing_loopback().with_timeout(TIMEOUT),
        ..Seams::default()
    };
    let v = Vitrine::open_with(&dir.join("data"), seams).expect("open a fresh catalog");
    v.set_image_hosting("https://img.shop.example", Some(dir.join("public")))
        .expect("hosting");
    v
}

/// A Meta-format row whose photo cell lists `images` in order.
fn row(sku: &str, images: &[String]) -> String {
    format!(
        "{sku},Item {sku},A photo test,in stock,new,10.00 USD,https://shop.example/{sku},\"{}\",B\n",
        images.join(",")
    )
}

fn write_csv(dir: &Path, rows: &[String]) -> std::path::PathBuf {
    let csv = dir.join("catalog.csv");
    std::fs::write(&csv, format!("{HEADER}\n{}", rows.concat())).expect("write csv");
    csv
}

fn import(v: &Vitrine, csv: &Path) -> ImportReport {
    v.import_csv(csv, &mut |_| {}).expect("the import runs")
}

fn retry(v: &Vitrine) -> PhotoRetryReport {
    v.retry_pending_photos(&mut |_| {}, &AtomicBool::new(false))
        .expect("the retry runs")
}

fn url(at: SocketAddr, path: &str) -> String {
    format!("http://{at}{path}")
}

/// The content hash of a product's photo number `index` (0 = main photo).
fn stored_hash_of(v: &Vitrine, sku: &str, index: usize) -> String {
    v.find_product(sku).expect("product").images[index]
        .hash
        .to_string()
}

fn reason_for<'a>(report: &'a ImportReport, sku: &str) -> &'a str {
    report
        .photos_pending
        .iter()
        .find(|p| p.sku == sku)
        .map(|p| p.reason.as_str())
        .unwrap_or_else(|| panic!("{sku} should have a photo pending: {report:?}"))
}

fn held_for_missing_photo(v: &Vitrine, sku: &str) -> bool {
    let plan = v.sync_plan().expect("plan a sync");
    plan.held
        .iter()
        .any(|h| h.retailer_id == sku && h.errors.iter().any(|f| f.rule == RuleId::ImageMissing))
}

#[test]
fn an_offline_import_creates_every_product_with_its_photos_pending_and_why() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let offline = closed_address();
    let rows = [
        row("A", &[url(offline, "/photo-1.jpg")]),
        row(
            "B",
            &[url(offline, "/photo-2.jpg"), url(offline, "/photo-3.jpg")],
        ),
        row("C", &[url(offline, "/photo-4.jpg")]),
    ];
    let report = import(&v, &write_csv(dir.path(), &rows));
    assert_eq!(
        (report.created, report.errors.len()),
        (3, 0),
        "no product is lost to a photo that cannot be downloaded: {report:?}"
    );
    let pending: Vec<(u64, &str, &str)> = report
        .photos_pending
        .iter()
        .map(|p| (p.line, p.sku.as_str(), p.url.as_str()))
        .collect();
    let expected_urls = [
        url(offline, "/photo-1.jpg"),
        url(offline, "/photo-2.jpg"),
        url(offline, "/photo-3.jpg"),
        url(offline, "/photo-4.jpg"),
    ];
    assert_eq!(
        pending,
        vec![
            (2, "A", expected_urls[0].as_str()),
            (3, "B", expected_urls[1].as_str()),
            (3, "B", expected_urls[2].as_str()),
            (4, "C", expected_urls[3].as_str()),
        ],
        "each photo is reported pending on its row"
    );
    for p in &report.photos_pending {
        assert!(
            p.reason.contains("could not be reached") && p.reason.contains("internet"),
            "the merchant is told the website could not be reached: {}",
            p.reason
        );
    }
    assert_eq!(v.pending_photo_count().expect("count"), 4);
    let stored = v.pending_photos().expect("list");
    assert_eq!(
        stored
            .iter()
            .map(|p| (p.sku.as_str(), p.position, p.attempts))
            .collect::<Vec<_>>(),
        vec![("A", 0, 1), ("B", 0, 1), ("B", 1, 1), ("C", 0, 1)],
        "kept with their slot in the file's order"
    );
    for sku in ["A", "B", "C"] {
        assert!(
            v.find_product(sku).expect("imported").images.is_empty(),
            "{sku} has no photo yet"
        );
        assert!(
            held_for_missing_photo(&v, sku),
            "Meta's image_missing rule keeps {sku} out of the sync until a photo arrives"
        );
    }
}

#[test]
fn once_the_website_is_back_a_retry_puts_each_photo_in_its_slot_and_the_sync_takes_the_product() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let online = shop_website(closed_address(), SLOW);
    let offline = closed_address();
    // The first and third photos are on a server that is down, the second arrives.
    let rows = [row(
        "MUG",
        &[
            url(offline, "/photo-10.jpg"),
            url(online.addr, "/photo-11.jpg"),
            url(offline, "/photo-12.jpg"),
        ],
    )];
    let report = import(&v, &write_csv(dir.path(), &rows));
    assert_eq!(report.created, 1, "{report:?}");
    assert_eq!(report.photos_pending.len(), 2, "{report:?}");
    let arrived = stored_hash_of(&v, "MUG", 0);
    assert_eq!(
        v.find_product("MUG").expect("mug").images.len(),
        1,
        "the photo that arrived is attached at once"
    );
    let before = v.sync_plan().expect("plan");
    assert!(
        before.items.iter().any(|i| i.retailer_id == "MUG"),
        "with one photo the product is synced: {before:?}"
    );

    let still_offline = retry(&v);
    assert_eq!(still_offline.fetched, 0);
    assert_eq!(
        still_offline
            .still_pending
            .iter()
            .map(|p| p.attempts)
            .collect::<Vec<_>>(),
        vec![2, 2],
        "a failed retry counts as one more attempt"
    );

    let _back = shop_website(offline, SLOW);
    let mut steps = Vec::new();
    let done = v
        .retry_pending_photos(
            &mut |p| steps.push((p.done, p.total)),
            &AtomicBool::new(false),
        )
        .expect("retry");
    assert_eq!((done.fetched, done.still_pending.len()), (2, 0), "{done:?}");
    assert_eq!(steps.last(), Some(&(2, 2)), "progress counts the photos");
    let mug = v.find_product("MUG").expect("mug");
    assert_eq!(mug.images.len(), 3, "all three photos now");
    assert_eq!(
        mug.images[1].hash.to_string(),
        arrived,
        "the photo that arrived first stays second, as in the file"
    );
    assert_ne!(
        mug.images[0].hash.to_string(),
        arrived,
        "the file's first photo, fetched later, is the main photo"
    );
    assert_eq!(v.pending_photo_count().expect("count"), 0);
    let again = import(&v, &write_csv(dir.path(), &rows));
    assert_eq!(
        (again.unchanged, again.photos_pending.len()),
        (1, 0),
        "the fetched photos are known sources: the file changes nothing now: {again:?}"
    );
}

#[test]
fn a_product_without_any_photo_joins_the_sync_once_a_retry_fetches_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let offline = closed_address();
    let report = import(
        &v,
        &write_csv(dir.path(), &[row("VASE", &[url(offline, "/photo-20.jpg")])]),
    );
    assert_eq!(report.created, 1, "{report:?}");
    assert!(held_for_missing_photo(&v, "VASE"));
    let _back = shop_website(offline, SLOW);
    assert_eq!(retry(&v).fetched, 1);
    assert!(
        !held_for_missing_photo(&v, "VASE"),
        "the photo arrived: nothing holds the product back"
    );
    let plan = v.sync_plan().expect("plan");
    assert!(
        plan.items.iter().any(|i| i.retailer_id == "VASE"),
        "the product is planned for Meta: {plan:?}"
    );
    let page = v
        .list_products(&vitrine_app::ProductQuery {
            problems: Some(vitrine_app::ProblemFilter::Errors),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(
        page.total, 0,
        "the saved pre-flight counts were recomputed with the photo"
    );
}

#[test]
fn reimporting_the_same_file_fetches_the_photos_that_were_pending() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let offline = closed_address();
    let rows = [
        row("A", &[url(offline, "/photo-30.jpg")]),
        row(
            "B",
            &[url(offline, "/photo-31.jpg"), url(offline, "/photo-32.jpg")],
        ),
    ];
    let csv = write_csv(dir.path(), &rows);
    let first = import(&v, &csv);
    assert_eq!(
        (first.created, first.photos_pending.len()),
        (2, 3),
        "{first:?}"
    );
    let website = shop_website(offline, SLOW);
    let second = import(&v, &csv);
    assert_eq!(
        (
            second.updated,
            second.photos_pending.len(),
            second.errors.len()
        ),
        (2, 0, 0),
        "both products get their photos: {second:?}"
    );
    assert_eq!(website.hits(), 3, "each pending photo was downloaded once");
    assert_eq!(v.find_product("B").expect("b").images.len(), 2);
    assert_eq!(
        v.pending_photo_count().expect("count"),
        0,
        "the file's import replaced the pending list"
    );
}

#[test]
fn a_reimport_still_offline_keeps_the_photo_pending_and_counts_the_attempt() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let offline = closed_address();
    let csv = write_csv(dir.path(), &[row("A", &[url(offline, "/photo-40.jpg")])]);
    import(&v, &csv);
    let again = import(&v, &csv);
    assert_eq!(
        (again.unchanged, again.photos_pending.len()),
        (1, 1),
        "the product itself is unchanged, its photo still pending: {again:?}"
    );
    let pending = v.pending_photos().expect("list");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].attempts, 2, "the second import tried it again");
}

#[test]
fn a_photo_the_file_no_longer_lists_is_no_longer_pending() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let offline = closed_address();
    import(
        &v,
        &write_csv(dir.path(), &[row("A", &[url(offline, "/photo-50.jpg")])]),
    );
    assert_eq!(v.pending_photo_count().expect("count"), 1);
    let website = shop_website(closed_address(), SLOW);
    let report = import(
        &v,
        &write_csv(
            dir.path(),
            &[row("A", &[url(website.addr, "/photo-51.jpg")])],
        ),
    );
    assert_eq!(report.updated, 1, "{report:?}");
    assert_eq!(
        v.pending_photo_count().expect("count"),
        0,
        "the address the file dropped is not fetched any more"
    );
    import(&v, &write_csv(dir.path(), &[row("A", &[])]));
    assert_eq!(
        v.find_product("A").expect("a").images.len(),
        1,
        "an empty photo cell keeps the photos the product has"
    );
}

#[test]
fn a_dead_link_a_refusal_a_web_page_and_a_slow_server_each_leave_a_pending_photo_with_its_own_reason(
) {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let website = shop_website(closed_address(), SLOW);
    let rows = [
        row("GONE", &[website.url("/gone.jpg")]),
        row("FORBIDDEN", &[website.url("/forbidden.jpg")]),
        row("PAGE", &[website.url("/page.jpg")]),
        row("SLOW", &[website.url("/slow.jpg")]),
        row("FINE", &[website.url("/photo-60.jpg")]),
        row("SLOW-TOO", &[website.url("/slow.jpg")]),
    ];
    let started = Instant::now();
    let report = import(&v, &write_csv(dir.path(), &rows));
    let took = started.elapsed();
    assert_eq!(
        (report.created, report.errors.len()),
        (6, 0),
        "every product is imported: {report:?}"
    );
    assert!(
        took < SLOW,
        "the slow server is given up after the download timeout: {took:?}"
    );
    assert_eq!(
        website.hits(),
        5,
        "a photo shared by two rows is given up once, not waited for twice"
    );
    assert_eq!(reason_for(&report, "SLOW-TOO"), reason_for(&report, "SLOW"));
    let gone = reason_for(&report, "GONE");
    let forbidden = reason_for(&report, "FORBIDDEN");
    let page = reason_for(&report, "PAGE");
    let slow = reason_for(&report, "SLOW");
    assert!(
        gone.contains("not at this address") && gone.contains("404"),
        "{gone}"
    );
    assert!(
        forbidden.contains("refused") && forbidden.contains("403"),
        "{forbidden}"
    );
    assert!(page.contains("web page"), "hotlink protection: {page}");
    assert!(slow.contains("too long"), "{slow}");
    let mut reasons = vec![gone, forbidden, page, slow];
    reasons.sort_unstable();
    reasons.dedup();
    assert_eq!(reasons.len(), 4, "each failure is told apart: {reasons:?}");
    assert_eq!(
        report.photos_pending.len(),
        5,
        "the photo that arrived is not pending: {report:?}"
    );
    assert_eq!(v.find_product("FINE").expect("fine").images.len(), 1);
}

#[test]
fn a_redirect_to_the_photo_is_followed() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let website = shop_website(closed_address(), SLOW);
    let rows = [
        row("MOVED", &[website.url("/moved.jpg")]),
        row("FOUND", &[website.url("/found.jpg")]),
    ];
    let report = import(&v, &write_csv(dir.path(), &rows));
    assert_eq!(
        (report.created, report.photos_pending.len()),
        (2, 0),
        "301 and 302 lead to the photo: {report:?}"
    );
    assert_eq!(
        stored_hash_of(&v, "MOVED", 0),
        stored_hash_of(&v, "FOUND", 0),
        "both arrive at the same photo"
    );
}

#[test]
fn a_redirect_loop_ends_as_a_pending_photo() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let website = shop_website(closed_address(), SLOW);
    let report = import(
        &v,
        &write_csv(dir.path(), &[row("LOOP", &[website.url("/loop/a")])]),
    );
    assert_eq!(report.created, 1, "{report:?}");
    let reason = reason_for(&report, "LOOP");
    assert!(reason.contains("again and again"), "{reason}");
}

#[test]
fn a_rows_photos_download_in_parallel_a_few_at_a_time() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let photos: Vec<Vec<u8>> = (0..8).map(|i| jpeg(600, 70 + i)).collect();
    // Each answer takes a while, so downloads that run together overlap at the server.
    let server = PhotoServer::start(move |path| {
        std::thread::sleep(Duration::from_millis(250));
        let i: usize = path.trim_start_matches("/p").parse().unwrap_or(0);
        ("200 OK".into(), String::new(), photos[i % 8].clone())
    });
    let urls: Vec<String> = (0..8).map(|i| server.url(&format!("/p{i}"))).collect();
    let report = import(&v, &write_csv(dir.path(), &[row("MANY", &urls)]));
    assert_eq!(
        (report.created, report.photos_pending.len()),
        (1, 0),
        "{report:?}"
    );
    assert_eq!(server.hits(), 8);
    assert_eq!(v.find_product("MANY").expect("many").images.len(), 8);
    let busiest = server.busiest();
    assert!(
        (2..=vitrine_app::MAX_PARALLEL_DOWNLOADS).contains(&busiest),
        "the row's photos downloaded together, never more than the bound: {busiest} at once"
    );
}

#[test]
fn a_retry_with_nothing_pending_downloads_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let report = retry(&v);
    assert_eq!(
        report,
        PhotoRetryReport {
            fetched: 0,
            still_pending: Vec::new(),
            cancelled: false,
        }
    );
}

#[test]
fn a_photo_that_cannot_be_stored_keeps_failing_its_row_when_it_is_a_local_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let report = import(
        &v,
        &write_csv(dir.path(), &[row("LOCAL", &["missing.jpg".to_owned()])]),
    );
    assert_eq!(
        (
            report.created,
            report.errors.len(),
            report.photos_pending.len()
        ),
        (0, 1, 0),
        "a file is the merchant's own: it is reported, not left waiting: {report:?}"
    );
}
