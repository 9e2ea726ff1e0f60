//! Import benchmark: a Shopify-shaped export of 10,000 variants (2,500 products of 4 sizes,
//! HTML bodies with entities, 3 photo URLs per product on image-only rows, as Shopify
//! writes them), through `Vitrine::import_csv_with` (the call the CLI and the desktop make).
//!
//! 1. The rows themselves: the same file without photo URLs, into a fresh catalog.
//! 2. With photos: a fresh catalog, the 7,500 distinct photos (500×500 JPEGs) served by a
//!    photo server on loopback, downloaded in parallel (bounded) and processed.
//!
//! Run: `cargo bench -p vitrine-app --bench import` (prints a Markdown table; `-- rows` stops
//! after the rows). Peak memory is
//! the process's high-water mark (`VmHWM`) after each part.

#[path = "../tests/support/photo_server.rs"]
#[expect(dead_code, reason = "the bench needs only the server")]
mod photo_server;

use std::fmt::Write as _;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use vitrine_app::{Downloader, ImportFile, ImportOptions, ReadChoices, Seams, Vitrine};

const PRODUCTS: usize = 2_500;
const SIZES: [&str; 4] = ["P", "M", "G", "GG"];
const PHOTOS_PER_PRODUCT: usize = 3;

const HEADER: &str = "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Variant Compare At Price,Variant Barcode,Image Src,Image Position,Status";

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

/// The export; photo URLs under `photos` (`None`: no photos).
fn export(photos: Option<&str>) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for p in 0..PRODUCTS {
        let handle = format!("camiseta-estampa-{p}");
        let body = format!(
            "\"<p>Camiseta de algod&atilde;o org&acirc;nico, estampa n&ordm; {p}.</p><ul><li>Malha 30.1 penteada</li><li>Lavar &agrave; m&atilde;o &amp; secar &agrave; sombra</li><li>Tamanhos P ao GG</li></ul><p>Feita no Brasil &#8212; envio em 24 h.</p>\""
        );
        for (n, size) in SIZES.iter().enumerate() {
            let first = n == 0;
            let photo = match (photos, first) {
                (Some(base), true) => format!("{base}/{p}-1.jpg"),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "{handle},{},{},{},{},,{},{},{size},CAM-{p}-{size},200,shopify,{},deny,\"79,90\",\"99,90\",,{photo},{},{}",
                if first { "Camiseta Estampa" } else { "" },
                if first { body.as_str() } else { "" },
                if first { "Malha Viva" } else { "" },
                if first { "Camisetas" } else { "" },
                if first { "true" } else { "" },
                if first { "Tamanho" } else { "" },
                (p + n) % 7,
                if first && photos.is_some() { "1" } else { "" },
                if first { "active" } else { "" },
            );
        }
        if let Some(base) = photos {
            for k in 2..=PHOTOS_PER_PRODUCT {
                let _ = writeln!(out, "{handle},,,,,,,,,,,,,,,,,{base}/{p}-{k}.jpg,{k},");
            }
        }
    }
    out
}

/// A distinct 500×500 JPEG for each photo path.
fn photo(path: &str) -> Vec<u8> {
    let seed = path
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let img = image::RgbImage::from_fn(500, 500, |x, y| {
        image::Rgb([
            (x ^ seed) as u8,
            y.wrapping_add(seed) as u8,
            ((x + y) ^ (seed >> 8)) as u8,
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode_image(&img)
        .expect("encode");
    bytes
}

fn main() {
    let variants = PRODUCTS * SIZES.len();
    let dir = tempfile::tempdir().expect("tempdir");

    let rows_only = dir.path().join("rows.csv");
    std::fs::write(&rows_only, export(None)).expect("write");
    let v = Vitrine::open(&dir.path().join("rows-data")).expect("open");
    let start = Instant::now();
    let preview = v
        .preview_import(
            &ImportFile::Path(rows_only.clone()),
            &ReadChoices::default(),
        )
        .expect("preview");
    let read_time = start.elapsed();
    assert_eq!(preview.products as usize, variants);
    let start = Instant::now();
    let report = v
        .import_csv_with(
            &rows_only,
            &ImportOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .expect("import");
    let rows_time = start.elapsed();
    let rows_rss = peak_rss_kib();
    assert_eq!(
        report.created as usize,
        variants,
        "{:?}",
        report.errors.first()
    );
    drop(v);
    if std::env::args().any(|a| a == "rows") {
        print_rows(variants, rows_time, read_time, rows_rss);
        return;
    }

    let server = photo_server::PhotoServer::start(|path| {
        (
            "200 OK".to_owned(),
            "Content-Type: image/jpeg\r\n".to_owned(),
            photo(path),
        )
    });
    let with_photos = dir.path().join("photos.csv");
    std::fs::write(&with_photos, export(Some(&server.url("")))).expect("write");
    let seams = Seams {
        downloader: Downloader::allowing_loopback(),
        ..Seams::default()
    };
    let v = Vitrine::open_with(&dir.path().join("photos-data"), seams).expect("open");
    let start = Instant::now();
    let report = v
        .import_csv_with(
            &with_photos,
            &ImportOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .expect("import");
    let photos_time = start.elapsed();
    let photos_rss = peak_rss_kib();
    assert_eq!(
        report.created as usize,
        variants,
        "{:?}",
        report.errors.first()
    );
    assert!(
        report.photos_pending.is_empty(),
        "{:?}",
        report.photos_pending.first()
    );
    let photos = PRODUCTS * PHOTOS_PER_PRODUCT;
    print_rows(variants, rows_time, read_time, rows_rss);
    println!(
        "| with photos from a loopback server | {:.2} s ({:.0} photos/s, {} requests, at most {} at once) |",
        photos_time.as_secs_f64(),
        photos as f64 / photos_time.as_secs_f64(),
        server.hits(),
        server.busiest()
    );
    println!(
        "| peak RSS after the photos | {:.1} MiB |",
        photos_rss as f64 / 1024.0
    );
}

/// The table's header and the rows-only lines.
fn print_rows(variants: usize, rows_time: Duration, read_time: Duration, rows_rss: u64) {
    let photos = PRODUCTS * PHOTOS_PER_PRODUCT;
    println!("## Import of a Shopify export: {variants} variants, {PRODUCTS} products, {photos} photos\n");
    println!("| measure | value |\n|---|---|");
    println!(
        "| rows only (no photo URLs) | {:.2} s ({:.0} rows/s) |",
        rows_time.as_secs_f64(),
        variants as f64 / rows_time.as_secs_f64()
    );
    println!(
        "| of which reading the file (decode, parse, map to products) | {:.2} s ({:.0} rows/s) |",
        read_time.as_secs_f64(),
        variants as f64 / read_time.as_secs_f64()
    );
    println!(
        "| peak RSS after the rows | {:.1} MiB |",
        rows_rss as f64 / 1024.0
    );
}
