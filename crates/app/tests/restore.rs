//! Restoring a backup, on loopback: a hostile backup (a "catalog template" shared in a chat)
//! never sends this machine's secrets to an address it names, and a backup whose database is
//! not exactly Vitrine's is refused before it touches the live catalog.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tempfile::TempDir;
use vitrine_app::meta::AccessToken;
use vitrine_app::{
    ConnectionKind, ErrorCode, ImageSource, MemorySecretStore, NewProduct, RelayToken,
    S3HostingInput, Seams, SecretKey, SecretStore, StorefrontUpdate, StreamOptions, Vitrine,
};
use vitrine_fake_s3::{FakeS3, ACCESS_KEY_ID, SECRET_ACCESS_KEY};
use vitrine_relay::devices::DeviceToken;
use vitrine_relay::server::{self, RelayConfig, RunningRelay};
use vitrine_relay::signature::AppSecret;
use vitrine_relay::store::{AnyStore, NewDevice, Store as _};

const APP_SECRET: &str = "restore-test-app-secret";
const MACHINE_CATALOG: &str = "111111111111111";
const TEMPLATE_CATALOG: &str = "999999999999999";
const MACHINE_SITE: &str = "https://loja.example";
const TEMPLATE_SITE: &str = "https://golpe.example";
const BUCKET: &str = "loja-fotos";

/// A web server on loopback that answers every request with an empty 200 and keeps each
/// request's head (request line and headers): it stands for the attacker's server.
struct Canary {
    url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Canary {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the canary");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let heads: Arc<Mutex<Vec<String>>> = Arc::default();
        let seen = heads.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut reader = BufReader::new(&stream);
                let mut head = String::new();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    head.push_str(&line);
                    line.clear();
                }
                seen.lock().expect("heads").push(head);
                let _ = (&stream).write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
            }
        });
        Self { url, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().expect("heads").clone()
    }
}

/// A real relay on loopback with one device.
struct Relay {
    url: String,
    token: String,
    dir: TempDir,
    _running: RunningRelay,
}

impl Relay {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("relay dir");
        let store = AnyStore::open(dir.path(), None).await.expect("relay store");
        let token = DeviceToken::generate().expect("random token");
        store
            .add_device(NewDevice {
                name: "shop-laptop".into(),
                phone_number_id: None,
                token_sha256: token.sha256(),
                created_at_ms: server::now_ms(),
            })
            .await
            .expect("device");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let running = server::start(
            listener,
            store,
            RelayConfig {
                app_secret: AppSecret::new(APP_SECRET),
                verify_token: "verify".into(),
                retention_days: 7,
                stream_poll: Duration::from_millis(50),
            },
        );
        Self {
            url: format!("http://{}", running.addr),
            token: token.reveal().to_owned(),
            dir,
            _running: running,
        }
    }

    /// A customer's text message, signed and posted as Meta does.
    async fn deliver_text(&self, wamid: &str) {
        let body = serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
            "messages": [{"from": "16505551234", "id": wamid, "timestamp": "1750000000", "type": "text", "text": {"body": "Oi"}}],
        }}]}]})
        .to_string();
        let status = reqwest::Client::new()
            .post(format!("{}/webhook", self.url))
            .header("content-type", "application/json")
            .header(
                "x-hub-signature-256",
                AppSecret::new(APP_SECRET).sign(body.as_bytes()),
            )
            .body(body)
            .send()
            .await
            .expect("POST /webhook")
            .status();
        assert_eq!(status.as_u16(), 200, "the relay takes a signed webhook");
        assert!(self.dir.path().exists());
    }
}

/// A catalog whose secrets live in memory, as the keychain would keep them.
fn open(dir: &Path) -> (Vitrine, Arc<MemorySecretStore>) {
    let relay_token = Arc::new(MemorySecretStore::default());
    let vitrine = Vitrine::open_with(
        dir,
        Seams {
            secrets: Arc::new(MemorySecretStore::default()),
            bucket_secret: Arc::new(MemorySecretStore::default()),
            relay_token: relay_token.clone(),
            ..Seams::default()
        },
    )
    .expect("open");
    (vitrine, relay_token)
}

/// Adds a product with a photo of its own pixels.
fn add_product(v: &Vitrine, dir: &Path, sku: &str, shade: u8) {
    let path = dir.join(format!("{sku}.png"));
    image::RgbImage::from_fn(520, 520, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, shade])
    })
    .save(&path)
    .expect("photo");
    v.add_product(NewProduct {
        sku: sku.into(),
        title: format!("Vaso {sku}"),
        price: "49.90".into(),
        currency: Some("BRL".into()),
        ..NewProduct::default()
    })
    .expect("product");
    v.add_images(sku, &[ImageSource::File(path)])
        .expect("photo added");
}

fn bucket(endpoint: &str, bucket: &str) -> S3HostingInput {
    S3HostingInput {
        public_base_url: "https://fotos.loja.example".into(),
        endpoint: Some(endpoint.to_owned()),
        region: "us-east-1".into(),
        bucket: bucket.into(),
        prefix: None,
        access_key_id: ACCESS_KEY_ID.into(),
    }
}

