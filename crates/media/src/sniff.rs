//! Recognising a file's format from its first bytes, never from its name.

use std::fmt;

use crate::MediaError;

/// The formats the pipeline accepts as input.
///
/// JPEG, PNG and WebP are read by pure-Rust decoders compiled in. HEIC (an
/// iPhone's default) and AVIF are read by libheif, a system library loaded
/// when the first such photo arrives (see [`crate::HeifDecoder`]): building
/// needs neither libheif nor a C toolchain, and a computer without it refuses
/// these photos with [`MediaError::DecoderMissing`], which says what to install.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    Jpeg,
    Png,
    WebP,
    /// HEIF with HEVC-coded pictures (`.heic`, `.heif`); any HEIF that is not AVIF.
    Heic,
    /// HEIF with AV1-coded pictures (`.avif`).
    Avif,
}

impl SourceFormat {
    /// The name a shop owner knows the format by.
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "JPEG",
            SourceFormat::Png => "PNG",
            SourceFormat::WebP => "WebP",
            SourceFormat::Heic => "HEIC",
            SourceFormat::Avif => "AVIF",
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Decides from the magic bytes whether `bytes` is an accepted image, a known
/// but refused image format, or not an image at all.
pub(crate) fn sniff(bytes: &[u8]) -> Result<SourceFormat, MediaError> {
    if let Some(format) = iso_media_format(bytes) {
        return Ok(format);
    }
    let Ok(format) = image::guess_format(bytes) else {
        return Err(MediaError::NotAnImage);
    };
    use image::ImageFormat as F;
    match format {
        F::Jpeg => Ok(SourceFormat::Jpeg),
        F::Png => Ok(SourceFormat::Png),
        F::WebP => Ok(SourceFormat::WebP),
        // Two-byte signatures that ordinary text can start with: only believe
        // them when the rest of the header is plausible.
        F::Bmp if !plausible_bmp(bytes) => Err(MediaError::NotAnImage),
        F::Pnm if !bytes.get(2).is_some_and(u8::is_ascii_whitespace) => Err(MediaError::NotAnImage),
        F::Ico if bytes.get(4..6) == Some(&[0, 0]) => Err(MediaError::NotAnImage),
        other => Err(unsupported(refused_name(other))),
    }
}

fn unsupported(format: &str) -> MediaError {
    MediaError::Unsupported {
        format: format.to_owned(),
    }
}

fn refused_name(format: image::ImageFormat) -> &'static str {
    use image::ImageFormat as F;
    match format {
        F::Gif => "GIF",
        F::Bmp => "BMP",
        F::Tiff => "TIFF",
        F::Ico => "ICO",
        F::Avif => "AVIF",
        F::Dds => "DDS",
        F::Hdr => "HDR",
        F::OpenExr => "OpenEXR",
        F::Pnm => "PNM",
        F::Qoi => "QOI",
        F::Tga => "TGA",
        F::Farbfeld => "Farbfeld",
        _ => "This image format",
    }
}

/// HEIC/HEIF/AVIF live in an ISO media container: `....ftyp<brand>`.
fn iso_media_format(bytes: &[u8]) -> Option<SourceFormat> {
    if bytes.get(4..8) != Some(b"ftyp") {
        return None;
    }
    let box_len = bytes
        .get(0..4)
        .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let end = box_len.clamp(12, 64).min(bytes.len());
    // Major brand at 8..12, then minor version, then compatible brands.
    let brands = std::iter::once(bytes.get(8..12))
        .chain(
            bytes
                .get(16..end)
                .into_iter()
                .flat_map(|b| b.chunks_exact(4))
                .map(Some),
        )
        .flatten();
    let mut heif = false;
    for brand in brands {
        match brand {
            b"avif" | b"avis" => return Some(SourceFormat::Avif),
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"hevm" | b"hevs"
            | b"mif1" | b"msf1" => heif = true,
            _ => {}
        }
    }
    heif.then_some(SourceFormat::Heic)
}

fn plausible_bmp(bytes: &[u8]) -> bool {
    let Some(header) = bytes.get(14..18) else {
        return false;
    };
    let dib_len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
    matches!(dib_len, 12 | 16 | 40 | 52 | 56 | 64 | 108 | 124)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iphone_heic_header_is_recognised_as_heic() {
        let header = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(sniff(header), Ok(SourceFormat::Heic));
    }

    #[test]
    fn an_avif_declared_only_in_compatible_brands_is_recognised_as_avif() {
        let header = b"\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf";
        assert_eq!(
            sniff(header),
            Ok(SourceFormat::Avif),
            "an AVIF needs the AV1 decoder, whatever its major brand"
        );
    }

    #[test]
    fn an_mp4_video_is_not_taken_for_a_photo() {
        let header = b"\0\0\0\x18ftypisom\0\0\0\0isommp42";
        assert_eq!(sniff(header), Err(MediaError::NotAnImage));
    }

    #[test]
    fn text_that_starts_like_a_bmp_or_pnm_is_not_an_image() {
        assert_eq!(
            sniff(b"BMW price list: 10 cars"),
            Err(MediaError::NotAnImage),
            "\"BM\" alone is not enough to call a text a bitmap"
        );
        assert_eq!(sniff(b"P1-P3 notes"), Err(MediaError::NotAnImage));
    }

    #[test]
    fn a_real_bmp_header_is_refused_as_bmp() {
        let mut header = b"BM\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
        header.extend_from_slice(&40u32.to_le_bytes());
        assert_eq!(sniff(&header), Err(unsupported("BMP")));
    }

    #[test]
    fn empty_input_is_not_an_image() {
        assert_eq!(sniff(&[]), Err(MediaError::NotAnImage));
    }
}
