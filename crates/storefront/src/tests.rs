use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use vitrine_core::share::MetaProductId;
use vitrine_core::{
    Availability, Collection, CollectionId, ContentHash, Currency, ImageFormat, LanguageTag, Money,
    PhoneNumber, Product, ProductDraft, ProductId, ProductImage, Shop, Sku, Translation,
    VariantAttribute, VariantGroup,
};

use super::*;

fn lang(tag: &str) -> LanguageTag {
    LanguageTag::parse(tag).expect("tag")
}

fn brl(minor: i64) -> Money {
    Money::from_minor(minor, Currency::from_code("BRL").expect("BRL"))
}

fn hash(n: u8) -> ContentHash {
    ContentHash::parse(&format!("{n:02x}").repeat(32)).expect("hash")
}

fn product(sku: &str, title: &str, minor: i64, image: Option<u8>) -> Product {
    let mut draft = ProductDraft::new(Sku::parse(sku).expect("sku"), title, brl(minor));
    draft.description = format!("{title}, feito à mão.");
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("date");
    Product {
        id: ProductId::new_random(),
        draft,
        images: image
            .map(|n| ProductImage {
                hash: hash(n),
                width: 1200,
                height: 800,
                byte_len: 100_000,
                format: ImageFormat::Jpeg,
            })
            .into_iter()
            .collect(),
        created_at: at,
        updated_at: at,
    }
}

fn shop() -> Shop {
    Shop {
        name: "Loja da Ana".into(),
        phone: Some(PhoneNumber::parse("+55 11 98765-4321", None).expect("phone")),
        currency: Currency::from_code("BRL").expect("BRL"),
        languages: vec![lang("pt-BR"), lang("ar")],
        brand: "Ateliê".into(),
        logo: None,
    }
}

fn listing(product: Product) -> Listing {
    Listing {
        price: product.draft.price,
        product,
        meta_id: None,
    }
}

fn site(products: &[Listing], collections: &[Collection]) -> Site {
    let shop = shop();
    let templates = BTreeMap::new();
    generate(&SiteInput {
        shop: &shop,
        base_url: "https://loja.example/",
        accent: Accent::default(),
        collections,
        products,
        order_templates: &templates,
    })
}

fn text(site: &Site, path: &str) -> String {
    match &site
        .file(path)
        .unwrap_or_else(|| panic!("{path} is generated"))
        .body
    {
        Body::Bytes(b) => String::from_utf8(b.clone()).expect("utf-8"),
        Body::Photo(..) => panic!("{path} is a photo"),
    }
}

