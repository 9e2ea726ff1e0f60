//! Meta's catalog rules, checked before upload.
//!
//! The rules are a table ([`RULES`]) of named checks with a severity and the field they
//! concern; limits are the constants in [`limits`]. An [`Severity::Error`] blocks a product
//! from syncing; a [`Severity::Warning`] informs. Sources: `shared/spec/meta-api.md` §1.3,
//! §9 and §11 (title: warn above 65, block above 150; description: block above 5,000).

use serde::{Deserialize, Serialize};

use crate::product::Product;
use crate::text::{char_len, contains_html, contains_link, contains_word, fold, is_all_caps};

pub mod limits {
    pub const TITLE_RECOMMENDED_CHARS: usize = 65;
    pub const TITLE_MAX_CHARS: usize = 150;
    pub const DESCRIPTION_MAX_CHARS: usize = 5_000;
    pub const BRAND_MAX_CHARS: usize = 100;
    pub const LINK_MAX_CHARS: usize = 2_000;
    pub const MIN_IMAGE_SIDE_PX: u32 = 500;
    pub const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;
    pub const MAX_ADDITIONAL_IMAGES: usize = 20;
    pub const MAX_VARIANT_ATTRIBUTES: usize = 4;
    pub const GROUP_ID_MAX_CHARS: usize = 100;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks "ready to sync".
    Error,
    Warning,
}

/// The product field a finding is about, so an editor can show it next to that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum FindingField {
    Title,
    Description,
    Brand,
    Price,
    SalePrice,
    Availability,
    Link,
    Images,
    Variant,
    Translations,
}

/// Stable identifiers of the rules, for tests, filters and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleId {
    TitleTooLong,
    TitleLong,
    TitleAllCaps,
    TitleHasHtml,
    DescriptionMissing,
    DescriptionTooLong,
    DescriptionSameAsTitle,
    DescriptionAllCaps,
    DescriptionHasHtml,
    DescriptionHasLink,
    BrandMissing,
    BrandTooLong,
    PriceZero,
    SaleNotLower,
    LinkMissing,
    LinkInvalid,
    ImageMissing,
    ImageTooSmall,
    ImageTooHeavy,
    TooManyImages,
    TooManyVariantAttributes,
    GroupIdTooLong,
    StockContradictsAvailability,
    ProhibitedCategory,
    TranslationTooLong,
    TranslationHasHtml,
}

