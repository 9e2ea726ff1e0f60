//! The import corpus (`tests/corpus`, its README says where each file comes from): real
//! public exports whose licence allows keeping them, and files written in each dialect a
//! shop owner's computer produces. Each test states what a file gives: products created,
//! each skipped row and why, photos pending, stock and prices as the shop meant them.
//!
//! Hermetic: photo URLs name `photos.test` or the shops' real hosts, and are pointed at a
//! loopback port before importing — closed while "offline", then served by a photo server.

#[path = "support/photo_server.rs"]
#[expect(
    dead_code,
    reason = "the redirecting shop website is for the photo tests"
)]
mod photo_server;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use photo_server::{closed_address, jpeg, PhotoServer};
use vitrine_app::core::{Availability, RuleId};
use vitrine_app::{
    Delimiter, Downloader, ImportFormat, ImportOptions, ImportReport, RowNote, RowResult, Seams,
    ShopUpdate, TextEncoding, Vitrine,
};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(name)
}

/// A catalog in `dir` that may download from loopback, its shop in `currency`.
fn catalog(dir: &Path, currency: &str) -> Vitrine {
    let seams = Seams {
        downloader: Downloader::allowing_loopback(),
        ..Seams::default()
    };
    let v = Vitrine::open_with(&dir.join("data"), seams).expect("open a fresh catalog");
    v.update_shop(ShopUpdate {
        currency: Some(currency.to_owned()),
        ..ShopUpdate::default()
    })
    .expect("shop currency");
    v
}

/// A loopback address nothing listens on yet: photos there fail as on an offline laptop.
fn closed_port() -> SocketAddr {
    closed_address()
}

/// A photo server at `addr` answering each path with a photo of its own.
fn photos_at(addr: SocketAddr) -> PhotoServer {
    PhotoServer::start_at(addr, |path| {
        let seed = path
            .bytes()
            .fold(0u8, |h, b| h.wrapping_mul(31).wrapping_add(b));
        (
            "200 OK".to_owned(),
            "Content-Type: image/jpeg\r\n".to_owned(),
            jpeg(600, seed),
        )
    })
}

/// The corpus file copied into `dir` with its photo hosts pointed at `photos`.
fn with_photos_at(dir: &Path, name: &str, photos: SocketAddr) -> PathBuf {
    let text = std::fs::read(corpus(name)).expect("corpus file");
    let mut text = String::from_utf8(text).expect("UTF-8 corpus file");
    for host in [
        "https://photos.test",
        "https://woocommercecore.mystagingwebsite.com",
        "http://www.googlestore.com",
        "http://www.example.com",
    ] {
        text = text.replace(host, &format!("http://{photos}"));
    }
    let path = dir.join(Path::new(name).file_name().expect("a file name"));
    std::fs::write(&path, text).expect("copy");
    path
}

fn import(v: &Vitrine, path: &Path, options: &ImportOptions) -> ImportReport {
    v.import_csv_with(path, options, &mut |_| {}, &AtomicBool::new(false))
        .expect("the import runs")
}

fn skipped(report: &ImportReport) -> Vec<(u64, String)> {
    report
        .errors
        .iter()
        .map(|e| (e.line, e.message.clone()))
        .collect()
}

fn notes_of(report: &ImportReport, line: u64) -> &[RowNote] {
    report
        .rows
        .iter()
        .find(|r| r.line == line)
        .map(|r| r.notes.as_slice())
        .unwrap_or_default()
}

