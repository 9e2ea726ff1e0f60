//! Use cases of vitrine-app, run against a temporary catalog on a fixed clock.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use vitrine_app::core::Availability;
use vitrine_app::{ImportFormat, NewProduct, ProductQuery, Seams, Vitrine};

#[path = "support/clock.rs"]
mod clock;
use clock::TestClock;

fn open() -> (tempfile::TempDir, Vitrine) {
    let dir = tempfile::tempdir().expect("tempdir");
    let v = Vitrine::open_with(
        dir.path(),
        Seams {
            clock: Arc::new(TestClock::at(1_763_700_000)),
            ..Seams::default()
        },
    )
    .expect("open");
    (dir, v)
}

fn import(v: &Vitrine, dir: &std::path::Path, name: &str, text: &str) -> vitrine_app::ImportReport {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write csv");
    v.import_csv(&path, &mut |_| {}).expect("import runs")
}

#[test]
fn a_shopify_export_becomes_one_product_per_variant_grouped_by_handle() {
    let (dir, v) = open();
    v.update_shop(vitrine_app::ShopUpdate {
        currency: Some("BRL".into()),
        ..Default::default()
    })
    .expect("shop");
    let csv = "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price,Variant Compare At Price,Image Src,Image Position\n\
camiseta,Camiseta Básica,<p>Algodão <b>orgânico</b></p>,Malha Viva,Roupas,,true,Tamanho,P,CAM-P,5,59.90,79.90,,\n\
camiseta,,,,,,,,M,CAM-M,0,59.90,79.90,,\n\
camiseta,,,,,,,,,,,,,,\n\
sabonete,Sabonete de Argila,Artesanal,Malha Viva,Banho,,true,Title,Default Title,SAB-1,12,15.00,,,\n";
    let report = import(&v, dir.path(), "shopify.csv", csv);
    assert_eq!(report.format, ImportFormat::Shopify);
    assert_eq!(
        (report.created, report.errors.len()),
        (3, 0),
        "{:?}",
        report.errors
    );
    let p = v.find_product("CAM-M").expect("variant imported");
    assert_eq!(
        p.draft.title, "Camiseta Básica",
        "variants inherit the product title"
    );
    assert_eq!(
        p.draft.description, "Algodão orgânico",
        "HTML is turned into plain text"
    );
    assert_eq!(
        p.draft.price.to_meta_string(),
        "79.90 BRL",
        "compare-at price is the regular price"
    );
    assert_eq!(
        p.draft.sale.as_ref().map(|s| s.price.to_meta_string()),
        Some("59.90 BRL".into())
    );
    assert_eq!(
        p.draft.availability.as_meta(),
        "out of stock",
        "zero inventory"
    );
    let variant = p.draft.variant.expect("grouped");
    assert_eq!(
        (
            variant.group_id.as_str(),
            variant.attributes[0].name.as_str(),
            variant.attributes[0].value.as_str()
        ),
        ("camiseta", "Tamanho", "M")
    );
    assert!(
        v.find_product("SAB-1")
            .expect("simple product")
            .draft
            .variant
            .is_none(),
        "Default Title is not a variant"
    );
    let again = import(&v, dir.path(), "shopify.csv", csv);
    assert_eq!(again.unchanged, 3, "idempotent");
}

#[test]
fn a_woocommerce_export_maps_variations_to_their_parent() {
    let (dir, v) = open();
    let csv = "ID,Type,SKU,Name,Published,Short description,Description,In stock?,Stock,Sale price,Regular price,Categories,Images,Parent,Attribute 1 name,Attribute 1 value(s),Brands\n\
10,variable,BOLSA,Bolsa de palha,1,,<p>Feita à mão</p>,1,,,,Acessórios > Bolsas,,,Cor,\"Natural, Preta\",Trama\n\
11,variation,BOLSA-NAT,Bolsa de palha - Natural,1,,,1,3,,120,,,BOLSA,Cor,Natural,\n\
12,simple,CHAP-1,Chapéu,1,Chapéu de palha,,0,,89,99,Acessórios,,,,,Trama\n";
    let report = import(&v, dir.path(), "woo.csv", csv);
    assert_eq!(report.format, ImportFormat::WooCommerce);
    assert_eq!(
        (report.created, report.errors.len()),
        (2, 0),
        "{:?}",
        report.errors
    );
    let bag = v.find_product("BOLSA-NAT").expect("variation");
    assert_eq!(
        bag.draft.description, "Feita à mão",
        "inherited from the parent"
    );
    assert_eq!(bag.draft.brand, "Trama");
    assert_eq!(
        bag.draft.variant.as_ref().map(|g| g.group_id.as_str()),
        Some("BOLSA")
    );
    let hat = v.product("CHAP-1").expect("simple");
    assert_eq!(hat.product.draft.availability.as_meta(), "out of stock");
    assert_eq!(
        hat.product.draft.sale.as_ref().map(|s| s.price.minor()),
        Some(8900)
    );
    assert_eq!(hat.collections[0].name, "Acessórios");
}

