//! The storefront from a real catalog: built into a folder (incrementally), published to an
//! S3-compatible bucket on loopback, and the product link the sync sends.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use scraper::{Html, Selector};
use vitrine_app::core::RuleId;
use vitrine_app::{
    ImageSource, MemorySecretStore, NewProduct, ProductPatch, S3HostingInput, Seams, SecretKey,
    ShopUpdate, StorefrontUpdate, Vitrine,
};
use vitrine_fake_s3::{FakeS3, ACCESS_KEY_ID, SECRET_ACCESS_KEY};

const SITE: &str = "https://loja.example";

fn open(dir: &Path) -> Vitrine {
    Vitrine::open_with(
        &dir.join("data"),
        Seams {
            bucket_secret: Arc::new(MemorySecretStore::default()),
            ..Seams::default()
        },
    )
    .expect("open")
}

/// A shop in Portuguese and Arabic with `n` products, each with its own photo when
/// `photos`.
fn shop_with(dir: &Path, n: u32, photos: bool) -> Vitrine {
    let v = open(dir);
    v.update_shop(ShopUpdate {
        name: Some("Loja da Ana".into()),
        phone: Some("+55 11 98765-4321".into()),
        currency: Some("BRL".into()),
        languages: Some(vec!["pt-BR".into(), "ar".into()]),
        brand: Some("Ateliê".into()),
        ..ShopUpdate::default()
    })
    .expect("shop");
    for i in 0..n {
        let sku = format!("VASO-{i:03}");
        v.add_product(NewProduct {
            sku: sku.clone(),
            title: format!("Vaso {i}"),
            description: format!("Vaso de barro número {i}"),
            price: format!("{}.90", 40 + i),
            collections: if i % 2 == 0 {
                vec!["Barro".into()]
            } else {
                Vec::new()
            },
            ..NewProduct::default()
        })
        .expect("product");
        if photos {
            let img = image::RgbImage::from_fn(600, 600, |x, y| {
                image::Rgb([(x / 3) as u8, (y / 3) as u8, (i * 37 % 256) as u8])
            });
            let path = dir.join(format!("p{i}.png"));
            img.save(&path).expect("photo");
            v.add_images(&sku, &[ImageSource::File(path)])
                .expect("photo added");
        }
    }
    v
}

fn files_under(root: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).expect("under root");
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn settings_are_kept_and_bad_ones_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = shop_with(dir.path(), 2, false);
    let before = v.storefront().expect("settings");
    assert_eq!(
        before.base_url, None,
        "no storefront until the merchant sets one"
    );
    let saved = v
        .set_storefront(&StorefrontUpdate {
            base_url: Some("https://loja.example/".into()),
            accent: Some("#AA3300".into()),
            collections: Some(vec!["barro".into()]),
        })
        .expect("saved");
    assert_eq!(
        saved.base_url.as_deref(),
        Some(SITE),
        "without the trailing slash"
    );
    assert_eq!(saved.accent, "#aa3300");
    assert_eq!(
        saved.collections,
        vec!["Barro".to_owned()],
        "the collection's own name"
    );
    assert_eq!(v.storefront().expect("settings"), saved);
    for bad in [
        StorefrontUpdate {
            accent: Some("red".into()),
            ..StorefrontUpdate::default()
        },
        StorefrontUpdate {
            base_url: Some("loja.example".into()),
            ..StorefrontUpdate::default()
        },
        StorefrontUpdate {
            collections: Some(vec!["Nope".into()]),
            ..StorefrontUpdate::default()
        },
    ] {
        assert!(v.set_storefront(&bad).is_err(), "{bad:?} is refused");
    }
    assert_eq!(
        v.storefront().expect("settings"),
        saved,
        "a refused change changes nothing"
    );
}

