//! Importing a catalog built in the WhatsApp Business app: the fake Graph server on loopback
//! holds the items (their photos on its CDN), Vitrine starts empty.

use std::time::Duration;

use serde_json::{json, Map, Value};
use vitrine_app::core::sync_plan::Action;
use vitrine_app::meta::GraphClient;
use vitrine_app::{Downloader, ProductPatch, Seams, SyncOptions, Vitrine};
use vitrine_fake_graph::{Config, FakeGraph};

const CATALOG: &str = "1000000000000001";

fn jpeg(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(640, 640, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 200) as u8, seed])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("jpeg");
    out.into_inner()
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

/// A catalog as the WhatsApp Business app leaves it: five items, one with a price Vitrine
/// cannot read and one whose photo is gone from the CDN.
async fn whatsapp_catalog() -> FakeGraph {
    let fake = FakeGraph::start(Config::default(), 0)
        .await
        .expect("fake graph");
    fake.add_catalog(CATALOG, "Loja da Ana");
    let bag = fake.host_file("bag.jpg", jpeg(10));
    let bag_back = fake.host_file("bag-back.jpg", jpeg(20));
    let mug = fake.host_file("mug.jpg", jpeg(30));
    let gone = format!("{}/cdn/gone.jpg", fake.base_url());
    let items = [
        json!({"id": "WA-BAG", "title": "Bolsa de couro", "description": "Costurada à mão",
            "price": "120.00 BRL", "sale_price": "99.90 BRL", "availability": "in stock",
            "condition": "new", "link": "https://ana.example/bolsa", "image_link": bag,
            "additional_image_link": [bag_back], "brand": "Ana"}),
        json!({"id": "WA-MUG", "title": "Caneca", "description": "Cerâmica esmaltada",
            "price": "35.50 BRL", "availability": "out of stock", "condition": "used",
            "link": "https://ana.example/caneca", "image_link": mug, "brand": "Ana"}),
        json!({"id": "WA-MUG-2", "title": "Caneca grande", "description": "Cerâmica, 500 ml",
            "price": "45.00 BRL", "availability": "in stock", "condition": "new",
            "link": "https://ana.example/caneca-g", "image_link": mug, "brand": "Ana"}),
        json!({"id": "WA-GONE", "title": "Vaso", "description": "Barro cozido",
            "price": "80.00 BRL", "availability": "in stock", "condition": "new",
            "link": "https://ana.example/vaso", "image_link": gone, "brand": "Ana"}),
        json!({"id": "WA-FREE", "title": "Brinde", "description": "Grátis na compra",
            "price": "a.combinar BRL", "availability": "in stock", "condition": "new",
            "link": "https://ana.example/brinde", "image_link": mug, "brand": "Ana"}),
    ];
    for item in items {
        fake.seed_item(CATALOG, object(item));
    }
    fake
}

#[path = "support/graph.rs"]
mod graph;

fn client(fake: &FakeGraph) -> GraphClient {
    graph::client(fake, Duration::from_secs(5))
}

fn empty_vitrine() -> (tempfile::TempDir, Vitrine) {
    let dir = tempfile::tempdir().expect("tmp");
    // The fake Graph server's photo CDN is on loopback, which only tests may download from.
    let seams = Seams {
        downloader: Downloader::allowing_loopback(),
        ..Seams::default()
    };
    let v = Vitrine::open_with(&dir.path().join("data"), seams).expect("open");
    v.update_shop(vitrine_app::ShopUpdate {
        currency: Some("BRL".into()),
        ..Default::default()
    })
    .expect("shop");
    (dir, v)
}