/// A hostile backup: one product with a photo, and every connection pointing at `canary`
/// (relay, photo bucket) or at the attacker's catalog and site. Relay settings are written
/// to the store directly, as anyone can write a file.
fn template(canary: &Canary, work: &Path) -> PathBuf {
    let dir = work.join("template");
    {
        let (v, _) = open(&dir);
        add_product(&v, work, "MODELO-1", 200);
        v.connect_meta(TEMPLATE_CATALOG, None, None, None)
            .expect("meta ids");
        v.set_s3_hosting(&bucket(&canary.url, "roubo"), None)
            .expect("hosting");
        v.set_storefront(&StorefrontUpdate {
            base_url: Some(TEMPLATE_SITE.into()),
            accent: Some("#aa0000".into()),
            ..StorefrontUpdate::default()
        })
        .expect("storefront");
    }
    let store = vitrine_store::Store::open(&dir).expect("the template's store");
    store
        .write(|tx| vitrine_store::relay_settings::set_url(tx, &canary.url))
        .expect("relay address");
    let archive = work.join("modelo.vitrine");
    store.backup(&archive).expect("backup");
    archive
}

/// Pulls, streams briefly and publishes photos: every request the connections make.
async fn use_every_connection(v: &Arc<Vitrine>) {
    let _ = v.pull_relay().await;
    let cancel = Arc::new(AtomicBool::new(false));
    let task = {
        let (v, cancel) = (v.clone(), cancel.clone());
        tokio::spawn(async move {
            let options = StreamOptions {
                min_backoff: Duration::from_millis(20),
                max_backoff: Duration::from_millis(50),
                ack_every: Duration::from_millis(20),
            };
            v.stream_relay(&cancel, options, &mut |_| {}).await
        })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    cancel.store(true, Ordering::Relaxed);
    let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    let _ = v.publish_images().await;
}

fn assert_canary_untouched(canary: &Canary) {
    let heads = canary.heads();
    assert!(
        !heads
            .iter()
            .any(|h| h.to_ascii_lowercase().contains("authorization")),
        "no secret ever reaches the backup's address: {heads:?}"
    );
    assert!(
        heads.is_empty(),
        "the backup's address receives no request at all: {heads:?}"
    );
}

#[tokio::test]
async fn a_restored_backup_never_sends_this_machines_tokens_to_its_own_addresses() {
    let work = tempfile::tempdir().expect("work dir");
    let canary = Canary::start();
    let archive = template(&canary, work.path());

    let relay = Relay::start().await;
    let s3 = FakeS3::start(&[BUCKET]).await.expect("s3 server");
    let (v, _) = open(&work.path().join("shop"));
    add_product(&v, work.path(), "VASO-1", 10);
    v.connect_relay(&relay.url, RelayToken::new(relay.token.clone()).as_ref())
        .await
        .expect("the relay accepts the device token");
    v.connect_meta(
        MACHINE_CATALOG,
        None,
        None,
        AccessToken::new("machine-meta-token").as_ref(),
    )
    .expect("meta");
    v.set_s3_hosting(
        &bucket(&s3.endpoint(), BUCKET),
        SecretKey::new(SECRET_ACCESS_KEY).as_ref(),
    )
    .expect("hosting");
    v.set_storefront(&StorefrontUpdate {
        base_url: Some(MACHINE_SITE.into()),
        ..StorefrontUpdate::default()
    })
    .expect("storefront");
    relay.deliver_text("wamid.BEFORE").await;
    let before = v.pull_relay().await.expect("pull before the restore");
    assert_eq!(before.events, 1);
    let cursor = v.relay_status().expect("status").expect("connected").cursor;

    let report = v.restore(&archive).expect("the template restores");
    assert_eq!(report.products, 1, "the template's catalog comes in");
    let restored = v.relay_status().expect("status").expect("connected");
    let v = Arc::new(v);
    relay.deliver_text("wamid.AFTER").await;
    use_every_connection(&v).await;

    assert_canary_untouched(&canary);
    assert_eq!(
        (restored.url, restored.cursor),
        (relay.url.clone(), cursor),
        "this machine's relay and its cursor on it stay"
    );
    let status = v.relay_status().expect("status").expect("still connected");
    assert_eq!(
        status.url, relay.url,
        "the live relay is still this machine's"
    );
    let after = v.pull_relay().await.expect("pull after");
    assert_eq!(
        after.events, 0,
        "the message sent after the restore was read from this machine's relay, and the one before it not again"
    );
    assert_eq!(
        v.meta_connection()
            .expect("meta")
            .expect("connected")
            .catalog_id,
        MACHINE_CATALOG,
        "the Meta token still acts on this machine's catalog"
    );
    let hosting = v.image_hosting().expect("hosting").expect("set");
    assert_eq!(
        hosting.bucket.map(|b| (b.endpoint, b.bucket)),
        Some((Some(s3.endpoint()), BUCKET.to_owned())),
        "the bucket key still goes to this machine's bucket"
    );
    let storefront = v.storefront().expect("storefront");
    assert_eq!(storefront.base_url.as_deref(), Some(MACHINE_SITE));
    assert_eq!(
        storefront.accent, "#aa0000",
        "the storefront's look is the catalog's and comes with it"
    );

    let mut not_applied: Vec<_> = report
        .not_applied
        .iter()
        .map(|n| (n.connection, n.address.clone()))
        .collect();
    not_applied.sort();
    assert_eq!(
        not_applied,
        vec![
            (ConnectionKind::Relay, canary.url.clone()),
            (ConnectionKind::Meta, TEMPLATE_CATALOG.to_owned()),
            (
                ConnectionKind::PhotoHosting,
                format!(
                    "https://fotos.loja.example (bucket roubo at {})",
                    canary.url
                )
            ),
            (ConnectionKind::Storefront, TEMPLATE_SITE.to_owned()),
        ],
        "each differing connection of the backup is reported, none applied"
    );
    let relay_note = &report
        .not_applied
        .iter()
        .find(|n| n.connection == ConnectionKind::Relay)
        .expect("relay reported")
        .message;
    assert_eq!(
        relay_note,
        &format!(
            "the backup's relay {} was not applied; connect to it again with its device token to use it",
            canary.url
        )
    );
}

#[tokio::test]
async fn a_backup_restored_where_nothing_is_connected_sends_the_saved_token_nowhere() {
    let work = tempfile::tempdir().expect("work dir");
    let canary = Canary::start();
    let archive = template(&canary, work.path());
    let (v, relay_token) = open(&work.path().join("shop"));
    relay_token
        .set("a-token-left-in-the-keychain")
        .expect("a token from an earlier connection");

    let report = v.restore(&archive).expect("the template restores");
    let v = Arc::new(v);
    use_every_connection(&v).await;

    assert_canary_untouched(&canary);
    assert!(
        v.relay_status().expect("status").is_none(),
        "no relay is connected by a restore"
    );
    assert!(
        v.pull_relay().await.is_err(),
        "a pull asks for a relay connection first"
    );
    assert!(v.meta_connection().expect("meta").is_none());
    assert!(v.image_hosting().expect("hosting").is_none());
    assert!(
        report
            .not_applied
            .iter()
            .any(|n| n.connection == ConnectionKind::Relay && n.address == canary.url),
        "the backup's relay is reported as not applied: {:?}",
        report.not_applied
    );
}

/// A catalog with a product, its photo and settings; what must survive a refused restore.
struct Snapshot {
    skus: Vec<String>,
    photo: PathBuf,
    catalog_id: Option<String>,
    site: Option<String>,
}

fn snapshot(v: &Vitrine) -> Snapshot {
    let view = v.product("VASO-1").expect("the product");
    Snapshot {
        skus: v
            .list_products(&Default::default())
            .expect("list")
            .items
            .into_iter()
            .map(|p| p.sku)
            .collect(),
        photo: v.image_path(&view.product.images[0].hash),
        catalog_id: v.meta_connection().expect("meta").map(|m| m.catalog_id),
        site: v.storefront().expect("storefront").base_url,
    }
}

#[test]
fn a_backup_holding_a_trigger_or_view_vitrine_did_not_create_is_refused_and_changes_nothing() {
    let work = tempfile::tempdir().expect("work dir");
    let (v, _) = open(&work.path().join("shop"));
    add_product(&v, work.path(), "VASO-1", 10);
    v.connect_meta(MACHINE_CATALOG, None, None, None)
        .expect("meta");
    v.set_storefront(&StorefrontUpdate {
        base_url: Some(MACHINE_SITE.into()),
        ..StorefrontUpdate::default()
    })
    .expect("storefront");
    let before = snapshot(&v);

    for (what, sql) in [
        (
            "trigger",
            "CREATE TRIGGER steal AFTER INSERT ON app_state BEGIN
                 UPDATE app_state SET value = 'https://golpe.example' WHERE key = 'storefront.base_url';
             END;",
        ),
        (
            "view",
            "CREATE VIEW products_view AS SELECT * FROM products;",
        ),
    ] {
        let dir = work.path().join(format!("hostile-{what}"));
        let archive = work.path().join(format!("hostile-{what}.vitrine"));
        {
            let (template, _) = open(&dir);
            add_product(&template, work.path(), "MODELO-1", 200);
        }
        let store = vitrine_store::Store::open(&dir).expect("store");
        store
            .write(|tx| Ok(tx.execute_batch(sql)?))
            .expect("the extra object");
        store.backup(&archive).expect("backup");

        let err = v.restore(&archive).expect_err("a backup with extra objects is refused");
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(
            err.to_string().contains(&format!("holds a {what}")),
            "the merchant is told what is wrong with the file: {err}"
        );
        let after = snapshot(&v);
        assert_eq!(after.skus, before.skus, "the products are unchanged");
        assert_eq!(after.photo, before.photo);
        assert!(after.photo.exists(), "the photos are unchanged");
        assert_eq!(after.catalog_id, before.catalog_id, "the settings are unchanged");
        assert_eq!(after.site, before.site);
    }
    v.integrity_check().expect("consistent");
}
