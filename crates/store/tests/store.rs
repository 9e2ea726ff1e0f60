//! The store as a specification: schema, search, transactions, images and backups.

use chrono::{DateTime, Utc};
use vitrine_core::{
    ContentHash, Currency, ImageFormat, LanguageTag, Money, Product, ProductDraft, ProductId,
    ProductImage, Sku, Translation,
};
use vitrine_store::files::sha256_hex;
use vitrine_store::{products, ProductFilter, Store, StoreError};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_760_000_000, 0).expect("fixed instant")
}

fn product(sku: &str, title: &str, description: &str) -> Product {
    let price = Money::from_minor(1990, Currency::from_code("BRL").expect("BRL"));
    let mut draft = ProductDraft::new(Sku::parse(sku).expect("sku"), title, price);
    draft.description = description.to_owned();
    Product {
        id: ProductId::new_random(),
        draft,
        images: vec![],
        created_at: now(),
        updated_at: now(),
    }
}

fn add(store: &Store, p: &Product) {
    store.write(|tx| products::insert(tx, p)).expect("insert");
}

fn search(store: &Store, q: &str) -> Vec<String> {
    let page = store
        .read(|c| {
            products::list(
                c,
                &ProductFilter {
                    search: Some(q.to_owned()),
                    limit: 20,
                    ..Default::default()
                },
            )
        })
        .expect("search");
    page.items
        .into_iter()
        .map(|p| p.draft.sku.to_string())
        .collect()
}

fn fake_image(seed: u8) -> (ProductImage, Vec<u8>, Vec<u8>) {
    let bytes = vec![seed; 1000];
    let image = ProductImage {
        hash: sha256_hex(&bytes),
        width: 800,
        height: 800,
        byte_len: 1000,
        format: ImageFormat::Jpeg,
    };
    (image, bytes, vec![seed; 100])
}

fn image_files(store: &Store) -> usize {
    let (hashes, _) = store.files().scan().expect("scan");
    hashes.len()
}

#[test]
fn a_new_data_dir_gets_the_latest_schema_and_reopens_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let store = Store::open(dir.path()).expect("first open creates the schema");
        add(&store, &product("A-1", "Caneca", "Uma caneca"));
    }
    let store = Store::open(dir.path()).expect("second open finds it up to date");
    store
        .integrity_check()
        .expect("a fresh database is consistent");
    assert_eq!(
        store.read(products::count).expect("count"),
        1,
        "data survives a reopen"
    );
}

#[test]
fn products_round_trip_with_every_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let mut p = product("AR-1", "فانوس رمضان نحاسي", "فانوس مصنوع يدويا من النحاس");
    p.draft.translations.push(Translation {
        language: LanguageTag::parse("pt-BR").expect("tag"),
        title: "Lanterna".into(),
        description: "Lanterna de cobre".into(),
    });
    p.draft.stock = Some(7);
    p.draft.link = Some("https://loja.example/lanterna".into());
    add(&store, &p);
    let back = store
        .read(|c| products::get(c, p.id))
        .expect("get")
        .expect("exists");
    assert_eq!(back, p, "what is read is exactly what was written");
}

#[test]
fn search_finds_arabic_text_by_part_of_a_word() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    add(
        &store,
        &product("AR-1", "فانوس رمضان نحاسي", "فانوس مصنوع يدويا"),
    );
    add(&store, &product("AR-2", "سجادة صلاة", "سجادة من الصوف"));
    assert_eq!(
        search(&store, "رمض"),
        vec!["AR-1"],
        "a prefix of رمضان finds the lantern"
    );
    assert_eq!(
        search(&store, "سجّادة"),
        vec!["AR-2"],
        "a shadda typed by the customer does not matter"
    );
    assert_eq!(search(&store, "نحاس"), vec!["AR-1"]);
}

#[test]
fn search_ignores_portuguese_accents_and_case_and_ranks_titles_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    add(
        &store,
        &product("PT-1", "Pão de queijo congelado", "Pacote com 20 unidades"),
    );
    add(
        &store,
        &product(
            "PT-2",
            "Forma de bolo",
            "Ideal para pão caseiro e pão de queijo",
        ),
    );
    add(&store, &product("PT-3", "Açúcar mascavo", "Orgânico"));
    assert_eq!(
        search(&store, "PAO DE QUEIJO"),
        vec!["PT-1", "PT-2"],
        "the title match ranks above the description match"
    );
    assert_eq!(search(&store, "acucar"), vec!["PT-3"]);
    assert_eq!(
        search(&store, "queij"),
        vec!["PT-1", "PT-2"],
        "partial words match"
    );
    assert_eq!(search(&store, "PT-3"), vec!["PT-3"], "SKUs are searchable");
    assert_eq!(search(&store, "xyz"), Vec::<String>::new());
}

