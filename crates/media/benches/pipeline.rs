//! Throughput of the photo pipeline on 12-megapixel camera-like JPEGs, next to
//! `vipsthumbnail` doing the same two sizes from the same files.
//!
//! Run: `cargo bench -p vitrine-media` (optionally `-- <count>`, default 12).
//! With libheif's `heif-enc` on PATH (Debian: libheif-examples) the first photo
//! is also timed as a HEIC.
//! Prints a Markdown report; nothing here asserts on time.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::imageops::FilterType as ImageFilter;
use image::{DynamicImage, RgbImage};
use rayon::prelude::*;
use vitrine_media::{process_image, process_many, PipelineOptions};

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;
/// Phone cameras save around this quality, with 4:2:0 chroma.
const SOURCE_QUALITY: u8 = 88;
/// Each timing is the best of this many runs, to skip warm-up and noise.
const RUNS: usize = 3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(12);
    let opts = PipelineOptions::default();

    eprintln!("generating {count} photos of {WIDTH}x{HEIGHT}…");
    let photos: Vec<Vec<u8>> = (0..count)
        .into_par_iter()
        .map(|seed| {
            support::jpeg(
                &support::photo(WIDTH, HEIGHT, seed as u32 + 1),
                SOURCE_QUALITY,
            )
        })
        .collect();
    let dir = tempfile::tempdir()?;
    let paths: Vec<PathBuf> = photos
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let path = dir.path().join(format!("photo{i:02}.jpg"));
            std::fs::write(&path, bytes).map(|()| path)
        })
        .collect::<Result<_, _>>()?;
    let mean_size = photos.iter().map(Vec::len).sum::<usize>() / count.max(1);

    println!("## vitrine-media pipeline benchmark\n");
    print_machine();
    println!(
        "- input: {count} JPEGs, {WIDTH}x{HEIGHT}, quality {SOURCE_QUALITY} 4:2:0, mean {:.1} MB",
        mean_size as f64 / 1e6
    );
    println!(
        "- output per photo: catalog JPEG (long side {}) + thumbnail ({}), quality {}",
        opts.max_side, opts.thumb_side, opts.jpeg_quality
    );
    println!("- each figure is the best of {RUNS} runs\n");

    let sample = process_image(&photos[0], &opts)?;
    println!(
        "- sample output: catalog {}x{} {} KB, thumbnail {}x{} {} KB\n",
        sample.catalog_width,
        sample.catalog_height,
        sample.catalog_jpeg.len() / 1000,
        sample.thumbnail_width,
        sample.thumbnail_height,
        sample.thumbnail_jpeg.len() / 1000
    );

    let single = best_of(|| {
        for photo in &photos {
            let _ = process_image(photo, &opts);
        }
    });
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
    let parallel = best_of(|| {
        pool.install(|| {
            let _ = process_many(&photos, &opts);
        });
    });

    println!("| what | total | per photo | photos/s |");
    println!("|---|---:|---:|---:|");
    row("ours, 1 thread (`process_image` loop)", single, count);
    row("ours, 2 threads (`process_many`)", parallel, count);

    match vips_version() {
        None => println!("\nvipsthumbnail not on PATH: comparison skipped."),
        Some(version) => {
            let out = tempfile::tempdir()?;
            let vips_single = best_of(|| {
                for path in &paths {
                    vipsthumbnail(path, out.path(), "1");
                }
            });
            let vips_parallel = best_of(|| {
                pool.install(|| {
                    paths
                        .par_iter()
                        .for_each(|path| vipsthumbnail(path, out.path(), "1"));
                });
            });
            let vips_default = best_of(|| {
                for path in &paths {
                    vipsthumbnail(path, out.path(), "0");
                }
            });
            row(
                &format!("{version} `vipsthumbnail` ×2 per photo, 1 thread"),
                vips_single,
                count,
            );
            row(
                "vipsthumbnail, 2 photos at a time, 1 thread each",
                vips_parallel,
                count,
            );
            row(
                "vipsthumbnail, one photo at a time, default threads",
                vips_default,
                count,
            );
            println!();
            println!(
                "- ours / vips, 1 thread: **{:.2}×** the time",
                ratio(single, vips_single)
            );
            println!(
                "- ours / vips, 2 cores: **{:.2}×** the time",
                ratio(parallel, vips_parallel)
            );
        }
    }

    println!();
    heic_comparison(&paths[0], &photos[0], &opts, dir.path())?;
    println!();
    resize_comparison(&photos[0]);
    println!("\n- load average after: {}", load_average());
    Ok(())
}

