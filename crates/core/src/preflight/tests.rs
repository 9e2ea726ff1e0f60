use super::*;
use crate::language::LanguageTag;
use crate::money::{Currency, Money};
use crate::product::{
    ContentHash, ImageFormat, ProductDraft, ProductId, ProductImage, SalePrice, Sku, Translation,
    VariantAttribute, VariantGroup,
};

fn image(width: u32, height: u32, byte_len: u64) -> ProductImage {
    ProductImage {
        hash: ContentHash::parse(&"ab".repeat(32)).expect("hash"),
        width,
        height,
        byte_len,
        format: ImageFormat::Jpeg,
    }
}

/// A product that passes every rule; each test breaks one thing.
fn publishable() -> Product {
    let price = Money::from_minor(4990, Currency::from_code("BRL").expect("BRL"));
    let mut draft = ProductDraft::new(
        Sku::parse("MUG-01").expect("sku"),
        "Caneca de cerâmica azul",
        price,
    );
    draft.description = "Caneca artesanal de 350 ml, feita à mão em Cunha.".to_owned();
    draft.brand = "Ateliê Azul".to_owned();
    draft.link = Some("https://atelie.example/caneca".to_owned());
    let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("fixed instant");
    Product {
        id: ProductId::new_random(),
        draft,
        images: vec![image(1024, 1024, 300_000)],
        created_at: now,
        updated_at: now,
    }
}

fn rules(product: &Product) -> Vec<RuleId> {
    check_product(product, &PreflightContext::default())
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

#[test]
fn a_complete_product_has_no_findings() {
    assert_eq!(rules(&publishable()), Vec::<RuleId>::new());
}

#[test]
fn titles_warn_above_65_and_block_above_150() {
    let mut p = publishable();
    p.draft.title = "x".repeat(66);
    assert_eq!(rules(&p), vec![RuleId::TitleLong]);
    p.draft.title = "x".repeat(151);
    let findings = check_product(&p, &PreflightContext::default());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, RuleId::TitleTooLong);
    assert_eq!(
        findings[0].severity,
        Severity::Error,
        "an over-long title blocks sync"
    );
    assert!(
        findings[0].message.contains("151"),
        "the message gives the actual length"
    );
}

#[test]
fn description_is_required_different_from_title_and_plain() {
    let mut p = publishable();
    p.draft.description = "  ".to_owned();
    assert_eq!(rules(&p), vec![RuleId::DescriptionMissing]);
    p.draft.description = "caneca de ceramica azul".to_owned();
    assert_eq!(
        rules(&p),
        vec![RuleId::DescriptionSameAsTitle],
        "same text ignoring case and accents"
    );
    p.draft.description = "<p>Linda caneca</p>".to_owned();
    assert_eq!(rules(&p), vec![RuleId::DescriptionHasHtml]);
    p.draft.description = "Veja em https://atelie.example".to_owned();
    assert_eq!(rules(&p), vec![RuleId::DescriptionHasLink]);
    p.draft.description = "CANECA ARTESANAL FEITA À MÃO".to_owned();
    assert_eq!(rules(&p), vec![RuleId::DescriptionAllCaps]);
    p.draft.description = "x".repeat(5001);
    assert_eq!(rules(&p), vec![RuleId::DescriptionTooLong]);
}

#[test]
fn brand_falls_back_to_the_shop_default() {
    let mut p = publishable();
    p.draft.brand.clear();
    assert_eq!(rules(&p), vec![RuleId::BrandMissing]);
    let ctx = PreflightContext {
        shop_brand: "Ateliê".to_owned(),
        storefront_url: None,
    };
    assert!(
        check_product(&p, &ctx).is_empty(),
        "the shop brand stands in"
    );
}

#[test]
fn links_must_be_the_merchants_own_web_address() {
    let mut p = publishable();
    p.draft.link = None;
    assert_eq!(rules(&p), vec![RuleId::LinkMissing]);
    let ctx = PreflightContext {
        shop_brand: String::new(),
        storefront_url: Some("https://shop.example".into()),
    };
    assert!(
        check_product(&p, &ctx).is_empty(),
        "a storefront page stands in for a missing link"
    );
    for bad in [
        "atelie.example/caneca",
        "https://www.facebook.com/shop",
        "https://wa.me/c/5511",
        "https://nodot",
    ] {
        p.draft.link = Some(bad.to_owned());
        assert_eq!(rules(&p), vec![RuleId::LinkInvalid], "{bad}");
    }
}

