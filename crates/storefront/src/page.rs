//! The pages: one layout (head with social tags and alternates, header, collections, the
//! cart, footer) around listing and product contents.

use std::fmt::Write as _;

use serde_json::{json, Value};
use vitrine_core::share::{self, OrderFields, OrderTemplate, RefTag};
use vitrine_core::{Availability, Direction, LanguageTag, ProductImage};

use crate::escape::{html, push_html, script_json, xml};
use crate::{
    language_name, photo_path, product_page_path, product_text, words, Accent, Context, PhotoSize,
    PAGE_SIZE, REF_TAG, THUMBNAIL_SIDE,
};

/// The cart and search script, the same for every shop.
pub const SCRIPT: &str = include_str!("assets/site.js");
const CSS: &str = include_str!("assets/site.css");

/// Characters of a description shown in link previews.
const PREVIEW_CHARS: usize = 160;

pub fn stylesheet(accent: &Accent) -> String {
    format!(
        ":root{{--accent:{};--on-accent:{}}}\n{CSS}",
        accent,
        accent.text_colour()
    )
}

/// The path from the page at `from` to the site path `to` (both relative to the root).
fn rel(from: &str, to: &str) -> String {
    let mut out = "../".repeat(from.matches('/').count());
    out.push_str(to);
    out
}

/// What the `<head>` says about a page.
struct Head {
    title: String,
    description: String,
    /// The page's path under its language folder (`p/MUG-1.html`), the same in every one.
    path_in_lang: String,
    og_type: &'static str,
    /// The catalog image's absolute address and size.
    image: Option<(String, u32, u32)>,
    /// Amount (`39.90`) and ISO code.
    price: Option<(String, &'static str)>,
    json_ld: Option<Value>,
}

fn lang_dir(lang: &LanguageTag) -> &'static str {
    match lang.direction() {
        Direction::Rtl => "rtl",
        Direction::Ltr => "ltr",
    }
}

