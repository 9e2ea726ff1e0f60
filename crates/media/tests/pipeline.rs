//! The photo pipeline as the app uses it: bytes of a merchant's file in,
//! catalog JPEG and thumbnail (or a readable refusal) out.

mod support;

use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageBuffer, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use support::{is_marker, jpeg, photo};
use vitrine_media::{
    probe, probe_with, process_image, process_image_with, process_many, HeifDecoder, MediaError,
    PipelineOptions, ProcessedImage, SourceFormat, MAX_CATALOG_BYTES,
};

// ---- helpers -------------------------------------------------------------

fn process(bytes: &[u8]) -> ProcessedImage {
    process_image(bytes, &PipelineOptions::default()).expect("a valid photo is accepted")
}

fn decode(jpeg: &[u8]) -> RgbImage {
    image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg)
        .expect("the pipeline's output is a readable JPEG")
        .into_rgb8()
}

fn encode(image: impl Into<DynamicImage>, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image
        .into()
        .write_to(&mut bytes, format)
        .expect("encoding a test image to memory cannot fail");
    bytes.into_inner()
}

/// The marker bytes of a JPEG's header segments, up to and including the first scan.
fn header_markers(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG starts with SOI");
    let mut markers = Vec::new();
    let mut pos = 2;
    while let Some(&[0xFF, marker, hi, lo]) = jpeg.get(pos..pos + 4) {
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        pos += 2 + usize::from(u16::from_be_bytes([hi, lo]));
    }
    markers
}

/// An APP1 EXIF segment, big-endian TIFF, holding an Orientation tag and an
/// ImageDescription (standing in for private data such as a GPS position).
fn exif_app1(orientation: u16, description: &str) -> Vec<u8> {
    let text = [description.as_bytes(), b"\0"].concat();
    let entries: u16 = 2;
    let ifd_len = 2 + 12 * u32::from(entries) + 4;
    let text_offset = 8 + ifd_len;
    let mut tiff = b"MM\0\x2a".to_vec();
    tiff.extend_from_slice(&8u32.to_be_bytes()); // IFD0 right after the header
    tiff.extend_from_slice(&entries.to_be_bytes());
    // 0x010E ImageDescription, ASCII, stored after the IFD.
    tiff.extend_from_slice(&0x010Eu16.to_be_bytes());
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&u32::try_from(text.len()).expect("short text").to_be_bytes());
    tiff.extend_from_slice(&text_offset.to_be_bytes());
    // 0x0112 Orientation, SHORT, one value, left-justified in the 4-byte field.
    tiff.extend_from_slice(&0x0112u16.to_be_bytes());
    tiff.extend_from_slice(&3u16.to_be_bytes());
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no IFD1
    tiff.extend_from_slice(&text);

    let payload = [b"Exif\0\0".as_slice(), &tiff].concat();
    let length = u16::try_from(payload.len() + 2).expect("a small EXIF block");
    [&[0xFF, 0xE1], &length.to_be_bytes()[..], &payload].concat()
}

/// `jpeg` with an EXIF block inserted right after SOI, where cameras put it.
fn with_exif(jpeg: &[u8], orientation: u16, description: &str) -> Vec<u8> {
    [&jpeg[..2], &exif_app1(orientation, description), &jpeg[2..]].concat()
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let length = u32::try_from(data.len()).expect("a small chunk");
    let crc = crc32(&[kind.as_slice(), data].concat());
    [&length.to_be_bytes()[..], kind, data, &crc.to_be_bytes()].concat()
}

/// PNG's CRC-32 (ISO-HDLC), bit by bit: only used on a few header bytes.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn assert_is_white(pixel: [u8; 3], why: &str) {
    assert!(pixel.iter().all(|&c| c >= 245), "{why}: got {pixel:?}");
}

// ---- accepted inputs -----------------------------------------------------

#[test]
fn a_large_jpeg_becomes_a_catalog_image_of_at_most_2048_and_a_thumbnail_of_at_most_256() {
    let source = jpeg(&photo(2600, 1950, 1), 90);

    let out = process(&source);

    assert_eq!(
        out.source,
        vitrine_media::ImageInfo {
            width: 2600,
            height: 1950,
            format: SourceFormat::Jpeg
        }
    );
    assert_eq!(
        (out.catalog_width, out.catalog_height),
        (2048, 1536),
        "long side scaled to 2048, 4:3 kept"
    );
    assert_eq!(
        decode(&out.catalog_jpeg).dimensions(),
        (2048, 1536),
        "the file matches the reported size"
    );
    assert_eq!(
        (out.thumbnail_width, out.thumbnail_height),
        (256, 192),
        "thumbnail long side is 256"
    );
    assert_eq!(decode(&out.thumbnail_jpeg).dimensions(), (256, 192));
    assert!(
        out.catalog_jpeg.len() <= MAX_CATALOG_BYTES,
        "Meta accepts at most 8 MB"
    );
    assert_eq!(
        out.catalog_quality, 85,
        "a normal photo needs no quality reduction"
    );
}

