//! The generated site read back as a browser would: every page parsed as HTML, every link
//! and image followed inside the site, the social tags and structured data checked.

use std::collections::{BTreeMap, HashSet};

use chrono::{TimeZone, Utc};
use scraper::{Html, Selector};
use vitrine_core::{
    Collection, CollectionId, ContentHash, Currency, ImageFormat, LanguageTag, Money, PhoneNumber,
    Product, ProductDraft, ProductId, ProductImage, Shop, Sku,
};
use vitrine_storefront::{generate, Accent, Body, Listing, Site, SiteInput};

const BASE: &str = "https://loja.example/shop";

fn lang(tag: &str) -> LanguageTag {
    LanguageTag::parse(tag).expect("tag")
}

fn catalog(n: usize) -> (Shop, Vec<Collection>, Vec<Listing>) {
    let brl = Currency::from_code("BRL").expect("BRL");
    let shop = Shop {
        name: "Loja <da> Ana".into(),
        phone: Some(PhoneNumber::parse("+55 11 98765-4321", None).expect("phone")),
        currency: brl,
        languages: vec![lang("pt-BR"), lang("ar")],
        brand: "Ateliê".into(),
        logo: Some(ContentHash::parse(&"ab".repeat(32)).expect("hash")),
    };
    let collections = vec![Collection {
        id: CollectionId::new_random(),
        name: "Cerâmica".into(),
        position: 0,
    }];
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("date");
    let products = (0..n)
        .map(|i| {
            let title = if i == 0 {
                "<script>alert(1)</script>".to_owned()
            } else {
                format!("Vaso {i}")
            };
            let mut draft = ProductDraft::new(
                Sku::parse(&format!("V-{i}")).expect("sku"),
                title,
                Money::from_minor(1990 + i as i64, brl),
            );
            draft.description = format!("Vaso de barro número {i}.\n\nFeito à mão.");
            if i % 2 == 0 {
                draft.collections.push(collections[0].id);
            }
            let images = (0..(i % 3))
                .map(|k| ProductImage {
                    hash: ContentHash::parse(&format!("{:064x}", i * 10 + k + 1)).expect("hash"),
                    width: 1600,
                    height: 1200,
                    byte_len: 200_000,
                    format: ImageFormat::Jpeg,
                })
                .collect();
            let product = Product {
                id: ProductId::new_random(),
                draft,
                images,
                created_at: at,
                updated_at: at,
            };
            Listing {
                price: product.draft.price,
                product,
                meta_id: None,
            }
        })
        .collect();
    (shop, collections, products)
}

fn build(n: usize) -> Site {
    let (shop, collections, products) = catalog(n);
    let templates = BTreeMap::new();
    generate(&SiteInput {
        shop: &shop,
        base_url: BASE,
        accent: Accent::default(),
        collections: &collections,
        products: &products,
        order_templates: &templates,
    })
}

fn pages(site: &Site) -> Vec<(String, Html)> {
    site.files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| match &f.body {
            Body::Bytes(b) => (
                f.path.clone(),
                Html::parse_document(std::str::from_utf8(b).expect("utf-8")),
            ),
            Body::Photo(..) => panic!("{} is a page", f.path),
        })
        .collect()
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

