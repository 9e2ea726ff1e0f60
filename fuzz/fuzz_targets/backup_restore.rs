//! A backup file from anywhere (a "catalog template" in a group chat): restore refuses it or
//! restores it, never panics, and the live catalog passes its integrity check either way.
//!
//! The first byte picks what the rest is: the whole archive, or only the database inside an
//! otherwise well-formed archive (the crafted-SQLite-file case, which raw tar mutation rarely
//! reaches because a flipped byte breaks the tar checksum first).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vitrine_store::Store;

struct Live {
    _dir: tempfile::TempDir,
    store: Store,
}

fn live() -> &'static Live {
    static LIVE: OnceLock<Live> = OnceLock::new();
    LIVE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("a new catalog opens");
        Live { _dir: dir, store }
    })
}

fn archive_around(database: &[u8]) -> Vec<u8> {
    let manifest = br#"{"format":"vitrine-backup","version":1,"products":0,"images":0}"#;
    let mut tar = tar::Builder::new(Vec::new());
    for (name, data) in [("manifest.json", &manifest[..]), ("vitrine.db", database)] {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, data).expect("in memory");
    }
    tar.into_inner().expect("in memory")
}

fuzz_target!(|input: &[u8]| {
    let Some((&mode, rest)) = input.split_first() else {
        return;
    };
    let archive = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        archive_around(rest)
    };
    let live = live();
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), &archive).expect("temp file written");
    let _ = live.store.restore(file.path());
    live.store
        .integrity_check()
        .expect("the live catalog is consistent after any restore, refused or not");
});