#[test]
fn short_terms_still_filter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    add(&store, &product("S-1", "Camiseta P azul", "Algodão"));
    add(&store, &product("S-2", "Camiseta G azul", "Algodão"));
    assert_eq!(search(&store, "camiseta g"), vec!["S-2"]);
}

#[test]
fn a_duplicate_sku_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    add(&store, &product("DUP", "First", "one"));
    let err = store
        .write(|tx| products::insert(tx, &product("DUP", "Second", "two")))
        .expect_err("same SKU");
    assert!(
        matches!(err, StoreError::DuplicateSku(ref s) if s == "DUP"),
        "got {err}"
    );
    assert_eq!(
        search(&store, "Second"),
        Vec::<String>::new(),
        "the search index was rolled back too"
    );
}

#[test]
fn a_failing_write_rolls_back_every_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let result: Result<(), StoreError> = store.write(|tx| {
        products::insert(tx, &product("T-1", "One", "x"))?;
        products::insert(tx, &product("T-2", "Two", "y"))?;
        Err(StoreError::NotFound("a later step failed".into()))
    });
    assert!(result.is_err());
    assert_eq!(
        store.read(products::count).expect("count"),
        0,
        "no half-written batch"
    );
    assert_eq!(search(&store, "One"), Vec::<String>::new());
}

#[test]
fn deleting_a_product_deletes_images_only_it_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let (shared, shared_bytes, shared_thumb) = fake_image(1);
    let (own, own_bytes, own_thumb) = fake_image(2);
    let mut a = product("IMG-A", "A", "a");
    a.images = vec![shared.clone(), own.clone()];
    let mut b = product("IMG-B", "B", "b");
    b.images = vec![shared.clone()];
    let stamp = now().to_rfc3339();
    store
        .write_with_images(
            &[
                (shared.clone(), &shared_bytes, &shared_thumb),
                (own.clone(), &own_bytes, &own_thumb),
            ],
            &stamp,
            |tx| {
                products::insert(tx, &a)?;
                products::insert(tx, &b)
            },
        )
        .expect("save with images");
    assert_eq!(image_files(&store), 2);
    assert!(
        store.thumbnail_path(&own.hash).exists(),
        "thumbnails are stored beside catalog images"
    );

    store
        .write_and_collect(|tx| products::delete(tx, a.id))
        .expect("delete A");
    assert!(
        !store.image_path(&own.hash).exists(),
        "A's own image file is gone"
    );
    assert!(
        !store.thumbnail_path(&own.hash).exists(),
        "and its thumbnail"
    );
    assert!(
        store.image_path(&shared.hash).exists(),
        "B still uses the shared image"
    );
    let b_back = store
        .read(|c| products::get(c, b.id))
        .expect("get")
        .expect("B exists");
    assert_eq!(b_back.images, vec![shared], "no dangling reference");
    store.integrity_check().expect("foreign keys hold");
}

#[test]
fn gc_removes_files_left_by_a_crash_before_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let (img, bytes, thumb) = fake_image(9);
    let failed: Result<(), StoreError> = store.write_with_images(
        &[(img.clone(), &bytes, &thumb)],
        "2025-01-01T00:00:00Z",
        |_| Err(StoreError::NotFound("crash".into())),
    );
    assert!(failed.is_err());
    assert!(
        store.image_path(&img.hash).exists(),
        "the file was written before the failed transaction"
    );
    let stray = store.image_path(&img.hash).with_file_name(".incoming-abc");
    std::fs::write(&stray, b"partial").expect("simulate a half-written temp file");
    let report = store.gc().expect("gc");
    assert_eq!(
        report.files, 3,
        "catalog file, thumbnail and the stray temp file"
    );
    assert!(!store.image_path(&img.hash).exists());
    assert!(!stray.exists());
}

