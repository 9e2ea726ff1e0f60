//! Turning an import file's bytes into text: which encoding the shop owner's computer wrote.
//!
//! A byte-order mark decides (UTF-8, or UTF-16 as Excel's "Unicode text" writes it); then a
//! file that is valid UTF-8 is UTF-8; anything else was written in a legacy code page (Excel's
//! "CSV" in pt-BR, es, fr or id writes Windows-1252, in Arabic Windows-1256), guessed by
//! `chardetng` from its letters. A guess is marked [`DecodedText::guessed`] so the app can
//! show it and let the owner choose another.

use encoding_rs::Encoding;
use serde::{Deserialize, Serialize};

/// The text encodings an import file is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// Western European (Latin-1 as Windows writes it): pt, es, fr, id, en.
    Windows1252,
    /// Central European.
    Windows1250,
    /// Cyrillic.
    Windows1251,
    /// Greek.
    Windows1253,
    /// Turkish.
    Windows1254,
    /// Hebrew.
    Windows1255,
    /// Arabic.
    Windows1256,
    /// Vietnamese.
    Windows1258,
    /// Thai.
    Windows874,
    ShiftJis,
    Gbk,
    Big5,
    EucKr,
}

impl TextEncoding {
    /// Every encoding, in the order a chooser lists them.
    pub const ALL: [TextEncoding; 16] = [
        Self::Utf8,
        Self::Utf16Le,
        Self::Utf16Be,
        Self::Windows1252,
        Self::Windows1250,
        Self::Windows1251,
        Self::Windows1253,
        Self::Windows1254,
        Self::Windows1255,
        Self::Windows1256,
        Self::Windows1258,
        Self::Windows874,
        Self::ShiftJis,
        Self::Gbk,
        Self::Big5,
        Self::EucKr,
    ];

    fn encoding(self) -> &'static Encoding {
        match self {
            Self::Utf8 => encoding_rs::UTF_8,
            Self::Utf16Le => encoding_rs::UTF_16LE,
            Self::Utf16Be => encoding_rs::UTF_16BE,
            Self::Windows1252 => encoding_rs::WINDOWS_1252,
            Self::Windows1250 => encoding_rs::WINDOWS_1250,
            Self::Windows1251 => encoding_rs::WINDOWS_1251,
            Self::Windows1253 => encoding_rs::WINDOWS_1253,
            Self::Windows1254 => encoding_rs::WINDOWS_1254,
            Self::Windows1255 => encoding_rs::WINDOWS_1255,
            Self::Windows1256 => encoding_rs::WINDOWS_1256,
            Self::Windows1258 => encoding_rs::WINDOWS_1258,
            Self::Windows874 => encoding_rs::WINDOWS_874,
            Self::ShiftJis => encoding_rs::SHIFT_JIS,
            Self::Gbk => encoding_rs::GBK,
            Self::Big5 => encoding_rs::BIG5,
            Self::EucKr => encoding_rs::EUC_KR,
        }
    }

    /// The encoding `chardetng` named, when it is one Vitrine offers; ISO-8859 pages map to
    /// the Windows page that contains them (as WHATWG's encoding standard does for Latin-1).
    fn of(encoding: &'static Encoding) -> Option<Self> {
        let alias = [
            (encoding_rs::ISO_8859_2, Self::Windows1250),
            (encoding_rs::ISO_8859_5, Self::Windows1251),
            (encoding_rs::KOI8_R, Self::Windows1251),
            (encoding_rs::ISO_8859_7, Self::Windows1253),
            (encoding_rs::ISO_8859_8, Self::Windows1255),
            (encoding_rs::ISO_8859_6, Self::Windows1256),
            (encoding_rs::EUC_JP, Self::ShiftJis),
            (encoding_rs::GB18030, Self::Gbk),
        ];
        Self::ALL
            .into_iter()
            .find(|e| e.encoding() == encoding)
            .or_else(|| alias.iter().find(|(e, _)| *e == encoding).map(|(_, t)| *t))
    }

    /// The name a shop owner meets in a spreadsheet's "Save as" dialog.
    pub fn label(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16 (Unicode text)",
            Self::Utf16Be => "UTF-16 big-endian",
            Self::Windows1252 => "Windows-1252 (Western)",
            Self::Windows1250 => "Windows-1250 (Central European)",
            Self::Windows1251 => "Windows-1251 (Cyrillic)",
            Self::Windows1253 => "Windows-1253 (Greek)",
            Self::Windows1254 => "Windows-1254 (Turkish)",
            Self::Windows1255 => "Windows-1255 (Hebrew)",
            Self::Windows1256 => "Windows-1256 (Arabic)",
            Self::Windows1258 => "Windows-1258 (Vietnamese)",
            Self::Windows874 => "Windows-874 (Thai)",
            Self::ShiftJis => "Shift_JIS (Japanese)",
            Self::Gbk => "GBK (Simplified Chinese)",
            Self::Big5 => "Big5 (Traditional Chinese)",
            Self::EucKr => "EUC-KR (Korean)",
        }
    }
}