#[test]
fn the_picture_survives_resizing_with_its_colours_in_place() {
    let source = photo(1600, 1200, 2);
    let out = process(&jpeg(&source, 95));

    let catalog = decode(&out.catalog_jpeg);
    assert_eq!(
        catalog.dimensions(),
        (1600, 1200),
        "a photo under 2048 is not resized"
    );
    assert!(
        is_marker(catalog.get_pixel(5, 5).0),
        "the red corner is still top-left"
    );
    let centre = |image: &RgbImage, x: u32, y: u32| image.get_pixel(x, y).0;
    let (expected, actual) = (centre(&source, 480, 720), centre(&catalog, 480, 720));
    for (e, a) in expected.iter().zip(actual) {
        assert!(
            e.abs_diff(a) < 24,
            "re-encoding keeps colours close: {expected:?} vs {actual:?}"
        );
    }
}

#[test]
fn a_camera_photo_tagged_orientation_6_comes_out_upright() {
    // Stored as the sensor saw it (landscape); EXIF 6 says "turn 90° clockwise to view".
    let source = with_exif(&jpeg(&photo(4000, 3000, 3), 85), 6, "test");

    assert_eq!(
        probe(&source).expect("the header is readable"),
        vitrine_media::ImageInfo {
            width: 3000,
            height: 4000,
            format: SourceFormat::Jpeg
        },
        "probe reports the size as the photo is meant to be seen"
    );
    let out = process(&source);

    assert_eq!(
        (out.catalog_width, out.catalog_height),
        (1536, 2048),
        "width and height swapped: portrait"
    );
    let catalog = decode(&out.catalog_jpeg);
    assert_eq!(catalog.dimensions(), (1536, 2048));
    assert!(
        is_marker(catalog.get_pixel(1536 - 10, 10).0),
        "the stored top-left corner is now top-right after a clockwise turn"
    );
    assert!(
        !is_marker(catalog.get_pixel(10, 10).0),
        "and no longer top-left"
    );
    assert!(
        !is_marker(catalog.get_pixel(10, 2048 - 10).0),
        "nor bottom-left"
    );
    let thumbnail = decode(&out.thumbnail_jpeg);
    assert_eq!(
        thumbnail.dimensions(),
        (192, 256),
        "the thumbnail is upright too"
    );
    assert!(
        is_marker(thumbnail.get_pixel(192 - 3, 3).0),
        "same corner in the thumbnail"
    );
}

#[test]
fn exif_and_other_metadata_are_stripped_from_both_outputs() {
    let secret = "GPS 48.85837N 2.29448E, owner's home";
    let source = with_exif(&jpeg(&photo(900, 700, 4), 90), 1, secret);
    assert!(
        header_markers(&source).contains(&0xE1),
        "the test input does carry EXIF"
    );

    let out = process(&source);

    for (name, output) in [
        ("catalog", &out.catalog_jpeg),
        ("thumbnail", &out.thumbnail_jpeg),
    ] {
        let markers = header_markers(output);
        assert!(
            !markers.contains(&0xE1),
            "{name}: no APP1 (EXIF/XMP) segment, got {markers:x?}"
        );
        assert!(!markers.contains(&0xED), "{name}: no APP13 (IPTC) segment");
        assert!(!markers.contains(&0xFE), "{name}: no comment segment");
        let text = String::from_utf8_lossy(output);
        assert!(
            !text.contains("Exif") && !text.contains("48.85837"),
            "{name}: no EXIF bytes anywhere"
        );
    }
}

#[test]
fn a_png_with_transparency_is_laid_on_white() {
    // Left half transparent, right half opaque green.
    let source = RgbaImage::from_fn(800, 600, |x, _| {
        if x < 400 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([20, 160, 40, 255])
        }
    });

    let out = process(&encode(source, ImageFormat::Png));

    assert_eq!(out.source.format, SourceFormat::Png);
    let catalog = decode(&out.catalog_jpeg);
    assert_is_white(
        catalog.get_pixel(100, 300).0,
        "transparent areas show as white, not black",
    );
    let green = catalog.get_pixel(700, 300).0;
    assert!(
        green[1] > 140 && green[0] < 50,
        "opaque areas keep their colour: {green:?}"
    );
}

