//! Every seed of the fuzz targets (`fuzz/corpus/<target>/`) goes through the target's own
//! property here, on the stable toolchain, so `make test` proves the seeds still reach the
//! code they were written for and that none of them panics. `make fuzz` mutates them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use vitrine_app::{MemorySecretStore, Seams, Vitrine};

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut seeds: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a corpus entry").path();
            let bytes = std::fs::read(&path).expect("a readable seed");
            (path, bytes)
        })
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "{target} has seeds");
    seeds
}

fn offline_catalog(dir: &Path) -> Vitrine {
    let seams = Seams {
        secrets: Arc::new(MemorySecretStore::default()),
        bucket_secret: Arc::new(MemorySecretStore::default()),
        relay_token: Arc::new(MemorySecretStore::default()),
        ..Seams::default()
    };
    Vitrine::open_with(&dir.join("catalog"), seams).expect("a new catalog opens")
}

#[test]
fn every_webhook_seed_splits_into_events_deterministically() {
    for (path, body) in seeds("webhook_split") {
        let events = vitrine_relay::split::split(&body, "seed").unwrap_or_else(|e| {
            panic!(
                "{}: a seed is a well-formed webhook ({e:?})",
                path.display()
            )
        });
        assert!(
            !events.is_empty(),
            "{}: a seed carries events",
            path.display()
        );
        let again = vitrine_relay::split::split(&body, "seed").expect("the same body");
        assert_eq!(
            again.len(),
            events.len(),
            "{}: splitting is deterministic",
            path.display()
        );
    }
}

#[test]
fn every_image_seed_is_probed_and_the_pipeline_refuses_or_processes_it() {
    let mut processed = 0;
    for (path, bytes) in seeds("image_decode") {
        let probed = vitrine_media::probe(&bytes);
        match vitrine_media::process_image(&bytes, &vitrine_media::PipelineOptions::default()) {
            Ok(image) => {
                assert!(
                    probed.is_ok(),
                    "{}: what is processed is probed",
                    path.display()
                );
                assert!(!image.catalog_jpeg.is_empty(), "{}", path.display());
                processed += 1;
            }
            Err(e) => assert!(
                !e.to_string().is_empty(),
                "{}: a refusal says why",
                path.display()
            ),
        }
    }
    assert!(
        processed >= 3,
        "the JPEG, PNG and WebP seeds reach the encoder, not only the refusals"
    );
}

#[test]
fn every_csv_seed_imports_or_reports_rows_and_leaves_a_consistent_catalog() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vitrine = offline_catalog(dir.path());
    let mut created = 0;
    for (path, bytes) in seeds("csv_import") {
        let folder = tempfile::tempdir().expect("temp dir");
        let file = folder.path().join("products.csv");
        std::fs::write(&file, &bytes).expect("written");
        if let Ok(report) = vitrine.import_csv(&file, &mut |_| {}) {
            created += report.created;
        }
        vitrine
            .integrity_check()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    assert!(
        created >= 5,
        "the feed, Shopify and WooCommerce seeds create products ({created})"
    );
}

#[test]
fn every_backup_seed_restores_or_is_refused_and_the_live_catalog_stays_consistent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = vitrine_store::Store::open(dir.path()).expect("opens");
    let mut restored = 0;
    for (path, bytes) in seeds("backup_restore") {
        let Some((&mode, rest)) = bytes.split_first() else {
            continue;
        };
        assert_eq!(
            mode % 2,
            0,
            "{}: seeds are whole archives (mode byte even)",
            path.display()
        );
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), rest).expect("written");
        if store.restore(file.path()).is_ok() {
            restored += 1;
        }
        store
            .integrity_check()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    assert!(restored >= 1, "a real backup seed restores");
}
