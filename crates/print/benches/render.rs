//! How long printing takes: a poster PDF (goal < 200 ms), its PNG preview, and a sheet of 100
//! labels (goal < 2 s), with the file sizes.
//!
//! Run: `cargo bench -p vitrine-print`. Prints a Markdown table; asserts nothing about time.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use vitrine_print::{LabelLayout, PaperSize, Printer};

/// Each timing is the median of this many runs, after one warm-up run.
const RUNS: usize = 9;

fn median<T>(mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut output = run();
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        output = run();
        times.push(start.elapsed());
    }
    times.sort();
    (times[RUNS / 2], output)
}

fn row(what: &str, time: Duration, bytes: Option<usize>) {
    let size = bytes.map_or("–".to_owned(), |b| format!("{} KB", b / 1024));
    println!(
        "| {what} | {:.2} ms | {size} |",
        time.as_secs_f64() * 1000.0
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (made, _) = median(Printer::new);
    let mut printer = Printer::new();
    let mut poster = support::poster("ar", PaperSize::A5, true);
    poster.photo = Some(support::photo_png(1));
    let hindi = support::poster("hi", PaperSize::A4, true);
    let sheet = support::sheet(100, LabelLayout::A4_3X8);

    println!("| what | median of {RUNS} | output |");
    println!("|---|---|---|");
    row("`Printer::new` (register the 6 bundled fonts)", made, None);
    let (time, pdf) = median(|| printer.poster_pdf(&poster));
    row(
        "Arabic A5 poster PDF (logo, photo, 7 text blocks)",
        time,
        Some(pdf?.len()),
    );
    let (time, pdf) = median(|| printer.poster_pdf(&hindi));
    row("Hindi A4 poster PDF (logo)", time, Some(pdf?.len()));
    let (time, svg) = median(|| printer.poster_svg(&poster));
    row("Arabic A5 poster SVG", time, Some(svg?.len()));
    let (time, png) = median(|| printer.poster_png(&poster, 96.0));
    row("Arabic A5 poster PNG, 96 dpi", time, Some(png?.len()));
    let (time, png) = median(|| printer.poster_png(&poster, 150.0));
    row("Arabic A5 poster PNG, 150 dpi", time, Some(png?.len()));
    let (time, pdf) = median(|| printer.labels_pdf(&sheet));
    row(
        "100 labels on 3x8 sheets (5 pages) PDF",
        time,
        Some(pdf?.len()),
    );
    let (time, png) = median(|| printer.labels_png(&sheet, 96.0));
    row(
        "3x8 label sheet, first page PNG, 96 dpi",
        time,
        Some(png?.len()),
    );
    Ok(())
}