fn preview_text(description: &str, fallback: &str) -> String {
    let text = description.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return fallback.to_owned();
    }
    if text.chars().count() <= PREVIEW_CHARS {
        return text;
    }
    let cut: String = text.chars().take(PREVIEW_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

fn layout(ctx: &Context<'_>, lang: &LanguageTag, head: &Head, main: &str) -> String {
    let w = words(lang);
    let shop = ctx.input.shop;
    let path = format!("{lang}/{}", head.path_in_lang);
    let url = |l: &LanguageTag| format!("{}/{l}/{}", ctx.base, head.path_in_lang);
    let mut o = String::with_capacity(main.len() + 6_000);
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
        lang_dir(lang)
    );
    push_html(&mut o, &head.title);
    o.push_str("</title>\n<meta name=\"description\" content=\"");
    push_html(&mut o, &head.description);
    let _ = writeln!(
        o,
        "\">\n<link rel=\"canonical\" href=\"{}\">",
        html(&url(lang))
    );
    for l in &ctx.languages {
        let _ = writeln!(
            o,
            "<link rel=\"alternate\" hreflang=\"{l}\" href=\"{}\">",
            html(&url(l))
        );
    }
    let _ = writeln!(
        o,
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\">",
        html(&url(&ctx.languages[0]))
    );
    let meta = |o: &mut String, attr: &str, key: &str, value: &str| {
        let _ = writeln!(o, "<meta {attr}=\"{key}\" content=\"{}\">", html(value));
    };
    meta(&mut o, "property", "og:type", head.og_type);
    meta(&mut o, "property", "og:site_name", &shop.name);
    meta(&mut o, "property", "og:title", &head.title);
    meta(&mut o, "property", "og:description", &head.description);
    meta(&mut o, "property", "og:url", &url(lang));
    meta(
        &mut o,
        "property",
        "og:locale",
        &lang.as_str().replace('-', "_"),
    );
    let card = if head.image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    meta(&mut o, "name", "twitter:card", card);
    meta(&mut o, "name", "twitter:title", &head.title);
    meta(&mut o, "name", "twitter:description", &head.description);
    if let Some((image, width, height)) = &head.image {
        meta(&mut o, "property", "og:image", image);
        meta(&mut o, "property", "og:image:width", &width.to_string());
        meta(&mut o, "property", "og:image:height", &height.to_string());
        meta(&mut o, "property", "og:image:alt", &head.title);
        meta(&mut o, "name", "twitter:image", image);
    }
    if let Some((amount, currency)) = &head.price {
        meta(&mut o, "property", "product:price:amount", amount);
        meta(&mut o, "property", "product:price:currency", currency);
    }
    let assets = |file: &str| format!("{}?v={}", rel(&path, file), ctx.asset_version);
    let _ = writeln!(
        o,
        "<link rel=\"stylesheet\" href=\"{}\">",
        assets("assets/site.css")
    );
    if let Some(ld) = &head.json_ld {
        let _ = writeln!(
            o,
            "<script type=\"application/ld+json\">{}</script>",
            script_json(ld)
        );
    }
    o.push_str("</head>\n<body>\n<header class=\"top\">\n<a class=\"shop\" href=\"");
    o.push_str(&rel(&path, &format!("{lang}/index.html")));
    o.push_str("\">");
    if let Some(logo) = &shop.logo {
        let _ = write!(
            o,
            "<img src=\"{}\" alt=\"\" width=\"40\" height=\"40\">",
            rel(&path, &photo_path(logo, PhotoSize::Thumbnail))
        );
    }
    o.push_str("<span>");
    push_html(&mut o, &shop.name);
    o.push_str("</span></a>\n");
    if ctx.languages.len() > 1 {
        let _ = write!(
            o,
            "<nav class=\"langs\" aria-label=\"{}\"><ul>",
            html(w.language)
        );
        for l in &ctx.languages {
            let current = if l == lang {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = write!(
                o,
                "<li><a href=\"{}\" hreflang=\"{l}\" lang=\"{l}\"{current}>{}</a></li>",
                rel(&path, &format!("{l}/{}", head.path_in_lang)),
                html(&language_name(l))
            );
        }
        o.push_str("</ul></nav>\n");
    }
    let _ = writeln!(
        o,
        "<a class=\"cart-link\" href=\"#cart\" hidden data-cart-link>{} (<span data-cart-count>0</span>)</a>\n</header>",
        html(w.cart)
    );
    o.push_str(&collections_nav(ctx, lang, &path));
    o.push_str("<main id=\"main\">\n");
    o.push_str(main);
    o.push_str("</main>\n");
    let _ = write!(
        o,
        "<aside id=\"cart\" class=\"cart\" aria-labelledby=\"cart-title\" hidden>\n<h2 id=\"cart-title\">{}</h2>\n\
         <ul class=\"cart-lines\" data-cart-lines></ul>\n<p class=\"cart-total\" data-cart-total></p>\n",
        html(w.cart)
    );
    if let Some(number) = &ctx.number {
        let _ = writeln!(
            o,
            "<a class=\"button\" data-order href=\"https://wa.me/{number}\" target=\"_blank\" rel=\"noopener\">{}</a>",
            html(w.order_on_whatsapp)
        );
    }
    o.push_str("</aside>\n<p class=\"status\" role=\"status\" data-status></p>\n<footer>");
    push_html(&mut o, &shop.name);
    o.push_str("</footer>\n");
    let tag = RefTag::parse(REF_TAG).ok();
    let data = json!({
        "lang": lang.as_str(),
        "root": rel(&path, ""),
        "number": ctx.number.as_ref().map(|n| n.digits().to_owned()),
        "refLine": tag.map(|t| share::with_ref("", &t, lang)),
        "formats": ctx.formats.get(lang),
        "words": {
            "intro": w.order_intro,
            "total": w.total,
            "quantity": w.quantity,
            "remove": w.remove,
            "added": w.added,
            "noResults": w.no_results,
        },
    });
    let _ = write!(
        o,
        "<script type=\"application/json\" id=\"shop-data\">{}</script>\n<script src=\"{}\" defer></script>\n</body>\n</html>\n",
        script_json(&data),
        assets("assets/site.js")
    );
    o
}

fn collections_nav(ctx: &Context<'_>, lang: &LanguageTag, path: &str) -> String {
    let w = words(lang);
    let mut o = format!(
        "<nav class=\"collections\" aria-label=\"{}\"><ul><li><a href=\"{}\">{}</a></li>",
        html(w.collections),
        rel(path, &format!("{lang}/index.html")),
        html(w.all_products)
    );
    for (c, name) in ctx.input.collections.iter().zip(&ctx.collection_names) {
        let _ = write!(
            o,
            "<li><a href=\"{}\">{}</a></li>",
            rel(path, &format!("{lang}/c/{name}.html")),
            html(&c.name)
        );
    }
    o.push_str("</ul></nav>\n");
    o
}

/// A thumbnail's size: the photo fitted in the thumbnail square, as vitrine-media makes it.
fn thumbnail_size(image: &ProductImage) -> (u32, u32) {
    let long = image.width.max(image.height).max(1);
    if long <= THUMBNAIL_SIDE {
        return (image.width, image.height);
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(THUMBNAIL_SIDE) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(THUMBNAIL_SIDE).max(1)
    };
    (scale(image.width), scale(image.height))
}

/// An `<img>` with the thumbnail and the catalog image as candidates; `fallback` is the one
/// browsers without `srcset` load.
fn picture(
    path: &str,
    image: &ProductImage,
    alt: &str,
    sizes: &str,
    fallback: PhotoSize,
    extra: &str,
) -> String {
    let thumb = rel(path, &photo_path(&image.hash, PhotoSize::Thumbnail));
    let full = rel(path, &photo_path(&image.hash, PhotoSize::Catalog));
    let (tw, th) = thumbnail_size(image);
    let (src, w, h) = match fallback {
        PhotoSize::Thumbnail => (&thumb, tw, th),
        PhotoSize::Catalog => (&full, image.width, image.height),
    };
    format!(
        "<img src=\"{src}\" srcset=\"{thumb} {tw}w, {full} {}w\" sizes=\"{sizes}\" width=\"{w}\" height=\"{h}\" alt=\"{}\"{extra}>",
        image.width,
        html(alt)
    )
}

fn price_html(ctx: &Context<'_>, lang: &LanguageTag, i: usize) -> String {
    let l = &ctx.input.products[i];
    let w = words(lang);
    let mut o = format!(
        "<p class=\"price\"><span>{}</span>",
        html(&l.price.to_local_string(lang, false))
    );
    if l.price != l.product.draft.price {
        let _ = write!(
            o,
            " <del><span class=\"visually-hidden\">{} </span>{}</del>",
            html(w.was),
            html(&l.product.draft.price.to_local_string(lang, false))
        );
    }
    o.push_str("</p>");
    o
}

fn orderable(availability: Availability) -> bool {
    matches!(
        availability,
        Availability::InStock | Availability::AvailableForOrder
    )
}

/// The cart's data of a product: its SKU, price in minor units and titles per language.
fn cart_item(ctx: &Context<'_>, i: usize) -> String {
    let l = &ctx.input.products[i];
    let titles: serde_json::Map<String, Value> = ctx
        .languages
        .iter()
        .map(|lang| (lang.to_string(), product_text(&l.product, lang).0.into()))
        .collect();
    html(
        &json!({
            "sku": l.product.draft.sku.as_str(),
            "cur": l.price.currency().code(),
            "minor": l.price.minor(),
            "titles": titles,
        })
        .to_string(),
    )
}

fn card(ctx: &Context<'_>, lang: &LanguageTag, path: &str, i: usize) -> String {
    let l = &ctx.input.products[i];
    let w = words(lang);
    let (title, _) = product_text(&l.product, lang);
    let sku = l.product.draft.sku.as_str();
    let mut o = format!(
        "<li class=\"card\"><a href=\"{}\">",
        rel(path, &product_page_path(lang, sku))
    );
    if let Some(image) = l.product.images.first() {
        o.push_str(&picture(
            path,
            image,
            "",
            "(min-width: 48em) 14rem, 45vw",
            PhotoSize::Thumbnail,
            " loading=\"lazy\"",
        ));
    }
    o.push_str("<span class=\"name\">");
    push_html(&mut o, title);
    o.push_str("</span></a>");
    o.push_str(&price_html(ctx, lang, i));
    let availability = l.product.draft.availability;
    if orderable(availability) {
        let _ = write!(
            o,
            "<button type=\"button\" class=\"add\" data-add=\"{}\" hidden>{}</button>",
            cart_item(ctx, i),
            html(w.add_to_cart)
        );
    } else {
        let _ = write!(
            o,
            "<p class=\"availability\">{}</p>",
            html(w.availability(availability))
        );
    }
    o.push_str("</li>\n");
    o
}

/// Every listing page of a language: all products, then each collection, paginated.
pub fn listings(ctx: &Context<'_>, lang: &LanguageTag) -> Vec<(String, String)> {
    let all: Vec<usize> = (0..ctx.input.products.len()).collect();
    let mut out = listing(ctx, lang, &ctx.input.shop.name, "index.html", "page/", &all);
    for (c, name) in ctx.input.collections.iter().zip(&ctx.collection_names) {
        let members: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| {
                ctx.input.products[i]
                    .product
                    .draft
                    .collections
                    .contains(&c.id)
            })
            .collect();
        out.extend(listing(
            ctx,
            lang,
            &c.name,
            &format!("c/{name}.html"),
            &format!("c/{name}/"),
            &members,
        ));
    }
    out
}