#[test]
fn a_webp_photo_is_accepted_and_converted_to_jpeg() {
    let out = process(&encode(photo(700, 900, 5), ImageFormat::WebP));

    assert_eq!(
        out.source,
        vitrine_media::ImageInfo {
            width: 700,
            height: 900,
            format: SourceFormat::WebP
        }
    );
    assert_eq!(
        decode(&out.catalog_jpeg).dimensions(),
        (700, 900),
        "WebP input gives a JPEG Meta accepts"
    );
}

#[test]
fn grey_and_16_bit_pngs_are_accepted() {
    let grey = GrayImage::from_fn(600, 600, |x, y| image::Luma([((x + y) / 5) as u8]));
    let out = process(&encode(grey, ImageFormat::Png));
    let pixel = decode(&out.catalog_jpeg).get_pixel(300, 300).0;
    assert!(
        pixel[0].abs_diff(pixel[2]) < 6,
        "grey stays grey in the RGB output: {pixel:?}"
    );

    let deep: ImageBuffer<Rgb<u16>, Vec<u16>> = ImageBuffer::from_fn(640, 520, |x, _| {
        Rgb([u16::try_from(x * 100).expect("< 65536"), 30_000, 65_535])
    });
    let out = process(&encode(deep, ImageFormat::Png));
    assert_eq!(
        (out.catalog_width, out.catalog_height),
        (640, 520),
        "16-bit input is reduced to 8-bit, not refused"
    );
}

#[test]
fn a_cmyk_jpeg_from_print_software_comes_out_in_rgb_with_the_right_colours() {
    // Pure magenta + yellow ink is red.
    let cmyk: Vec<u8> = [0u8, 255, 255, 0].repeat(600 * 600);
    let mut source = Vec::new();
    jpeg_encoder::Encoder::new(&mut source, 95)
        .encode(&cmyk, 600, 600, jpeg_encoder::ColorType::Cmyk)
        .expect("CMYK encodes");

    let pixel = decode(&process(&source).catalog_jpeg).get_pixel(300, 300).0;

    assert!(
        pixel[0] > 200 && pixel[1] < 60 && pixel[2] < 60,
        "magenta+yellow ink shows red, got {pixel:?}"
    );
}

#[test]
fn an_rgb_colour_profile_is_kept_so_colours_stay_true() {
    // A minimal ICC header: size, then data colour space "RGB " at offset 16.
    let mut profile = vec![0u8; 132];
    profile[..4].copy_from_slice(&132u32.to_be_bytes());
    profile[16..20].copy_from_slice(b"RGB ");
    profile[36..40].copy_from_slice(b"acsp");
    profile[128..].copy_from_slice(b"P3!!");
    let image = photo(600, 600, 6);
    let mut source = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut source, 90);
    encoder
        .add_icc_profile(&profile)
        .expect("a small profile fits");
    encoder
        .encode(image.as_raw(), 600, 600, jpeg_encoder::ColorType::Rgb)
        .expect("encodes");

    let out = process(&source);

    assert!(
        header_markers(&out.catalog_jpeg).contains(&0xE2),
        "the APP2 ICC segment is written"
    );
    let found = out
        .catalog_jpeg
        .windows(profile.len())
        .any(|window| window == profile);
    assert!(
        found,
        "the profile is copied byte for byte (it describes colours, not the owner)"
    );
}

#[test]
fn pad_to_square_centres_the_photo_on_a_white_square() {
    let opts = PipelineOptions {
        pad_to_square: true,
        ..PipelineOptions::default()
    };
    let out = process_image(&jpeg(&photo(3000, 2000, 7), 85), &opts).expect("accepted");

    assert_eq!(
        (out.catalog_width, out.catalog_height),
        (2048, 2048),
        "square, long side 2048"
    );
    let catalog = decode(&out.catalog_jpeg);
    assert_eq!(catalog.dimensions(), (2048, 2048));
    // The 2048×1365 picture sits between two white bands of ~341 rows.
    assert_is_white(catalog.get_pixel(1024, 5).0, "top band is white");
    assert_is_white(catalog.get_pixel(1024, 2042).0, "bottom band is white");
    assert!(
        is_marker(catalog.get_pixel(10, 360).0),
        "the photo starts below the band, red corner first"
    );
    assert_eq!(
        (out.thumbnail_width, out.thumbnail_height),
        (256, 256),
        "the thumbnail is square too"
    );
}

