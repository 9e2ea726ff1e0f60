//! `vitrine meta …`, `vitrine hosting …` and `vitrine sync` against the fake Graph server and
//! a fake S3 bucket on loopback, including a sync killed at random points and resumed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use vitrine_fake_graph::{Config, FakeGraph, Faults};
use vitrine_fake_s3::{FakeS3, ACCESS_KEY_ID, SECRET_ACCESS_KEY};

mod support;

const CATALOG: &str = "1000000000000001";
const TOKEN: &str = "EAAtesttoken1234567890abcdef";

fn vitrine(data: &Path, graph: &str, token: Option<&str>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("VITRINE_DATA_DIR")
        .env("VITRINE_GRAPH_URL", graph)
        .env("HOME", data.join("home"))
        // The fake Graph server's photo CDN is on loopback, which only tests may download from.
        .env("VITRINE_DOWNLOAD_LOOPBACK", "allow")
        .env_remove("VITRINE_S3_SECRET_KEY");
    match token {
        Some(t) => cmd.env("VITRINE_META_TOKEN", t),
        None => cmd.env_remove("VITRINE_META_TOKEN"),
    };
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("runs")
}

fn ok_json(cmd: &mut Command) -> Value {
    let out = run(cmd.arg("--json"));
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value = serde_json::from_slice(&out.stdout).expect("json");
    let args: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
    support::assert_camel_case(&value, &args.join(" "));
    value
}

/// A data folder with `n` publishable products, connected to the fake's catalog.
fn shop(dir: &Path, graph: &str, n: usize) -> PathBuf {
    let data = dir.join("data");
    let img = image::RgbImage::from_fn(600, 600, |x, y| {
        image::Rgb([(x % 250) as u8, (y % 250) as u8, 40])
    });
    img.save(dir.join("p.png")).expect("photo");
    let mut csv = String::from("id,title,description,price,link,image_link\n");
    for i in 0..n {
        csv.push_str(&format!(
            "S-{i:04},Produto {i},Feito à mão {i},{}.50 BRL,https://loja.example/{i},p.png\n",
            5 + i % 30
        ));
    }
    std::fs::write(dir.join("c.csv"), csv).expect("csv");
    for args in [
        vec!["shop", "set", "--brand", "Ateliê", "--currency", "BRL"],
        vec!["import", dir.join("c.csv").to_str().expect("p")],
        vec![
            "hosting",
            "set",
            "--public-url",
            "https://img.loja.example",
            "--folder",
            dir.join("public").to_str().expect("p"),
        ],
        vec!["meta", "connect", "--catalog", CATALOG],
    ] {
        let out = run(vitrine(&data, graph, None).args(&args));
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    data
}

async fn fake(config: Config) -> FakeGraph {
    let f = FakeGraph::start(
        Config {
            tokens: vec![TOKEN.to_owned()],
            ..config
        },
        0,
    )
    .await
    .expect("fake");
    f.add_catalog(CATALOG, "Loja da Ana");
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_test_preview_sync_and_status() {
    let fake = fake(Config::default()).await;
    let dir = tempfile::tempdir().expect("tmp");
    let data = shop(dir.path(), &fake.base_url(), 20);
    let test = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["meta", "test"]));
    assert_eq!(test["catalog"]["name"], "Loja da Ana");
    let plan = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["sync", "--dry-run"]));
    assert_eq!(plan["items"].as_array().map(Vec::len), Some(20));
    assert!(fake.items(CATALOG).is_empty(), "a dry run sends nothing");
    let report = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).arg("sync"));
    assert_eq!(report["created"], 20);
    assert_eq!(fake.items(CATALOG).len(), 20);
    assert!(
        dir.path()
            .join("public")
            .read_dir()
            .expect("published")
            .count()
            >= 1,
        "photos were published"
    );
    let status = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["sync", "status"]));
    assert_eq!(
        (status["atMeta"].as_u64(), status["toCreate"].as_u64()),
        (Some(20), Some(0))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_is_explained_in_one_line_and_never_printed_or_stored() {
    let fake = fake(Config::default()).await;
    let dir = tempfile::tempdir().expect("tmp");
    let data = shop(dir.path(), &fake.base_url(), 2);
    let wrong = "EAAwrongtoken999999999999999999";
    let out = run(vitrine(&data, &fake.base_url(), Some(wrong)).args(["meta", "test"]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("access token"), "{err}");
    assert_eq!(err.trim().lines().count(), 1);
    // Everything again with every log line on, as someone chasing a problem would run it.
    let traced = |token: &str, args: &[&str]| {
        let mut cmd = vitrine(&data, &fake.base_url(), Some(token));
        run(cmd.env("VITRINE_LOG", "trace").args(args))
    };
    let refused = traced(wrong, &["meta", "test"]);
    assert_eq!(refused.status.code(), Some(1));
    let refused_log = String::from_utf8_lossy(&refused.stderr);
    assert!(
        refused_log.contains("WARN") && refused_log.contains("Graph API error"),
        "the refusal is logged where it is handled: {refused_log}"
    );
    let ok = traced(TOKEN, &["sync"]);
    assert!(ok.status.success());
    let ok_log = String::from_utf8_lossy(&ok.stderr);
    assert!(
        ok_log.contains("TRACE") && ok_log.contains("DEBUG"),
        "VITRINE_LOG=trace turns logging on: {ok_log}"
    );
    let outputs = [
        out,
        refused,
        ok,
        traced(TOKEN, &["meta", "test"]),
        traced(TOKEN, &["sync", "status"]),
    ];
    let everything = outputs
        .iter()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
        })
        .collect::<String>()
        + &every_file(&data);
    assert!(
        !everything.contains(TOKEN) && !everything.contains(wrong),
        "no token in output, logs, the database or any file"
    );
}

