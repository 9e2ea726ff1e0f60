//! Any file offered as a photo: probing and the whole pipeline refuse it or process it, never
//! panic, and never allocate past the decoder limits (libFuzzer's -rss_limit_mb catches that).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitrine_media::{probe, process_image, PipelineOptions};

fuzz_target!(|bytes: &[u8]| {
    let probed = probe(bytes);
    if let Ok(image) = process_image(bytes, &PipelineOptions::default()) {
        assert!(probed.is_ok(), "what the pipeline reads, probing reads too");
        assert!(!image.catalog_jpeg.is_empty() && !image.thumbnail_jpeg.is_empty());
    }
});