#[test]
fn a_photo_that_would_exceed_8_mb_is_saved_at_a_lower_quality() {
    // Full-resolution noise at quality 100 is far over 8 MB at 2048×2048.
    let mut state = 7u32;
    let noise = RgbImage::from_fn(2048, 2048, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [r, g, b, _] = state.to_le_bytes();
        Rgb([r, g, b])
    });
    let opts = PipelineOptions {
        jpeg_quality: 100,
        ..PipelineOptions::default()
    };

    let out = process_image(&encode(noise, ImageFormat::Png), &opts).expect("accepted");

    assert!(
        out.catalog_jpeg.len() <= MAX_CATALOG_BYTES,
        "{} bytes is over Meta's 8 MB",
        out.catalog_jpeg.len()
    );
    assert!(out.catalog_quality < 100, "the quality was lowered to fit");
}

// ---- refused inputs ------------------------------------------------------

#[test]
fn a_400_by_400_photo_is_too_small_for_meta() {
    let result = process_image(&jpeg(&photo(400, 400, 8), 90), &PipelineOptions::default());

    let err = result.expect_err("Meta refuses images under 500×500");
    assert_eq!(
        err,
        MediaError::TooSmall {
            width: 400,
            height: 400
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("500×500") && message.contains("400×400"),
        "the message gives both sizes: {message}"
    );
}

#[test]
fn a_truncated_jpeg_is_reported_as_damaged() {
    let full = jpeg(&photo(1200, 900, 9), 90);
    let cut = &full[..full.len() * 6 / 10];

    let err =
        process_image(cut, &PipelineOptions::default()).expect_err("a cut file is not a photo");

    assert!(matches!(err, MediaError::Corrupt { .. }), "got {err:?}");
    assert!(
        err.to_string().contains("damaged or incomplete"),
        "readable message: {err}"
    );
}

#[test]
fn a_jpeg_cut_inside_its_header_is_reported_as_damaged() {
    let full = jpeg(&photo(600, 600, 10), 90);

    let err = process_image(&full[..40], &PipelineOptions::default()).expect_err("no picture data");

    assert!(matches!(err, MediaError::Corrupt { .. }), "got {err:?}");
}

#[test]
fn truncated_png_and_webp_files_are_reported_as_damaged() {
    let picture = photo(700, 700, 14);
    for format in [ImageFormat::Png, ImageFormat::WebP] {
        let full = encode(picture.clone(), format);
        let cut = &full[..full.len() / 2];

        let err = process_image(cut, &PipelineOptions::default()).expect_err("half a file");

        assert!(
            matches!(err, MediaError::Corrupt { .. }),
            "{format:?}: got {err:?}"
        );
    }
}

#[test]
fn damaged_files_are_refused_or_decoded_but_never_crash_the_app() {
    let picture = photo(600, 600, 15);
    let sources = [
        jpeg(&picture, 85),
        encode(picture.clone(), ImageFormat::Png),
        encode(picture, ImageFormat::WebP),
    ];
    let mut state = 0x9E37_79B9u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize
    };
    for source in &sources {
        for round in 0..25 {
            let mut damaged = source.clone();
            for _ in 0..1 + round % 8 {
                let at = next() % damaged.len();
                damaged[at] ^= 1 << (next() % 8);
            }
            if round % 3 == 0 {
                damaged.truncate(next() % damaged.len());
            }
            // Any outcome but a panic is acceptable: a flipped bit in the
            // picture data may still decode to a (slightly wrong) photo.
            let _ = process_image(&damaged, &PipelineOptions::default());
            let _ = probe(&damaged);
        }
    }
}

#[test]
fn random_bytes_and_a_text_file_are_not_images() {
    let mut state = 99u32;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            state.to_be_bytes()[0]
        })
        .collect();
    let text = b"Price list\nBlue dress: 25 EUR\nRed scarf: 12 EUR\n";

    for (name, bytes) in [
        ("random bytes", random.as_slice()),
        ("text", text),
        ("empty", b""),
    ] {
        let err = process_image(bytes, &PipelineOptions::default()).expect_err("not an image");
        assert_eq!(err, MediaError::NotAnImage, "{name}");
        assert_eq!(
            probe(bytes),
            Err(MediaError::NotAnImage),
            "{name}: probe agrees"
        );
    }
    assert_eq!(
        MediaError::NotAnImage.to_string(),
        "this file is not an image (JPEG, PNG, WebP, HEIC or AVIF expected)"
    );
}