impl std::str::FromStr for TextEncoding {
    type Err = String;

    /// Accepts the usual names: `utf-8`, `utf-16`, `windows-1252`, `latin1`, `cp1256`…
    fn from_str(text: &str) -> Result<Self, String> {
        let wanted = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let named = match wanted.as_str() {
            "utf8" | "utf-8" => Some(Self::Utf8),
            "utf-16" | "utf16" | "utf-16le" | "unicode" => Some(Self::Utf16Le),
            "utf-16be" => Some(Self::Utf16Be),
            "latin1" | "latin-1" | "iso-8859-1" | "ansi" => Some(Self::Windows1252),
            _ => None,
        };
        named
            .or_else(|| {
                let page = wanted.strip_prefix("cp").map(|n| format!("windows-{n}"));
                Encoding::for_label(page.as_deref().unwrap_or(&wanted).as_bytes())
                    .and_then(Self::of)
            })
            .ok_or_else(|| {
                format!("“{text}” is not an encoding Vitrine reads; try utf-8, utf-16, windows-1252 or windows-1256")
            })
    }
}

impl std::fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// An import file's text and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodedText {
    pub text: String,
    pub encoding: TextEncoding,
    /// True when nothing in the file said its encoding (no byte-order mark, not UTF-8).
    pub guessed: bool,
    /// True when some bytes were not text in `encoding` (shown as �).
    pub had_errors: bool,
}

/// Reads `bytes` in `chosen` or, when `None`, in the encoding the file itself shows.
pub(crate) fn decode(bytes: &[u8], chosen: Option<TextEncoding>) -> DecodedText {
    let (bom, body) = match Encoding::for_bom(bytes) {
        Some((encoding, len)) => (TextEncoding::of(encoding), &bytes[len..]),
        None => (None, bytes),
    };
    let (encoding, guessed) = match (chosen, bom) {
        (Some(chosen), _) => (chosen, false),
        (None, Some(bom)) => (bom, false),
        // Zero bytes are valid UTF-8 but no text file has them: UTF-16 first.
        (None, None) => match utf16_without_bom(body) {
            Some(utf16) => (utf16, true),
            None if std::str::from_utf8(body).is_ok() => (TextEncoding::Utf8, false),
            None => (guess_legacy(body), true),
        },
    };
    let body = if chosen.is_some() && bom != Some(encoding) {
        bytes
    } else {
        body
    };
    let (text, had_errors) = encoding.encoding().decode_without_bom_handling(body);
    DecodedText {
        text: text.into_owned(),
        encoding,
        guessed,
        had_errors,
    }
}

/// UTF-16 with no byte-order mark: text in Latin letters has a zero in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<TextEncoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let zeros_at = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = sample.len() / 2;
    if zeros_at(1) * 10 >= half * 8 && zeros_at(0) == 0 {
        Some(TextEncoding::Utf16Le)
    } else if zeros_at(0) * 10 >= half * 8 && zeros_at(1) == 0 {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

fn guess_legacy(bytes: &[u8]) -> TextEncoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    TextEncoding::of(guess).unwrap_or(TextEncoding::Windows1252)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_decides_and_is_not_part_of_the_text() {
        let utf8 = decode(b"\xEF\xBB\xBFid,title", None);
        assert_eq!(
            (utf8.text.as_str(), utf8.encoding),
            ("id,title", TextEncoding::Utf8)
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("id\tTítulo".encode_utf16().flat_map(u16::to_le_bytes));
        let read = decode(&utf16, None);
        assert_eq!(read.text, "id\tTítulo");
        assert_eq!(read.encoding, TextEncoding::Utf16Le);
        assert!(!read.guessed, "a byte-order mark is not a guess");
    }

    #[test]
    fn excel_portuguese_csv_is_read_as_windows_1252() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1252.encode("id;título;preço\nCAN-1;Caneca de cerâmica;89,90\n");
        let read = decode(&bytes, None);
        assert_eq!(read.encoding, TextEncoding::Windows1252);
        assert!(read.guessed);
        assert!(read.text.contains("Caneca de cerâmica"), "{}", read.text);
    }

    #[test]
    fn arabic_written_by_windows_is_read_as_windows_1256() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256
            .encode("id,title\nSA-1,ساعة يد رجالية فاخرة مقاومة للماء\nSA-2,حقيبة جلدية نسائية\n");
        let read = decode(&bytes, None);
        assert_eq!(read.encoding, TextEncoding::Windows1256);
        assert!(read.text.contains("ساعة يد"), "{}", read.text);
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_recognised() {
        let bytes: Vec<u8> = "id\ttitle\nA\tMug\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let read = decode(&bytes, None);
        assert_eq!(read.encoding, TextEncoding::Utf16Le);
        assert_eq!(read.text, "id\ttitle\nA\tMug\n");
    }

    #[test]
    fn an_encoding_the_owner_chose_wins_over_the_guess() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("título");
        let read = decode(&bytes, Some(TextEncoding::Windows1250));
        assert_eq!(read.encoding, TextEncoding::Windows1250);
        assert!(!read.guessed);
    }
}
