//! Catalog benchmarks: importing a generated 10,000-product CSV (time and peak memory)
//! and search latency over those products (p50/p95 per query), through the same
//! `Vitrine` calls the desktop app and the CLI make.
//!
//! Run: `cargo bench -p vitrine-app --bench catalog` (prints a Markdown table).

use std::time::{Duration, Instant};

use vitrine_app::{ProductQuery, Vitrine};

#[path = "../examples/seed/catalog_gen.rs"]
mod catalog_gen;

const PRODUCTS: usize = 10_000;
const SEARCH_RUNS: usize = 200;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv_path = dir.path().join("catalog.csv");
    std::fs::write(&csv_path, catalog_gen::generate_csv(PRODUCTS)).expect("write csv");
    let vitrine = Vitrine::open(&dir.path().join("data")).expect("open catalog");

    let rss_before = peak_rss_kib();
    let start = Instant::now();
    let report = vitrine.import_csv(&csv_path, &mut |_| {}).expect("import");
    let import_time = start.elapsed();
    let rss_after = peak_rss_kib();
    assert_eq!(
        report.created as usize,
        PRODUCTS,
        "every generated row imports: {:?}",
        report.errors.first()
    );

    let start = Instant::now();
    let again = vitrine
        .import_csv(&csv_path, &mut |_| {})
        .expect("re-import");
    let reimport_time = start.elapsed();
    assert_eq!(again.unchanged as usize, PRODUCTS);

    println!("## Import of {PRODUCTS} products (CSV, mixed Arabic/Portuguese/English)\n");
    println!("| measure | value |\n|---|---|");
    println!(
        "| import (new catalog) | {:.2} s ({:.0} rows/s) |",
        import_time.as_secs_f64(),
        PRODUCTS as f64 / import_time.as_secs_f64()
    );
    println!(
        "| re-import (nothing changes) | {:.2} s |",
        reimport_time.as_secs_f64()
    );
    println!(
        "| peak RSS of the process after import | {:.1} MiB (before import: {:.1} MiB) |",
        rss_after as f64 / 1024.0,
        rss_before as f64 / 1024.0
    );
    println!();

    let queries = [
        "caneca",
        "ceramica",
        "رمض",
        "سجادة",
        "handmade",
        "wallet",
        "SKU-04242",
        "cafe especial",
        "هدية",
        "P",
    ];
    println!("## Search over {PRODUCTS} products (first page of 50, as the catalog view asks; {SEARCH_RUNS} runs each)\n");
    println!("| query | matches | p50 | p95 |\n|---|---|---|---|");
    let mut all = Vec::new();
    for q in queries {
        let query = ProductQuery {
            search: Some(q.to_owned()),
            limit: 50,
            ..Default::default()
        };
        let total = vitrine.list_products(&query).expect("search").total;
        let mut times = Vec::with_capacity(SEARCH_RUNS);
        for _ in 0..SEARCH_RUNS {
            let t = Instant::now();
            let page = vitrine.list_products(&query).expect("search");
            times.push(t.elapsed());
            std::hint::black_box(page);
        }
        times.sort();
        all.extend_from_slice(&times);
        println!(
            "| `{q}` | {total} | {:.2} ms | {:.2} ms |",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3
        );
    }
    all.sort();
    println!(
        "| **all queries** | | {:.2} ms | {:.2} ms |",
        percentile(&all, 0.5).as_secs_f64() * 1e3,
        percentile(&all, 0.95).as_secs_f64() * 1e3
    );
}
