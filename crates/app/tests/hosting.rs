//! Publishing photos to an S3-compatible bucket: a real S3 server (s3s-fs with SigV4) on
//! loopback, started by each test; the sync against the fake Graph server.

#[path = "support/graph.rs"]
mod graph;

use std::sync::Arc;
use std::time::Duration;

use futures_util::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{Attribute, ObjectStore, ObjectStoreExt};
use vitrine_app::{
    ErrorCode, ImageSource, MemorySecretStore, NewProduct, S3HostingInput, Seams, SecretKey,
    SyncOptions, TokenSource, Vitrine,
};
use vitrine_fake_graph::{Config, FakeGraph};
use vitrine_fake_s3::{FakeS3, ACCESS_KEY_ID, SECRET_ACCESS_KEY};

const BUCKET: &str = "loja-fotos";
const PUBLIC: &str = "https://fotos.loja.example/catalogo";

/// A catalog whose bucket secret lives in memory, as a keychain would keep it.
fn open(dir: &std::path::Path) -> Vitrine {
    Vitrine::open_with(
        &dir.join("data"),
        Seams {
            bucket_secret: Arc::new(MemorySecretStore::default()),
            ..Seams::default()
        },
    )
    .expect("open")
}

/// Adds a product with its own photo (distinct pixels, so a distinct file).
fn add_product(v: &Vitrine, dir: &std::path::Path, n: u32) {
    let img = image::RgbImage::from_fn(520, 520, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, (n * 37 % 256) as u8])
    });
    let path = dir.join(format!("p{n}.png"));
    img.save(&path).expect("photo");
    let sku = format!("FOTO-{n:03}");
    v.add_product(NewProduct {
        sku: sku.clone(),
        title: format!("Vaso {n}"),
        description: format!("Vaso de barro número {n}"),
        brand: "Ateliê".into(),
        price: "49.90".into(),
        currency: Some("BRL".into()),
        link: Some(format!("https://loja.example/{n}")),
        ..NewProduct::default()
    })
    .expect("product");
    v.add_images(&sku, &[ImageSource::File(path)])
        .expect("photo added");
}

fn settings(endpoint: &str) -> S3HostingInput {
    S3HostingInput {
        public_base_url: PUBLIC.into(),
        endpoint: Some(endpoint.to_owned()),
        region: "us-east-1".into(),
        bucket: BUCKET.into(),
        prefix: Some("/catalogo/".into()),
        access_key_id: ACCESS_KEY_ID.into(),
    }
}

fn secret(text: &str) -> SecretKey {
    SecretKey::new(text).expect("secret")
}

async fn catalog_with_bucket(n: u32) -> (tempfile::TempDir, Vitrine, FakeS3) {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    for i in 0..n {
        add_product(&v, dir.path(), i);
    }
    let s3 = FakeS3::start(&[BUCKET]).await.expect("s3 server");
    v.set_s3_hosting(&settings(&s3.endpoint()), Some(&secret(SECRET_ACCESS_KEY)))
        .expect("hosting");
    (dir, v, s3)
}

fn catalog_keys(s3: &FakeS3) -> Vec<String> {
    s3.keys(BUCKET)
        .into_iter()
        .filter(|k| k.starts_with("catalogo/"))
        .collect()
}

#[tokio::test]
async fn publishing_uploads_every_photo_the_first_time_and_nothing_the_second() {
    let (_dir, v, s3) = catalog_with_bucket(5).await;
    let first = v.publish_images().await.expect("publish");
    assert_eq!(
        (first.uploaded, first.already_present),
        (5, 0),
        "an empty bucket gets every photo"
    );
    let keys = catalog_keys(&s3);
    assert_eq!(keys.len(), 5, "one object per photo, under the prefix");
    assert!(
        keys.iter()
            .all(|k| k.ends_with(".jpg") && k.len() == "catalogo/".len() + 64 + 4),
        "content-addressed names: {keys:?}"
    );
    let puts = s3.count("PUT");
    let second = v.publish_images().await.expect("publish again");
    assert_eq!(
        (second.uploaded, second.already_present),
        (0, 5),
        "what the bucket has is not sent again"
    );
    assert_eq!(s3.count("PUT"), puts, "no upload the second time");
}

