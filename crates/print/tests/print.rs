//! Posters and label sheets, checked the way a shop owner would: printed (rasterised with
//! poppler's pdftoppm), scanned (the QR codes decoded with rqrr), and read back (pdftotext,
//! pdffonts). Needs poppler-utils; everything else is made here, in temporary folders.

mod support;

use std::process::Command;

use vitrine_print::{Colour, LabelLayout, PaperSize, PrintError, Printer};

use support::{poster, sheet, CHAT_URL, LANGUAGES, MIXED_ARABIC};

/// A greyscale raster, one byte per pixel.
struct Raster {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

fn decode_png(bytes: &[u8]) -> Raster {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size().expect("a PNG size")];
    let info = reader.next_frame(&mut buffer).expect("a PNG frame");
    let channels = info.color_type.samples();
    let pixels = buffer[..info.buffer_size()]
        .chunks(channels)
        .map(|px| match channels {
            1 | 2 => px[0],
            _ => ((u32::from(px[0]) * 3 + u32::from(px[1]) * 6 + u32::from(px[2])) / 10) as u8,
        })
        .collect();
    Raster {
        width: info.width as usize,
        height: info.height as usize,
        pixels,
    }
}

/// Prints page `page` (from 1) of the PDF at `dpi`, as poppler renders it.
fn rasterise(pdf: &[u8], page: usize, dpi: u32) -> Raster {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, pdf).expect("write PDF");
    let output = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-png", "-singlefile", "-r", &dpi.to_string()])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(&input)
        .arg(&output)
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success(), "pdftoppm rendered page {page}");
    decode_png(&std::fs::read(output.with_extension("png")).expect("pdftoppm wrote a PNG"))
}

/// The texts of every QR code found in `raster`.
fn scan(raster: &Raster) -> Vec<String> {
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(raster.width, raster.height, |x, y| {
            raster.pixels[y * raster.width + x]
        });
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

fn poppler_tool(tool: &str, pdf: &[u8], extra: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, pdf).expect("write PDF");
    let output = Command::new(tool)
        .args(extra)
        .arg(&input)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is installed: {e}"));
    assert!(output.status.success(), "{tool} read the PDF");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Text with whitespace and bidi controls (embeddings, isolates) removed.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !('\u{202A}'..='\u{202E}').contains(c)
                && !('\u{2066}'..='\u{2069}').contains(c)
        })
        .collect()
}

/// poppler writes a lam ligature (lam-alef «لا», lam-alef-maksura «لى») back in visual order,
/// «الآن» as «اآلن», even for PDFs typst makes: a quirk of the extractor, not of the PDF. This
/// applies the same swap to what we expect.
fn as_poppler_extracts_arabic(text: &str) -> String {
    let mut out: Vec<char> = text.chars().collect();
    for i in 0..out.len().saturating_sub(1) {
        if out[i] == 'ل' && matches!(out[i + 1], 'ا' | 'آ' | 'أ' | 'إ' | 'ى') {
            out.swap(i, i + 1);
        }
    }
    out.into_iter().collect()
}

fn assert_posters_scan_in_every_size(language: &str) {
    let mut printer = Printer::new();
    for (i, size) in PaperSize::ALL.into_iter().enumerate() {
        let with_logo = i % 2 == 0;
        let pdf = printer
            .poster_pdf(&poster(language, size, with_logo))
            .expect("the poster prints");
        let scanned = scan(&rasterise(&pdf, 1, 150));
        assert_eq!(
            scanned,
            [CHAT_URL],
            "the {language} poster on {} (logo: {with_logo}) scans to the chat link",
            size.name()
        );
    }
}

#[test]
fn english_posters_scan_to_the_chat_link_in_every_size() {
    assert_posters_scan_in_every_size("en");
}

#[test]
fn brazilian_portuguese_posters_scan_to_the_chat_link_in_every_size() {
    assert_posters_scan_in_every_size("pt-BR");
}

#[test]
fn spanish_posters_scan_to_the_chat_link_in_every_size() {
    assert_posters_scan_in_every_size("es");
}

#[test]
fn indonesian_posters_scan_to_the_chat_link_in_every_size() {
    assert_posters_scan_in_every_size("id");
}

#[test]
fn hindi_posters_scan_to_the_chat_link_in_every_size() {
    assert_posters_scan_in_every_size("hi");
}

#[test]
fn arabic_posters_scan_to_the_chat_link_in_every_size() {
    assert_posters_scan_in_every_size("ar");
}

#[test]
fn the_smallest_poster_scans_with_and_without_a_logo_over_the_code() {
    let mut printer = Printer::new();
    for with_logo in [false, true] {
        let pdf = printer
            .poster_pdf(&poster("ar", PaperSize::A6, with_logo))
            .expect("the poster prints");
        let scanned = scan(&rasterise(&pdf, 1, 100));
        assert_eq!(
            scanned.len(),
            1,
            "one code on the poster (logo: {with_logo})"
        );
        assert_eq!(scanned[0], CHAT_URL, "logo: {with_logo}");
    }
}