/// The text of every file under `dir` (the database, its journal, photos), to search for
/// secrets.
fn every_file(dir: &Path) -> String {
    walk(dir)
        .into_iter()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap_or_default()).into_owned())
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_at_random_points_resumes_and_converges() {
    let fake = fake(Config {
        polls_until_finished: 1,
        // Half the answers come late, after Meta acted: a kill then often loses the answer
        // to a call Meta already carried out (the next run resends that batch).
        faults: Faults {
            slow_pct: 50,
            slow_by: Duration::from_millis(300),
            seed: 7,
            ..Faults::default()
        },
        ..Config::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tmp");
    let data = shop(dir.path(), &fake.base_url(), 300);
    let mut seed: u64 = 0x9E37_79B9;
    let mut kill_a_sync = |batch_size: &str| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = vitrine(&data, &fake.base_url(), Some(TOKEN))
            .args(["sync", "--batch-size", batch_size])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(30 + seed % 900));
        let _ = child.kill();
        let _ = child.wait();
    };
    let sync_to_the_end = || {
        for _ in 0..5 {
            let report = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args([
                "sync",
                "--batch-size",
                "25",
            ]));
            if report["resumed"] == false
                && report["created"] == 0
                && report["updated"] == 0
                && report["deleted"] == 0
            {
                break;
            }
        }
    };
    // The first sync, killed 20 times, with edits between kills.
    for round in 0..20 {
        kill_a_sync("25");
        if round % 4 == 3 {
            let out = run(vitrine(&data, &fake.base_url(), None).args([
                "product",
                "edit",
                &format!("S-{round:04}"),
                "--title",
                &format!("Editado {round}"),
            ]));
            assert!(out.status.success(), "edits between kills work");
        }
    }
    sync_to_the_end();
    // Products taken off sale: their deletes go out in small batches, killed 10 times.
    for i in (0..300).step_by(6) {
        let out = run(vitrine(&data, &fake.base_url(), None).args([
            "product",
            "rm",
            &format!("S-{i:04}"),
        ]));
        assert!(out.status.success(), "removing products works");
    }
    for _ in 0..10 {
        kill_a_sync("5");
    }
    sync_to_the_end();
    let items = fake.items(CATALOG);
    assert_eq!(
        items.len(),
        250,
        "every product kept reached Meta, the removed ones left"
    );
    assert!(
        (0..300)
            .step_by(6)
            .all(|i| !items.contains_key(&format!("S-{i:04}"))),
        "removed products are gone from Meta"
    );
    assert_eq!(fake.creates_applied(), 300, "no duplicate creates");
    assert_eq!(
        items["S-0019"].data["title"], "Editado 19",
        "edits made between kills arrive"
    );
    let status = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["sync", "status"]));
    assert_eq!(
        (
            &status["toCreate"],
            &status["toUpdate"],
            &status["toDelete"]
        ),
        (&Value::from(0), &Value::from(0), &Value::from(0)),
        "nothing left to send: a resent delete Meta had already done is not refused forever"
    );
    assert_eq!(status["rejected"], serde_json::json!([]), "no item refused");
    let v = vitrine_app::Vitrine::open(&data).expect("open");
    v.integrity_check()
        .expect("PRAGMA integrity_check is ok after 30 kills");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metas_warning_on_a_long_title_shows_in_sync_and_sync_status() {
    let fake = fake(Config::default()).await;
    let dir = tempfile::tempdir().expect("tmp");
    let data = shop(dir.path(), &fake.base_url(), 3);
    let long = format!("Bolsa de couro legítimo{}", " feita à mão".repeat(8));
    let edited = run(vitrine(&data, &fake.base_url(), None)
        .args(["product", "edit", "S-0001", "--title", &long]));
    assert!(edited.status.success());
    let report = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).arg("sync"));
    assert_eq!(report["created"], 3, "a warned item is synced");
    assert_eq!(report["rejected"], serde_json::json!([]));
    let warning = &report["warnings"][0];
    assert_eq!(warning["retailerId"], "S-0001");
    let message = warning["message"].as_str().expect("Meta's words");
    assert!(message.contains("longer than 100 characters"), "{message}");
    let status = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["sync", "status"]));
    assert_eq!(
        status["warnings"], report["warnings"],
        "sync status shows the warning later"
    );
    assert_eq!(fake.items(CATALOG)["S-0001"].data["title"], long.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meta_settings_make_a_hidden_catalog_visible_and_the_warning_goes() {
    const WABA: &str = "2000000000000002";
    const PHONE: &str = "3000000000000003";
    let fake = fake(Config::default()).await;
    fake.connect_whatsapp(WABA, PHONE, CATALOG);
    let dir = tempfile::tempdir().expect("tmp");
    let data = shop(dir.path(), &fake.base_url(), 2);
    let connected = ok_json(vitrine(&data, &fake.base_url(), None).args([
        "meta",
        "connect",
        "--catalog",
        CATALOG,
        "--waba",
        WABA,
        "--phone-number-id",
        PHONE,
    ]));
    assert_eq!(connected["phoneNumberId"], PHONE);

    let before = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["meta", "test"]));
    assert_eq!(
        before["commerce"]["isCatalogVisible"], false,
        "Meta's default"
    );
    let warnings = before["warnings"].as_array().expect("warnings");
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("hidden"))),
        "a hidden catalog is flagged: {warnings:?}"
    );
    let text = run(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["meta", "test"]));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("catalog hidden") && text.contains("warning:"),
        "{text}"
    );

    let set = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args([
        "meta",
        "settings",
        "--catalog-visible",
        "on",
    ]));
    assert_eq!(set["isCatalogVisible"], true);
    assert_eq!(
        fake.commerce_settings(PHONE),
        Some((true, true)),
        "Meta now shows the catalog, and the cart stays on"
    );

    let after = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["meta", "test"]));
    assert_eq!(after["commerce"]["isCatalogVisible"], true);
    assert_eq!(
        after["warnings"],
        serde_json::json!([]),
        "no warning any more"
    );
    let off = ok_json(
        vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["meta", "settings", "--cart", "off"]),
    );
    assert_eq!(
        (&off["isCartEnabled"], &off["isCatalogVisible"]),
        (&Value::from(false), &Value::from(true)),
        "one switch changes, the other stays"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_file_is_written_in_metas_csv_and_rss_formats() {
    let fake = fake(Config::default()).await;
    let dir = tempfile::tempdir().expect("tmp");
    let data = shop(dir.path(), &fake.base_url(), 3);
    let edited = run(vitrine(&data, &fake.base_url(), None).args([
        "product",
        "edit",
        "S-0001",
        "--title",
        "Caneca \"Azul\" & 5 < 6",
    ]));
    assert!(edited.status.success());
    let held = run(vitrine(&data, &fake.base_url(), None).args([
        "product",
        "edit",
        "S-0002",
        "--description",
        "",
    ]));
    assert!(held.status.success());
    let csv_path = dir.path().join("feed.csv");
    let summary = ok_json(vitrine(&data, &fake.base_url(), None).args([
        "feed",
        "export",
        csv_path.to_str().expect("p"),
    ]));
    assert_eq!(summary["written"], 2);
    assert_eq!(summary["held"], serde_json::json!(["S-0002"]));
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    assert!(
        csv.starts_with("id,title,description,availability,condition,price,link,image_link,brand")
    );
    assert!(
        csv.contains("\"Caneca \"\"Azul\"\" & 5 < 6\""),
        "quotes doubled inside a quoted field: {csv}"
    );
    assert!(csv.contains("5.50 BRL") && csv.contains("https://img.loja.example/"));
    let xml_path = dir.path().join("feed.xml");
    ok_json(vitrine(&data, &fake.base_url(), None).args([
        "feed",
        "export",
        xml_path.to_str().expect("p"),
    ]));
    let xml = std::fs::read_to_string(&xml_path).expect("xml");
    assert!(xml.contains("xmlns:g=\"http://base.google.com/ns/1.0\""));
    assert!(
        xml.contains("<g:title>Caneca &quot;Azul&quot; &amp; 5 &lt; 6</g:title>"),
        "escaped: {xml}"
    );
    assert_eq!(xml.matches("<item>").count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meta_is_read_back_and_orphans_are_listed_and_deleted() {
    let fake = fake(Config::default()).await;
    let dir = tempfile::tempdir().expect("tmp");
    let data = shop(dir.path(), &fake.base_url(), 4);
    ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).arg("sync"));
    fake.seed_item(
        CATALOG,
        serde_json::json!({"id": "OLD-APP-1", "title": "Made elsewhere"})
            .as_object()
            .cloned()
            .unwrap_or_default(),
    );
    fake.reject(CATALOG, "S-0002");
    let pulled = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["meta", "pull"]));
    let items = pulled.as_array().expect("items");
    assert_eq!(items.len(), 5);
    let rejected = items
        .iter()
        .find(|i| i["retailerId"] == "S-0002")
        .expect("S-0002");
    assert_eq!(rejected["reviewStatus"], "rejected");
    assert!(
        rejected["errors"][0]["callToAction"].as_str().is_some(),
        "Meta's call to action is shown"
    );
    let orphans = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["meta", "orphans"]));
    assert_eq!(orphans["orphans"], serde_json::json!(["OLD-APP-1"]));
    let deleted = ok_json(
        vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["meta", "orphans", "--delete"]),
    );
    assert_eq!(deleted["deleted"], 1);
    assert!(!fake.items(CATALOG).contains_key("OLD-APP-1"));
    assert_eq!(fake.items(CATALOG).len(), 4, "Vitrine's own items stay");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosting_set_s3_then_publish_uploads_only_what_the_bucket_lacks() {
    let fake = fake(Config::default()).await;
    let s3 = FakeS3::start(&["fotos"]).await.expect("s3 server");
    let dir = tempfile::tempdir().expect("tmp");
    let data = shop(dir.path(), &fake.base_url(), 3);
    let endpoint = s3.endpoint();
    let with_secret = |secret: &str| {
        let mut cmd = vitrine(&data, &fake.base_url(), None);
        cmd.env("VITRINE_S3_SECRET_KEY", secret);
        cmd
    };
    let set_args = [
        "hosting",
        "set",
        "s3",
        "--bucket",
        "fotos",
        "--region",
        "us-east-1",
        "--endpoint",
        endpoint.as_str(),
        "--prefix",
        "loja",
        "--access-key-id",
        ACCESS_KEY_ID,
        "--public-url",
        "https://fotos.loja.example/loja",
    ];
    let set = ok_json(with_secret(SECRET_ACCESS_KEY).args(set_args));
    assert_eq!(set["bucket"]["bucket"], "fotos");
    assert_eq!(set["secretKey"], "environment");
    let shown = run(with_secret(SECRET_ACCESS_KEY).args(["hosting", "show"]));
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("fotos") && shown.contains("VITRINE_S3_SECRET_KEY"),
        "{shown}"
    );
    let first = ok_json(with_secret(SECRET_ACCESS_KEY).args(["hosting", "publish"]));
    assert_eq!(
        (&first["uploaded"], &first["alreadyPresent"]),
        (&Value::from(1), &Value::from(0)),
        "the products share one photo"
    );
    let again = ok_json(with_secret(SECRET_ACCESS_KEY).args(["hosting", "publish"]));
    assert_eq!(
        (&again["uploaded"], &again["alreadyPresent"]),
        (&Value::from(0), &Value::from(1))
    );
    assert_eq!(s3.keys("fotos").len(), 1);
    assert_eq!(s3.count("PUT"), 1, "one upload in all");

    let wrong = "not-the-secret-access-key";
    let refused = run(with_secret(wrong).args(["--json", "hosting", "publish"]));
    assert_eq!(refused.status.code(), Some(1));
    let body: Value = serde_json::from_slice(&refused.stdout).expect("json error");
    assert_eq!(body["error"]["code"], "invalidInput");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("refused the access key"), "{stderr}");
    let everything = String::from_utf8_lossy(&refused.stdout).to_string()
        + &stderr
        + &shown
        + &every_file(&data);
    assert!(
        !everything.contains(wrong) && !everything.contains(SECRET_ACCESS_KEY),
        "no secret in output or any file of the catalog"
    );

    let empty = run(vitrine(&data, &fake.base_url(), None)
        .args(set_args)
        .arg("--secret-key-stdin")
        .stdin(Stdio::null()));
    assert_eq!(empty.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("standard input was empty"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meta_import_fills_an_empty_vitrine_and_the_next_sync_plans_nothing() {
    let fake = fake(Config::default()).await;
    let mut photo = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_fn(600, 600, |x, y| {
        image::Rgb([(x % 250) as u8, 90, (y % 250) as u8])
    })
    .write_to(&mut photo, image::ImageFormat::Jpeg)
    .expect("jpeg");
    let url = fake.host_file("bolsa.jpg", photo.into_inner());
    for (sku, price) in [
        ("WA-1", "120.00 BRL"),
        ("WA-2", "35.50 BRL"),
        ("WA-3", "n/a BRL"),
    ] {
        fake.seed_item(
            CATALOG,
            serde_json::json!({"id": sku, "title": format!("Item {sku}"), "description": "Feito à mão",
                "price": price, "availability": "in stock", "condition": "new",
                "link": format!("https://ana.example/{sku}"), "image_link": url, "brand": "Ana"})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        );
    }
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    for args in [
        vec!["shop", "set", "--currency", "BRL"],
        vec!["meta", "connect", "--catalog", CATALOG],
    ] {
        assert!(run(vitrine(&data, &fake.base_url(), None).args(&args))
            .status
            .success());
    }
    let out = run(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["--json", "meta", "import"]));
    assert_eq!(out.status.code(), Some(2), "an item was skipped");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["imported"], 2);
    assert_eq!(report["skipped"][0]["retailerId"], "WA-3");
    let plan = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["sync", "--dry-run"]));
    assert_eq!(
        plan["items"],
        serde_json::json!([]),
        "Meta already holds them"
    );
    assert_eq!(plan["unchanged"], 2);
    let text = run(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["meta", "import"]));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Imported 0 product(s) from Meta; 2 already in Vitrine"),
        "{text}"
    );
    let shown = ok_json(vitrine(&data, &fake.base_url(), None).args(["product", "show", "WA-1"]));
    assert_eq!(shown["product"]["draft"]["price"]["minor"], 12000);
    assert_eq!(shown["product"]["images"].as_array().map(Vec::len), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_after_a_killed_one_finishes_it_and_sends_the_edits_made_since() {
    // Meta takes the batch and does not finish it: the sync waits on it, and is killed there.
    let fake = fake(Config {
        polls_until_finished: u32::MAX,
        ..Config::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tmp");
    let data = shop(dir.path(), &fake.base_url(), 6);
    let mut child = vitrine(&data, &fake.base_url(), Some(TOKEN))
        .arg("sync")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let waiting = std::time::Instant::now();
    while !fake
        .calls()
        .iter()
        .any(|c| c.edge == "check_batch_request_status")
    {
        assert!(
            waiting.elapsed() < Duration::from_secs(60),
            "the sync sends its batch and checks it"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    fake.set_polls_until_finished(1);
    let edited = run(vitrine(&data, &fake.base_url(), None).args([
        "product",
        "edit",
        "S-0004",
        "--title",
        "Editado depois",
    ]));
    assert!(edited.status.success(), "an edit after the kill");

    let out = run(vitrine(&data, &fake.base_url(), Some(TOKEN)).arg("sync"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "everything reached Meta: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(
            "Finished an interrupted sync (6 item(s)), then sent 1 change(s) made since."
        ),
        "what was resumed and what was sent: {text}"
    );
    assert!(text.contains("Synced: 6 created, 1 updated"), "{text}");
    let items = fake.items(CATALOG);
    assert_eq!(items.len(), 6, "the interrupted batch landed");
    assert_eq!(
        items["S-0004"].data["title"], "Editado depois",
        "the edit made after the kill reached Meta in the same sync"
    );
    let plan = ok_json(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["sync", "--dry-run"]));
    assert_eq!(plan["items"], serde_json::json!([]), "nothing left to send");

    // An item Meta refuses is not at Meta: the sync says so and does not exit 0.
    fake.refuse("S-0001", "The image could not be downloaded");
    let edited = run(vitrine(&data, &fake.base_url(), None)
        .args(["product", "edit", "S-0001", "--title", "Recusado"]));
    assert!(edited.status.success());
    let out = run(vitrine(&data, &fake.base_url(), Some(TOKEN)).args(["--json", "sync"]));
    assert_eq!(out.status.code(), Some(2), "a follow-up plan is not empty");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["leftToSend"], 1);
    assert_eq!(report["rejected"][0]["retailerId"], "S-0001");
    let out = run(vitrine(&data, &fake.base_url(), Some(TOKEN)).arg("sync"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text.contains("Not all synced") && text.contains("1 item(s) are not at Meta"),
        "{text}"
    );
    fake.accept_again("S-0001");
    let out = run(vitrine(&data, &fake.base_url(), Some(TOKEN)).arg("sync"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(fake.items(CATALOG)["S-0001"].data["title"], "Recusado");
}