#[test]
fn a_built_site_has_every_photo_and_its_index_of_fifty_products_weighs_under_a_megabyte() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = shop_with(dir.path(), 50, true);
    let out = dir.path().join("site");
    let report = v.build_storefront(&out, Some(SITE)).expect("built");
    assert_eq!(
        report.written, report.files,
        "a first build writes everything"
    );
    let files = files_under(&out);
    for path in [
        "index.html",
        "pt-BR/index.html",
        "ar/index.html",
        "pt-BR/p/VASO-007.html",
        "ar/p/VASO-049.html",
        "sitemap.xml",
        "pt-BR/c/barro.html",
    ] {
        assert!(files.contains(path), "{path} is written");
    }
    let index = std::fs::read_to_string(out.join("pt-BR/index.html")).expect("index");
    let doc = Html::parse_document(&index);
    let mut weight = index.len() as u64;
    for asset in ["assets/site.css", "assets/site.js"] {
        weight += std::fs::metadata(out.join(asset)).expect("asset").len();
    }
    let images = Selector::parse("img").expect("selector");
    let mut thumbnails = 0;
    for img in doc.select(&images) {
        let src = img.value().attr("src").expect("src");
        let file = out.join("pt-BR").join(src);
        let bytes = std::fs::metadata(&file)
            .unwrap_or_else(|_| panic!("{src} exists"))
            .len();
        weight += bytes;
        thumbnails += 1;
    }
    assert_eq!(thumbnails, 50, "one thumbnail per product");
    assert!(
        weight < 1_000_000,
        "the index with its thumbnails weighs {weight} bytes"
    );
    let page = std::fs::read_to_string(out.join("pt-BR/p/VASO-007.html")).expect("page");
    let og = Selector::parse("meta[property=\"og:image\"]").expect("selector");
    let image = Html::parse_document(&page)
        .select(&og)
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_owned))
        .expect("og:image");
    let local = image
        .strip_prefix(&format!("{SITE}/"))
        .expect("on the site");
    assert!(
        files.contains(local),
        "the preview image {local} is published with the page"
    );
}

#[test]
fn a_rebuild_after_one_edit_rewrites_only_that_products_pages_and_the_listings() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = shop_with(dir.path(), 130, false);
    let out = dir.path().join("site");
    v.build_storefront(&out, Some(SITE)).expect("built");
    let again = v.build_storefront(&out, Some(SITE)).expect("rebuilt");
    assert_eq!(again.written, 0, "nothing changed, nothing written");
    v.edit_product(
        "VASO-121",
        ProductPatch {
            price: Some("99.90".into()),
            ..ProductPatch::default()
        },
    )
    .expect("edited");
    let after = v.build_storefront(&out, Some(SITE)).expect("rebuilt");
    let written: BTreeSet<&str> = after.written_paths.iter().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "pt-BR/p/VASO-121.html",
        "ar/p/VASO-121.html",
        "pt-BR/page/3.html",
        "ar/page/3.html",
        "pt-BR/products.json",
        "ar/products.json",
    ]
    .into_iter()
    .collect();
    assert_eq!(
        written, expected,
        "only the edited product's pages, the listing page it is on and the search data"
    );
    let page = std::fs::read_to_string(out.join("pt-BR/p/VASO-121.html")).expect("page");
    assert!(page.contains("R$ 99,90"), "the new price is on the page");

    v.remove_product("VASO-003").expect("deleted");
    let after = v.build_storefront(&out, Some(SITE)).expect("rebuilt");
    assert_eq!(after.removed, 2, "the deleted product's pages are removed");
    assert!(!out.join("ar/p/VASO-003.html").exists());
}

#[test]
fn a_rebuild_removes_only_files_inside_the_site_folder_whatever_its_manifest_says() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = shop_with(dir.path(), 2, false);
    let out = dir.path().join("site");
    v.build_storefront(&out, Some(SITE)).expect("built");
    let precious = dir.path().join("precious");
    std::fs::create_dir_all(&precious).expect("dir");
    let keep = precious.join("keep.txt");
    std::fs::write(&keep, "the merchant's own file").expect("write");
    let manifest_path = out.join(".vitrine-storefront.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).expect("manifest")).expect("json");
    let mut hostile = vec![
        keep.display().to_string(),
        "../precious/keep.txt".to_owned(),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&precious, out.join("linked")).expect("symlink");
        std::os::unix::fs::symlink(&keep, out.join("link.txt")).expect("symlink");
        hostile.push("linked/keep.txt".to_owned());
        hostile.push("link.txt".to_owned());
    }
    std::fs::write(out.join("old.html"), "a page of an earlier build").expect("write");
    let files = manifest["files"].as_object_mut().expect("files");
    for entry in hostile.iter().chain(["old.html".to_owned()].iter()) {
        files.insert(entry.clone(), serde_json::json!("0".repeat(64)));
    }
    std::fs::write(&manifest_path, manifest.to_string()).expect("tampered manifest");

    let rebuilt = v.build_storefront(&out, Some(SITE)).expect("rebuilt");
    assert!(
        keep.exists(),
        "a file outside the site folder is never removed"
    );
    assert!(
        !out.join("old.html").exists(),
        "a stale page inside the folder still is"
    );
    assert_eq!(rebuilt.removed, 1, "only the stale page: {rebuilt:?}");
    let mut refused = rebuilt.refused.clone();
    refused.sort();
    hostile.sort();
    assert_eq!(refused, hostile, "each refused entry is reported by name");
}