#[test]
fn a_gif_is_recognised_but_not_accepted() {
    // The classic 1×1 white GIF.
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

    let err =
        process_image(gif, &PipelineOptions::default()).expect_err("GIF is not a catalog format");

    assert_eq!(
        err,
        MediaError::Unsupported {
            format: "GIF".to_owned()
        }
    );
    assert!(
        err.to_string().contains("JPEG, PNG or WebP"),
        "the message says what to use instead: {err}"
    );
}

#[test]
fn a_png_header_declaring_100000_by_100000_is_refused_before_decoding() {
    let ihdr = [
        &100_000u32.to_be_bytes()[..],
        &100_000u32.to_be_bytes(),
        &[8, 2, 0, 0, 0],
    ]
    .concat();
    let bomb = [
        b"\x89PNG\r\n\x1a\n".as_slice(),
        &png_chunk(b"IHDR", &ihdr),
        &png_chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]),
        &png_chunk(b"IEND", &[]),
    ]
    .concat();

    let err =
        process_image(&bomb, &PipelineOptions::default()).expect_err("10 gigapixels is a bomb");

    assert!(matches!(err, MediaError::TooLarge { .. }), "got {err:?}");
    assert!(
        err.to_string().contains("100000×100000"),
        "the message gives the declared size: {err}"
    );
    assert!(
        matches!(probe(&bomb), Ok(info) if info.width == 100_000),
        "probe only reports, it does not judge"
    );
}

#[test]
fn a_tiny_png_that_inflates_to_144_megapixels_is_refused_without_decoding() {
    // 12000×12000 one-bit grey: ~18 MB of zeros that deflate to a few KB.
    let mut bomb = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bomb, 12_000, 12_000);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header().expect("header");
        writer
            .write_image_data(&vec![0u8; 1500 * 12_000])
            .expect("pixels");
        writer.finish().expect("finish");
    }
    assert!(
        bomb.len() < 200_000,
        "the bomb is small on disk: {} bytes",
        bomb.len()
    );

    let err =
        process_image(&bomb, &PipelineOptions::default()).expect_err("144 MP is over the limit");

    assert!(matches!(err, MediaError::TooLarge { .. }), "got {err:?}");
    assert!(
        err.to_string().contains("144 megapixels"),
        "readable: {err}"
    );
}

// ---- batches -------------------------------------------------------------

#[test]
fn process_many_keeps_the_input_order_and_reports_each_failure_in_place() {
    let good_a = jpeg(&photo(800, 600, 11), 85);
    let good_b = encode(photo(600, 900, 12), ImageFormat::Png);
    let small = jpeg(&photo(300, 300, 13), 85);
    let text = b"not a photo".to_vec();
    let inputs = vec![good_a, small, good_b, text];

    let results = process_many(&inputs, &PipelineOptions::default());

    assert_eq!(results.len(), 4, "one result per input");
    let first = results[0].as_ref().expect("first photo is fine");
    assert_eq!(
        (first.catalog_width, first.catalog_height),
        (800, 600),
        "first result is the first input"
    );
    assert_eq!(
        results[1],
        Err(MediaError::TooSmall {
            width: 300,
            height: 300
        })
    );
    let third = results[2].as_ref().expect("third photo is fine");
    assert_eq!(
        third.source.format,
        SourceFormat::Png,
        "third result is the PNG"
    );
    assert_eq!(results[3], Err(MediaError::NotAnImage));

    let borrowed: Vec<&[u8]> = inputs.iter().map(Vec::as_slice).collect();
    assert_eq!(
        process_many(&borrowed, &PipelineOptions::default()),
        results,
        "slices work the same"
    );
}

// ---- photos from phones: HEIC and AVIF, read by libheif --------------------
//
// The fixtures (tests/fixtures, made by make.sh there) are 800×600: a vertical
// gradient from blue at the top to green at the bottom, with a flat red
// 200×200 square in the top-left corner. `make test` installs libheif1, so on
// Linux these tests fail, rather than skip, when it is missing.