#[test]
fn backup_and_restore_round_trip_the_catalog_and_its_images() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let (img, bytes, thumb) = fake_image(3);
    let mut p = product("BK-1", "Backed up", "safe");
    p.images = vec![img.clone()];
    store
        .write_with_images(
            &[(img.clone(), &bytes, &thumb)],
            "2025-01-01T00:00:00Z",
            |tx| products::insert(tx, &p),
        )
        .expect("save");
    let archive = dir.path().join("backup.tar");
    let summary = store.backup(&archive).expect("backup");
    assert_eq!((summary.products, summary.images), (1, 1));

    store
        .write_and_collect(|tx| products::delete(tx, p.id))
        .expect("delete");
    add(&store, &product("AFTER", "Added after the backup", "x"));
    assert!(!store.image_path(&img.hash).exists());

    let restored = store.restore(&archive).expect("restore");
    assert_eq!(restored.products, 1);
    let back = store
        .read(|c| products::get(c, p.id))
        .expect("get")
        .expect("restored");
    assert_eq!(back.images, vec![img.clone()]);
    assert_eq!(
        std::fs::read(store.image_path(&img.hash)).expect("file is back"),
        bytes
    );
    assert!(
        store
            .read(|c| products::get_by_sku(c, "AFTER"))
            .expect("get")
            .is_none(),
        "restore replaces, it does not merge"
    );
    assert_eq!(
        search(&store, "backed"),
        vec!["BK-1"],
        "the search index comes back too"
    );
    store.integrity_check().expect("consistent after restore");
}

#[test]
fn a_damaged_backup_is_refused_and_the_catalog_is_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    add(&store, &product("KEEP", "Keep me", "x"));
    let archive = dir.path().join("backup.tar");
    store.backup(&archive).expect("backup");
    let full = std::fs::read(&archive).expect("read");
    let truncated = dir.path().join("truncated.tar");
    std::fs::write(&truncated, &full[..full.len() / 3]).expect("write");
    let junk = dir.path().join("junk.tar");
    std::fs::write(&junk, b"this is not an archive").expect("write");
    for bad in [&truncated, &junk] {
        let err = store.restore(bad).expect_err("must refuse");
        assert!(matches!(err, StoreError::BadBackup(_)), "{bad:?}: {err}");
    }
    assert_eq!(search(&store, "keep"), vec!["KEEP"], "nothing was lost");
}

#[test]
fn content_hashes_are_sha256() {
    let hash = sha256_hex(b"abc");
    assert_eq!(
        hash,
        ContentHash::parse("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            .expect("hex")
    );
}

#[test]
fn a_catalog_from_before_the_word_index_is_upgraded_and_backfilled() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        // A database as release 6 left it, with one product written by that release's SQL.
        let conn =
            vitrine_store::create_at_version(&dir.path().join("vitrine.db"), 6).expect("version 6");
        conn.execute_batch(
            "INSERT INTO products (seq, id, sku, title, description, brand, price_minor, currency, availability, condition, created_at, updated_at)
             VALUES (1, '6f0f8a54-2a5e-4a43-9d7e-6a7f1f0c9a11', 'OLD-1', 'Camiseta G azul', 'Algodão', '', 1000, 'BRL', 'in stock', 'new',
                     '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
             INSERT INTO product_search (rowid, sku, title, description, brand, translations) VALUES (1, 'old-1', 'camiseta g azul', 'algodao', '', '');",
        )
        .expect("old data");
    }
    let store = Store::open(dir.path()).expect("upgrade runs the later migrations");
    assert_eq!(
        search(&store, "camiseta g"),
        vec!["OLD-1"],
        "existing products are indexed for short terms"
    );
    store.integrity_check().expect("consistent");
}

/// Saves a product with one photo of its own (the bytes `seed` repeated), as the app does.
fn add_with_photo(store: &Store, sku: &str, seed: u8) -> (Product, ProductImage) {
    let (img, bytes, thumb) = fake_image(seed);
    let mut p = product(sku, &format!("Product {sku}"), "with a photo");
    p.images = vec![img.clone()];
    store
        .write_with_images(
            &[(img.clone(), &bytes, &thumb)],
            "2025-01-01T00:00:00Z",
            |tx| products::insert(tx, &p),
        )
        .expect("save");
    (p, img)
}

