//! Sample posters, labels and pictures shared by the tests, the sample renderer and the bench.
//! Pictures are drawn here, so nothing is read from disk.

#![allow(
    dead_code,
    reason = "each of the test, example and bench uses a different part"
)]

use vitrine_core::LanguageTag;
use vitrine_print::{
    Colour, Label, LabelLayout, LabelSheet, Palette, PaperSize, Poster, PosterLine,
};

pub const PHONE: &str = "+966 55 123 4567";
pub const CHAT_URL: &str =
    "https://wa.me/966551234567?text=%D9%85%D8%B1%D8%AD%D8%A8%D8%A7%20poster-window";
/// An Arabic sentence with a phone number and a Latin word inside it.
pub const MIXED_ARABIC: &str = "اتصل بنا على +966 55 123 4567 عبر WhatsApp";

/// The languages a poster is tested in, with a headline, a call to action and a line in each.
pub const LANGUAGES: [(&str, &str, &str, &str); 6] = [
    (
        "en",
        "Order now on WhatsApp",
        "Scan the code to chat with us",
        "Fresh flowers every morning",
    ),
    (
        "pt-BR",
        "Peça já pelo WhatsApp",
        "Aponte a câmera para o código",
        "Flores frescas todas as manhãs",
    ),
    (
        "es",
        "¡Pide ahora por WhatsApp!",
        "Escanea el código para escribirnos",
        "Flores frescas cada mañana",
    ),
    (
        "id",
        "Pesan sekarang lewat WhatsApp",
        "Pindai kode untuk chat dengan kami",
        "Bunga segar setiap pagi",
    ),
    (
        "hi",
        "अभी WhatsApp पर ऑर्डर करें",
        "हमसे बात करने के लिए कोड स्कैन करें",
        "हर सुबह ताज़े फूल",
    ),
    (
        "ar",
        "اطلب الآن عبر واتساب",
        "امسح الرمز للتحدث معنا",
        "ورود طازجة كل صباح",
    ),
];

pub fn tag(code: &str) -> LanguageTag {
    LanguageTag::parse(code).expect("a valid language tag")
}

/// A poster in `language` (one of [`LANGUAGES`]), with an English line below, and for Arabic
/// the mixed line with the phone number too.
pub fn poster(language: &str, size: PaperSize, with_logo: bool) -> Poster {
    let (code, headline, call, line) = LANGUAGES
        .iter()
        .find(|(code, ..)| *code == language)
        .copied()
        .expect("a tested language");
    let mut lines = vec![PosterLine {
        text: line.to_owned(),
        language: tag(code),
    }];
    if code == "ar" {
        lines.push(PosterLine {
            text: MIXED_ARABIC.to_owned(),
            language: tag("ar"),
        });
    }
    if code != "en" {
        lines.push(PosterLine {
            text: "Order on WhatsApp".to_owned(),
            language: tag("en"),
        });
    }
    Poster {
        size,
        language: tag(code),
        shop_name: if code == "ar" {
            "متجر الورد".to_owned()
        } else {
            "Flor de Lis".to_owned()
        },
        logo: with_logo.then(logo_png),
        headline: headline.to_owned(),
        call_to_action: call.to_owned(),
        phone_display: PHONE.to_owned(),
        qr_url: CHAT_URL.to_owned(),
        photo: None,
        lines,
        palette: Palette::default(),
    }
}

pub fn label(index: usize) -> Label {
    let titles = [
        "Rosas vermelhas — buquê com 12",
        "عطر العود الملكي ١٠٠ مل",
        "हाथ से बनी मोमबत्ती, चंदन की खुशबू",
        "Kopi Gayo Arabika 250 g, biji utuh, sangrai sedang dengan rasa cokelat",
    ];
    let prices = ["R$ 49,90", "SAR 120.00", "₹ 349", "Rp 85.000"];
    Label {
        title: titles[index % titles.len()].to_owned(),
        price_text: prices[index % prices.len()].to_owned(),
        photo: Some(photo_png(index as u32)),
        qr_url: format!(
            "https://wa.me/p/{}/966551234567",
            7_000_000_000_000_000u64 + index as u64
        ),
        sku: format!("SKU-{index:04}"),
    }
}

pub fn sheet(count: usize, layout: LabelLayout) -> LabelSheet {
    LabelSheet {
        layout,
        labels: (0..count).map(label).collect(),
        accent: Colour::rgb(0x07, 0x5e, 0x54),
    }
}

fn encode_png(width: u32, height: u32, colour: png::ColorType, pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(pixels).expect("png data");
    writer.finish().expect("png end");
    out
}

/// A round green logo with a white flower-like mark, transparent around it.
pub fn logo_png() -> Vec<u8> {
    let size = 160u32;
    let mut pixels = Vec::with_capacity((size * size * 4) as usize);
    let centre = size as f32 / 2.0;
    for y in 0..size {
        for x in 0..size {
            let (dx, dy) = (x as f32 + 0.5 - centre, y as f32 + 0.5 - centre);
            let r = (dx * dx + dy * dy).sqrt();
            let angle = dy.atan2(dx);
            let petal = 0.45 * centre * (1.0 + 0.35 * (5.0 * angle).cos());
            let pixel = if r > centre - 1.0 {
                [0, 0, 0, 0]
            } else if r < petal {
                [255, 255, 255, 255]
            } else {
                [0xe0, 0x6c, 0x3c, 255]
            };
            pixels.extend_from_slice(&pixel);
        }
    }
    encode_png(size, size, png::ColorType::Rgba, &pixels)
}

/// A photo-like picture: a warm gradient with a round "product" in it, different per seed.
pub fn photo_png(seed: u32) -> Vec<u8> {
    let (width, height) = (240u32, 200u32);
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    let hue = (seed * 67 % 255) as f32;
    for y in 0..height {
        for x in 0..width {
            let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
            let (dx, dy) = (fx - 0.5, fy - 0.55);
            let inside = dx * dx + dy * dy < 0.07;
            let pixel = if inside {
                [
                    (150.0 + hue * 0.4) as u8,
                    (40.0 + fy * 60.0) as u8,
                    (90.0 - fx * 40.0) as u8,
                ]
            } else {
                [
                    (230.0 - fy * 50.0) as u8,
                    (215.0 - fy * 40.0) as u8,
                    (180.0 + hue * 0.2) as u8,
                ]
            };
            pixels.extend_from_slice(&pixel);
        }
    }
    encode_png(width, height, png::ColorType::Rgb, &pixels)
}