#[tokio::test]
async fn a_published_photo_is_the_stored_jpeg_with_an_image_type_and_a_long_cache() {
    let (_dir, v, s3) = catalog_with_bucket(1).await;
    v.publish_images().await.expect("publish");
    let key = catalog_keys(&s3).pop().expect("one object");
    let hash = key
        .trim_start_matches("catalogo/")
        .trim_end_matches(".jpg")
        .to_owned();
    let stored = v.image_path(&vitrine_app::core::ContentHash::parse(&hash).expect("hash"));
    assert_eq!(
        std::fs::read(s3.object_path(BUCKET, &key)).expect("object"),
        std::fs::read(stored).expect("stored photo"),
        "the object is the catalog JPEG, byte for byte"
    );
    let client = AmazonS3Builder::new()
        .with_endpoint(s3.endpoint())
        .with_allow_http(true)
        .with_region("us-east-1")
        .with_bucket_name(BUCKET)
        .with_access_key_id(ACCESS_KEY_ID)
        .with_secret_access_key(SECRET_ACCESS_KEY)
        .build()
        .expect("client");
    let got = client.get(&ObjectPath::from(key)).await.expect("get");
    assert_eq!(
        got.attributes
            .get(&Attribute::ContentType)
            .map(|v| v.as_ref()),
        Some("image/jpeg")
    );
    assert!(
        got.attributes
            .get(&Attribute::CacheControl)
            .is_some_and(|c| c.contains("immutable")),
        "names never change content, so caches may keep them"
    );
    let listed: Vec<_> = client
        .list(None)
        .try_collect()
        .await
        .expect("list with the real credentials");
    assert_eq!(listed.len(), 1);
}

#[tokio::test]
async fn a_new_photo_uploads_alone() {
    let (dir, v, s3) = catalog_with_bucket(3).await;
    v.publish_images().await.expect("publish");
    add_product(&v, dir.path(), 3);
    let report = v.publish_images().await.expect("publish the new one");
    assert_eq!(
        (report.uploaded, report.already_present),
        (1, 3),
        "only the new photo is uploaded"
    );
    assert_eq!(catalog_keys(&s3).len(), 4);
}

#[tokio::test]
async fn a_wrong_secret_is_a_credentials_error_that_never_shows_the_secret() {
    let (_dir, v, s3) = catalog_with_bucket(2).await;
    let wrong = "wrong-secret-that-must-stay-hidden";
    v.set_s3_hosting(&settings(&s3.endpoint()), Some(&secret(wrong)))
        .expect("hosting");
    let error = v.publish_images().await.expect_err("refused");
    let text = error.to_string();
    assert_eq!(error.code(), ErrorCode::InvalidInput, "{text}");
    assert!(
        text.contains("access key") && text.contains(BUCKET),
        "plain words naming the bucket: {text}"
    );
    for shown in [text.clone(), format!("{error:?}")] {
        assert!(
            !shown.contains(wrong) && !shown.contains(SECRET_ACCESS_KEY),
            "no secret in {shown}"
        );
    }
    assert!(catalog_keys(&s3).is_empty(), "nothing was uploaded");
}

#[tokio::test]
async fn a_missing_bucket_and_an_unreachable_endpoint_are_told_apart() {
    let (_dir, v, s3) = catalog_with_bucket(1).await;
    let mut other = settings(&s3.endpoint());
    other.bucket = "no-such-bucket".into();
    v.set_s3_hosting(&other, None).expect("hosting");
    let missing = v.publish_images().await.expect_err("no bucket").to_string();
    assert!(
        missing.contains("no bucket “no-such-bucket”"),
        "says the bucket does not exist: {missing}"
    );
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let endpoint = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    v.set_s3_hosting(&settings(&endpoint), None)
        .expect("hosting");
    let error = v.publish_images().await.expect_err("unreachable");
    assert_eq!(error.code(), ErrorCode::Network);
    assert!(
        error.to_string().contains("cannot be reached"),
        "says the endpoint cannot be reached: {error}"
    );
}

#[tokio::test]
async fn the_secret_is_kept_out_of_the_database_and_the_settings() {
    let (dir, v, _s3) = catalog_with_bucket(0).await;
    let hosting = v.image_hosting().expect("read").expect("set");
    let bucket = hosting.bucket.clone().expect("bucket hosting");
    assert_eq!(
        bucket.prefix.as_deref(),
        Some("catalogo"),
        "slashes trimmed"
    );
    assert_eq!(v.bucket_secret_source(), TokenSource::Keychain);
    assert!(hosting.folder.is_none());
    let shown = format!(
        "{hosting:?} {}",
        serde_json::to_string(&hosting).expect("json")
    );
    assert!(!shown.contains(SECRET_ACCESS_KEY), "{shown}");
    drop(v);
    for entry in std::fs::read_dir(dir.path().join("data")).expect("data") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let bytes = std::fs::read(&path).expect("read");
            assert!(
                !bytes
                    .windows(SECRET_ACCESS_KEY.len())
                    .any(|w| w == SECRET_ACCESS_KEY.as_bytes()),
                "the secret is not in {}",
                path.display()
            );
        }
    }
}

#[tokio::test]
async fn without_a_saved_secret_publishing_says_how_to_give_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    add_product(&v, dir.path(), 1);
    v.set_s3_hosting(&settings("http://127.0.0.1:9"), None)
        .expect("hosting");
    let error = v.publish_images().await.expect_err("no secret");
    assert!(
        error.to_string().contains("VITRINE_S3_SECRET_KEY"),
        "{error}"
    );
}