/// `href` of the page at `from` resolved to a site path, or `None` when it leaves the site.
fn resolve(from: &str, href: &str) -> Option<String> {
    if href.contains("://") || href.starts_with('#') || href.starts_with("mailto:") {
        return None;
    }
    let href = href.split(['?', '#']).next().unwrap_or(href);
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in href.split('/') {
        match segment {
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "{href} in {from} climbs out of the site"
                );
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn meta(doc: &Html, key: &str) -> Option<String> {
    doc.select(&sel(&format!(
        "meta[property=\"{key}\"], meta[name=\"{key}\"]"
    )))
    .next()
    .and_then(|m| m.value().attr("content").map(str::to_owned))
}

#[test]
fn every_internal_link_and_image_points_at_a_file_of_the_site() {
    let site = build(130);
    let paths: HashSet<&str> = site.files.iter().map(|f| f.path.as_str()).collect();
    let mut checked = 0;
    for (path, doc) in pages(&site) {
        for (css, attr) in [
            ("a[href]", "href"),
            ("link[rel=stylesheet]", "href"),
            ("script[src]", "src"),
            ("img", "src"),
        ] {
            for element in doc.select(&sel(css)) {
                let target = element.value().attr(attr).expect("attribute");
                if let Some(file) = resolve(&path, target) {
                    assert!(
                        paths.contains(file.as_str()),
                        "{path}: {target} leads to {file}, which is not in the site"
                    );
                    checked += 1;
                }
            }
        }
        for img in doc.select(&sel("img[srcset]")) {
            for candidate in img.value().attr("srcset").expect("srcset").split(',') {
                let url = candidate.split_whitespace().next().expect("url");
                let file = resolve(&path, url).expect("a local image");
                assert!(
                    paths.contains(file.as_str()),
                    "{path}: srcset {url} is not in the site"
                );
            }
        }
    }
    assert!(checked > 1_000, "the check saw the links ({checked})");
}

#[test]
fn product_pages_carry_open_graph_twitter_and_hreflang_tags() {
    let site = build(5);
    let doc = pages(&site)
        .into_iter()
        .find(|(p, _)| p == "pt-BR/p/V-2.html")
        .expect("page")
        .1;
    assert_eq!(meta(&doc, "og:type").as_deref(), Some("product"));
    assert_eq!(
        meta(&doc, "og:title").as_deref(),
        Some("Vaso 2 · Loja <da> Ana"),
        "the parsed value is the raw text"
    );
    assert_eq!(
        meta(&doc, "og:url").as_deref(),
        Some("https://loja.example/shop/pt-BR/p/V-2.html")
    );
    assert_eq!(
        meta(&doc, "og:description").as_deref(),
        Some("Vaso de barro número 2. Feito à mão.")
    );
    let image = format!("https://loja.example/shop/img/{:064x}.jpg", 21);
    assert_eq!(
        meta(&doc, "og:image"),
        Some(image.clone()),
        "the catalog image, absolute"
    );
    assert_eq!(meta(&doc, "twitter:image"), Some(image));
    assert_eq!(
        meta(&doc, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    assert_eq!(meta(&doc, "product:price:amount").as_deref(), Some("19.92"));
    assert_eq!(meta(&doc, "product:price:currency").as_deref(), Some("BRL"));
    let alternates: BTreeMap<String, String> = doc
        .select(&sel("link[rel=alternate][hreflang]"))
        .map(|l| {
            (
                l.value().attr("hreflang").expect("lang").to_owned(),
                l.value().attr("href").expect("href").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        alternates.get("ar").map(String::as_str),
        Some("https://loja.example/shop/ar/p/V-2.html")
    );
    assert_eq!(
        alternates.get("pt-BR").map(String::as_str),
        Some("https://loja.example/shop/pt-BR/p/V-2.html")
    );
    assert_eq!(
        alternates.get("x-default").map(String::as_str),
        Some("https://loja.example/shop/pt-BR/p/V-2.html")
    );
}

#[test]
fn json_ld_is_valid_json_with_the_price_as_a_decimal() {
    let site = build(3);
    for (path, doc) in pages(&site).into_iter().filter(|(p, _)| p.contains("/p/")) {
        let script = doc
            .select(&sel("script[type=\"application/ld+json\"]"))
            .next()
            .expect("JSON-LD");
        let ld: serde_json::Value = serde_json::from_str(&script.inner_html()).expect("valid JSON");
        assert_eq!(ld["@type"], "Product", "{path}");
        assert_eq!(ld["offers"]["priceCurrency"], "BRL");
        assert!(ld["offers"]["availability"]
            .as_str()
            .is_some_and(|a| a.starts_with("https://schema.org/")));
        if path.ends_with("V-0.html") {
            assert_eq!(
                ld["name"], "<script>alert(1)</script>",
                "the title survives, escaped, as data"
            );
            assert_eq!(ld["offers"]["price"], "19.90");
        }
    }
}

#[test]
fn arabic_pages_are_right_to_left_and_others_left_to_right() {
    for (path, doc) in pages(&build(2)) {
        let html = doc.select(&sel("html")).next().expect("html");
        let expected = if path.starts_with("ar/") {
            "rtl"
        } else {
            "ltr"
        };
        assert_eq!(html.value().attr("dir"), Some(expected), "{path}");
    }
}

#[test]
fn a_title_with_markup_never_becomes_an_element() {
    for (path, doc) in pages(&build(2)) {
        for script in doc.select(&sel("script")) {
            assert!(!script.inner_html().contains("alert(1)</script>"), "{path}");
            let kind = script.value().attr("type").unwrap_or("");
            assert!(
                script.value().attr("src").is_some()
                    || kind == "application/json"
                    || kind == "application/ld+json",
                "{path}: every script is ours"
            );
        }
    }
}

#[test]
fn the_sitemap_lists_every_page_in_every_language() {
    let site = build(3);
    let Some(Body::Bytes(xml)) = site.file("sitemap.xml").map(|f| &f.body) else {
        panic!("a sitemap");
    };
    let xml = String::from_utf8(xml.clone()).expect("utf-8");
    for path in [
        "pt-BR/index.html",
        "ar/index.html",
        "pt-BR/p/V-1.html",
        "ar/p/V-2.html",
        "ar/c/cer~C3~A2mica.html",
    ] {
        assert!(
            xml.contains(&format!("<loc>{BASE}/{path}</loc>")),
            "{path} in the sitemap"
        );
    }
}

#[test]
fn the_index_of_fifty_products_is_light() {
    let site = build(50);
    let size = |path: &str| match &site.file(path).expect("file").body {
        Body::Bytes(b) => b.len(),
        Body::Photo(..) => 0,
    };
    let text = size("pt-BR/index.html") + size("assets/site.css") + size("assets/site.js");
    assert!(
        text < 100_000,
        "HTML, CSS and JS of the index weigh {text} bytes"
    );
    let doc = pages(&site)
        .into_iter()
        .find(|(p, _)| p == "pt-BR/index.html")
        .expect("index")
        .1;
    for img in doc.select(&sel("main img")) {
        assert!(
            img.value().attr("src").expect("src").contains("img/t/"),
            "the grid loads thumbnails"
        );
        assert_eq!(img.value().attr("loading"), Some("lazy"));
    }
}