const PHOTO_HEIC: &[u8] = include_bytes!("fixtures/photo.heic");
const PHOTO_AVIF: &[u8] = include_bytes!("fixtures/photo.avif");
/// 10 bits per channel, as Android phones write AVIF.
const DEEP_AVIF: &[u8] = include_bytes!("fixtures/deep.avif");
/// Left half transparent, right half opaque green.
const ALPHA_HEIC: &[u8] = include_bytes!("fixtures/alpha.heic");
/// The photo turned a quarter clockwise by the HEIF `irot` property, with an
/// EXIF orientation 6 (the same quarter turn) left in, as iPhones write it.
const ROTATED_HEIC: &[u8] = include_bytes!("fixtures/rotated.heic");

const RED: [u8; 3] = [230, 20, 20];
const BLUE: [u8; 3] = [40, 90, 200];
const GREEN: [u8; 3] = [40, 160, 120];

fn assert_close(actual: [u8; 3], expected: [u8; 3], why: &str) {
    let off = actual
        .iter()
        .zip(expected)
        .map(|(&a, e)| a.abs_diff(e))
        .max()
        .unwrap_or(0);
    assert!(
        off <= 30,
        "{why}: got {actual:?}, expected about {expected:?}"
    );
}

/// A libheif that is not there, as on a computer without it.
fn missing_libheif() -> HeifDecoder {
    HeifDecoder::from_file("libheif-that-is-not-installed.so.1")
}

