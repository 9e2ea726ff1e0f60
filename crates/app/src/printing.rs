//! Printing the shop: window posters with a QR code to the catalog, a chat or one product,
//! and sheets of shelf labels (price tags) for a collection or chosen products — as
//! print-ready PDFs, with PNG previews drawn from the same layout (vitrine-print).
//!
//! Texts come from the shop (name, number, logo, languages) and the built-in poster words of
//! each language, unless the merchant writes their own headline. Prices on labels are written
//! the way the shop's customers read them ([`vitrine_core::Money::to_local_string`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use vitrine_core::share::{poster_words, PosterSubject};
use vitrine_core::{LanguageTag, Product};
use vitrine_print::{
    Colour, Label, LabelLayout, LabelSheet, Palette, PaperSize, Poster, PosterLine, Printer,
};
use vitrine_store::{products, ProductFilter};

use crate::{AppError, InputField, ShareTarget, Vitrine};

/// A window poster to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PosterRequest {
    /// `A4`, `A5`, `A6` or `Letter`.
    pub size: String,
    /// The poster's languages: the first sets the headline, the others add a line each.
    /// Empty means the shop's languages.
    pub languages: Vec<String>,
    /// What the QR code opens (its ref tag, if any, tells which poster brought an order).
    pub target: ShareTarget,
    /// The merchant's own headline (in the first language); empty for the built-in one.
    pub headline: Option<String>,
    /// The band and frame colour, `#rrggbb`.
    pub accent: Option<String>,
    /// The QR code's colour, `#rrggbb`; refused when too light to scan.
    pub qr_colour: Option<String>,
    /// The shop logo on the band and in the middle of the QR code.
    pub logo: bool,
    /// A product poster shows the product's first photo beside the code.
    pub photo: bool,
}

/// Which products get a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum LabelSelection {
    /// Every product of a collection (name or id), in catalog order.
    Collection { collection: String },
    /// These products (SKU or id), in this order.
    Products { keys: Vec<String> },
}

/// A sheet of shelf labels to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelsRequest {
    /// `3x8`, `3x7`, `2x7`, `2x5` or `4x10` (A4 label sheets).
    pub layout: String,
    pub selection: LabelSelection,
    /// A ref tag in each label's QR code (a chat link, then, carrying the tag).
    pub ref_tag: Option<String>,
    /// Arabic-Indic (or Devanagari) digits in prices.
    pub local_digits: bool,
}

/// What was printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintSummary {
    pub pages: u32,
    pub labels: u32,
    pub bytes: u64,
    /// The address every QR code of a poster opens (empty for labels: one per product).
    pub url: String,
}

/// Page size of a collection read for labels.
const PAGE: u32 = 500;
/// Labels per request: 42 sheets of 24; a collection larger than that is printed in parts.
const MAX_LABELS: usize = 1_000;

impl Vitrine {
    /// The poster as a one-page PDF, and the address of its QR code.
    pub fn poster_pdf(&self, request: &PosterRequest) -> Result<(Vec<u8>, String), AppError> {
        let poster = self.poster(request)?;
        let pdf = Printer::new().poster_pdf(&poster).map_err(print_error)?;
        Ok((pdf, poster.qr_url))
    }

    /// The poster as a PNG at `dpi` (96 for the screen), for a live preview.
    pub fn poster_png(&self, request: &PosterRequest, dpi: f32) -> Result<Vec<u8>, AppError> {
        let poster = self.poster(request)?;
        Printer::new().poster_png(&poster, dpi).map_err(print_error)
    }

    /// Writes the poster's PDF to `dest` (atomically: a crash leaves no half file).
    pub fn save_poster(
        &self,
        request: &PosterRequest,
        dest: &Path,
    ) -> Result<PrintSummary, AppError> {
        let (pdf, url) = self.poster_pdf(request)?;
        crate::files::write_atomically(dest, &pdf)?;
        Ok(PrintSummary {
            pages: 1,
            labels: 0,
            bytes: pdf.len() as u64,
            url,
        })
    }

    /// The label sheets as one PDF.
    pub fn labels_pdf(&self, request: &LabelsRequest) -> Result<(Vec<u8>, LabelSheet), AppError> {
        let sheet = self.label_sheet(request)?;
        let pdf = Printer::new().labels_pdf(&sheet).map_err(print_error)?;
        Ok((pdf, sheet))
    }

    /// The first sheet as a PNG at `dpi`, the labels' outlines dashed.
    pub fn labels_png(&self, request: &LabelsRequest, dpi: f32) -> Result<Vec<u8>, AppError> {
        let sheet = self.label_sheet(request)?;
        Printer::new().labels_png(&sheet, dpi).map_err(print_error)
    }