#[test]
fn images_are_required_big_enough_light_enough_and_at_most_21() {
    let mut p = publishable();
    p.images.clear();
    assert_eq!(rules(&p), vec![RuleId::ImageMissing]);
    p.images = vec![image(499, 800, 1000)];
    let findings = check_product(&p, &PreflightContext::default());
    assert_eq!(
        findings.iter().map(|f| f.rule).collect::<Vec<_>>(),
        vec![RuleId::ImageTooSmall]
    );
    assert!(findings[0].message.contains("499×800"));
    p.images = vec![image(800, 800, 9 * 1024 * 1024)];
    assert_eq!(rules(&p), vec![RuleId::ImageTooHeavy]);
    p.images = vec![image(800, 800, 1000); 21];
    assert_eq!(
        rules(&p),
        Vec::<RuleId>::new(),
        "one main photo and 20 more is the limit"
    );
    p.images.push(image(800, 800, 1000));
    assert_eq!(rules(&p), vec![RuleId::TooManyImages]);
}

#[test]
fn variants_have_at_most_four_attributes() {
    let mut p = publishable();
    let attr = |n: &str| VariantAttribute {
        name: n.to_owned(),
        value: "x".to_owned(),
    };
    p.draft.variant = Some(VariantGroup {
        group_id: "MUG".into(),
        attributes: vec![
            attr("size"),
            attr("color"),
            attr("material"),
            attr("pattern"),
        ],
    });
    assert!(rules(&p).is_empty());
    if let Some(v) = p.draft.variant.as_mut() {
        v.attributes.push(attr("scent"));
    }
    assert_eq!(rules(&p), vec![RuleId::TooManyVariantAttributes]);
}

#[test]
fn a_sale_price_must_be_lower_than_the_price() {
    let mut p = publishable();
    p.draft.sale = Some(SalePrice {
        price: p.draft.price,
        window: None,
    });
    assert_eq!(rules(&p), vec![RuleId::SaleNotLower]);
}

#[test]
fn prohibited_categories_warn_in_any_language() {
    let mut p = publishable();
    p.draft.title = "Cachaça artesanal".to_owned();
    let findings = check_product(&p, &PreflightContext::default());
    assert_eq!(
        findings.iter().map(|f| f.rule).collect::<Vec<_>>(),
        vec![RuleId::ProhibitedCategory]
    );
    assert_eq!(
        findings[0].severity,
        Severity::Warning,
        "only a warning: the merchant decides"
    );
    assert!(is_publishable(&findings));
    let mut p = publishable();
    p.draft.translations.push(Translation {
        language: LanguageTag::parse("ar").expect("ar"),
        title: "شيشة فاخرة".into(),
        description: "وصف".into(),
    });
    assert_eq!(
        rules(&p),
        vec![RuleId::ProhibitedCategory],
        "Arabic text is checked too"
    );
    let mut p = publishable();
    p.draft.title = "Scarf with gingham pattern".to_owned();
    assert!(rules(&p).is_empty(), "no false match inside words");
}

#[test]
fn errors_are_listed_before_warnings_and_block_publishing() {
    let mut p = publishable();
    p.draft.title = "x".repeat(70);
    p.images.clear();
    let findings = check_product(&p, &PreflightContext::default());
    assert_eq!(
        findings.iter().map(|f| f.severity).collect::<Vec<_>>(),
        vec![Severity::Error, Severity::Warning]
    );
    assert!(!is_publishable(&findings));
}

#[test]
fn stock_zero_while_in_stock_is_a_warning() {
    let mut p = publishable();
    p.draft.stock = Some(0);
    assert_eq!(rules(&p), vec![RuleId::StockContradictsAvailability]);
}

#[test]
fn rule_ids_have_stable_snake_case_names() {
    assert_eq!(RuleId::TitleTooLong.as_str(), "title_too_long");
}