fn fast() -> SyncOptions {
    SyncOptions {
        poll_interval: Duration::from_millis(2),
        base_delay: Duration::from_millis(5),
        ..SyncOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meta_items_become_products_and_the_next_sync_plans_nothing() {
    let fake = whatsapp_catalog().await;
    let (_dir, v) = empty_vitrine();
    let api = client(&fake);
    let mut steps = Vec::new();
    let report = v
        .import_from_meta(&api, CATALOG, &mut |p| steps.push((p.done, p.total)))
        .await
        .expect("import");
    assert_eq!(report.imported, 4, "{report:?}");
    assert_eq!(steps.last(), Some(&(5, 5)), "progress covers every item");
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert_eq!(report.skipped[0].retailer_id, "WA-FREE");
    assert!(
        report.skipped[0].message.contains("price"),
        "says the price is the problem: {:?}",
        report.skipped[0]
    );
    assert_eq!(
        report
            .photos_missing
            .iter()
            .map(|p| p.retailer_id.as_str())
            .collect::<Vec<_>>(),
        ["WA-GONE"],
        "the lost photo is reported"
    );
    assert!(report.photos_missing[0].message.contains("404"));

    let bag = v.product("WA-BAG").expect("imported").product;
    assert_eq!(bag.draft.title, "Bolsa de couro");
    assert_eq!(bag.draft.price.to_meta_string(), "120.00 BRL");
    assert_eq!(
        bag.draft.sale.as_ref().map(|s| s.price.to_meta_string()),
        Some("99.90 BRL".to_owned())
    );
    assert_eq!(bag.draft.link.as_deref(), Some("https://ana.example/bolsa"));
    assert_eq!(bag.draft.brand, "Ana");
    assert_eq!(bag.images.len(), 2, "main and additional photo");
    let mug = v.product("WA-MUG").expect("imported").product;
    assert_eq!(mug.draft.availability.as_meta(), "out of stock");
    assert_eq!(mug.draft.condition.as_meta(), "used");
    let mug2 = v.product("WA-MUG-2").expect("imported").product;
    assert_eq!(mug.images, mug2.images, "a shared photo is stored once");
    let gone = v
        .product("WA-GONE")
        .expect("kept without its photo")
        .product;
    assert!(gone.images.is_empty());

    let plan = v.sync_plan().expect("plan");
    assert!(
        plan.items.is_empty(),
        "Meta already holds what was imported: {:?}",
        plan.items
    );
    assert_eq!(plan.unchanged, 4);
    assert_eq!(v.sync_status().expect("status").at_meta, 4);

    let again = v
        .import_from_meta(&api, CATALOG, &mut |_| {})
        .await
        .expect("second import");
    assert_eq!(
        (again.imported, again.already_in_vitrine),
        (0, 4),
        "a second import imports nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_import_a_sync_sends_nothing_and_an_edit_goes_out_as_an_update() {
    let fake = whatsapp_catalog().await;
    let (dir, v) = empty_vitrine();
    v.set_image_hosting("https://img.ana.example", Some(dir.path().join("public")))
        .expect("hosting");
    let api = client(&fake);
    v.import_from_meta(&api, CATALOG, &mut |_| {})
        .await
        .expect("import");
    let report = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("sync");
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 0, 4),
        "nothing to send"
    );
    assert!(
        !fake.calls().iter().any(|c| c.edge == "items_batch"),
        "no batch call at all"
    );
    v.edit_product(
        "WA-BAG",
        ProductPatch {
            title: Some("Bolsa de couro marrom".into()),
            ..Default::default()
        },
    )
    .expect("edit");
    let plan = v.sync_plan().expect("plan");
    assert_eq!(plan.items.len(), 1, "only the edited product");
    assert_eq!(
        plan.items[0].action,
        Action::Update,
        "never a second create"
    );
    assert!(plan.items[0].data.contains_key("title"));
    let report = v
        .sync(&api, CATALOG, &fast(), &mut |_| {})
        .await
        .expect("sync the edit");
    assert_eq!((report.created, report.updated), (0, 1));
    let items = fake.items(CATALOG);
    assert_eq!(items["WA-BAG"].data["title"], "Bolsa de couro marrom");
    assert!(
        items["WA-BAG"].data["image_link"]
            .as_str()
            .is_some_and(|l| l.starts_with("https://img.ana.example/")),
        "the photo now comes from the merchant's hosting"
    );
    assert_eq!(fake.creates_applied(), 0, "no duplicate item at Meta");
    assert_eq!(items.len(), 5, "the unreadable item stays at Meta");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_at_meta_links_to_its_whatsapp_item_once_meta_has_been_read_back() {
    let fake = whatsapp_catalog().await;
    let (_dir, v) = empty_vitrine();
    v.update_shop(vitrine_app::ShopUpdate {
        phone: Some("+55 11 98765-4321".into()),
        ..Default::default()
    })
    .expect("number");
    let api = client(&fake);
    v.import_from_meta(&api, CATALOG, &mut |_| {})
        .await
        .expect("import");
    let before = v.product_link("WA-BAG", None, None).expect("link");
    assert!(
        before.url.starts_with("https://wa.me/5511987654321?text="),
        "without Meta's id the link is a chat with the order text: {}",
        before.url
    );
    let items = v.pull_meta(&api, CATALOG).await.expect("read back");
    let bag = items
        .iter()
        .find(|i| i.retailer_id == "WA-BAG")
        .expect("the bag is at Meta");
    let after = v.product_link("WA-BAG", None, None).expect("link");
    assert_eq!(
        after.url,
        format!("https://wa.me/p/{}/5511987654321", bag.meta_id),
        "the read-back gave the product its wa.me/p/ link"
    );
    let tagged = v
        .product_link("WA-BAG", None, Some("instagram-bio"))
        .expect("link");
    assert!(
        tagged.url.contains("?text="),
        "a ref tag needs a chat link to ride in: {}",
        tagged.url
    );
}

const PHONE_ID: &str = "1098765";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_links_are_made_changed_listed_and_deleted_at_meta_and_kept_offline() {
    let fake = whatsapp_catalog().await;
    fake.connect_whatsapp("2000000000000002", PHONE_ID, CATALOG);
    let (_dir, v) = empty_vitrine();
    let api = client(&fake);

    let made = v
        .create_short_link(
            &api,
            PHONE_ID,
            "Olá! Vi o cartaz da vitrine.",
            Some("poster-window"),
        )
        .await
        .expect("created at Meta");
    assert_eq!(made.code.len(), 14, "Meta's codes have 14 characters");
    assert_eq!(made.url, format!("https://wa.me/message/{}", made.code));
    assert_eq!(
        made.ref_tag.as_deref(),
        Some("poster-window"),
        "the ref line is in the message"
    );
    let at_meta = fake.short_links(PHONE_ID);
    assert_eq!(at_meta.len(), 1);
    assert_eq!(at_meta[0].prefilled_message, made.message);

    let changed = v
        .update_short_link(
            &api,
            PHONE_ID,
            &made.code,
            "Olá! Quero ver as promoções.",
            None,
        )
        .await
        .expect("changed");
    assert_eq!(changed.code, made.code, "a new message keeps the code");
    assert_eq!(
        fake.short_links(PHONE_ID)[0].prefilled_message,
        "Olá! Quero ver as promoções."
    );

    let too_long = "x".repeat(141);
    let err = v
        .create_short_link(&api, PHONE_ID, &too_long, None)
        .await
        .expect_err("over 140 characters");
    assert!(err.to_string().contains("140"), "{err}");
    assert_eq!(
        fake.short_links(PHONE_ID).len(),
        1,
        "refused before reaching Meta"
    );

    let other = v
        .create_short_link(&api, PHONE_ID, "Hello!", None)
        .await
        .expect("second");
    let listed = v.refresh_short_links(&api, PHONE_ID).await.expect("list");
    let mut codes: Vec<&str> = listed.iter().map(|l| l.code.as_str()).collect();
    codes.sort_unstable();
    let mut expected = vec![made.code.as_str(), other.code.as_str()];
    expected.sort_unstable();
    assert_eq!(codes, expected);

    v.delete_short_link(&api, PHONE_ID, &made.code)
        .await
        .expect("deleted");
    assert_eq!(fake.short_links(PHONE_ID).len(), 1);
    let kept = v.short_links().expect("offline copy");
    assert_eq!(kept.len(), 1, "the offline copy follows Meta");
    assert_eq!(kept[0].code, other.code);

    let err = v
        .delete_short_link(&api, PHONE_ID, "NOSUCHCODE0000")
        .await
        .expect_err("unknown code");
    assert_eq!(
        err.code(),
        vitrine_app::ErrorCode::Meta,
        "Meta's refusal, typed"
    );
    let err = v
        .delete_short_link(&api, PHONE_ID, "../../me")
        .await
        .expect_err("not a code");
    assert_eq!(err.code(), vitrine_app::ErrorCode::InvalidInput);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_connection_warns_when_the_catalog_is_not_the_whatsapp_accounts() {
    let fake = whatsapp_catalog().await;
    fake.add_catalog("1000000000000009", "Another catalog");
    fake.connect_whatsapp("2000000000000002", PHONE_ID, "1000000000000009");
    let (_dir, v) = empty_vitrine();
    let api = client(&fake);
    let connection = |catalog: &str| vitrine_app::MetaConnection {
        catalog_id: catalog.to_owned(),
        waba_id: Some("2000000000000002".to_owned()),
        phone_number_id: None,
        token: vitrine_app::TokenSource::Environment,
    };
    let check = v
        .test_connection(&api, &connection(CATALOG))
        .await
        .expect("the catalog reads");
    assert!(
        check
            .warnings
            .iter()
            .any(|w| w.contains("not connected to the WhatsApp Business account")),
        "the synced catalog is not the one WhatsApp shows: {:?}",
        check.warnings
    );
    let check = v
        .test_connection(&api, &connection("1000000000000009"))
        .await
        .expect("the catalog reads");
    assert!(check.warnings.is_empty(), "{:?}", check.warnings);
}