fn listing(
    ctx: &Context<'_>,
    lang: &LanguageTag,
    heading: &str,
    first: &str,
    rest: &str,
    members: &[usize],
) -> Vec<(String, String)> {
    let w = words(lang);
    let pages: Vec<&[usize]> = if members.is_empty() {
        vec![&[]]
    } else {
        members.chunks(PAGE_SIZE).collect()
    };
    let page_path = |n: usize| {
        if n == 1 {
            first.to_owned()
        } else {
            format!("{rest}{n}.html")
        }
    };
    let image = members.iter().find_map(|&i| {
        let image = ctx.input.products[i].product.images.first()?;
        Some((
            format!(
                "{}/{}",
                ctx.base,
                photo_path(&image.hash, PhotoSize::Catalog)
            ),
            image.width,
            image.height,
        ))
    });
    let count = pages.len();
    pages
        .iter()
        .enumerate()
        .map(|(k, items)| {
            let n = k + 1;
            let path_in_lang = page_path(n);
            let path = format!("{lang}/{path_in_lang}");
            let mut main = String::with_capacity(items.len() * 700 + 1_000);
            main.push_str("<h1>");
            push_html(&mut main, heading);
            main.push_str("</h1>\n");
            let _ = write!(
                main,
                "<form class=\"search\" role=\"search\" data-search hidden><label for=\"q\">{}</label> \
                 <input id=\"q\" type=\"search\" name=\"q\" autocomplete=\"off\"></form>\n\
                 <p class=\"no-results\" data-no-results hidden>{}</p>\n<ul class=\"grid\" data-grid>\n",
                html(w.search),
                html(w.no_results)
            );
            for &i in *items {
                main.push_str(&card(ctx, lang, &path, i));
            }
            main.push_str("</ul>\n");
            if count > 1 {
                let _ = write!(main, "<nav class=\"pages\" aria-label=\"{}\">", html(w.page));
                if n > 1 {
                    let _ = write!(
                        main,
                        "<a href=\"{}\" rel=\"prev\">{}</a> ",
                        rel(&path, &format!("{lang}/{}", page_path(n - 1))),
                        html(w.previous)
                    );
                }
                let _ = write!(main, "<span>{} {n} / {count}</span>", html(w.page));
                if n < count {
                    let _ = write!(
                        main,
                        " <a href=\"{}\" rel=\"next\">{}</a>",
                        rel(&path, &format!("{lang}/{}", page_path(n + 1))),
                        html(w.next)
                    );
                }
                main.push_str("</nav>\n");
            }
            let title = if heading == ctx.input.shop.name {
                heading.to_owned()
            } else {
                format!("{heading} · {}", ctx.input.shop.name)
            };
            let head = Head {
                description: title.clone(),
                title,
                path_in_lang,
                og_type: "website",
                image: image.clone(),
                price: None,
                json_ld: None,
            };
            (path, layout(ctx, lang, &head, &main))
        })
        .collect()
}

