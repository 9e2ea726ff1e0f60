//! Fills a catalog folder with generated products, for trying the app and for benchmarks:
//!
//! ```sh
//! cargo run -p vitrine-app --example seed -- DATA_DIR [PRODUCTS] [PHOTOS]
//! ```
//!
//! PRODUCTS (default 10000) rows of mixed Arabic/Portuguese/English text; the first PHOTOS
//! products (default 24) get a generated photo each.

mod catalog_gen;
mod photo_gen;

use std::process::ExitCode;

use vitrine_app::{ImageSource, Vitrine};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: seed DATA_DIR [PRODUCTS] [PHOTOS]");
        return ExitCode::FAILURE;
    };
    let products: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let photos: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(24);
    match seed(std::path::Path::new(&dir), products, photos) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn seed(
    dir: &std::path::Path,
    products: usize,
    photos: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let vitrine = Vitrine::open(dir)?;
    vitrine.update_shop(vitrine_app::ShopUpdate {
        name: Some("Loja da Ana".into()),
        currency: Some("BRL".into()),
        brand: Some("Ateliê Ana".into()),
        ..Default::default()
    })?;
    let work = tempfile::tempdir()?;
    let csv = work.path().join("catalog.csv");
    std::fs::write(&csv, catalog_gen::generate_csv(products))?;
    let report = vitrine.import_csv(&csv, &mut |_| {})?;
    for i in 0..photos.min(products) {
        let path = work.path().join(format!("p{i}.jpg"));
        photo_gen::photo(&path, 900, 900, i as u32)?;
        vitrine.add_images(&format!("SKU-{i:05}"), &[ImageSource::File(path)])?;
    }
    println!(
        "{} products ({} new), {} with photos, in {}",
        products,
        report.created,
        photos.min(products),
        dir.display()
    );
    Ok(())
}
