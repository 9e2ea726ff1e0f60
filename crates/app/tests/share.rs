//! Sharing use cases against a temporary catalog: links from the shop profile, editable
//! order texts, ref tags the orders feature can read back, and QR codes that decode.

use image::{ImageEncoder, Rgba, RgbaImage};
use vitrine_app::core::share::{parse_ref, LinkKind, RefTag};
use vitrine_app::{
    ErrorCode, ImageSource, LabelSelection, LabelsRequest, NewProduct, PosterRequest, ProductQuery,
    QrOptions, ShareTarget, ShopUpdate, Vitrine,
};

fn open_shop(languages: &[&str]) -> (tempfile::TempDir, Vitrine) {
    let dir = tempfile::tempdir().expect("tempdir");
    let v = Vitrine::open(dir.path()).expect("open");
    v.update_shop(ShopUpdate {
        name: Some("Loja da Ana".into()),
        phone: Some("(11) 98765-4321".into()),
        phone_region: Some("BR".into()),
        currency: Some("BRL".into()),
        languages: Some(languages.iter().map(|l| (*l).to_owned()).collect()),
        ..Default::default()
    })
    .expect("shop");
    v.add_product(NewProduct {
        sku: "CAN-1".into(),
        title: "Caneca azul".into(),
        price: "39.90".into(),
        ..Default::default()
    })
    .expect("product");
    (dir, v)
}

fn decode_png(png: &[u8]) -> String {
    let luma = image::load_from_memory(png).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one code in the image");
    grids[0].decode().expect("the code decodes").1
}