#[test]
fn an_arabic_shopify_shop_imports_every_product_offline_and_gets_its_photos_when_the_server_appears(
) {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "AED");
    let photos = closed_port();
    let file = with_photos_at(dir.path(), "generated/shopify-ar-perfume-shop.csv", photos);
    let report = import(&v, &file, &ImportOptions::default());
    assert_eq!(report.format, ImportFormat::Shopify);
    assert_eq!(
        (report.created, report.errors.len()),
        (10, 0),
        "every product comes in offline: {:?}",
        skipped(&report)
    );
    assert_eq!(
        report.photos_pending.len(),
        20,
        "two photos per product wait for the network"
    );
    let oud = v
        .find_product("عود-ملكي-50-مل")
        .expect("a SKU made from the Arabic handle");
    assert_eq!(oud.draft.title, "عود ملكي فاخر");
    assert_eq!(
        oud.draft.description, "عود ملكي فاخر من أجود الأنواع.\nصناعة يدوية\nثبات يدوم طويلاً",
        "right-to-left HTML becomes lines of text"
    );
    assert_eq!(
        (oud.draft.availability, oud.draft.stock),
        (Availability::InStock, None),
        "an untracked quantity of 0 is not sold out"
    );
    assert_eq!(oud.draft.price.to_decimal_string(), "420.00");
    let gift = v.find_product("هدية-رمضان").expect("the draft is imported");
    assert!(!gift.draft.published, "a Shopify draft stays unpublished");
    assert!(
        v.check()
            .expect("check")
            .iter()
            .all(|c| c.findings.iter().any(|f| f.rule == RuleId::ImageMissing)),
        "no product is sent to Meta without its photo"
    );

    let server = photos_at(photos);
    let retry = v
        .retry_pending_photos(&mut |_| {}, &AtomicBool::new(false))
        .expect("retry");
    assert_eq!(retry.fetched, 20, "{:?}", retry.still_pending);
    assert!(retry.still_pending.is_empty());
    assert!(server.hits() >= 16, "each distinct photo was fetched");
    let oud = v.find_product("عود-ملكي-50-مل").expect("product");
    assert_eq!(oud.images.len(), 2, "both photos, in the file's order");
    assert!(!v
        .check()
        .expect("check")
        .iter()
        .any(|c| c.findings.iter().any(|f| f.rule == RuleId::ImageMissing)));
}

#[test]
fn a_brazilian_dropshipping_export_keeps_its_skus_reports_duplicates_and_reads_stock() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "BRL");
    let file = with_photos_at(
        dir.path(),
        "generated/shopify-br-dropship.csv",
        closed_port(),
    );
    let report = import(&v, &file, &ImportOptions::default());
    assert_eq!(report.created, 7, "{:?}", skipped(&report));
    assert_eq!(skipped(&report).len(), 1);
    let (line, reason) = &skipped(&report)[0];
    assert_eq!(
        *line, 7,
        "CRLF lines are counted as a spreadsheet shows them"
    );
    assert!(reason.contains("line 2"), "{reason}");
    let projector = v
        .find_product("14:193#Sliver 2hapa;200007763:201336100")
        .expect("a dropshipping SKU is kept as written");
    assert_eq!(projector.draft.price.to_decimal_string(), "987.00");
    assert_eq!(
        projector.draft.description,
        "Produto importado com garantia. Cerâmica & aço inox.\nEnvio rápido\nNota fiscal"
    );
    assert_eq!(projector.draft.stock, None);
    assert!(notes_of(&report, 2)
        .iter()
        .any(|n| matches!(n, RowNote::BarcodeIgnored { mangled: false, .. })));
    assert!(
        notes_of(&report, 6)
            .iter()
            .any(|n| matches!(n, RowNote::BarcodeIgnored { mangled: true, .. })),
        "an Excel-mangled barcode is reported"
    );
    let watch = v.find_product("200000639:200003982#42mm").expect("watch");
    assert_eq!(
        watch.draft.stock,
        Some(3),
        "a tracked variant keeps its count"
    );
    let lamp = v.find_product("LAMP 01 / RGB").expect("a SKU with spaces");
    assert_eq!(
        lamp.draft.availability,
        Availability::AvailableForOrder,
        "continue selling at 0"
    );
    assert!(
        v.find_product("camiseta-brasil-prata-p").is_ok(),
        "a generated SKU"
    );
    assert_eq!(
        report.photos_pending.len(),
        21,
        "three photos for each of 7 products"
    );

    let again = dir.path().join("again");
    std::fs::create_dir_all(&again).expect("dir");
    let v = catalog(&again, "BRL");
    let deduped = import(
        &v,
        &file,
        &ImportOptions {
            dedupe_skus: true,
            ..ImportOptions::default()
        },
    );
    assert_eq!(deduped.created, 8, "the duplicate gets a SKU of its own");
    assert!(v
        .find_product("14:193#Sliver 2hapa;200007763:201336100-2")
        .is_ok());
    assert!(notes_of(&deduped, 7)
        .iter()
        .any(|n| matches!(n, RowNote::SkuRenamed { first_line: 2, .. })));
}