#[tokio::test]
async fn bad_bucket_settings_are_refused_before_anything_is_saved() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    let good = settings("https://s3.example");
    for (field, bad) in [
        (
            "public URL",
            S3HostingInput {
                public_base_url: "fotos.example".into(),
                ..good.clone()
            },
        ),
        (
            "endpoint",
            S3HostingInput {
                endpoint: Some("s3.example".into()),
                ..good.clone()
            },
        ),
        (
            "bucket",
            S3HostingInput {
                bucket: "a/b".into(),
                ..good.clone()
            },
        ),
        (
            "prefix",
            S3HostingInput {
                prefix: Some("a/../b".into()),
                ..good.clone()
            },
        ),
        (
            "access key id",
            S3HostingInput {
                access_key_id: " ".into(),
                ..good.clone()
            },
        ),
    ] {
        let error = v.set_s3_hosting(&bad, None).expect_err(field);
        assert!(error.to_string().starts_with(field), "{field}: {error}");
    }
    assert!(v.image_hosting().expect("read").is_none(), "nothing saved");
}

#[tokio::test]
async fn a_bucket_endpoint_over_plain_http_is_refused_unless_on_this_computer() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = open(dir.path());
    for endpoint in [
        "http://s3.example:9000",
        "HTTP://minio.shop.example",
        "http://127.0.0.1@s3.example",
        "http://10.0.0.5:9000",
    ] {
        let error = v
            .set_s3_hosting(&settings(endpoint), Some(&secret(SECRET_ACCESS_KEY)))
            .expect_err(endpoint);
        assert_eq!(
            error.code(),
            ErrorCode::InvalidInput,
            "{endpoint}: a setting to change"
        );
        let message = error.to_string();
        assert!(
            message.starts_with("endpoint")
                && message.contains("plain http://")
                && message.contains("https://"),
            "{endpoint}: says to use https: {message}"
        );
    }
    assert!(v.image_hosting().expect("read").is_none(), "nothing saved");
    assert_eq!(
        v.bucket_secret_source(),
        TokenSource::Missing,
        "the secret is not kept for a refused bucket"
    );
    let s3 = FakeS3::start(&[BUCKET]).await.expect("s3 server");
    let port = s3.endpoint().rsplit(':').next().expect("a port").to_owned();
    for (n, endpoint) in [s3.endpoint(), format!("http://localhost:{port}")]
        .into_iter()
        .enumerate()
    {
        v.set_s3_hosting(&settings(&endpoint), Some(&secret(SECRET_ACCESS_KEY)))
            .expect("a local MinIO over http is fine");
        add_product(&v, dir.path(), n as u32);
        let report = v
            .publish_images()
            .await
            .expect("publish to the local bucket");
        assert_eq!(report.uploaded, 1, "{endpoint}: the new photo is uploaded");
    }
}

#[tokio::test]
async fn a_saved_plain_http_endpoint_is_refused_before_any_request() {
    let (dir, v, _s3) = catalog_with_bucket(2).await;
    // As if the setting had come from elsewhere (an older version, a restored backup).
    let store = vitrine_store::Store::open(&dir.path().join("data")).expect("the same catalog");
    store
        .write(|tx| {
            vitrine_store::app_state::set(tx, "hosting.s3.endpoint", "http://s3.example:9000")
        })
        .expect("change the endpoint");
    let error = v.publish_images().await.expect_err("plain http is refused");
    assert_eq!(error.code(), ErrorCode::InvalidInput, "a setting to change");
    assert!(
        error.to_string().contains("plain http://"),
        "says why: {error}"
    );
}

#[tokio::test]
async fn a_sync_publishes_to_the_bucket_first_and_sends_links_to_its_objects() {
    let (_dir, v, s3) = catalog_with_bucket(4).await;
    v.update_shop(vitrine_app::ShopUpdate {
        currency: Some("BRL".into()),
        ..Default::default()
    })
    .expect("shop");
    let fake = FakeGraph::start(Config::default(), 0)
        .await
        .expect("fake graph");
    let catalog = "1000000000000001";
    fake.add_catalog(catalog, "Loja");
    let api = graph::client(&fake, Duration::from_secs(5));
    let opts = SyncOptions {
        poll_interval: Duration::from_millis(2),
        ..SyncOptions::default()
    };
    let report = v
        .sync(&api, catalog, &opts, &mut |_| {})
        .await
        .expect("sync");
    assert_eq!(report.created, 4, "{:?}", report.held);
    let keys = catalog_keys(&s3);
    for (sku, item) in fake.items(catalog) {
        let link = item.data["image_link"].as_str().unwrap_or_default();
        let key = link
            .strip_prefix(PUBLIC)
            .map(|rest| format!("catalogo{rest}"))
            .unwrap_or_else(|| panic!("{sku}: {link} is not under the public URL"));
        assert!(
            keys.contains(&key),
            "{sku}: {key} is in the bucket before Meta fetches it"
        );
    }
}