#[test]
fn arabic_words_and_the_phone_number_come_out_of_the_pdf_in_reading_order() {
    let pdf = Printer::new()
        .poster_pdf(&poster("ar", PaperSize::A5, true))
        .expect("the poster prints");
    let extracted = letters(&poppler_tool("pdftotext", &pdf, &[]));
    let (_, headline, call, line) = LANGUAGES[5];
    for expected in [headline, call, line, MIXED_ARABIC, "متجر الورد"] {
        let expected = letters(&as_poppler_extracts_arabic(expected));
        assert!(
            extracted.contains(&expected),
            "«{expected}» is in the PDF's text in logical order; the text is «{extracted}»"
        );
    }
    assert!(
        extracted.contains("+96655123456"),
        "the phone number's digits keep their order: «{extracted}»"
    );
}

#[test]
fn devanagari_text_can_be_extracted_from_the_pdf() {
    let pdf = Printer::new()
        .poster_pdf(&poster("hi", PaperSize::A4, false))
        .expect("the poster prints");
    let extracted = letters(&poppler_tool("pdftotext", &pdf, &[]));
    let (_, headline, call, line) = LANGUAGES[4];
    for expected in [headline, call, line] {
        assert!(
            extracted.contains(&letters(expected)),
            "«{expected}» can be copied from the PDF; the text is «{extracted}»"
        );
    }
}

#[test]
fn every_font_is_embedded_and_subset() {
    let mut printer = Printer::new();
    for (language, script_font) in [("ar", "NotoSansArabic"), ("hi", "NotoSansDevanagari")] {
        let pdf = printer
            .poster_pdf(&poster(language, PaperSize::A4, true))
            .expect("the poster prints");
        let report = poppler_tool("pdffonts", &pdf, &[]);
        let rows: Vec<&str> = report
            .lines()
            .skip(2)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(
            rows.len() >= 2,
            "the {language} poster uses Latin and its script's font:\n{report}"
        );
        assert!(
            rows.iter().any(|row| row.contains(script_font)),
            "{script_font} is used for {language}:\n{report}"
        );
        for row in rows {
            let columns: Vec<&str> = row.split_whitespace().collect();
            let flags = &columns[columns.len() - 5..columns.len() - 2];
            assert_eq!(
                flags,
                ["yes", "yes", "yes"],
                "embedded, subset, with ToUnicode: {row}"
            );
        }
    }
}

#[test]
fn the_png_preview_scans_to_the_chat_link() {
    let mut printer = Printer::new();
    for (size, with_logo) in [(PaperSize::A6, true), (PaperSize::A4, false)] {
        let png = printer
            .poster_png(&poster("ar", size, with_logo), 96.0)
            .expect("the preview renders");
        let raster = decode_png(&png);
        let (width, _) = size.points();
        assert_eq!(
            raster.width,
            (width * 96.0 / 72.0).round() as usize,
            "96 dpi"
        );
        let scanned = scan(&raster);
        assert_eq!(
            scanned,
            [CHAT_URL],
            "the {} preview (logo: {with_logo}) scans",
            size.name()
        );
    }
}

#[test]
fn the_svg_preview_draws_glyph_outlines_not_text() {
    let svg = Printer::new()
        .poster_svg(&poster("ar", PaperSize::A5, true))
        .expect("the SVG is written");
    assert!(svg.starts_with("<svg"), "an SVG document");
    assert!(
        !svg.contains("<text"),
        "text is outlined, so no font is needed to view it"
    );
    assert!(
        svg.contains("data:image/png;base64,"),
        "the logo is embedded"
    );
}

/// Where label `slot` sits on a page rasterised at `dpi`, in pixels.
fn slot_in_pixels(layout: &LabelLayout, slot: usize, dpi: f32) -> (f32, f32, f32, f32) {
    let px = |mm: f32| mm / 25.4 * dpi;
    let column = (slot % layout.columns as usize) as f32;
    let row = (slot / layout.columns as usize) as f32;
    let left = px(layout.left_mm + column * layout.pitch_x_mm);
    let top = px(layout.top_mm + row * layout.pitch_y_mm);
    (
        left,
        top,
        left + px(layout.label_width_mm),
        top + px(layout.label_height_mm),
    )
}

/// The part of `raster` inside label `slot`'s die-cut.
fn crop_slot(raster: &Raster, layout: &LabelLayout, slot: usize, dpi: f32) -> Raster {
    let (left, top, right, bottom) = slot_in_pixels(layout, slot, dpi);
    let (left, top) = (left.round() as usize, top.round() as usize);
    let (right, bottom) = (
        (right.round() as usize).min(raster.width),
        (bottom.round() as usize).min(raster.height),
    );
    let pixels = (top..bottom)
        .flat_map(|y| {
            raster.pixels[y * raster.width + left..y * raster.width + right]
                .iter()
                .copied()
        })
        .collect();
    Raster {
        width: right - left,
        height: bottom - top,
        pixels,
    }
}