#[test]
fn a_backup_whose_migration_fails_is_refused_and_the_catalog_is_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let (_, img) = add_with_photo(&store, "BK-1", 5);
    let archive = dir.path().join("backup.tar");
    store.backup(&archive).expect("backup");
    add(&store, &product("AFTER", "Added after the backup", "x"));
    store
        .write(|tx| vitrine_store::app_state::set(tx, "share.note", "kept"))
        .expect("a setting");

    let err = store
        .restore_with_next_migration(&archive, "INSERT INTO no_such_table VALUES (1);")
        .expect_err("a migration that fails refuses the backup");
    assert_eq!(
        search(&store, "after"),
        vec!["AFTER"],
        "the live catalog is the one from before the restore"
    );
    assert!(
        matches!(&err, StoreError::BadBackup(m) if m.contains("could not be upgraded")),
        "the merchant is told the backup could not be upgraded: {err}"
    );
    assert_eq!(store.read(products::count).expect("count"), 2);
    assert!(store.image_path(&img.hash).exists(), "its photos stay");
    assert_eq!(
        store
            .read(|c| vitrine_store::app_state::get(c, "share.note"))
            .expect("read"),
        Some("kept".to_owned()),
        "its settings stay"
    );
    store.integrity_check().expect("consistent");
}

/// The images that the database file alone names, as a power cut that loses the WAL written
/// since its last sync would leave the catalog.
fn images_named_by_the_database_file_alone(
    store: &Store,
    dir: &std::path::Path,
) -> Vec<ContentHash> {
    let copy = dir.join("after-power-cut.db");
    std::fs::copy(store.db_path(), &copy).expect("copy the database file without its WAL");
    let conn = vitrine_store::Connection::open(&copy).expect("open the copy");
    let mut stmt = conn.prepare("SELECT hash FROM images").expect("query");
    let hashes = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("rows")
        .map(|h| ContentHash::parse(&h.expect("row")).expect("hash"))
        .collect();
    hashes
}

/// Adds a product with a photo and deletes it while another process holds a read transaction
/// (which keeps a checkpoint from copying later commits); the reader then finishes.
fn delete_while_another_process_reads(store: &Store, sku: &str, seed: u8) -> ProductImage {
    let (p, img) = add_with_photo(store, sku, seed);
    let reader = vitrine_store::Connection::open(store.db_path()).expect("another process");
    reader
        .execute_batch("BEGIN; SELECT count(*) FROM images;")
        .expect("a read transaction on the current snapshot");
    store
        .write_and_collect(|tx| products::delete(tx, p.id))
        .expect("delete");
    assert!(
        store.image_path(&img.hash).exists(),
        "the deletion cannot be made durable while the reader pins the WAL: the file waits"
    );
    reader.execute_batch("COMMIT").expect("the reader finishes");
    img
}

#[test]
fn an_orphaned_photo_is_deleted_only_once_its_deletion_is_durable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    // Closing checkpoints: the product and its photo are durable.
    let (p, img) = add_with_photo(&Store::open(&data).expect("open"), "GONE-1", 6);
    let store = Store::open(&data).expect("reopen");
    store
        .write_and_collect(|tx| products::delete(tx, p.id))
        .expect("delete");
    assert!(
        !store.image_path(&img.hash).exists(),
        "with no other reader the deletion is durable at once and the file is deleted"
    );
    assert!(
        !images_named_by_the_database_file_alone(&store, dir.path()).contains(&img.hash),
        "a power cut now must not roll back to a catalog that names the deleted file"
    );
}

#[test]
fn a_photo_orphaned_while_another_process_reads_waits_for_the_next_durable_point() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let img = delete_while_another_process_reads(&store, "GONE-2", 7);
    store.gc().expect("a later collection");
    assert!(
        !store.image_path(&img.hash).exists(),
        "once durable, the waiting file is deleted"
    );
    assert!(
        !store.thumbnail_path(&img.hash).exists(),
        "and its thumbnail"
    );
}

#[test]
fn a_waiting_photo_added_back_before_the_durable_point_keeps_its_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let img = delete_while_another_process_reads(&store, "BACK-1", 8);
    let (_, again) = add_with_photo(&store, "BACK-2", 8);
    assert_eq!(again, img, "the same photo, added back");
    assert!(
        store.image_path(&img.hash).exists(),
        "the photo is used again, so its waiting deletion is dropped"
    );
    store.integrity_check().expect("consistent");
}