/// The `text` parameter of a chat link, decoded.
fn prefilled(url: &str) -> String {
    let encoded = url.split_once("?text=").expect("a chat link").1;
    let bytes: Vec<u8> = {
        let raw = encoded.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'%' {
                let hex = std::str::from_utf8(&raw[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("hex byte"));
                i += 3;
            } else {
                out.push(raw[i]);
                i += 1;
            }
        }
        out
    };
    String::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn the_catalog_link_uses_the_shops_number_as_e164_digits() {
    let (_dir, v) = open_shop(&["pt-BR"]);
    let link = v.catalog_link(None).expect("link");
    assert_eq!(link.url, "https://wa.me/c/5511987654321");
    assert_eq!(link.kind, LinkKind::Catalog);
}

#[test]
fn a_ref_tag_turns_a_catalog_link_into_a_chat_that_carries_it() {
    let (_dir, v) = open_shop(&["pt-BR"]);
    let link = v.catalog_link(Some("poster-window")).expect("link");
    assert_eq!(link.kind, LinkKind::Chat, "wa.me/c/ links carry no text");
    assert_eq!(
        prefilled(&link.url),
        "Olá! Quero ver o catálogo.\n\nRef: poster-window"
    );
    assert_eq!(
        parse_ref(&prefilled(&link.url)),
        Some(RefTag::parse("poster-window").expect("tag"))
    );
}

#[test]
fn a_product_without_a_meta_id_links_to_a_chat_with_its_order_text() {
    let (_dir, v) = open_shop(&["pt-BR"]);
    let link = v.product_link("CAN-1", None, None).expect("link");
    assert_eq!(link.kind, LinkKind::Chat);
    assert_eq!(
        prefilled(&link.url),
        "Olá! Quero pedir Caneca azul (CAN-1), 39.90 BRL."
    );
}

#[test]
fn a_product_with_a_meta_id_links_to_its_whatsapp_item_unless_a_ref_needs_text() {
    let (_dir, v) = open_shop(&["en"]);
    let link = v
        .product_link("CAN-1", Some("7212345678901234"), None)
        .expect("link");
    assert_eq!(link.url, "https://wa.me/p/7212345678901234/5511987654321");
    let tagged = v
        .product_link("CAN-1", Some("7212345678901234"), Some("instagram-bio"))
        .expect("link");
    assert_eq!(tagged.kind, LinkKind::Chat);
    assert_eq!(
        prefilled(&tagged.url),
        "Hello! I'd like to order Caneca azul (CAN-1), 39.90 BRL.\n\nRef: instagram-bio"
    );
    let err = v
        .product_link("CAN-1", Some("CAN-1"), None)
        .expect_err("a SKU is not a Meta id");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[test]
fn chat_links_carry_the_text_and_the_ref_in_the_shops_language() {
    let (_dir, v) = open_shop(&["ar", "en"]);
    let link = v
        .chat_link("مرحبا 👋", Some("flyer-2026-12"))
        .expect("link");
    assert_eq!(prefilled(&link.url), "مرحبا 👋\n\nالمرجع: flyer-2026-12");
    let err = v.chat_link("hi", Some("Bad Tag")).expect_err("bad tag");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[test]
fn order_templates_are_editable_per_language_and_checked_when_saved() {
    let (_dir, v) = open_shop(&["pt-BR"]);
    let built_in = v.order_template("pt-BR").expect("template");
    assert!(built_in.is_default);
    let saved = v
        .set_order_template("pt-BR", "Oi {shop}! Quero {title} [{sku}] por {price}")
        .expect("saved");
    assert!(!saved.is_default);
    let link = v.product_link("CAN-1", None, None).expect("link");
    assert_eq!(
        prefilled(&link.url),
        "Oi Loja da Ana! Quero Caneca azul [CAN-1] por 39.90 BRL"
    );
    let err = v
        .set_order_template("pt-BR", "Quero {titulo}")
        .expect_err("unknown placeholder");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("{titulo}"), "{err}");
    assert!(
        !v.order_template("pt-BR").expect("template").is_default,
        "a refused template leaves the saved one"
    );
    assert!(
        v.set_order_template("pt-BR", " ")
            .expect("reset")
            .is_default
    );
    assert!(v
        .order_template("es")
        .expect("es")
        .template
        .contains("{title}"));
}

#[test]
fn a_shop_without_a_number_cannot_share_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let v = Vitrine::open(dir.path()).expect("open");
    let err = v.catalog_link(None).expect_err("no number");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[test]
fn qr_codes_of_links_decode_to_the_link_with_and_without_the_shop_logo() {
    let (dir, v) = open_shop(&["ar"]);
    let logo = RgbaImage::from_fn(600, 600, |x, y| {
        if (x / 60 + y / 60) % 2 == 0 {
            Rgba([0x30, 0x10, 0x50, 0xff])
        } else {
            Rgba([0xf0, 0xa0, 0x20, 0xff])
        }
    });
    let logo_path = dir.path().join("logo.png");
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&logo, 600, 600, image::ExtendedColorType::Rgba8)
        .expect("encode");
    std::fs::write(&logo_path, png).expect("write logo");
    v.update_shop(ShopUpdate {
        logo: Some(logo_path),
        ..Default::default()
    })
    .expect("logo");
    let target = ShareTarget::Product {
        sku: "CAN-1".into(),
        meta_id: None,
        ref_tag: Some("poster-window".into()),
    };
    let url = v.share_url(&target).expect("url");
    for logo in [false, true] {
        let options = QrOptions {
            size_px: 900,
            logo,
            ..QrOptions::default()
        };
        let png = v.qr_png(&target, &options).expect("png");
        assert_eq!(decode_png(&png), url, "logo: {logo}");
        let svg = v.qr_svg(&target, &options).expect("svg");
        assert!(svg.starts_with("<svg"));
    }
    let faint = QrOptions {
        foreground: Some("#dddddd".into()),
        ..QrOptions::default()
    };
    let err = v
        .qr_png(&ShareTarget::Catalog { ref_tag: None }, &faint)
        .expect_err("too faint");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

fn decode_all(png: &[u8]) -> Vec<String> {
    let luma = image::load_from_memory(png).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    prepared
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("every code on the page decodes").1)
        .collect()
}

/// Scans each label of a 3x8 sheet rendered at `dpi` on its own, as a phone sees one label.
fn decode_labels(png: &[u8], dpi: f32) -> Vec<String> {
    let layout = vitrine_app::print::LabelLayout::A4_3X8;
    let page = image::load_from_memory(png).expect("a PNG").to_luma8();
    let px = |mm: f32| (mm / 25.4 * dpi).round() as u32;
    let mut out = Vec::new();
    for slot in 0..layout.per_page() as u32 {
        let (column, row) = (slot % layout.columns, slot / layout.columns);
        let x = px(layout.left_mm + column as f32 * layout.pitch_x_mm);
        let y = px(layout.top_mm + row as f32 * layout.pitch_y_mm);
        let label = image::imageops::crop_imm(
            &page,
            x,
            y,
            px(layout.label_width_mm),
            px(layout.label_height_mm),
        )
        .to_image();
        let mut prepared = rqrr::PreparedImage::prepare(label);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one code on label {slot}");
        out.push(grids[0].decode().expect("the label's code decodes").1);
    }
    out
}

fn photo(dir: &std::path::Path, seed: u8) -> std::path::PathBuf {
    let path = dir.join(format!("photo-{seed}.png"));
    let img = RgbaImage::from_fn(640, 640, |x, y| {
        Rgba([(x % 256) as u8, (y % 256) as u8, seed, 0xff])
    });
    img.save(&path).expect("photo");
    path
}

fn poster(target: ShareTarget, languages: &[&str]) -> PosterRequest {
    PosterRequest {
        size: "A5".into(),
        languages: languages.iter().map(|l| (*l).to_owned()).collect(),
        target,
        headline: None,
        accent: None,
        qr_colour: None,
        logo: false,
        photo: true,
    }
}

#[test]
fn a_poster_pdf_is_written_and_its_preview_qr_opens_the_shared_link() {
    let (dir, v) = open_shop(&["ar", "en"]);
    v.add_images("CAN-1", &[ImageSource::File(photo(dir.path(), 7))])
        .expect("photo");
    for target in [
        ShareTarget::Catalog {
            ref_tag: Some("poster-window".into()),
        },
        ShareTarget::Product {
            sku: "CAN-1".into(),
            meta_id: None,
            ref_tag: None,
        },
    ] {
        let request = poster(target.clone(), &["ar", "en"]);
        let out = dir.path().join("poster.pdf");
        let summary = v.save_poster(&request, &out).expect("poster");
        let pdf = std::fs::read(&out).expect("written");
        assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
        assert_eq!(summary.bytes, pdf.len() as u64);
        assert_eq!(summary.url, v.share_url(&target).expect("url"));
        let preview = v.poster_png(&request, 150.0).expect("preview");
        assert_eq!(
            decode_all(&preview),
            vec![summary.url.clone()],
            "the printed code opens the link the merchant shares"
        );
    }
    assert!(
        v.share_url(&ShareTarget::Catalog {
            ref_tag: Some("poster-window".into())
        })
        .expect("url")
        .contains("poster-window"),
        "the poster's ref tag rides in the prefilled text"
    );
}

#[test]
fn a_poster_refuses_an_unreadable_qr_colour_and_an_unknown_size() {
    let (dir, v) = open_shop(&["pt-BR"]);
    let mut request = poster(ShareTarget::Catalog { ref_tag: None }, &[]);
    request.qr_colour = Some("#eeeeee".into());
    let err = v
        .save_poster(&request, &dir.path().join("p.pdf"))
        .expect_err("too light to scan");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(!dir.path().join("p.pdf").exists(), "nothing written");
    request.qr_colour = None;
    request.size = "B7".into();
    let err = v.poster_png(&request, 96.0).expect_err("no such paper");
    assert!(err.to_string().contains("B7"), "{err}");
}

#[test]
fn labels_for_a_collection_fill_sheets_and_every_code_opens_its_product() {
    let (dir, v) = open_shop(&["pt-BR"]);
    for i in 0..30 {
        v.add_product(NewProduct {
            sku: format!("VASO-{i:02}"),
            title: format!("Vaso de barro nº {i}"),
            price: format!("{}.90", 20 + i),
            collections: vec!["Vasos".into()],
            ..Default::default()
        })
        .expect("product");
    }
    let request = LabelsRequest {
        layout: "3x8".into(),
        selection: LabelSelection::Collection {
            collection: "Vasos".into(),
        },
        ref_tag: Some("shelf".into()),
        local_digits: false,
    };
    let out = dir.path().join("labels.pdf");
    let summary = v.save_labels(&request, &out).expect("labels");
    assert_eq!(
        summary.labels, 30,
        "one label per product of the collection"
    );
    assert_eq!(summary.pages, 2, "24 labels to a 3x8 sheet");
    assert!(std::fs::read(&out).expect("pdf").starts_with(b"%PDF-"));

    // 300 dpi: what an office printer prints at; a label's code has modules of about 0.4 mm.
    let preview = v.labels_png(&request, 300.0).expect("first sheet");
    let mut decoded = decode_labels(&preview, 300.0);
    decoded.sort();
    // Labels follow the catalog's order, as the list shows the collection.
    let first_sheet = v
        .list_products(&ProductQuery {
            collection: Some("Vasos".into()),
            limit: 24,
            ..Default::default()
        })
        .expect("the collection");
    let mut expected: Vec<String> = first_sheet
        .items
        .iter()
        .map(|p| {
            v.product_link(&p.sku, None, Some("shelf"))
                .expect("link")
                .url
        })
        .collect();
    expected.sort();
    assert_eq!(
        decoded, expected,
        "the first sheet's 24 codes, each its product's chat"
    );

    let none = LabelsRequest {
        selection: LabelSelection::Products { keys: vec![] },
        ..request
    };
    assert_eq!(
        v.labels_png(&none, 96.0).expect_err("nothing").code(),
        ErrorCode::InvalidInput
    );
}

/// Text with whitespace and bidi controls removed, as compared with what pdftotext reads.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !('\u{202A}'..='\u{202E}').contains(c)
                && !('\u{2066}'..='\u{2069}').contains(c)
        })
        .collect()
}

