//! Sync benchmarks against the fake Graph server on loopback: a full sync of 10,000
//! products (Meta calls made, and the CPU time of the syncing thread — the fake runs on
//! other threads), then one edited product among 10,000 (calls, items sent, plan time).
//!
//! Run: `cargo bench -p vitrine-app --bench sync` (prints a Markdown table).

use std::time::{Duration, Instant};

use vitrine_app::meta::{AccessToken, GraphClient, GraphConfig};
use vitrine_app::{ProductPatch, SyncOptions, Vitrine};
use vitrine_fake_graph::{Config, FakeGraph};

const PRODUCTS: usize = 10_000;
const CATALOG: &str = "1000000000000001";

/// CPU time (user + system) of the calling thread, from /proc (10 ms resolution).
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after_name = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    let fields: Vec<u64> = after_name
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    // After the command name: state is skipped by the parse filter; utime and stime are the
    // 12th and 13th numeric fields.
    let ticks = fields.get(10).copied().unwrap_or(0) + fields.get(11).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let v = Vitrine::open(&dir.path().join("data")).expect("open");
    v.update_shop(vitrine_app::ShopUpdate {
        currency: Some("BRL".into()),
        brand: Some("Ateliê".into()),
        ..Default::default()
    })
    .expect("shop");
    let img = image::RgbImage::from_fn(600, 600, |x, y| {
        image::Rgb([(x % 250) as u8, (y % 250) as u8, 77])
    });
    img.save(dir.path().join("p.png")).expect("photo");
    let mut csv = String::from("id,title,description,price,link,image_link\n");
    for i in 0..PRODUCTS {
        csv.push_str(&format!("S-{i:05},Produto {i},Feito à mão número {i},{}.90 BRL,https://loja.example/{i},p.png\n", 5 + i % 90));
    }
    std::fs::write(dir.path().join("c.csv"), csv).expect("csv");
    v.import_csv(&dir.path().join("c.csv"), &mut |_| {})
        .expect("import");
    v.set_image_hosting("https://img.loja.example", Some(dir.path().join("public")))
        .expect("hosting");

    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let fake = server_rt
        .block_on(FakeGraph::start(Config::default(), 0))
        .expect("fake");
    fake.add_catalog(CATALOG, "Loja");
    let client = GraphClient::new(
        GraphConfig {
            base_url: fake.base_url(),
            ..GraphConfig::default()
        },
        AccessToken::new("test-token").expect("t"),
    )
    .expect("client");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let opts = SyncOptions {
        poll_interval: Duration::from_millis(1),
        ..SyncOptions::default()
    };

    let calls_before = fake.calls().len();
    let cpu0 = thread_cpu();
    let t0 = Instant::now();
    let report = rt
        .block_on(v.sync(&client, CATALOG, &opts, &mut |_| {}))
        .expect("full sync");
    let wall = t0.elapsed();
    let cpu = thread_cpu() - cpu0;
    assert_eq!(report.created, PRODUCTS);
    let calls = fake.calls();
    let batch_calls = calls[calls_before..]
        .iter()
        .filter(|c| c.edge == "items_batch")
        .count();
    let all_calls = calls.len() - calls_before;

    v.edit_product(
        "S-04242",
        ProductPatch {
            price: Some("1234.50".into()),
            ..Default::default()
        },
    )
    .expect("edit");
    let t1 = Instant::now();
    let plan = v.sync_plan().expect("plan");
    let plan_time = t1.elapsed();
    let before = fake.calls().len();
    let edit = rt
        .block_on(v.sync(&client, CATALOG, &opts, &mut |_| {}))
        .expect("edit sync");
    let edit_calls = fake.calls()[before..]
        .iter()
        .filter(|c| c.edge == "items_batch")
        .count();

    println!("## Sync against the fake Graph server ({PRODUCTS} products)\n");
    println!("| measure | value | target |\n|---|---|---|");
    println!("| full sync: `items_batch` calls | {batch_calls} | 2 |");
    println!("| full sync: all Graph calls (incl. status polls) | {all_calls} | |");
    println!(
        "| full sync: CPU time of the syncing thread | {:.2} s | < 1 s |",
        cpu.as_secs_f64()
    );
    println!(
        "| full sync: wall time (fake included, on loopback) | {:.2} s | |",
        wall.as_secs_f64()
    );
    println!("| one edit: `items_batch` calls | {edit_calls} | 1 |");
    println!(
        "| one edit: items sent | {} | 1 |",
        edit.updated + edit.created + edit.deleted
    );
    println!(
        "| one edit: plan time over {PRODUCTS} products | {:.1} ms | < 50 ms |",
        plan_time.as_secs_f64() * 1e3
    );
    println!(
        "| one edit: fields sent | {} | |",
        plan.items
            .first()
            .map(|i| i.data.keys().cloned().collect::<Vec<_>>().join(","))
            .unwrap_or_default()
    );
}