/// Checks the fixture picture, upright and unscaled, in a catalog JPEG.
fn assert_is_the_fixture_picture(out: &ProcessedImage, format: SourceFormat) {
    assert_eq!(
        out.source,
        vitrine_media::ImageInfo {
            width: 800,
            height: 600,
            format
        }
    );
    let catalog = decode(&out.catalog_jpeg);
    assert_eq!(
        catalog.dimensions(),
        (800, 600),
        "{format}: under 2048, not resized"
    );
    assert_close(
        catalog.get_pixel(100, 100).0,
        RED,
        &format!("{format}: the red square is top-left"),
    );
    assert_close(
        catalog.get_pixel(700, 5).0,
        BLUE,
        &format!("{format}: the top is blue"),
    );
    assert_close(
        catalog.get_pixel(400, 595).0,
        GREEN,
        &format!("{format}: the bottom is green"),
    );
    assert_eq!(
        decode(&out.thumbnail_jpeg).dimensions(),
        (256, 192),
        "{format}: the thumbnail is made too"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn libheif_is_found_on_linux_where_make_test_installs_it() {
    let system = HeifDecoder::system();
    assert!(
        system.version().is_some_and(|v| v.starts_with('1')),
        "HEIC and AVIF need libheif 1.x (Debian: apt install libheif1): {:?}",
        system.load_error()
    );
}

#[test]
fn an_iphone_heic_photo_is_accepted_and_converted_to_jpeg() {
    assert_eq!(
        probe(PHOTO_HEIC).map(|info| (info.width, info.height, info.format)),
        Ok((800, 600, SourceFormat::Heic))
    );
    assert_is_the_fixture_picture(&process(PHOTO_HEIC), SourceFormat::Heic);
}

#[test]
fn the_colour_profile_of_a_heic_is_kept_in_the_catalog_image() {
    // The `colr` property of type `prof` holds the ICC profile, its length first.
    let at = PHOTO_HEIC
        .windows(8)
        .position(|w| w == b"colrprof")
        .expect("the fixture carries an ICC profile")
        + 8;
    let len = u32::from_be_bytes(PHOTO_HEIC[at..at + 4].try_into().expect("4 bytes")) as usize;
    let profile = &PHOTO_HEIC[at..at + len];
    assert_eq!(&profile[16..20], b"RGB ", "an RGB profile");

    let out = process(PHOTO_HEIC);

    assert!(
        out.catalog_jpeg
            .windows(profile.len())
            .any(|window| window == profile),
        "the profile is copied byte for byte, so an iPhone's Display P3 colours stay true"
    );
}

#[test]
fn an_avif_photo_is_accepted_and_converted_to_jpeg() {
    assert_is_the_fixture_picture(&process(PHOTO_AVIF), SourceFormat::Avif);
}

#[test]
fn a_10_bit_avif_comes_out_as_an_ordinary_8_bit_jpeg_with_its_colours() {
    assert_is_the_fixture_picture(&process(DEEP_AVIF), SourceFormat::Avif);
}

#[test]
fn a_heic_turned_by_its_own_rotation_comes_out_upright_and_its_exif_turn_is_not_applied_again() {
    assert_eq!(
        probe(ROTATED_HEIC).map(|info| (info.width, info.height)),
        Ok((600, 800)),
        "the size is the upright one, before decoding"
    );
    let out = process(ROTATED_HEIC);
    let catalog = decode(&out.catalog_jpeg);
    assert_eq!(
        catalog.dimensions(),
        (600, 800),
        "portrait, as the photo was taken"
    );
    assert_close(
        catalog.get_pixel(500, 100).0,
        RED,
        "a quarter turn clockwise puts the top-left corner top-right (EXIF applied as well would put it bottom-right)",
    );
    assert_close(
        catalog.get_pixel(595, 700).0,
        BLUE,
        "the old top is on the right",
    );
    assert_close(
        catalog.get_pixel(5, 400).0,
        GREEN,
        "the old bottom is on the left",
    );
}

#[test]
fn a_heic_with_transparency_is_laid_on_white() {
    let catalog = decode(&process(ALPHA_HEIC).catalog_jpeg);
    assert_is_white(
        catalog.get_pixel(200, 300).0,
        "the transparent half shows the white page",
    );
    assert_close(
        catalog.get_pixel(600, 300).0,
        [30, 160, 60],
        "the opaque half keeps its green",
    );
}

#[test]
fn truncated_heic_and_avif_files_are_reported_as_damaged() {
    for (name, full) in [("HEIC", PHOTO_HEIC), ("AVIF", PHOTO_AVIF)] {
        for cut in [full.len() / 2, full.len() - 20, 300, 40] {
            let err = process_image(&full[..cut], &PipelineOptions::default())
                .expect_err("a cut file is not a photo");
            assert!(
                matches!(err, MediaError::Corrupt { .. }),
                "{name} cut at {cut} of {}: got {err:?}",
                full.len()
            );
        }
    }
}

#[test]
fn damaged_heic_and_avif_files_are_refused_or_decoded_but_never_crash_the_app() {
    let mut state = 0x2545_F491u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize
    };
    for source in [PHOTO_HEIC, PHOTO_AVIF, ALPHA_HEIC, ROTATED_HEIC] {
        for round in 0..40 {
            let mut damaged = source.to_vec();
            for _ in 0..1 + round % 6 {
                let at = next() % damaged.len();
                damaged[at] ^= 1 << (next() % 8);
            }
            // Any outcome but a crash: a flipped bit in the picture data may
            // still decode to a slightly wrong photo.
            match process_image(&damaged, &PipelineOptions::default()) {
                Ok(out) => assert!(!out.catalog_jpeg.is_empty()),
                Err(err) => assert!(!err.to_string().is_empty()),
            }
        }
    }
}

#[test]
fn a_heic_header_declaring_20000_by_20000_is_refused_before_decoding() {
    // Rewrite the `ispe` property (the coded size) of the real photo.
    let mut bomb = PHOTO_HEIC.to_vec();
    let at = bomb
        .windows(4)
        .position(|w| w == b"ispe")
        .expect("every HEIF image has an ispe property");
    let size = [20_000u32.to_be_bytes(), 20_000u32.to_be_bytes()].concat();
    bomb[at + 8..at + 16].copy_from_slice(&size);

    assert!(
        matches!(probe(&bomb), Ok(info) if (info.width, info.height) == (20_000, 20_000)),
        "probe reports the declared size"
    );
    let err = process_image(&bomb, &PipelineOptions::default())
        .expect_err("400 megapixels is over the limit");
    assert!(matches!(err, MediaError::TooLarge { .. }), "got {err:?}");
    assert!(
        err.to_string().contains("20000×20000"),
        "the message gives the declared size: {err}"
    );
}

#[test]
fn heic_and_avif_photos_are_decoded_in_parallel() {
    let inputs = [
        PHOTO_HEIC,
        PHOTO_AVIF,
        ROTATED_HEIC,
        ALPHA_HEIC,
        DEEP_AVIF,
        PHOTO_HEIC,
    ];
    let results = process_many(&inputs, &PipelineOptions::default());
    for (input, result) in inputs.iter().zip(results) {
        let out = result.expect("every fixture is a valid photo");
        assert_eq!(Ok(out.source), probe(input), "results stay in input order");
    }
}

#[test]
fn without_libheif_a_heic_photo_gets_a_message_saying_what_to_install() {
    let missing = missing_libheif();

    let err = process_image_with(PHOTO_HEIC, &PipelineOptions::default(), &missing)
        .expect_err("no decoder, no photo");

    assert_eq!(
        err,
        MediaError::DecoderMissing {
            format: SourceFormat::Heic
        }
    );
    assert_eq!(
        probe_with(PHOTO_HEIC, &missing),
        Err(err.clone()),
        "probing fails the same way, so the app claims no memory for it"
    );
    let message = err.to_string();
    assert!(
        message.starts_with("this computer can't read HEIC photos yet: install libheif"),
        "names the format and what to install: {message}"
    );
    assert!(
        message.contains("Settings › Camera › Formats") && message.contains("Most Compatible"),
        "and the iPhone setting that avoids HEIC: {message}"
    );
    if cfg!(target_os = "linux") {
        assert!(
            message.contains("sudo apt install libheif1"),
            "says the Debian package: {message}"
        );
    }
}

#[test]
fn without_libheif_an_avif_photo_is_refused_clearly_and_other_photos_still_work() {
    let missing = missing_libheif();

    let err = process_image_with(PHOTO_AVIF, &PipelineOptions::default(), &missing)
        .expect_err("no decoder, no photo");

    assert_eq!(
        err,
        MediaError::DecoderMissing {
            format: SourceFormat::Avif
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("can't read AVIF photos") && message.contains("save the picture as JPEG"),
        "{message}"
    );
    assert!(
        !message.contains("iPhone"),
        "AVIF does not come from an iPhone camera: {message}"
    );
    let jpeg = jpeg(&photo(800, 600, 21), 85);
    assert!(
        process_image_with(&jpeg, &PipelineOptions::default(), &missing).is_ok(),
        "JPEG, PNG and WebP never need libheif"
    );
}

// ---- JPEGs that libjpeg reads with a warning -------------------------------

/// Where the first segment with `marker` starts (its 0xFF), walking the
/// header segments; EOI is found at the end of the file.
fn segment_start(jpeg: &[u8], marker: u8) -> usize {
    if marker == 0xD9 {
        assert_eq!(
            &jpeg[jpeg.len() - 2..],
            &[0xFF, 0xD9],
            "a JPEG ends with EOI"
        );
        return jpeg.len() - 2;
    }
    let mut pos = 2;
    while let Some(&[0xFF, found, hi, lo]) = jpeg.get(pos..pos + 4) {
        if found == marker {
            return pos;
        }
        assert_ne!(found, 0xDA, "marker {marker:#x} is not in the header");
        pos += 2 + usize::from(u16::from_be_bytes([hi, lo]));
    }
    panic!("the header ends before marker {marker:#x}");
}

fn with_stray_bytes_before(jpeg: &[u8], marker: u8, stray: &[u8]) -> Vec<u8> {
    let at = segment_start(jpeg, marker);
    [&jpeg[..at], stray, &jpeg[at..]].concat()
}

#[test]
fn a_jpeg_with_stray_bytes_before_a_marker_is_accepted_as_libjpeg_accepts_it() {
    // libjpeg says "Corrupt JPEG data: 3 extraneous bytes before marker 0xc4"
    // and shows the photo; so do other viewers, so Vitrine must too.
    let clean = jpeg(&photo(800, 600, 22), 85);
    let expected = process(&clean);
    let garbage: Vec<u8> = (1..=38).collect();
    for (marker, stray) in [
        (0xC4, &[0x12, 0x34, 0x56][..]),
        (0xDA, &[0x00, 0x11][..]),
        (0xD9, &garbage[..]),
    ] {
        let odd = with_stray_bytes_before(&clean, marker, stray);

        let out = process_image(&odd, &PipelineOptions::default()).unwrap_or_else(|err| {
            panic!(
                "{} stray bytes before marker {marker:#x} must not refuse the photo: {err}",
                stray.len()
            )
        });

        assert_eq!(
            out.catalog_jpeg, expected.catalog_jpeg,
            "the stray bytes before {marker:#x} change nothing in the picture"
        );
    }
}

#[test]
fn a_jpeg_whose_frame_header_is_garbage_is_still_refused() {
    let clean = jpeg(&photo(800, 600, 23), 85);
    let mut broken = clean.clone();
    let sof = segment_start(&clean, 0xC0);
    let len = usize::from(u16::from_be_bytes([clean[sof + 2], clean[sof + 3]]));
    // The frame header (size, components) becomes stray bytes: no picture is described.
    for byte in &mut broken[sof..sof + 2 + len] {
        *byte = 0x5A;
    }

    let err = process_image(&broken, &PipelineOptions::default())
        .expect_err("a JPEG without its frame header cannot be read");

    assert!(
        matches!(err, MediaError::Corrupt { .. }),
        "refused as damaged: {err:?}"
    );
}