fn pdf_text(dir: &std::path::Path, pdf: &[u8]) -> String {
    let path = dir.join("read.pdf");
    std::fs::write(&path, pdf).expect("write PDF");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext (poppler-utils) is installed: {e}"));
    assert!(out.status.success(), "pdftotext read the labels");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn every_surface_writes_a_price_the_same_way_in_every_language() {
    use vitrine_app::core::{Currency, LanguageTag, Money};
    // No decimals (JPY), cents left out when zero (IDR), two (BRL) and three (KWD).
    let prices = [
        ("JPY", "1500"),
        ("IDR", "15000"),
        ("BRL", "1234.50"),
        ("KWD", "12.345"),
    ];
    for language in ["en", "ar", "pt-BR", "es", "id", "hi"] {
        let (dir, v) = open_shop(&[language]);
        let tag = LanguageTag::parse(language).expect("tag");
        let mut keys = Vec::new();
        let mut expected = Vec::new();
        for (code, amount) in prices {
            let sku = format!("P-{code}");
            v.add_product(NewProduct {
                sku: sku.clone(),
                title: format!("Produto {code}"),
                price: amount.into(),
                currency: Some(code.into()),
                ..Default::default()
            })
            .expect("product");
            let money = Money::parse_decimal(amount, Currency::from_code(code).expect("ISO"))
                .expect("price");
            keys.push(sku.clone());
            expected.push((sku, money.to_local_string(&tag, false)));
        }
        // Shelf labels: the text set and the text printed.
        let request = LabelsRequest {
            layout: "3x8".into(),
            selection: LabelSelection::Products { keys },
            ref_tag: None,
            local_digits: false,
        };
        let (pdf, sheet) = v.labels_pdf(&request).expect("labels");
        let printed = letters(&pdf_text(dir.path(), &pdf));
        for (sku, text) in &expected {
            let label = sheet.labels.iter().find(|l| &l.sku == sku).expect("label");
            assert_eq!(&label.price_text, text, "{sku} label in {language}");
            // pdftotext reads right-to-left lines in its own order; the text set is checked above.
            if tag.direction() == vitrine_app::core::Direction::Ltr {
                assert!(
                    printed.contains(&letters(text)),
                    "{sku} in {language}: {text} printed on the label, read {printed}"
                );
            }
        }
        // The storefront's product pages, in the shop's language, as built into a folder.
        let out = dir.path().join("site");
        v.build_storefront(&out, Some("https://loja.example"))
            .expect("site");
        for (sku, text) in &expected {
            let path = out.join(language).join("p").join(format!("{sku}.html"));
            let page = std::fs::read_to_string(&path).expect("the product's page");
            assert!(
                page.contains(text.as_str()),
                "{} shows {text}",
                path.display()
            );
        }
    }
}