fn schema_availability(availability: Availability) -> &'static str {
    match availability {
        Availability::InStock => "https://schema.org/InStock",
        Availability::OutOfStock => "https://schema.org/OutOfStock",
        Availability::AvailableForOrder => "https://schema.org/PreOrder",
        Availability::Discontinued => "https://schema.org/Discontinued",
    }
}

fn schema_condition(condition: vitrine_core::Condition) -> &'static str {
    match condition {
        vitrine_core::Condition::New => "https://schema.org/NewCondition",
        vitrine_core::Condition::Refurbished => "https://schema.org/RefurbishedCondition",
        vitrine_core::Condition::Used => "https://schema.org/UsedCondition",
    }
}

/// The page of product `i` in `lang`.
pub fn product_page(ctx: &Context<'_>, lang: &LanguageTag, i: usize) -> String {
    let listing = &ctx.input.products[i];
    let product = &listing.product;
    let d = &product.draft;
    let w = words(lang);
    let (title, description) = product_text(product, lang);
    let sku = d.sku.as_str();
    let path = product_page_path(lang, sku);
    let url = format!("{}/{path}", ctx.base);
    let images: Vec<String> = product
        .images
        .iter()
        .map(|im| format!("{}/{}", ctx.base, photo_path(&im.hash, PhotoSize::Catalog)))
        .collect();
    let brand = if d.brand.trim().is_empty() {
        &ctx.input.shop.brand
    } else {
        &d.brand
    };
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": title,
        "sku": sku,
        "url": url,
        "image": images,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": listing.price.to_decimal_string(),
            "priceCurrency": listing.price.currency().code(),
            "availability": schema_availability(d.availability),
            "itemCondition": schema_condition(d.condition),
        },
    });
    if !description.trim().is_empty() {
        ld["description"] = description.into();
    }
    if !brand.trim().is_empty() {
        ld["brand"] = json!({ "@type": "Brand", "name": brand });
    }

    let mut main = String::with_capacity(4_000);
    main.push_str("<article class=\"product\">\n<div class=\"gallery\">\n");
    for (k, image) in product.images.iter().enumerate() {
        let alt = if k == 0 {
            title.to_owned()
        } else {
            format!("{title} ({}/{})", k + 1, product.images.len())
        };
        let extra = if k == 0 {
            " fetchpriority=\"high\""
        } else {
            " loading=\"lazy\""
        };
        main.push_str(&picture(
            &path,
            image,
            &alt,
            "(min-width: 48em) 50vw, 100vw",
            PhotoSize::Catalog,
            extra,
        ));
        main.push('\n');
    }
    main.push_str("</div>\n<div class=\"details\">\n<h1>");
    push_html(&mut main, title);
    main.push_str("</h1>\n");
    main.push_str(&price_html(ctx, lang, i));
    let _ = writeln!(
        main,
        "\n<p class=\"availability\">{}</p>",
        html(w.availability(d.availability))
    );
    if let Some(variant) = &d.variant {
        if !variant.attributes.is_empty() {
            let _ = write!(main, "<h2>{}</h2>\n<dl class=\"options\">", html(w.options));
            for a in &variant.attributes {
                let _ = write!(
                    main,
                    "<dt>{}</dt><dd>{}</dd>",
                    html(&a.name),
                    html(&a.value)
                );
            }
            main.push_str("</dl>\n");
        }
        let others: Vec<usize> = ctx
            .groups
            .get(variant.group_id.as_str())
            .map(|members| members.iter().copied().filter(|&j| j != i).collect())
            .unwrap_or_default();
        if !others.is_empty() {
            let _ = write!(
                main,
                "<h2>{}</h2>\n<ul class=\"variants\">",
                html(w.other_options)
            );
            for j in others {
                let other = &ctx.input.products[j].product;
                let label = other
                    .draft
                    .variant
                    .as_ref()
                    .map(|v| {
                        v.attributes
                            .iter()
                            .map(|a| format!("{}: {}", a.name, a.value))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| product_text(other, lang).0.to_owned());
                let _ = write!(
                    main,
                    "<li><a href=\"{}\">{}</a></li>",
                    rel(&path, &product_page_path(lang, other.draft.sku.as_str())),
                    html(&label)
                );
            }
            main.push_str("</ul>\n");
        }
    }
    if orderable(d.availability) {
        let _ = writeln!(
            main,
            "<form class=\"buy\" data-buy hidden><label for=\"qty\">{}</label> \
             <input id=\"qty\" type=\"number\" min=\"1\" max=\"999\" value=\"1\" inputmode=\"numeric\" data-qty> \
             <button type=\"submit\" class=\"add\" data-add=\"{}\">{}</button></form>",
            html(w.quantity),
            cart_item(ctx, i),
            html(w.add_to_cart)
        );
    }
    if let Some(number) = &ctx.number {
        let template = ctx
            .input
            .order_templates
            .get(lang)
            .cloned()
            .unwrap_or_else(|| OrderTemplate::default_for(lang));
        let price = listing.price.to_local_string(lang, false);
        let text = template.render(&OrderFields {
            title,
            sku,
            price: &price,
            shop: &ctx.input.shop.name,
        });
        let text = match RefTag::parse(REF_TAG) {
            Ok(tag) => share::with_ref(&text, &tag, lang),
            Err(_) => text,
        };
        let ask = share::chat_link(number, &text);
        let _ = write!(
            main,
            "<p class=\"actions\"><a class=\"button secondary\" data-ask href=\"{}\" target=\"_blank\" rel=\"noopener\">{}</a>",
            html(&ask.url),
            html(w.ask_on_whatsapp)
        );
        if let Some(id) = &listing.meta_id {
            let link = share::product_link(number, Some(id), "");
            let _ = write!(
                main,
                " <a class=\"button secondary\" data-catalog href=\"{}\" target=\"_blank\" rel=\"noopener\">{}</a>",
                html(&link.url),
                html(w.view_in_catalog)
            );
        }
        main.push_str("</p>\n");
    }
    if !description.trim().is_empty() {
        main.push_str("<div class=\"description\">");
        for paragraph in description.split("\n\n").filter(|p| !p.trim().is_empty()) {
            main.push_str("<p>");
            let lines: Vec<String> = paragraph.trim().lines().map(html).collect();
            main.push_str(&lines.join("<br>"));
            main.push_str("</p>");
        }
        main.push_str("</div>\n");
    }
    main.push_str("</div>\n</article>\n");
    let head = Head {
        title: format!("{title} · {}", ctx.input.shop.name),
        description: preview_text(description, title),
        path_in_lang: path.trim_start_matches(&format!("{lang}/")).to_owned(),
        og_type: "product",
        image: product.images.first().map(|im| {
            (
                format!("{}/{}", ctx.base, photo_path(&im.hash, PhotoSize::Catalog)),
                im.width,
                im.height,
            )
        }),
        price: Some((
            listing.price.to_decimal_string(),
            listing.price.currency().code(),
        )),
        json_ld: Some(ld),
    };
    layout(ctx, lang, &head, &main)
}

