//! The Share view's shapes across IPC, like [`crate::dto`]: camelCase, converted by exhaustive
//! destructuring so a new field on either side forces a decision here.

use serde::{Deserialize, Serialize};
use specta::Type;
use vitrine_app as app;
use vitrine_app::core::share as domain;

/// What a link or a QR code opens.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ShareTarget {
    /// Any address, encoded as given.
    Url { url: String },
    /// The WhatsApp catalog (a chat asking for it when a ref tag must ride along).
    Catalog { ref_tag: Option<String> },
    /// A chat with the shop, `text` prefilled.
    Chat {
        text: String,
        ref_tag: Option<String>,
    },
    /// One product: its WhatsApp item once Meta's id is known, else a chat with its order text.
    Product {
        sku: String,
        meta_id: Option<String>,
        ref_tag: Option<String>,
    },
}

impl From<ShareTarget> for app::ShareTarget {
    fn from(target: ShareTarget) -> Self {
        match target {
            ShareTarget::Url { url } => Self::Url { url },
            ShareTarget::Catalog { ref_tag } => Self::Catalog { ref_tag },
            ShareTarget::Chat { text, ref_tag } => Self::Chat { text, ref_tag },
            ShareTarget::Product {
                sku,
                meta_id,
                ref_tag,
            } => Self::Product {
                sku,
                meta_id,
                ref_tag,
            },
        }
    }
}

/// A `wa.me` link and, for a chat, the message it prefills (unencoded).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ShareLink {
    pub url: String,
    pub kind: domain::LinkKind,
    pub text: Option<String>,
}

impl From<domain::ShareLink> for ShareLink {
    fn from(link: domain::ShareLink) -> Self {
        let domain::ShareLink { url, kind, text } = link;
        Self { url, kind, text }
    }
}

/// How a QR code looks; colours `#rrggbb`.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QrOptions {
    /// PNG side in pixels (the SVG's display size).
    pub size_px: u32,
    pub foreground: Option<String>,
    pub background: Option<String>,
    /// The shop logo in the middle.
    pub logo: bool,
}

impl From<QrOptions> for app::QrOptions {
    fn from(options: QrOptions) -> Self {
        let QrOptions {
            size_px,
            foreground,
            background,
            logo,
        } = options;
        Self {
            size_px,
            foreground,
            background,
            logo,
        }
    }
}

/// A window poster to preview, save or print.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PosterRequest {
    /// `A4`, `A5`, `A6` or `Letter`.
    pub size: String,
    /// The first sets the headline; each other adds a line. Empty: the shop's languages.
    pub languages: Vec<String>,
    pub target: ShareTarget,
    pub headline: Option<String>,
    pub accent: Option<String>,
    pub qr_colour: Option<String>,
    pub logo: bool,
    pub photo: bool,
}

impl From<PosterRequest> for app::PosterRequest {
    fn from(request: PosterRequest) -> Self {
        let PosterRequest {
            size,
            languages,
            target,
            headline,
            accent,
            qr_colour,
            logo,
            photo,
        } = request;
        Self {
            size,
            languages,
            target: target.into(),
            headline,
            accent,
            qr_colour,
            logo,
            photo,
        }
    }
}

/// Which products get a shelf label.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum LabelSelection {
    Collection { collection: String },
    Products { keys: Vec<String> },
}

/// A sheet of shelf labels to preview, save or print.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LabelsRequest {
    /// `3x8`, `3x7`, `2x7`, `2x5` or `4x10`.
    pub layout: String,
    pub selection: LabelSelection,
    pub ref_tag: Option<String>,
    pub local_digits: bool,
}

impl From<LabelsRequest> for app::LabelsRequest {
    fn from(request: LabelsRequest) -> Self {
        let LabelsRequest {
            layout,
            selection,
            ref_tag,
            local_digits,
        } = request;
        Self {
            layout,
            selection: match selection {
                LabelSelection::Collection { collection } => {
                    app::LabelSelection::Collection { collection }
                }
                LabelSelection::Products { keys } => app::LabelSelection::Products { keys },
            },
            ref_tag,
            local_digits,
        }
    }
}

/// What was written (and, when printing, the file handed to the PDF viewer).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PrintSummary {
    pub pages: u32,
    pub labels: u32,
    pub bytes: u32,
    /// The address a poster's code opens (empty for labels).
    pub url: String,
    pub file: Option<String>,
}

impl From<app::PrintSummary> for PrintSummary {
    fn from(summary: app::PrintSummary) -> Self {
        let app::PrintSummary {
            pages,
            labels,
            bytes,
            url,
        } = summary;
        Self {
            pages,
            labels,
            bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
            url,
            file: None,
        }
    }
}

impl From<(app::PrintSummary, std::path::PathBuf)> for PrintSummary {
    fn from((summary, file): (app::PrintSummary, std::path::PathBuf)) -> Self {
        Self {
            file: Some(file.display().to_string()),
            ..summary.into()
        }
    }
}

/// A PNG preview as a `data:` URL the webview shows as it is.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(transparent)]
pub struct Preview(pub String);

impl From<Vec<u8>> for Preview {
    fn from(png: Vec<u8>) -> Self {
        use base64::Engine;
        Self(format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        ))
    }
}

/// A managed WhatsApp short link (`wa.me/message/<code>`).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ShortLink {
    pub code: String,
    pub message: String,
    pub url: String,
    pub updated_at: String,
    pub ref_tag: Option<String>,
}

impl From<app::ShortLink> for ShortLink {
    fn from(link: app::ShortLink) -> Self {
        let app::ShortLink {
            code,
            message,
            url,
            updated_at,
            ref_tag,
        } = link;
        Self {
            code,
            message,
            url,
            updated_at,
            ref_tag,
        }
    }
}

/// Several short links.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(transparent)]
pub struct ShortLinks(pub Vec<ShortLink>);

impl From<Vec<app::ShortLink>> for ShortLinks {
    fn from(links: Vec<app::ShortLink>) -> Self {
        Self(links.into_iter().map(ShortLink::from).collect())
    }
}

/// The prefilled order message of one language.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OrderText {
    pub language: String,
    pub template: String,
    pub is_default: bool,
}

impl From<app::OrderTextTemplate> for OrderText {
    fn from(template: app::OrderTextTemplate) -> Self {
        let app::OrderTextTemplate {
            language,
            template,
            is_default,
        } = template;
        Self {
            language,
            template,
            is_default,
        }
    }
}
