//! Renders the sample posters and a label sheet into a folder, to look at them or to refresh
//! the screenshots in docs/screenshots:
//! `cargo run -p vitrine-print --example samples -- OUT_DIR [DPI]`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;

use vitrine_print::{LabelLayout, PaperSize, Printer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: samples OUT_DIR [DPI]")?);
    let dpi: f32 = args.next().map(|d| d.parse()).transpose()?.unwrap_or(100.0);
    std::fs::create_dir_all(&out)?;
    let mut printer = Printer::new();

    let mut arabic = support::poster("ar", PaperSize::A5, true);
    arabic.photo = Some(support::photo_png(3));
    let hindi = support::poster("hi", PaperSize::A4, true);
    for (name, poster) in [("poster-ar", &arabic), ("poster-hi", &hindi)] {
        std::fs::write(out.join(format!("{name}.pdf")), printer.poster_pdf(poster)?)?;
        std::fs::write(
            out.join(format!("{name}.png")),
            printer.poster_png(poster, dpi)?,
        )?;
    }
    let sheet = support::sheet(30, LabelLayout::A4_3X8);
    std::fs::write(out.join("labels.pdf"), printer.labels_pdf(&sheet)?)?;
    std::fs::write(out.join("labels.png"), printer.labels_png(&sheet, dpi)?)?;
    if std::env::var_os("ALL_SAMPLES").is_some() {
        for (language, ..) in support::LANGUAGES {
            for size in PaperSize::ALL {
                let poster = support::poster(language, size, true);
                let name = format!("poster-{language}-{}.png", size.name());
                std::fs::write(out.join(name), printer.poster_png(&poster, dpi)?)?;
            }
        }
        for layout in LabelLayout::ALL {
            let sheet = support::sheet(layout.per_page(), layout);
            let name = format!("labels-{}.png", layout.name());
            std::fs::write(out.join(name), printer.labels_png(&sheet, dpi)?)?;
        }
    }
    println!("wrote posters and labels to {}", out.display());
    Ok(())
}