#[test]
fn a_shopify_file_saved_by_excel_in_portuguese_imports_with_its_prices() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "BRL");
    let report = import(
        &v,
        &corpus("generated/excel-ptbr-shopify-windows1252.csv"),
        &ImportOptions::default(),
    );
    let reading = report.reading.clone().expect("a file");
    assert_eq!(
        (reading.encoding, reading.delimiter, reading.decimal_comma),
        (TextEncoding::Windows1252, Some(Delimiter::Semicolon), true)
    );
    assert!(
        reading.encoding_guessed,
        "a code page is a guess the app shows"
    );
    assert_eq!(report.created, 4, "{:?}", skipped(&report));
    let mug = v.find_product("CAN-AZUL").expect("mug");
    assert_eq!(mug.draft.title, "Caneca de cerâmica");
    assert_eq!(mug.draft.price.to_decimal_string(), "99.90");
    assert_eq!(
        mug.draft.sale.map(|s| s.price.to_decimal_string()),
        Some("89.90".to_owned())
    );
    let jar = v.find_product("JAR-1500").expect("jar");
    assert_eq!(jar.draft.price.to_decimal_string(), "1299.00");
    assert_eq!(
        (jar.draft.availability, jar.draft.stock),
        (Availability::OutOfStock, Some(0))
    );
    assert_eq!(
        v.find_product("PRA-OLI")
            .expect("plate")
            .draft
            .price
            .to_decimal_string(),
        "45.50"
    );
}

#[test]
fn excel_unicode_text_reads_arabic_hindi_and_indonesian_with_their_currencies() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "USD");
    let report = import(
        &v,
        &corpus("generated/excel-unicode-text-meta.txt"),
        &ImportOptions::default(),
    );
    let reading = report.reading.clone().expect("a file");
    assert_eq!(
        (reading.encoding, reading.delimiter),
        (TextEncoding::Utf16Le, Some(Delimiter::Tab))
    );
    assert_eq!(report.created, 3, "{:?}", skipped(&report));
    let watch = v.find_product("EG-SAA-1").expect("watch");
    assert_eq!(watch.draft.title, "ساعة يد رجالية");
    assert_eq!(watch.draft.price.currency().code(), "EGP");
    assert_eq!(
        v.find_product("IN-KUR-2").expect("kurta").draft.title,
        "सूती कुर्ता"
    );
    assert_eq!(
        v.find_product("ID-BAT-3").expect("batik").draft.stock,
        Some(0)
    );
}

#[test]
fn a_windows_file_reports_each_bad_row_on_the_line_a_spreadsheet_shows() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "USD");
    let report = import(
        &v,
        &corpus("generated/meta-windows-crlf.csv"),
        &ImportOptions::default(),
    );
    assert_eq!(report.created, 2);
    let lines: Vec<u64> = skipped(&report).iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![3, 4, 5], "{:?}", skipped(&report));
}

#[test]
fn a_google_merchant_feed_imports_variants_sale_prices_and_barcodes() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "BRL");
    let file = with_photos_at(
        dir.path(),
        "generated/google-merchant-rss.xml",
        closed_port(),
    );
    let report = import(&v, &file, &ImportOptions::default());
    assert_eq!(report.format, ImportFormat::RssFeed);
    assert_eq!(report.created, 3, "{:?}", skipped(&report));
    let lines: Vec<u64> = skipped(&report).iter().map(|(l, _)| *l).collect();
    assert_eq!(
        lines,
        vec![58],
        "the item without a price, by the line of its <item>"
    );
    let dress = v.find_product("VEST-AZ-M").expect("dress");
    assert_eq!(dress.draft.price.to_decimal_string(), "259.90");
    assert_eq!(
        dress.draft.sale.map(|s| s.price.to_decimal_string()),
        Some("199.90".to_owned())
    );
    assert_eq!(
        dress.draft.gtin.map(|g| g.to_string()),
        Some("7891234567895".to_owned())
    );
    assert_eq!(
        dress.draft.variant.map(|g| g.group_id),
        Some("VEST-AZ".to_owned())
    );
    assert_eq!(
        dress.draft.description,
        "Vestido de linho 100% natural.\nLavar à mão"
    );
    assert_eq!(
        v.find_product("VEST-AZ-G")
            .expect("size G")
            .draft
            .availability,
        Availability::OutOfStock
    );
    let bag = v.find_product("BOLSA-01").expect("bag");
    assert_eq!(
        bag.draft.title, "Bolsa de palha & couro",
        "the plain RSS title"
    );
    assert_eq!(bag.draft.availability, Availability::AvailableForOrder);
    assert_eq!(report.photos_pending.len(), 5);
}

