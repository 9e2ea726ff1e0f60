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

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
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
    let (same, noop) = timed(|| v.build_storefront(&out, base).expect("rebuild"));
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
    let (_, generate) = timed(|| v.storefront_site(base).expect("site"));
    let weight: u64 = ["pt-BR/index.html", "assets/site.css", "assets/site.js"]
        .iter()
        .map(|p| std::fs::metadata(out.join(p)).expect("file").len())
        .sum();

    println!("## Storefront: {PRODUCTS} products in 2 languages\n");
    println!("| measure | value |\n|---|---|");
    println!(
        "| full build into an empty folder ({} files) | {:.2} s |",
        first.files,
        build.as_secs_f64()
    );
    println!(
        "| of which generating the site in memory (load + render) | {:.2} s |",
        generate.as_secs_f64()
    );
    println!(
        "| rebuild, nothing changed (0 files written) | {:.2} s |",
        noop.as_secs_f64()
    );
    println!(
        "| rebuild after one edit ({} files written) | {:.2} s |",
        edited.written,
        incremental.as_secs_f64()
    );
    println!(
        "| index page (60 products) HTML + CSS + JS | {:.1} KB |",
        weight as f64 / 1000.0
    );
}