/// What the search box searches, in one language: each product's title, SKU, page, price
/// text and thumbnail, paths from the site's root.
pub fn search_data(ctx: &Context<'_>, lang: &LanguageTag) -> String {
    let items: Vec<Value> = ctx
        .input
        .products
        .iter()
        .map(|l| {
            let sku = l.product.draft.sku.as_str();
            json!({
                "t": product_text(&l.product, lang).0,
                "s": sku,
                "u": product_page_path(lang, sku),
                "p": l.price.to_local_string(lang, false),
                "i": l.product.images.first().map(|im| photo_path(&im.hash, PhotoSize::Thumbnail)),
            })
        })
        .collect();
    Value::Array(items).to_string()
}

/// `/index.html`: sends visitors to the shop's main language and lists the others.
pub fn root_index(ctx: &Context<'_>) -> String {
    let main = &ctx.languages[0];
    let shop = html(&ctx.input.shop.name);
    let mut o = format!(
        "<!doctype html>\n<html lang=\"{main}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{shop}</title>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={main}/index.html\">\n\
         <link rel=\"canonical\" href=\"{}/{main}/index.html\">\n",
        lang_dir(main),
        html(&ctx.base)
    );
    for l in &ctx.languages {
        let _ = writeln!(
            o,
            "<link rel=\"alternate\" hreflang=\"{l}\" href=\"{}/{l}/index.html\">",
            html(&ctx.base)
        );
    }
    let _ = write!(o, "</head>\n<body>\n<main>\n<h1>{shop}</h1>\n<ul>\n");
    for l in &ctx.languages {
        let _ = writeln!(
            o,
            "<li><a href=\"{l}/index.html\" hreflang=\"{l}\" lang=\"{l}\">{}</a></li>",
            html(&language_name(l))
        );
    }
    o.push_str("</ul>\n</main>\n</body>\n</html>\n");
    o
}

/// Every page in every language, each with its alternates.
pub fn sitemap(ctx: &Context<'_>, listing_paths: &[String]) -> String {
    let main = &ctx.languages[0];
    let product_paths = ctx.input.products.iter().map(|l| {
        product_page_path(main, l.product.draft.sku.as_str())
            .trim_start_matches(&format!("{main}/"))
            .to_owned()
    });
    let paths: Vec<String> = listing_paths.iter().cloned().chain(product_paths).collect();
    let mut o = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for path in &paths {
        for lang in &ctx.languages {
            let _ = write!(
                o,
                "<url><loc>{}</loc>",
                xml(&format!("{}/{lang}/{path}", ctx.base))
            );
            if ctx.languages.len() > 1 {
                for alt in &ctx.languages {
                    let _ = write!(
                        o,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{alt}\" href=\"{}\"/>",
                        xml(&format!("{}/{alt}/{path}", ctx.base))
                    );
                }
            }
            o.push_str("</url>\n");
        }
    }
    o.push_str("</urlset>\n");
    o
}