#[test]
fn an_unknown_csv_header_is_refused_with_a_clear_reason() {
    let (dir, v) = open();
    let path = dir.path().join("other.csv");
    std::fs::write(&path, "name;price\nfoo;1\n").expect("write");
    let err = v
        .import_csv(&path, &mut |_| {})
        .expect_err("unknown layout");
    assert!(err.to_string().contains("Meta's feed columns"), "{err}");
}

#[test]
fn a_cancelled_import_keeps_the_rows_before_the_cancel_and_says_so() {
    let (dir, v) = open();
    let mut csv = String::from("id,title,description,price\n");
    for i in 0..50 {
        csv.push_str(&format!("S-{i},Product {i},Description {i},{i}.50 USD\n"));
    }
    let path = dir.path().join("big.csv");
    std::fs::write(&path, csv).expect("write");
    let cancel = AtomicBool::new(false);
    let mut seen = 0;
    let report = v
        .import_csv_cancellable(
            &path,
            &mut |p| {
                seen = p.done;
                if p.done == 10 {
                    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            },
            &cancel,
        )
        .expect("import");
    assert!(report.cancelled);
    assert_eq!(report.created, 10, "rows before the cancel are saved");
    assert_eq!(seen, 10);
    assert_eq!(
        v.list_products(&ProductQuery::default())
            .expect("list")
            .total,
        10
    );
}

#[test]
fn timestamps_come_from_the_injected_clock() {
    let (_dir, v) = open();
    let view = v
        .add_product(NewProduct {
            sku: "T-1".into(),
            title: "Clocked".into(),
            price: "1".into(),
            ..Default::default()
        })
        .expect("add");
    assert_eq!(view.product.created_at.timestamp(), 1_763_700_000);
}

#[test]
fn price_changes_respect_each_currencys_decimals() {
    let (_dir, v) = open();
    v.add_product(NewProduct {
        sku: "JP".into(),
        title: "Yen".into(),
        price: "1500".into(),
        currency: Some("JPY".into()),
        ..Default::default()
    })
    .expect("add");
    v.add_product(NewProduct {
        sku: "KW".into(),
        title: "Dinar".into(),
        price: "1.250".into(),
        currency: Some("KWD".into()),
        ..Default::default()
    })
    .expect("add");
    assert_eq!(
        v.find_product("JP")
            .expect("jp")
            .draft
            .price
            .to_meta_string(),
        "1500 JPY"
    );
    assert_eq!(
        v.find_product("KW").expect("kw").draft.price.minor(),
        1250,
        "three decimals for KWD"
    );
    let err = v
        .edit_product(
            "JP",
            vitrine_app::ProductPatch {
                price: Some("9.99".into()),
                ..Default::default()
            },
        )
        .expect_err("yen has no cents");
    assert_eq!(err.code(), vitrine_app::ErrorCode::InvalidInput);
}

fn add(v: &Vitrine, sku: &str, price: &str) {
    v.add_product(NewProduct {
        sku: sku.into(),
        title: format!("Product {sku}"),
        price: price.into(),
        currency: Some("BRL".into()),
        ..Default::default()
    })
    .expect("add");
}

fn photo(path: &std::path::Path, side: u32, seed: u8) {
    let img = image::RgbImage::from_fn(side, side, |x, y| {
        image::Rgb([
            (x % 251) as u8 ^ seed,
            (y % 241) as u8,
            ((x + y) % 239) as u8,
        ])
    });
    img.save(path).expect("write photo");
}

#[test]
fn bulk_price_changes_apply_to_every_selected_product_or_none() {
    let (_dir, v) = open();
    add(&v, "A", "10.00");
    add(&v, "B", "19.99");
    add(&v, "C", "5.00");
    let keys = vec!["A".to_owned(), "B".to_owned()];
    let report = v
        .bulk_edit(
            &keys,
            &vitrine_app::BulkChange::AdjustPrice(vitrine_app::PriceAdjustment::Percent(
                "10".into(),
            )),
        )
        .expect("+10%");
    assert_eq!(report.changed, 2);
    assert_eq!(v.find_product("A").expect("a").draft.price.minor(), 1100);
    assert_eq!(
        v.find_product("B").expect("b").draft.price.minor(),
        2199,
        "19.99 + 10% = 21.989 → 21.99"
    );
    assert_eq!(
        v.find_product("C").expect("c").draft.price.minor(),
        500,
        "unselected products are untouched"
    );
    let err = v
        .bulk_edit(
            &["A".to_owned(), "C".to_owned()],
            &vitrine_app::BulkChange::AdjustPrice(vitrine_app::PriceAdjustment::Amount(
                "-6".into(),
            )),
        )
        .expect_err("C would go negative");
    assert!(
        err.to_string().contains("C:"),
        "the message names the product: {err}"
    );
    assert_eq!(
        v.find_product("A").expect("a").draft.price.minor(),
        1100,
        "all or nothing: A is unchanged too"
    );
    v.bulk_edit(
        &keys,
        &vitrine_app::BulkChange::MoveToCollection("Promo".into()),
    )
    .expect("move");
    v.bulk_edit(
        &keys,
        &vitrine_app::BulkChange::SetAvailability(Availability::OutOfStock),
    )
    .expect("availability");
    let promo = v
        .list_products(&ProductQuery {
            collection: Some("promo".into()),
            availability: Some(Availability::OutOfStock),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(promo.total, 2);
}

#[test]
fn a_deletion_can_be_undone_with_photos_and_collections() {
    let (dir, v) = open();
    add(&v, "KEEP", "1");
    v.edit_product(
        "KEEP",
        vitrine_app::ProductPatch {
            collections: Some(vec!["Sala".into()]),
            ..Default::default()
        },
    )
    .expect("collection");
    let p = dir.path().join("p.png");
    photo(&p, 600, 1);
    let with_photo = v
        .add_images("KEEP", &[vitrine_app::ImageSource::File(p)])
        .expect("photo")
        .product;
    let hash = with_photo.images[0].hash.clone();
    let removed = v.remove_products(&["KEEP".to_owned()]).expect("delete");
    assert!(v.find_product("KEEP").is_err());
    add(&v, "OTHER", "1");
    v.remove_product("OTHER")
        .expect("an unrelated delete collects garbage");
    assert!(
        v.image_path(&hash).exists(),
        "the deleted product's photo is kept for undo"
    );
    let back = v.undo_removal(removed.batch).expect("undo");
    assert_eq!(back.len(), 1);
    let view = v.product("KEEP").expect("restored");
    assert_eq!(view.product.images[0].hash, hash);
    assert_eq!(view.collections[0].name, "Sala");
    assert!(
        v.undo_removal(removed.batch).is_err(),
        "an undo happens once"
    );
}

#[test]
fn a_folder_of_photos_becomes_one_product_per_photo() {
    let (dir, v) = open();
    let folder = dir.path().join("fotos");
    std::fs::create_dir(&folder).expect("mkdir");
    photo(&folder.join("vestido-floral_azul.jpg"), 800, 2);
    photo(&folder.join("bolsa de palha.png"), 700, 3);
    photo(&folder.join("tiny.png"), 100, 4);
    std::fs::write(folder.join("notes.txt"), "not a photo").expect("write");
    let report = v
        .import_photo_folder(&folder, &mut |_| {}, &AtomicBool::new(false))
        .expect("import");
    assert_eq!(report.format, ImportFormat::PhotoFolder);
    assert_eq!(report.created, 2);
    assert_eq!(
        report.errors.len(),
        1,
        "the tiny photo is reported: {:?}",
        report.errors
    );
    assert!(report.errors[0].message.contains("500"));
    let dress = v
        .find_product("VESTIDO-FLORAL-AZUL")
        .expect("SKU from the file name");
    assert_eq!(dress.draft.title, "Vestido floral azul");
    assert_eq!(dress.images.len(), 1);
    let again = v
        .import_photo_folder(&folder, &mut |_| {}, &AtomicBool::new(false))
        .expect("again");
    assert_eq!(
        (again.created, again.unchanged),
        (0, 2),
        "photos seen before are skipped"
    );
}

#[test]
fn the_problems_filter_follows_edits_and_the_shop_brand() {
    let (_dir, v) = open();
    add(&v, "P1", "10");
    let blocked = |v: &Vitrine| {
        v.list_products(&ProductQuery {
            problems: Some(vitrine_app::ProblemFilter::Errors),
            ..Default::default()
        })
        .expect("list")
        .total
    };
    assert_eq!(blocked(&v), 1, "no description, brand, link or photo");
    let summary = &v
        .list_products(&ProductQuery::default())
        .expect("list")
        .items[0];
    assert!(summary.errors >= 3, "{summary:?}");
    v.edit_product(
        "P1",
        vitrine_app::ProductPatch {
            description: Some("Uma descrição".into()),
            link: Some("https://loja.example/p1".into()),
            ..Default::default()
        },
    )
    .expect("edit");
    let before = v
        .list_products(&ProductQuery::default())
        .expect("list")
        .items[0]
        .errors;
    v.update_shop(vitrine_app::ShopUpdate {
        brand: Some("Ateliê".into()),
        ..Default::default()
    })
    .expect("brand");
    let after = v
        .list_products(&ProductQuery::default())
        .expect("list")
        .items[0]
        .errors;
    assert_eq!(
        after,
        before - 1,
        "the shop's brand resolves brand_missing for products without one"
    );
}

#[test]
fn an_unsaved_form_is_checked_against_metas_rules_without_saving() {
    let (_dir, v) = open();
    let form = NewProduct {
        sku: "NEW".into(),
        title: "Caneca".into(),
        price: "10".into(),
        description: "Caneca".into(),
        ..Default::default()
    };
    let findings = v.check_input(None, &form).expect("check");
    let rules: Vec<_> = findings.iter().map(|f| f.rule).collect();
    assert!(
        rules.contains(&vitrine_app::core::RuleId::DescriptionSameAsTitle),
        "{rules:?}"
    );
    assert!(v.find_product("NEW").is_err(), "nothing was saved");
    let bad = NewProduct {
        price: "abc".into(),
        ..form
    };
    assert_eq!(
        v.check_input(None, &bad).expect_err("bad price").code(),
        vitrine_app::ErrorCode::InvalidInput
    );
}

#[test]
fn an_amendment_adds_collections_and_merges_translations_keeping_what_the_product_had() {
    use vitrine_app::{ProductAdditions, ProductPatch, TranslationInput};
    let (_dir, v) = open();
    let translation = |language: &str, title: &str, description: &str| TranslationInput {
        language: language.into(),
        title: title.into(),
        description: description.into(),
    };
    v.add_product(NewProduct {
        sku: "MUG-1".into(),
        title: "Caneca".into(),
        price: "39.90".into(),
        collections: vec!["Cozinha".into()],
        translations: vec![translation("ar", "كوب", "كوب من الخزف")],
        ..Default::default()
    })
    .expect("product");
    let view = v
        .amend_product(
            "MUG-1",
            ProductPatch::default(),
            ProductAdditions {
                collections: vec!["Presentes".into()],
                translations: vec![
                    translation("AR", "كوب أزرق", ""),
                    translation("es", "Taza", ""),
                ],
            },
        )
        .expect("amended");
    let names: Vec<_> = view.collections.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Cozinha", "Presentes"], "joined, not replaced");
    let translations: Vec<_> = view
        .product
        .draft
        .translations
        .iter()
        .map(|t| {
            (
                t.language.as_str(),
                t.title.as_str(),
                t.description.as_str(),
            )
        })
        .collect();
    assert_eq!(
        translations,
        [("ar", "كوب أزرق", "كوب من الخزف"), ("es", "Taza", "")],
        "a new title replaces the Arabic one, its description is kept, Spanish is added"
    );
    let cleared = v
        .amend_product(
            "MUG-1",
            ProductPatch {
                collections: Some(Vec::new()),
                ..Default::default()
            },
            ProductAdditions {
                collections: vec!["Promoção".into()],
                ..Default::default()
            },
        )
        .expect("amended");
    let names: Vec<_> = cleared
        .collections
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["Promoção"], "cleared, then added to");
}
