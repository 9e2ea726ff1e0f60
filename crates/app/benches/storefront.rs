//! Storefront benchmarks: building the site of a 10,000-product catalog in 2 languages into
//! an empty folder, a rebuild with nothing changed, a rebuild after one product's edit, and
//! the weight of a language's index page (HTML + CSS + JS; the generated catalog has no
//! photos, so thumbnails are counted in the app's tests instead).
//!
//! Run: `cargo bench --workspace --bench storefront` (prints a Markdown table).

use std::time::{Duration, Instant};

use vitrine_app::{ProductPatch, ShopUpdate, Vitrine};

#[path = "../examples/seed/catalog_gen.rs"]
mod catalog_gen;

const PRODUCTS: usize = 10_000;

/// CPU time of the whole process so far (user + system, all threads), from
/// `/proc/self/stat` in clock ticks of 10 ms: on a loaded machine the wall time of a step
/// includes waiting for a core, its CPU time does not.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // After the command name: state is field 0, utime field 11, stime field 12.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let before = cpu();
    let out = f();
    let (wall, used) = (start.elapsed(), cpu().saturating_sub(before));
    CPU.with(|c| c.set(used));
    (out, wall)
}

thread_local! {
    /// CPU time of the last `timed` step.
    static CPU: std::cell::Cell<Duration> = const { std::cell::Cell::new(Duration::ZERO) };
}

fn last_cpu() -> f64 {
    CPU.with(|c| c.get().as_secs_f64())
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv_path = dir.path().join("catalog.csv");
    std::fs::write(&csv_path, catalog_gen::generate_csv(PRODUCTS)).expect("write csv");
    let v = Vitrine::open(&dir.path().join("data")).expect("open catalog");
    v.import_csv(&csv_path, &mut |_| {}).expect("import");
    v.update_shop(ShopUpdate {
        name: Some("Loja da Ana".into()),
        phone: Some("+55 11 98765-4321".into()),
        languages: Some(vec!["pt-BR".into(), "ar".into()]),
        ..ShopUpdate::default()
    })
    .expect("shop");
    let out = dir.path().join("site");
    let base = Some("https://loja.example");

    let (first, build) = timed(|| v.build_storefront(&out, base).expect("build"));
    let build_cpu = last_cpu();
    let (same, noop) = timed(|| v.build_storefront(&out, base).expect("rebuild"));
    let noop_cpu = last_cpu();
    assert_eq!(same.written, 0);
    let sku = v
        .list_products(&vitrine_app::ProductQuery {
            limit: 1,
            ..vitrine_app::ProductQuery::default()
        })
        .expect("a product")
        .items[0]
        .sku
        .clone();
    v.edit_product(
        &sku,
        ProductPatch {
            title: Some("Edited title".into()),
            ..ProductPatch::default()
        },
    )
    .expect("edit");
    let (edited, incremental) = timed(|| v.build_storefront(&out, base).expect("rebuild"));
    let incremental_cpu = last_cpu();
    let (_, generate) = timed(|| v.storefront_site(base).expect("site"));
    let generate_cpu = last_cpu();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let weight: u64 = ["pt-BR/index.html", "assets/site.css", "assets/site.js"]
        .iter()
        .map(|p| std::fs::metadata(out.join(p)).expect("file").len())
        .sum();

    println!("## Storefront: {PRODUCTS} products in 2 languages\n");
    println!(
        "load average before the run: {}\n",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("| measure | wall time | CPU time (all threads) |\n|---|---|---|");
    println!(
        "| full build into an empty folder ({} files) | {:.2} s | {:.2} s |",
        first.files,
        build.as_secs_f64(),
        build_cpu
    );
    println!(
        "| of which generating the site in memory (load + render) | {:.2} s | {:.2} s |",
        generate.as_secs_f64(),
        generate_cpu
    );
    println!(
        "| rebuild, nothing changed (0 files written) | {:.2} s | {:.2} s |",
        noop.as_secs_f64(),
        noop_cpu
    );
    println!(
        "| rebuild after one edit ({} files written) | {:.2} s | {:.2} s |",
        edited.written,
        incremental.as_secs_f64(),
        incremental_cpu
    );
    println!(
        "| index page (60 products) HTML + CSS + JS | {:.1} KB | |",
        weight as f64 / 1000.0
    );
}