/// The first photo as a HEIC (libheif's `heif-enc`, x265) against the same
/// photo as a JPEG, through the whole pipeline, one thread for the pipeline
/// (libheif and libde265 use their own threads).
fn heic_comparison(
    jpeg_path: &Path,
    jpeg: &[u8],
    opts: &PipelineOptions,
    dir: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let heic_path = dir.join("photo00.heic");
    let encoded = Command::new("heif-enc")
        .args(["-q", "50", "-o"])
        .arg(&heic_path)
        .arg(jpeg_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !encoded.is_ok_and(|status| status.success()) {
        println!("heif-enc not on PATH: HEIC timing skipped.");
        return Ok(());
    }
    let heic = std::fs::read(&heic_path)?;
    process_image(&heic, opts)?;
    let heic_time = best_of(|| {
        let _ = process_image(&heic, opts);
    });
    let jpeg_time = best_of(|| {
        let _ = process_image(jpeg, opts);
    });
    println!(
        "libheif {}, HEIC from `heif-enc -q 50` (one HEVC picture, not an iPhone's 512 px tiles):\n",
        vitrine_media::HeifDecoder::system()
            .version()
            .unwrap_or("?")
    );
    println!("| one {WIDTH}x{HEIGHT} photo | file | `process_image` |");
    println!("|---|---:|---:|");
    println!(
        "| HEIC | {:.1} MB | {:.0} ms |",
        heic.len() as f64 / 1e6,
        heic_time.as_secs_f64() * 1e3
    );
    println!(
        "| JPEG | {:.1} MB | {:.0} ms |",
        jpeg.len() as f64 / 1e6,
        jpeg_time.as_secs_f64() * 1e3
    );
    Ok(())
}

/// What the numbers were measured on; other builds running at the same time
/// show up in the load average.
fn print_machine() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map_or("unknown", |rest| rest.trim_start_matches([' ', '\t', ':']));
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram_gib = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.trim().trim_end_matches(" kB").parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!("- machine: {cores} cores ({cpu}), {ram_gib:.1} GiB RAM");
    println!("- load average before: {}", load_average());
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

fn best_of(mut run: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn row(what: &str, total: Duration, count: usize) {
    let per = total.as_secs_f64() / count.max(1) as f64;
    println!(
        "| {what} | {:.2} s | {:.0} ms | {:.2} |",
        total.as_secs_f64(),
        per * 1e3,
        1.0 / per
    );
}

fn ratio(ours: Duration, theirs: Duration) -> f64 {
    ours.as_secs_f64() / theirs.as_secs_f64()
}

fn vips_version() -> Option<String> {
    let output = Command::new("vipsthumbnail")
        .arg("--vips-version")
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The same two outputs as the pipeline: 2048 and 256 long side, quality 85,
/// metadata stripped. `concurrency` "1" is single-threaded, "0" is vips' default.
fn vipsthumbnail(input: &Path, out_dir: &Path, concurrency: &str) {
    for (size, suffix) in [("2048", "catalog"), ("256", "thumb")] {
        let target = out_dir.join(format!("%s_{suffix}.jpg[Q=85,strip]"));
        let status = Command::new("vipsthumbnail")
            .arg(input)
            .args(["-s", size, "-o"])
            .arg(target)
            .env("VIPS_CONCURRENCY", concurrency)
            .stdout(Stdio::null())
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("vipsthumbnail failed on {}: {status:?}", input.display());
        }
    }
}

/// The catalog downscale (4000x3000 → 2048x1536) with each candidate resampler.
fn resize_comparison(jpeg: &[u8]) {
    let Ok(decoded) = image::load_from_memory(jpeg) else {
        println!("(resize comparison skipped: sample did not decode)");
        return;
    };
    let decode = best_of(|| {
        let _ = image::load_from_memory(jpeg);
    });
    let source: RgbImage = decoded.into_rgb8();
    let (w, h) = (2048, 1536);

    let fir = |filter: FilterType| {
        let mut resizer = Resizer::new();
        best_of(|| {
            let Ok(src) = ImageRef::new(WIDTH, HEIGHT, source.as_raw(), PixelType::U8x3) else {
                return;
            };
            let mut dst = Image::new(w, h, PixelType::U8x3);
            let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
            let _ = resizer.resize(&src, &mut dst, &options);
        })
    };
    let dynamic = DynamicImage::ImageRgb8(source.clone());
    let image_crate = |filter: ImageFilter| {
        best_of(|| {
            let _ = dynamic.resize_exact(w, h, filter);
        })
    };
    let resized = dynamic
        .resize_exact(w, h, ImageFilter::Lanczos3)
        .into_rgb8();
    let encode = best_of(|| {
        let _ = support::jpeg(&resized, 85);
    });

    println!("### Stages for one photo (1 thread)\n");
    println!("| stage | time |");
    println!("|---|---:|");
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    println!(
        "| decode 4000x3000 JPEG (image + zune-jpeg) | {} |",
        ms(decode)
    );
    println!(
        "| resize to 2048x1536, fast_image_resize Lanczos3 | {} |",
        ms(fir(FilterType::Lanczos3))
    );
    println!(
        "| resize to 2048x1536, fast_image_resize CatmullRom | {} |",
        ms(fir(FilterType::CatmullRom))
    );
    println!(
        "| resize to 2048x1536, image Lanczos3 | {} |",
        ms(image_crate(ImageFilter::Lanczos3))
    );
    println!(
        "| resize to 2048x1536, image CatmullRom | {} |",
        ms(image_crate(ImageFilter::CatmullRom))
    );
    println!(
        "| encode 2048x1536 JPEG q85 (jpeg-encoder) | {} |",
        ms(encode)
    );
}