    /// Writes the label sheets' PDF to `dest` (atomically).
    pub fn save_labels(
        &self,
        request: &LabelsRequest,
        dest: &Path,
    ) -> Result<PrintSummary, AppError> {
        let (pdf, sheet) = self.labels_pdf(request)?;
        crate::files::write_atomically(dest, &pdf)?;
        Ok(PrintSummary {
            pages: u32::try_from(sheet.page_count()).unwrap_or(u32::MAX),
            labels: u32::try_from(sheet.labels.len()).unwrap_or(u32::MAX),
            bytes: pdf.len() as u64,
            url: String::new(),
        })
    }

    /// Writes the poster to a new file in the catalog's `print` folder, to open in the
    /// system's PDF viewer and print from there; returns the summary and the file.
    pub fn poster_for_printing(
        &self,
        request: &PosterRequest,
    ) -> Result<(PrintSummary, PathBuf), AppError> {
        let dest = self.print_file("poster")?;
        Ok((self.save_poster(request, &dest)?, dest))
    }

    /// Writes the label sheets to a new file in the catalog's `print` folder.
    pub fn labels_for_printing(
        &self,
        request: &LabelsRequest,
    ) -> Result<(PrintSummary, PathBuf), AppError> {
        let dest = self.print_file("labels")?;
        Ok((self.save_labels(request, &dest)?, dest))
    }