/// Each label's code is inside its own die-cut and scans to its product link; the slots past
/// the last label are empty.
fn assert_labels_on_page(
    raster: &Raster,
    dpi: f32,
    labels: &[vitrine_print::Label],
    layout: &LabelLayout,
) {
    for slot in 0..layout.per_page() {
        let scanned = scan(&crop_slot(raster, layout, slot, dpi));
        match labels.get(slot) {
            Some(label) => assert_eq!(
                scanned,
                std::slice::from_ref(&label.qr_url),
                "label {slot} ({}) scans to its product",
                label.sku
            ),
            None => assert!(scanned.is_empty(), "slot {slot} is left blank"),
        }
    }
}

#[test]
fn thirty_labels_on_a_3x8_sheet_fill_two_pages_24_then_6_and_every_code_scans() {
    let sheet = sheet(30, LabelLayout::A4_3X8);
    assert_eq!(sheet.page_count(), 2);
    let pdf = Printer::new().labels_pdf(&sheet).expect("the sheet prints");
    let info = poppler_tool("pdfinfo", &pdf, &[]);
    assert!(
        info.lines()
            .any(|l| l.split_whitespace().eq(["Pages:", "2"])),
        "two pages:\n{info}"
    );
    assert_labels_on_page(
        &rasterise(&pdf, 1, 200),
        200.0,
        &sheet.labels[..24],
        &sheet.layout,
    );
    assert_labels_on_page(
        &rasterise(&pdf, 2, 200),
        200.0,
        &sheet.labels[24..],
        &sheet.layout,
    );
}

#[test]
fn a_2x5_sheet_puts_ten_labels_on_a_page() {
    let sheet = sheet(10, LabelLayout::A4_2X5);
    let pdf = Printer::new().labels_pdf(&sheet).expect("the sheet prints");
    assert_labels_on_page(
        &rasterise(&pdf, 1, 200),
        200.0,
        &sheet.labels,
        &sheet.layout,
    );
}

#[test]
fn the_label_preview_shows_the_first_page_and_its_codes_scan() {
    let sheet = sheet(30, LabelLayout::A4_3X8);
    let raster = decode_png(
        &Printer::new()
            .labels_png(&sheet, 200.0)
            .expect("the preview renders"),
    );
    assert_labels_on_page(&raster, 200.0, &sheet.labels[..24], &sheet.layout);
}

#[test]
fn a_title_too_long_for_its_label_is_cut_with_an_ellipsis() {
    let mut sheet = sheet(1, LabelLayout::A4_4X10);
    sheet.labels[0].title =
        "Sabonete artesanal de lavanda e alecrim com óleo de coco, feito à mão em pequenos lotes"
            .into();
    let pdf = Printer::new().labels_pdf(&sheet).expect("the sheet prints");
    let text = poppler_tool("pdftotext", &pdf, &[]);
    assert!(text.contains('…'), "the title ends in an ellipsis: {text}");
    assert!(text.contains("Sabonete"), "it starts as written: {text}");
    assert!(
        text.contains("R$ 49,90"),
        "the price is whole, with no bidi controls in it: {text}"
    );
}

#[test]
fn a_qr_colour_too_light_to_scan_is_refused() {
    let mut light = poster("en", PaperSize::A5, false);
    light.palette.qr = Colour::parse("#a0d8ef").expect("a colour");
    assert!(matches!(
        light.to_pdf(),
        Err(PrintError::UnreadableQrColour(_))
    ));
}

#[test]
fn pictures_must_be_png_jpeg_or_webp_and_sheets_must_have_labels() {
    let mut bad = poster("en", PaperSize::A5, false);
    bad.logo = Some(b"GIF89a not really".to_vec());
    assert!(matches!(
        bad.to_pdf(),
        Err(PrintError::UnsupportedPicture { .. })
    ));
    let empty = sheet(0, LabelLayout::A4_3X8);
    assert!(matches!(empty.to_pdf(), Err(PrintError::NoLabels)));
}

#[test]
fn label_layouts_and_paper_sizes_are_named_as_people_say_them() {
    for layout in LabelLayout::ALL {
        let parsed: LabelLayout = layout.name().parse().expect("every layout parses by name");
        assert_eq!(parsed, layout);
        let (_, _, right, bottom) = slot_in_pixels(&layout, layout.per_page() - 1, 25.4);
        assert!(
            right <= 210.0 && bottom <= 297.0,
            "{} fits on A4",
            layout.name()
        );
    }
    assert_eq!("3×8".parse::<LabelLayout>().expect("3×8").per_page(), 24);
    assert!("9x9".parse::<LabelLayout>().is_err());
    assert_eq!(
        "letter".parse::<PaperSize>().expect("letter"),
        PaperSize::Letter
    );
}