#[test]
fn an_atom_product_feed_imports() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "IDR");
    let file = with_photos_at(dir.path(), "generated/product-feed-atom.xml", closed_port());
    let report = import(&v, &file, &ImportOptions::default());
    assert_eq!(report.format, ImportFormat::AtomFeed);
    assert_eq!(report.created, 2, "{:?}", skipped(&report));
    let batik = v.find_product("BATIK-PARANG").expect("batik");
    assert_eq!(
        batik.draft.link.as_deref(),
        Some("https://shop.test/batik-parang")
    );
    assert_eq!(
        batik.draft.description,
        "Batik tulis asli Solo, katun primisima."
    );
}

#[test]
fn google_bases_first_atom_feed_is_read_and_its_two_entries_sharing_an_id_are_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "USD");
    let file = with_photos_at(
        dir.path(),
        "rome/googlebase-products-atom.xml",
        closed_port(),
    );
    let report = import(&v, &file, &ImportOptions::default());
    assert_eq!(report.format, ImportFormat::AtomFeed);
    let mini = v
        .find_product("tag:providers-website-item1.com,2003:3.2397")
        .expect("the entry id stands for the missing g:id");
    assert_eq!(mini.draft.title, "Google Mini");
    assert_eq!(
        (
            mini.draft.price.to_decimal_string(),
            mini.draft.price.currency().code()
        ),
        ("2995.00".to_owned(), "USD"),
        "g:price with its own g:currency"
    );
    assert_eq!(report.created, 1);
    let (line, reason) = &skipped(&report)[0];
    assert_eq!(*line, 59, "the second <entry> repeats the first one's id");
    assert!(reason.contains("line 16"), "{reason}");
    let v = catalog(&dir.path().join("dedupe"), "USD");
    let deduped = import(
        &v,
        &file,
        &ImportOptions {
            dedupe_skus: true,
            ..ImportOptions::default()
        },
    );
    assert_eq!(
        deduped.created, 2,
        "with new SKUs for duplicates both come in"
    );
    assert_eq!(
        v.find_product("tag:providers-website-item1.com,2003:3.2397-2")
            .expect("renamed")
            .draft
            .title,
        "Acme Laptop"
    );
}

#[test]
fn woocommerces_own_sample_data_imports_every_product() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "USD");
    let file = with_photos_at(dir.path(), "woocommerce/sample_products.csv", closed_port());
    let report = import(&v, &file, &ImportOptions::default());
    assert_eq!(report.format, ImportFormat::WooCommerce);
    assert!(report.errors.is_empty(), "{:?}", skipped(&report));
    assert_eq!(report.created, 22);
    let collections: Vec<&str> = report
        .rows
        .iter()
        .filter_map(|r| match &r.result {
            RowResult::Collection { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(collections, vec!["Logo Collection"], "the grouped product");
    let blue = v.find_product("woo-hoodie-blue-logo").expect("a variation");
    assert_eq!(
        blue.draft.variant.map(|g| g.group_id),
        Some("woo-hoodie".to_owned()),
        "grouped under its variable parent"
    );
    let book = v
        .find_product("Wordpress Pennant")
        .or_else(|_| v.find_product("wp-pennant"));
    let pennant = book.expect("the external product");
    assert!(pennant
        .draft
        .link
        .as_deref()
        .is_some_and(|l| l.contains("wordpress")));
}

#[test]
fn an_export_for_excel_opens_right_in_excel_and_imports_back_as_it_was() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "KWD");
    let excel = import(
        &v,
        &corpus("generated/excel-ptbr-shopify-windows1252.csv"),
        &ImportOptions::default(),
    );
    assert_eq!(excel.created, 4);
    v.edit_product(
        "CAN-AZUL",
        vitrine_app::ProductPatch {
            price: Some("123.500".into()),
            currency: Some("KWD".into()),
            sale_price: Some(String::new()),
            gtin: Some("4006381333931".into()),
            published: Some(false),
            ..Default::default()
        },
    )
    .expect("a three-decimal price, a barcode and a draft");
    let file = dir.path().join("for-excel.csv");
    v.export_csv_with(&file, vitrine_app::ExportOptions { excel: true })
        .expect("export");
    let bytes = std::fs::read(&file).expect("read");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBFid;title;"),
        "a BOM and semicolons"
    );

    let back = catalog(&dir.path().join("back"), "KWD");
    let report = import(&back, &file, &ImportOptions::default());
    assert_eq!(report.created, 4, "{:?}", skipped(&report));
    for sku in ["CAN-AZUL", "JAR-1500", "PRA-ACA", "PRA-OLI"] {
        let (a, b) = (
            v.find_product(sku).expect("before"),
            back.find_product(sku).expect("after"),
        );
        assert_eq!(a.draft.price, b.draft.price, "{sku}: the price reads back");
        assert_eq!(a.draft.title, b.draft.title);
        assert_eq!(a.draft.gtin, b.draft.gtin);
        assert_eq!(
            a.draft.published, b.draft.published,
            "{sku}: a draft stays a draft"
        );
        assert_eq!(a.draft.stock, b.draft.stock);
    }
}