impl RuleId {
    pub fn as_str(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_default()
            .trim_matches('"')
            .to_owned()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub field: FindingField,
    /// What is wrong and how to fix it, for a shop owner.
    pub message: String,
}

/// What the rules need to know beyond the product itself.
#[derive(Debug, Clone, Default)]
pub struct PreflightContext {
    /// The shop's default brand, used when a product has none.
    pub shop_brand: String,
    /// A storefront page URL that stands in for a missing product link.
    pub storefront_url: Option<String>,
}

type Check = fn(&Product, &PreflightContext) -> Vec<String>;

pub struct Rule {
    pub id: RuleId,
    pub severity: Severity,
    pub field: FindingField,
    pub check: Check,
}

fn one(cond: bool, message: impl FnOnce() -> String) -> Vec<String> {
    if cond {
        vec![message()]
    } else {
        Vec::new()
    }
}

use limits::*;

/// Every rule, in the order findings are reported.
pub static RULES: &[Rule] = &[
    Rule {
        id: RuleId::TitleTooLong,
        severity: Severity::Error,
        field: FindingField::Title,
        check: |p, _| {
            let n = char_len(&p.draft.title);
            one(n > TITLE_MAX_CHARS, || {
                format!("The title has {n} characters; Meta accepts at most {TITLE_MAX_CHARS}. Shorten it.")
            })
        },
    },
    Rule {
        id: RuleId::TitleLong,
        severity: Severity::Warning,
        field: FindingField::Title,
        check: |p, _| {
            let n = char_len(&p.draft.title);
            one(n > TITLE_RECOMMENDED_CHARS && n <= TITLE_MAX_CHARS, || {
                format!("The title has {n} characters; WhatsApp shows about {TITLE_RECOMMENDED_CHARS}, the rest is cut off.")
            })
        },
    },
    Rule {
        id: RuleId::TitleAllCaps,
        severity: Severity::Warning,
        field: FindingField::Title,
        check: |p, _| {
            one(is_all_caps(&p.draft.title), || {
                "The title is all in capital letters; Meta may reject shouting text.".to_owned()
            })
        },
    },
    Rule {
        id: RuleId::TitleHasHtml,
        severity: Severity::Error,
        field: FindingField::Title,
        check: |p, _| {
            one(contains_html(&p.draft.title), || {
                "The title contains HTML; use plain text.".to_owned()
            })
        },
    },
    Rule {
        id: RuleId::DescriptionMissing,
        severity: Severity::Error,
        field: FindingField::Description,
        check: |p, _| {
            one(p.draft.description.trim().is_empty(), || {
                "Meta requires a description. Describe the product in a sentence or two.".to_owned()
            })
        },
    },
    Rule {
        id: RuleId::DescriptionTooLong,
        severity: Severity::Error,
        field: FindingField::Description,
        check: |p, _| {
            let n = char_len(&p.draft.description);
            one(n > DESCRIPTION_MAX_CHARS, || {
                format!("The description has {n} characters; Meta accepts at most {DESCRIPTION_MAX_CHARS}.")
            })
        },
    },
    Rule {
        id: RuleId::DescriptionSameAsTitle,
        severity: Severity::Error,
        field: FindingField::Description,
        check: |p, _| {
            let d = p.draft.description.trim();
            one(
                !d.is_empty() && fold(d) == fold(p.draft.title.trim()),
                || {
                    "The description repeats the title; Meta requires it to say something more."
                        .to_owned()
                },
            )
        },
    },
    Rule {
        id: RuleId::DescriptionAllCaps,
        severity: Severity::Warning,
        field: FindingField::Description,
        check: |p, _| {
            one(is_all_caps(&p.draft.description), || {
                "The description is all in capital letters; Meta may reject shouting text."
                    .to_owned()
            })
        },
    },
    Rule {
        id: RuleId::DescriptionHasHtml,
        severity: Severity::Error,
        field: FindingField::Description,
        check: |p, _| {
            one(contains_html(&p.draft.description), || {
                "The description contains HTML tags; Meta needs plain text.".to_owned()
            })
        },
    },
    Rule {
        id: RuleId::DescriptionHasLink,
        severity: Severity::Error,
        field: FindingField::Description,
        check: |p, _| {
            one(contains_link(&p.draft.description), || {
                "The description contains a web link; Meta does not allow links there. Put it in the product link field.".to_owned()
            })
        },
    },
    Rule {
        id: RuleId::BrandMissing,
        severity: Severity::Error,
        field: FindingField::Brand,
        check: |p, ctx| {
            one(
                p.draft.brand.trim().is_empty() && ctx.shop_brand.trim().is_empty(),
                || {
                    "Meta requires a brand. Enter one here, or set a default brand in the shop settings.".to_owned()
                },
            )
        },
    },
    Rule {
        id: RuleId::BrandTooLong,
        severity: Severity::Error,
        field: FindingField::Brand,
        check: |p, _| {
            let n = char_len(&p.draft.brand);
            one(n > BRAND_MAX_CHARS, || {
                format!("The brand has {n} characters; Meta accepts at most {BRAND_MAX_CHARS}.")
            })
        },
    },
    Rule {
        id: RuleId::PriceZero,
        severity: Severity::Warning,
        field: FindingField::Price,
        check: |p, _| {
            one(p.draft.price.minor() == 0, || {
                "The price is zero; customers will see it as free.".to_owned()
            })
        },
    },
    Rule {
        id: RuleId::SaleNotLower,
        severity: Severity::Error,
        field: FindingField::SalePrice,
        check: |p, _| match &p.draft.sale {
            Some(sale) => one(sale.price.minor() >= p.draft.price.minor(), || {
                format!(
                    "The sale price {} is not lower than the price {}; Meta rejects it.",
                    sale.price, p.draft.price
                )
            }),
            None => Vec::new(),
        },
    },
    Rule {
        id: RuleId::LinkMissing,
        severity: Severity::Error,
        field: FindingField::Link,
        check: |p, ctx| {
            let missing = p.draft.link.as_deref().is_none_or(|l| l.trim().is_empty());
            one(missing && ctx.storefront_url.is_none(), || {
                "Meta requires a product link. Enter the product's web page, or publish the storefront page so Vitrine can link to it.".to_owned()
            })
        },
    },
    Rule {
        id: RuleId::LinkInvalid,
        severity: Severity::Error,
        field: FindingField::Link,
        check: |p, _| {
            let Some(link) = p
                .draft
                .link
                .as_deref()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            else {
                return Vec::new();
            };
            let lower = link.to_ascii_lowercase();
            let host = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"))
                .map(|rest| {
                    rest.split(['/', '?', '#', ':'])
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                });
            match host {
            None => vec![format!("The link “{link}” must start with http:// or https://.")],
            Some(h) if h.is_empty() || !h.contains('.') || link.contains(char::is_whitespace) => vec![format!("The link “{link}” is not a web address.")],
            Some(h) if ["facebook.com", "fb.com", "instagram.com", "whatsapp.com", "wa.me"].iter().any(|d| h == *d || h.ends_with(&format!(".{d}"))) =>
                vec!["The link must point to your own website, not to Facebook, Instagram or WhatsApp.".to_owned()],
            Some(_) if char_len(link) > LINK_MAX_CHARS => vec![format!("The link is longer than {LINK_MAX_CHARS} characters.")],
            Some(_) => Vec::new(),
        }
        },
    },
    Rule {
        id: RuleId::ImageMissing,
        severity: Severity::Error,
        field: FindingField::Images,
        check: |p, _| {
            one(p.images.is_empty(), || {
                "Meta requires at least one photo. Add a photo of the product.".to_owned()
            })
        },
    },
    Rule {
        id: RuleId::ImageTooSmall,
        severity: Severity::Error,
        field: FindingField::Images,
        check: |p, _| {
            p.images.iter().enumerate().filter(|(_, i)| i.width < MIN_IMAGE_SIDE_PX || i.height < MIN_IMAGE_SIDE_PX)
            .map(|(n, i)| format!("Photo {} is {}×{} pixels; Meta needs at least {MIN_IMAGE_SIDE_PX}×{MIN_IMAGE_SIDE_PX}.", n + 1, i.width, i.height)).collect()
        },
    },
    Rule {
        id: RuleId::ImageTooHeavy,
        severity: Severity::Error,
        field: FindingField::Images,
        check: |p, _| {
            p.images
                .iter()
                .enumerate()
                .filter(|(_, i)| i.byte_len > MAX_IMAGE_BYTES)
                .map(|(n, i)| {
                    format!(
                        "Photo {} is {:.1} MB; Meta accepts at most 8 MB.",
                        n + 1,
                        i.byte_len as f64 / 1_048_576.0
                    )
                })
                .collect()
        },
    },
    Rule {
        id: RuleId::TooManyImages,
        severity: Severity::Error,
        field: FindingField::Images,
        check: |p, _| {
            let extra = p.images.len().saturating_sub(1);
            one(extra > MAX_ADDITIONAL_IMAGES, || {
                format!("The product has {} photos; Meta takes one main photo and at most {MAX_ADDITIONAL_IMAGES} more.", p.images.len())
            })
        },
    },
    Rule {
        id: RuleId::TooManyVariantAttributes,
        severity: Severity::Error,
        field: FindingField::Variant,
        check: |p, _| {
            let n = p.draft.variant.as_ref().map_or(0, |v| v.attributes.len());
            one(n > MAX_VARIANT_ATTRIBUTES, || {
                format!("The variant has {n} attributes; WhatsApp supports at most {MAX_VARIANT_ATTRIBUTES} (for example size, colour, material, pattern).")
            })
        },
    },
    Rule {
        id: RuleId::GroupIdTooLong,
        severity: Severity::Error,
        field: FindingField::Variant,
        check: |p, _| {
            let n = p
                .draft
                .variant
                .as_ref()
                .map_or(0, |v| char_len(&v.group_id));
            one(n > GROUP_ID_MAX_CHARS, || {
                format!("The variant group code has {n} characters; Meta accepts at most {GROUP_ID_MAX_CHARS}.")
            })
        },
    },
    Rule {
        id: RuleId::StockContradictsAvailability,
        severity: Severity::Warning,
        field: FindingField::Availability,
        check: |p, _| {
            one(
                p.draft.stock == Some(0)
                    && p.draft.availability == crate::product::Availability::InStock,
                || {
                    "The stock is 0 but the product is marked “in stock”; customers may order what you do not have.".to_owned()
                },
            )
        },
    },
    Rule {
        id: RuleId::ProhibitedCategory,
        severity: Severity::Warning,
        field: FindingField::Title,
        check: |p, _| {
            let mut text = format!("{} {}", p.draft.title, p.draft.description);
            for t in &p.draft.translations {
                text.push(' ');
                text.push_str(&t.title);
                text.push(' ');
                text.push_str(&t.description);
            }
            let folded = fold(&text);
            prohibited_folded().iter().filter_map(|(category, words)| {
            words.iter().find(|(_, f)| contains_word(&folded, f)).map(|(w, _)| format!(
                "“{w}” suggests {category}, which WhatsApp's Commerce Policy does not allow in catalogs; the product may be rejected."))
        }).collect()
        },
    },
    Rule {
        id: RuleId::TranslationTooLong,
        severity: Severity::Error,
        field: FindingField::Translations,
        check: |p, _| {
            p.draft.translations.iter().filter_map(|t| {
            let (tl, dl) = (char_len(&t.title), char_len(&t.description));
            (tl > TITLE_MAX_CHARS || dl > DESCRIPTION_MAX_CHARS).then(|| format!(
                "The {} translation is too long (title {tl}/{TITLE_MAX_CHARS}, description {dl}/{DESCRIPTION_MAX_CHARS} characters).", t.language))
        }).collect()
        },
    },
    Rule {
        id: RuleId::TranslationHasHtml,
        severity: Severity::Error,
        field: FindingField::Translations,
        check: |p, _| {
            p.draft
                .translations
                .iter()
                .filter(|t| contains_html(&t.title) || contains_html(&t.description))
                .map(|t| {
                    format!(
                        "The {} translation contains HTML; use plain text.",
                        t.language
                    )
                })
                .collect()
        },
    },
];

/// Commerce Policy categories and words that suggest them, in the languages of Vitrine's
/// markets. A match is only a warning: the merchant knows their product.
pub static PROHIBITED: &[(&str, &[&str])] = &[
    (
        "tobacco",
        &[
            "cigarette",
            "cigarettes",
            "cigar",
            "vape",
            "e-cigarette",
            "tobacco",
            "hookah",
            "shisha",
            "cigarro",
            "cigarros",
            "tabaco",
            "rokok",
            "tembakau",
            "vape pod",
            "سجائر",
            "سيجارة",
            "شيشة",
            "تبغ",
            "सिगरेट",
            "तंबाकू",
            "हुक्का",
        ],
    ),
    (
        "alcohol",
        &[
            "beer",
            "wine",
            "vodka",
            "whisky",
            "whiskey",
            "rum",
            "gin",
            "tequila",
            "cachaça",
            "cerveja",
            "vinho",
            "cerveza",
            "vino",
            "bir",
            "anggur merah",
            "arak",
            "بيرة",
            "نبيذ",
            "خمر",
            "शराब",
            "बीयर",
            "वाइन",
        ],
    ),
    (
        "weapons",
        &[
            "gun",
            "pistol",
            "rifle",
            "ammunition",
            "ammo",
            "firearm",
            "arma de fogo",
            "munição",
            "pistola",
            "senjata api",
            "amunisi",
            "مسدس",
            "بندقية",
            "ذخيرة",
            "बंदूक",
            "पिस्तौल",
            "गोला-बारूद",
        ],
    ),
    (
        "drugs and medicines",
        &[
            "cannabis",
            "marijuana",
            "cbd",
            "viagra",
            "prescription",
            "antibiotic",
            "antibiotics",
            "maconha",
            "remédio controlado",
            "ganja",
            "obat keras",
            "حشيش",
            "ماريجوانا",
            "مضاد حيوي",
            "गांजा",
            "दवा",
        ],
    ),
    (
        "live animals",
        &[
            "puppy",
            "puppies",
            "kitten",
            "kittens",
            "live animal",
            "filhote",
            "filhotes",
            "cachorro à venda",
            "anak anjing",
            "جرو",
            "قطط للبيع",
            "पिल्ला",
        ],
    ),
    (
        "adult products",
        &[
            "sex toy",
            "adult toy",
            "erotic",
            "vibrator",
            "brinquedo erótico",
            "mainan dewasa",
            "ألعاب جنسية",
        ],
    ),
    (
        "gambling",
        &[
            "casino",
            "lottery ticket",
            "betting",
            "aposta",
            "cassino",
            "judi",
            "قمار",
            "जुआ",
        ],
    ),
];

/// [`PROHIBITED`] with each keyword also folded, computed once.
type FoldedCategory = (&'static str, Vec<(&'static str, String)>);