#[test]
fn each_language_has_an_index_and_a_page_per_product() {
    let products = [
        listing(product("MUG-1", "Caneca", 3990, Some(1))),
        listing(product("VASO/2", "Vaso", 8990, None)),
    ];
    let site = site(&products, &[]);
    for path in [
        "index.html",
        "pt-BR/index.html",
        "ar/index.html",
        "pt-BR/p/MUG-1.html",
        "ar/p/MUG-1.html",
        "pt-BR/p/VASO~2F2.html",
        "sitemap.xml",
        "robots.txt",
        "assets/site.css",
        "assets/site.js",
        "pt-BR/products.json",
        "img/0101010101010101010101010101010101010101010101010101010101010101.jpg",
        "img/t/0101010101010101010101010101010101010101010101010101010101010101.jpg",
    ] {
        assert!(site.file(path).is_some(), "{path} is part of the site");
    }
    assert!(text(&site, "ar/index.html").contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(text(&site, "pt-BR/index.html").contains("<html lang=\"pt-BR\" dir=\"ltr\">"));
}

#[test]
fn a_product_titled_script_is_shown_as_text_everywhere() {
    let evil = "<script>alert('x')</script>\"&";
    let products = [listing(product("EVIL-1", evil, 100, Some(2)))];
    let site = site(&products, &[]);
    for path in [
        "pt-BR/index.html",
        "pt-BR/p/EVIL-1.html",
        "ar/p/EVIL-1.html",
    ] {
        let page = text(&site, path);
        assert!(
            !page.contains("<script>alert"),
            "{path} runs no merchant markup"
        );
        assert!(
            page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
            "{path} shows the title"
        );
        assert!(
            !page.contains("</script>\"&"),
            "{path}: no raw title in JSON-LD or data"
        );
    }
}

#[test]
fn prices_are_written_in_each_pages_language() {
    let products = [listing(product("MUG-1", "Caneca", 123_456, None))];
    let site = site(&products, &[]);
    assert!(text(&site, "pt-BR/p/MUG-1.html").contains("R$ 1.234,56"));
    let arabic = brl(123_456).to_local_string(&lang("ar"), false);
    assert_eq!(
        arabic, "1,234.56 \u{2066}R$\u{2069}",
        "Arabic writes the sign after the amount, isolated so that it reads R$, not $R"
    );
    assert!(text(&site, "ar/p/MUG-1.html").contains(&arabic));
}

#[test]
fn ask_on_whatsapp_prefills_the_order_text_with_the_storefront_ref() {
    let products = [listing(product("MUG-1", "Caneca", 3990, None))];
    let site = site(&products, &[]);
    let page = text(&site, "pt-BR/p/MUG-1.html");
    let expected = vitrine_core::share::chat_link(
        &WaNumber::parse("+5511987654321", None).expect("number"),
        "Olá! Quero pedir Caneca (MUG-1), R$ 39,90.\n\nRef: storefront",
    );
    assert!(page.contains(&html_attr(&expected.url)), "{page}");
    assert!(
        !page.contains("wa.me/p/"),
        "no Meta id yet: no catalog link"
    );
}

fn html_attr(text: &str) -> String {
    escape::html(text)
}

#[test]
fn a_synced_product_links_to_its_whatsapp_catalog_item() {
    let mut item = listing(product("MUG-1", "Caneca", 3990, None));
    item.meta_id = Some(MetaProductId::parse("7212345678901234").expect("id"));
    let site = site(&[item], &[]);
    assert!(
        text(&site, "ar/p/MUG-1.html").contains("https://wa.me/p/7212345678901234/5511987654321")
    );
}

#[test]
fn translations_give_each_language_its_own_title() {
    let mut p = product("MUG-1", "Caneca", 3990, None);
    p.draft.translations.push(Translation {
        language: lang("ar"),
        title: "كوب".into(),
        description: String::new(),
    });
    let site = site(&[listing(p)], &[]);
    assert!(text(&site, "ar/p/MUG-1.html").contains("<h1>كوب</h1>"));
    assert!(text(&site, "pt-BR/p/MUG-1.html").contains("<h1>Caneca</h1>"));
}

#[test]
fn variants_list_their_attributes_and_link_to_each_other() {
    let mut small = product("TS-P", "Camiseta P", 5000, None);
    let mut large = product("TS-G", "Camiseta G", 5000, None);
    for (p, size) in [(&mut small, "P"), (&mut large, "G")] {
        p.draft.variant = Some(VariantGroup {
            group_id: "TS".into(),
            attributes: vec![VariantAttribute {
                name: "Tamanho".into(),
                value: size.into(),
            }],
        });
    }
    let site = site(&[listing(small), listing(large)], &[]);
    let page = text(&site, "pt-BR/p/TS-P.html");
    assert!(page.contains("<dt>Tamanho</dt><dd>P</dd>"));
    assert!(
        page.contains("<a href=\"../../pt-BR/p/TS-G.html\">Tamanho: G</a>"),
        "{page}"
    );
}

#[test]
fn out_of_stock_products_say_so_and_cannot_be_added() {
    let mut p = product("MUG-1", "Caneca", 3990, None);
    p.draft.availability = Availability::OutOfStock;
    let site = site(&[listing(p)], &[]);
    let page = text(&site, "pt-BR/p/MUG-1.html");
    assert!(page.contains("Esgotado"));
    assert!(!page.contains("data-add"), "nothing to add to an order");
}

#[test]
fn collections_get_their_own_pages_with_their_products_only() {
    let vases = Collection {
        id: CollectionId::new_random(),
        name: "Vasos de Barro".into(),
        position: 0,
    };
    let mut vase = product("VASO-1", "Vaso", 8990, None);
    vase.draft.collections.push(vases.id);
    let site = site(
        &[
            listing(vase),
            listing(product("MUG-1", "Caneca", 3990, None)),
        ],
        std::slice::from_ref(&vases),
    );
    let page = text(&site, "pt-BR/c/vasos~20de~20barro.html");
    assert!(page.contains("VASO-1.html"));
    assert!(!page.contains("MUG-1.html"));
}

#[test]
fn long_catalogs_are_paginated() {
    let products: Vec<Listing> = (0..PAGE_SIZE + 1)
        .map(|i| listing(product(&format!("P-{i}"), "Item", 100, None)))
        .collect();
    let site = site(&products, &[]);
    assert!(site.file("pt-BR/page/2.html").is_some());
    assert!(site.file("pt-BR/page/3.html").is_none());
    assert!(text(&site, "pt-BR/index.html").contains("href=\"../pt-BR/page/2.html\" rel=\"next\""));
    assert!(
        text(&site, "pt-BR/page/2.html").contains("href=\"../../pt-BR/index.html\" rel=\"prev\"")
    );
}

#[test]
fn the_same_catalog_gives_the_same_bytes() {
    let products = [listing(product("MUG-1", "Caneca", 3990, Some(1)))];
    assert_eq!(site(&products, &[]).files, site(&products, &[]).files);
}

#[test]
fn the_cart_message_adds_line_totals_in_minor_units_and_ends_with_the_ref() {
    let lines = [
        CartLine {
            quantity: 3,
            title: "Caneca",
            sku: "MUG-1",
            unit_price: brl(3990),
        },
        CartLine {
            quantity: 1,
            title: "Vaso",
            sku: "VASO-1",
            unit_price: brl(10),
        },
    ];
    assert_eq!(
        order_message(&lang("pt-BR"), &lines).expect("message"),
        "Olá! Quero pedir:\n3 × Caneca (MUG-1): R$ 119,70\n1 × Vaso (VASO-1): R$ 0,10\nTotal: R$ 119,80\n\nRef: storefront"
    );
    assert!(order_message(&lang("ar"), &lines)
        .expect("message")
        .ends_with("\n\nالمرجع: storefront"));
}

#[test]
fn accents_are_hex_colours_with_readable_text() {
    assert_eq!(Accent::parse("0B6E4F").expect("hex").to_string(), "#0b6e4f");
    assert!(Accent::parse("green").is_err());
    assert_eq!(Accent::default().text_colour().to_string(), "#ffffff");
    assert_eq!(
        Accent::parse("#ffe066")
            .expect("hex")
            .text_colour()
            .to_string(),
        "#000000"
    );
}

#[test]
fn product_links_are_the_page_under_the_base_url() {
    assert_eq!(
        product_url("https://loja.example/", &lang("pt-BR"), "MUG-1"),
        "https://loja.example/pt-BR/p/MUG-1.html"
    );
}