#[test]
fn a_google_sheet_published_as_csv_imports_by_its_link_and_may_not_name_files_here() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "BRL");
    let sheet =
        std::fs::read(corpus("generated/excel-ptbr-shopify-windows1252.csv")).expect("file");
    let with_path = "id,title,description,availability,condition,price,link,image_link,brand\nP-1,Caneca,Azul,in stock,new,10.00 BRL,https://shop.test/p1,/etc/hostname,Loja\n";
    let server = PhotoServer::start(move |path| match path {
        "/spreadsheets/d/e/2PACX-1vQ/pub?output=csv" => (
            "200 OK".to_owned(),
            "Content-Type: text/csv\r\n".to_owned(),
            sheet.clone(),
        ),
        _ => (
            "200 OK".to_owned(),
            "Content-Type: text/csv\r\n".to_owned(),
            with_path.as_bytes().to_vec(),
        ),
    });
    let link =
        vitrine_app::ImportFile::Url(server.url("/spreadsheets/d/e/2PACX-1vQ/pub?output=csv"));
    let preview = v
        .preview_import(&link, &vitrine_app::ReadChoices::default())
        .expect("preview");
    assert_eq!(
        (preview.format, preview.products),
        (ImportFormat::Shopify, 4)
    );
    let report = v
        .import_file(
            &link,
            &ImportOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .expect("import");
    assert_eq!(report.created, 4, "{:?}", skipped(&report));
    let other = vitrine_app::ImportFile::Url(server.url("/other.csv"));
    let report = v
        .import_file(
            &other,
            &ImportOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .expect("import");
    assert_eq!(
        report.created, 0,
        "a sheet from the web cannot read this computer's files"
    );
    assert!(
        skipped(&report)[0].1.contains("folder"),
        "{:?}",
        skipped(&report)
    );
}

#[test]
fn the_saved_report_has_a_line_per_row_with_its_result_notes_and_pending_photos() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = catalog(dir.path(), "BRL");
    let file = with_photos_at(
        dir.path(),
        "generated/shopify-br-dropship.csv",
        closed_port(),
    );
    let report = import(&v, &file, &ImportOptions::default());
    let saved = dir.path().join("report.csv");
    report.write_csv(&saved).expect("save the report");
    let mut reader = csv::Reader::from_path(&saved).expect("a CSV");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), 8, "one line per product row of the file");
    let line = |n: &str| rows.iter().find(|r| &r[0] == n).expect("the line");
    assert_eq!(&line("7")[2], "skipped");
    assert!(
        line("7")[3].contains("line 2"),
        "the reason: {:?}",
        line("7")
    );
    assert_eq!(&line("2")[2], "created");
    assert!(line("2")[4].contains("photo pending"), "{:?}", line("2"));
    assert!(
        line("6")[4].contains("turned into a number"),
        "{:?}",
        line("6")
    );
}