fn prohibited_folded() -> &'static [FoldedCategory] {
    static FOLDED: std::sync::OnceLock<Vec<FoldedCategory>> = std::sync::OnceLock::new();
    FOLDED.get_or_init(|| {
        PROHIBITED
            .iter()
            .map(|(category, words)| (*category, words.iter().map(|w| (*w, fold(w))).collect()))
            .collect()
    })
}

/// Runs every rule on a product. Errors come before warnings, each in table order.
pub fn check_product(product: &Product, ctx: &PreflightContext) -> Vec<Finding> {
    let mut findings: Vec<Finding> = RULES
        .iter()
        .flat_map(|rule| {
            (rule.check)(product, ctx)
                .into_iter()
                .map(move |message| Finding {
                    rule: rule.id,
                    severity: rule.severity,
                    field: rule.field,
                    message,
                })
        })
        .collect();
    findings.sort_by_key(|f| f.severity);
    findings
}

/// Identifies this rule set (rule ids and keyword count); cached results computed with a
/// different fingerprint are stale.
pub fn rules_fingerprint() -> String {
    let ids: Vec<String> = RULES.iter().map(|r| r.id.as_str()).collect();
    let keywords: usize = PROHIBITED.iter().map(|(_, words)| words.len()).sum();
    format!(
        "{}|{keywords}|{}|{}",
        ids.join(","),
        limits::TITLE_MAX_CHARS,
        limits::DESCRIPTION_MAX_CHARS
    )
}

/// True when nothing blocks the product from syncing.
pub fn is_publishable(findings: &[Finding]) -> bool {
    findings.iter().all(|f| f.severity != Severity::Error)
}

#[cfg(test)]
mod tests;
