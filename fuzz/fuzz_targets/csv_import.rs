//! A CSV file as a merchant's computer (or a stranger) writes it: the import reports or
//! imports every row, never panics, and leaves a consistent catalog.
//!
//! The file sits alone in a fresh folder, so local photo cells find nothing to read, and the
//! catalog's downloader refuses loopback and private addresses: the target stays offline.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use vitrine_app::{MemorySecretStore, Seams, Vitrine};

struct Live {
    _dir: tempfile::TempDir,
    vitrine: Vitrine,
}

fn live() -> &'static Live {
    static LIVE: OnceLock<Live> = OnceLock::new();
    LIVE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let seams = Seams {
            secrets: Arc::new(MemorySecretStore::default()),
            bucket_secret: Arc::new(MemorySecretStore::default()),
            relay_token: Arc::new(MemorySecretStore::default()),
            ..Seams::default()
        };
        let vitrine = Vitrine::open_with(&dir.path().join("catalog"), seams).expect("opens");
        Live { _dir: dir, vitrine }
    })
}

fuzz_target!(|bytes: &[u8]| {
    let live = live();
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("products.csv");
    std::fs::write(&path, bytes).expect("written");
    let _ = live.vitrine.import_csv(&path, &mut |_| {});
    live.vitrine
        .integrity_check()
        .expect("the catalog is consistent after any import");
});