#[tokio::test]
async fn publishing_to_the_bucket_uploads_only_changed_files_the_second_time() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = shop_with(dir.path(), 3, true);
    let s3 = FakeS3::start(&["loja"]).await.expect("s3 server");
    v.set_s3_hosting(
        &S3HostingInput {
            public_base_url: format!("{SITE}/fotos"),
            endpoint: Some(s3.endpoint()),
            region: "us-east-1".into(),
            bucket: "loja".into(),
            prefix: Some("site".into()),
            access_key_id: ACCESS_KEY_ID.into(),
        },
        Some(&SecretKey::new(SECRET_ACCESS_KEY).expect("secret")),
    )
    .expect("hosting");
    v.set_storefront(&StorefrontUpdate {
        base_url: Some(SITE.into()),
        ..StorefrontUpdate::default()
    })
    .expect("storefront");
    let mut seen = Vec::new();
    let first = v
        .publish_storefront(&mut |p| seen.push((p.done, p.total)))
        .await
        .expect("published");
    assert_eq!(
        first.uploaded, first.files,
        "an empty bucket gets every file"
    );
    assert_eq!(
        seen.last(),
        Some(&(first.files, first.files)),
        "progress reaches the end"
    );
    let keys = s3.keys("loja");
    assert!(
        keys.contains(&"site/pt-BR/p/VASO-001.html".to_owned()),
        "{keys:?}"
    );
    let puts = s3.count("PUT");

    let second = v.publish_storefront(&mut |_| {}).await.expect("again");
    assert_eq!(second.uploaded, 0, "nothing changed, nothing uploaded");
    assert_eq!(s3.count("PUT"), puts);

    v.edit_product(
        "VASO-001",
        ProductPatch {
            title: Some("Vaso azul".into()),
            ..ProductPatch::default()
        },
    )
    .expect("edited");
    let third = v
        .publish_storefront(&mut |_| {})
        .await
        .expect("after an edit");
    assert_eq!(
        third.uploaded, 6,
        "the product's two pages, the two indexes and the two search files"
    );
    assert_eq!(s3.count("PUT"), puts + 6);
    let page = std::fs::read_to_string(s3.object_path("loja", "site/pt-BR/p/VASO-001.html"))
        .expect("object");
    assert!(page.contains("Vaso azul"));
}

#[test]
fn the_sync_links_products_without_a_link_to_their_storefront_page() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = shop_with(dir.path(), 2, true);
    v.set_image_hosting(&format!("{SITE}/fotos"), None)
        .expect("photos are published by the merchant");
    v.edit_product(
        "VASO-001",
        ProductPatch {
            link: Some("https://outra.example/vaso".into()),
            ..ProductPatch::default()
        },
    )
    .expect("own link");
    let missing = |v: &Vitrine| {
        v.check()
            .expect("check")
            .iter()
            .filter(|c| c.findings.iter().any(|f| f.rule == RuleId::LinkMissing))
            .count()
    };
    assert_eq!(
        missing(&v),
        1,
        "without a storefront, a product needs its own link"
    );
    let held = v.sync_plan().expect("plan").held.len();
    assert_eq!(held, 1, "and is held back from the sync");

    v.set_storefront(&StorefrontUpdate {
        base_url: Some(format!("{SITE}/")),
        ..StorefrontUpdate::default()
    })
    .expect("storefront");
    assert_eq!(missing(&v), 0, "the storefront page stands in for the link");
    let plan = v.sync_plan().expect("plan");
    assert!(plan.held.is_empty());
    let link = |sku: &str| {
        plan.items
            .iter()
            .find(|i| i.retailer_id == sku)
            .and_then(|i| i.data.get("link"))
            .and_then(|l| l.as_str())
            .map(str::to_owned)
    };
    assert_eq!(
        link("VASO-000").as_deref(),
        Some("https://loja.example/pt-BR/p/VASO-000.html")
    );
    assert_eq!(
        link("VASO-001").as_deref(),
        Some("https://outra.example/vaso"),
        "a product's own link wins"
    );
}