    /// `<data dir>/print/<what>-<time>.pdf`; files older than a day are cleared first (the
    /// viewer has long read them).
    fn print_file(&self, what: &str) -> Result<PathBuf, AppError> {
        let dir = self.data_dir().join("print");
        let io = |e: std::io::Error| AppError::Unreadable {
            source_name: dir.display().to_string(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        let day = std::time::Duration::from_secs(24 * 3600);
        for entry in std::fs::read_dir(&dir).map_err(io)?.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > day));
            if old {
                // A file still open elsewhere may refuse; it goes next time.
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let stamp = self.now().format("%Y%m%d-%H%M%S%.3f");
        Ok(dir.join(format!("{what}-{stamp}.pdf")))
    }

    fn poster(&self, request: &PosterRequest) -> Result<Poster, AppError> {
        let shop = self.shop()?;
        let size: PaperSize = request
            .size
            .parse()
            .map_err(|e| AppError::invalid(InputField::Size, e))?;
        let languages = if request.languages.is_empty() {
            shop.languages.clone()
        } else {
            request
                .languages
                .iter()
                .map(|l| {
                    LanguageTag::parse(l).map_err(|e| AppError::invalid(InputField::Language, e))
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        let Some((language, others)) = languages.split_first() else {
            return Err(AppError::invalid(
                InputField::Language,
                "choose the poster's language",
            ));
        };
        let subject = match request.target {
            ShareTarget::Catalog { .. } => PosterSubject::Catalog,
            ShareTarget::Product { .. } => PosterSubject::Product,
            ShareTarget::Chat { .. } | ShareTarget::Url { .. } => PosterSubject::Chat,
        };
        let words = poster_words(language, subject);
        let headline = request
            .headline
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .unwrap_or(words.headline);
        let qr_url = self.share_url(&request.target)?;
        let phone_display = shop
            .phone
            .as_ref()
            .map(|p| p.international())
            .unwrap_or_default();
        let photo = match (&request.target, request.photo) {
            (ShareTarget::Product { sku, .. }, true) => {
                let product = self.find_product(sku)?;
                self.first_photo(&product)?
            }
            _ => None,
        };
        let logo = if request.logo {
            let hash = shop.logo.clone().ok_or_else(|| {
                AppError::invalid(
                    InputField::Logo,
                    "the shop has no logo; add one in the shop profile",
                )
            })?;
            Some(read_picture(&self.image_path(&hash), "the shop logo")?)
        } else {
            None
        };
        let mut palette = Palette::default();
        if let Some(accent) = colour(request.accent.as_deref())? {
            palette.accent = accent;
        }
        if let Some(qr) = colour(request.qr_colour.as_deref())? {
            palette.qr = qr;
        }
        Ok(Poster {
            size,
            language: language.clone(),
            shop_name: shop.name.clone(),
            logo,
            headline: headline.to_owned(),
            call_to_action: words.call_to_action.to_owned(),
            phone_display,
            qr_url,
            photo,
            lines: others
                .iter()
                .filter(|other| other.language() != language.language())
                .map(|other| PosterLine {
                    text: poster_words(other, subject).headline.to_owned(),
                    language: other.clone(),
                })
                .collect(),
            palette,
        })
    }

    fn label_sheet(&self, request: &LabelsRequest) -> Result<LabelSheet, AppError> {
        let layout: LabelLayout = request
            .layout
            .parse()
            .map_err(|e| AppError::invalid(InputField::Layout, e))?;
        let shop = self.shop()?;
        let language = shop
            .main_language()
            .cloned()
            .ok_or_else(|| AppError::invalid(InputField::Language, "the shop has no language"))?;
        let chosen = self.products_to_label(&request.selection)?;
        if chosen.is_empty() {
            return Err(AppError::invalid(
                InputField::Products,
                "there are no products to label",
            ));
        }
        if chosen.len() > MAX_LABELS {
            return Err(AppError::invalid(
                InputField::Products,
                format!(
                    "{} products is more than {MAX_LABELS} labels at once; print a smaller collection",
                    chosen.len()
                ),
            ));
        }
        let now = self.now();
        let mut labels = Vec::with_capacity(chosen.len());
        for product in &chosen {
            let price = product.effective_sale(now).unwrap_or(&product.draft.price);
            let link =
                self.product_link(product.draft.sku.as_str(), None, request.ref_tag.as_deref())?;
            labels.push(Label {
                title: product.draft.title.clone(),
                price_text: price.to_local_string(&language, request.local_digits),
                photo: self.first_thumbnail(product)?,
                qr_url: link.url,
                sku: product.draft.sku.as_str().to_owned(),
            });
        }
        Ok(LabelSheet {
            layout,
            labels,
            accent: Palette::default().accent,
        })
    }

    fn products_to_label(&self, selection: &LabelSelection) -> Result<Vec<Product>, AppError> {
        let storage = |e| AppError::from_store("reading the products to label", e);
        match selection {
            LabelSelection::Products { keys } => keys
                .iter()
                .filter(|k| !k.trim().is_empty())
                .map(|key| self.find_product(key.trim()))
                .collect(),
            LabelSelection::Collection { collection } => {
                let collection = self.find_collection(collection)?;
                let mut out = Vec::new();
                loop {
                    let filter = ProductFilter {
                        collection: Some(collection.id),
                        limit: PAGE,
                        offset: u32::try_from(out.len()).unwrap_or(u32::MAX),
                        ..ProductFilter::default()
                    };
                    let page = self
                        .store
                        .read(|c| products::list(c, &filter))
                        .map_err(storage)?;
                    let done = page.items.is_empty()
                        || out.len() + page.items.len() >= page.total as usize;
                    out.extend(page.items);
                    if done || out.len() > MAX_LABELS {
                        return Ok(out);
                    }
                }
            }
        }
    }

    /// The product's first photo as its catalog JPEG (upright, at most 2048 px).
    fn first_photo(&self, product: &Product) -> Result<Option<Vec<u8>>, AppError> {
        product
            .images
            .first()
            .map(|image| read_picture(&self.image_path(&image.hash), &product.draft.title))
            .transpose()
    }

    /// The product's first photo's 256-pixel thumbnail (plenty for a 3 cm label).
    fn first_thumbnail(&self, product: &Product) -> Result<Option<Vec<u8>>, AppError> {
        product
            .images
            .first()
            .map(|image| read_picture(&self.thumbnail_path(&image.hash), &product.draft.title))
            .transpose()
    }
}

fn colour(text: Option<&str>) -> Result<Option<Colour>, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse::<Colour>()
            .map(Some)
            .map_err(|e| AppError::invalid(InputField::Colour, e)),
    }
}

fn read_picture(path: &Path, what: &str) -> Result<Vec<u8>, AppError> {
    std::fs::read(path).map_err(|e| AppError::Unreadable {
        source_name: what.to_owned(),
        message: e.to_string(),
    })
}

fn print_error(e: vitrine_print::PrintError) -> AppError {
    match e {
        vitrine_print::PrintError::UnreadableQrColour(_) => {
            AppError::invalid(InputField::Colour, e)
        }
        vitrine_print::PrintError::UnknownPaperSize(_) => AppError::invalid(InputField::Size, e),
        vitrine_print::PrintError::UnknownLabelLayout(_) => {
            AppError::invalid(InputField::Layout, e)
        }
        vitrine_print::PrintError::NoLabels => AppError::invalid(InputField::Products, e),
        other => AppError::invalid(InputField::Print, other),
    }
}
