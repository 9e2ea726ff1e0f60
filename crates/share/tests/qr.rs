//! Every code is decoded back with a real QR reader (rqrr) and must give the exact link.

use image::{ImageEncoder, Rgba, RgbaImage};
use vitrine_core::language::LanguageTag;
use vitrine_core::share::{
    catalog_link, chat_link, with_ref, OrderFields, OrderTemplate, RefTag, WaNumber,
};
use vitrine_share::{qr_png, qr_svg, Colour, Logo, QrError, QrStyle};

/// rqrr's number for error correction level M (the format bits `00`) and H (`10`).
const ECC_M: u16 = 0;
const ECC_H: u16 = 2;

fn number() -> WaNumber {
    WaNumber::parse("+966 50 123 4567", None).expect("valid Saudi number")
}

/// A long Arabic order with a ref tag: about a kilobyte once percent-encoded.
fn arabic_order_link() -> String {
    let ar = LanguageTag::parse("ar").expect("ar");
    let text = OrderTemplate::default_for(&ar).render(&OrderFields {
        title: "عباءة سوداء مطرزة يدويًا بخيوط ذهبية، مقاس كبير، قماش كريب ناعم 👗",
        sku: "ABY-2026-XL",
        price: "450.00 SAR",
        shop: "متجر نورة",
    });
    let tag = RefTag::parse("poster-window").expect("tag");
    chat_link(&number(), &with_ref(&text, &tag, &ar)).url
}

fn links() -> Vec<String> {
    vec![
        catalog_link(&number()).url,
        chat_link(&number(), "Hello! 👋\nI'd like the blue one").url,
        arabic_order_link(),
    ]
}

/// Decodes the one QR code in a raster; returns its text and error correction level.
fn decode(luma: image::GrayImage) -> (String, u16) {
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one code is found");
    let (meta, text) = grids[0].decode().expect("the code decodes");
    (text, meta.ecc_level)
}

fn decode_png(png: &[u8]) -> (String, u16) {
    decode(image::load_from_memory(png).expect("a PNG").to_luma8())
}

fn decode_svg(svg: &str) -> (String, u16) {
    let tree =
        resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("a valid SVG");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("a pixmap");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let rgba = RgbaImage::from_raw(size.width(), size.height(), pixmap.data().to_vec())
        .expect("RGBA pixels");
    decode(image::DynamicImage::ImageRgba8(rgba).to_luma8())
}

/// A busy, dark logo with transparent corners: the hardest kind for a scanner.
fn logo_png() -> Vec<u8> {
    let img = RgbaImage::from_fn(240, 160, |x, y| {
        let corner = !(30..=210).contains(&x) && !(30..=130).contains(&y);
        if corner {
            Rgba([0, 0, 0, 0])
        } else if (x / 20 + y / 20) % 2 == 0 {
            Rgba([0x20, 0x10, 0x60, 0xff])
        } else {
            Rgba([0xe0, 0x40, 0x20, 0xff])
        }
    });
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&img, 240, 160, image::ExtendedColorType::Rgba8)
        .expect("encode PNG");
    png
}

fn logo_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(100, 100, |x, y| {
        image::Rgb([(x * 2) as u8, 0x30, (y * 2) as u8])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
        .write_image(&img, 100, 100, image::ExtendedColorType::Rgb8)
        .expect("encode JPEG");
    jpeg
}

fn with_logo(bytes: Vec<u8>) -> QrStyle {
    QrStyle {
        logo: Some(Logo::from_bytes(bytes).expect("a readable logo")),
        ..QrStyle::default()
    }
}

#[test]
fn every_png_decodes_back_to_its_link_at_level_m_without_a_logo() {
    for link in links() {
        let png = qr_png(&link, 800, &QrStyle::default()).expect("a code");
        assert_eq!(decode_png(&png), (link.clone(), ECC_M), "{link}");
    }
}

#[test]
fn every_png_with_a_logo_decodes_back_to_its_link_at_level_h() {
    for logo in [logo_png(), logo_jpeg()] {
        for link in links() {
            let png = qr_png(&link, 1000, &with_logo(logo.clone())).expect("a code");
            assert_eq!(decode_png(&png), (link.clone(), ECC_H), "{link}");
        }
    }
}

#[test]
fn every_svg_rasterised_decodes_back_to_its_link_with_and_without_a_logo() {
    for style in [QrStyle::default(), with_logo(logo_png())] {
        for link in links() {
            let svg = qr_svg(&link, 900, &style).expect("a code");
            assert_eq!(decode_svg(&svg).0, link, "{link}");
        }
    }
}

#[test]
fn brand_colours_with_enough_contrast_still_scan() {
    let style = QrStyle {
        foreground: Colour::parse("#0b3d2e").expect("green"),
        background: Colour::parse("#f5f0e6").expect("cream"),
        logo: None,
    };
    let link = arabic_order_link();
    let png = qr_png(&link, 800, &style).expect("a code");
    assert_eq!(decode_png(&png).0, link);
    assert_eq!(
        decode_svg(&qr_svg(&link, 800, &style).expect("svg")).0,
        link
    );
}

#[test]
fn a_png_is_exactly_the_requested_size() {
    let png = qr_png("https://wa.me/c/966501234567", 333, &QrStyle::default()).expect("png");
    let img = image::load_from_memory(&png).expect("a PNG");
    assert_eq!((img.width(), img.height()), (333, 333));
}

#[test]
fn the_svg_draws_every_module_in_one_path_with_a_quiet_zone() {
    let svg = qr_svg("https://wa.me/c/966501234567", 300, &QrStyle::default()).expect("svg");
    assert_eq!(
        svg.matches("<path").count(),
        1,
        "one path for all dark modules"
    );
    assert_eq!(svg.matches("<rect").count(), 1, "one background rectangle");
    assert!(svg.contains(r#"width="300" height="300""#));
    let first = svg.split(" d=\"M").nth(1).expect("a path");
    assert!(
        first.starts_with("4 4h7"),
        "the finder pattern starts after 4 quiet modules"
    );
}

#[test]
fn unreadable_colour_pairs_are_refused_with_a_clear_error() {
    let pale = QrStyle {
        foreground: Colour::parse("#ffd700").expect("gold"),
        background: Colour::WHITE,
        logo: None,
    };
    let err = qr_png("https://wa.me/c/966501234567", 300, &pale).expect_err("too faint");
    assert!(matches!(err, QrError::LowContrast { .. }));
    assert!(err.to_string().contains("too faint to scan"), "{err}");
    let inverted = QrStyle {
        foreground: Colour::WHITE,
        background: Colour::parse("#111111").expect("black"),
        logo: None,
    };
    assert!(matches!(
        qr_svg("https://wa.me/c/966501234567", 300, &inverted),
        Err(QrError::Inverted { .. })
    ));
    assert!(
        Colour::parse("#12345").is_err(),
        "five digits is not a colour"
    );
}

#[test]
fn a_size_smaller_than_the_symbol_and_a_logo_that_is_no_image_are_refused() {
    assert!(matches!(
        qr_png("https://wa.me/c/966501234567", 20, &QrStyle::default()),
        Err(QrError::TooSmall { size: 20, .. })
    ));
    assert!(matches!(
        Logo::from_bytes(b"GIF89a not really".to_vec()),
        Err(QrError::Logo(_))
    ));
    assert!(matches!(
        Logo::from_bytes(b"\x89PNG\r\n\x1a\n broken".to_vec()),
        Err(QrError::Logo(_))
    ));
}
