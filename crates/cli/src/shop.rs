//! `vitrine shop show|set`, `vitrine backup` and `vitrine restore`: the shop's own settings
//! and the whole data folder in one file.

use std::path::Path;
use std::process::ExitCode;

use vitrine_app::{AppError, ShopUpdate, Vitrine};

use crate::args::ShopCommand;
use crate::output::emit;

pub fn shop(v: &Vitrine, json: bool, cmd: &ShopCommand) -> Result<ExitCode, AppError> {
    match cmd {
        ShopCommand::Show => {
            let shop = v.shop()?;
            emit(json, &shop, || {
                let phone = shop
                    .phone
                    .as_ref()
                    .map(|p| p.international())
                    .unwrap_or_else(|| "(not set)".into());
                let langs: Vec<&str> = shop.languages.iter().map(|l| l.as_str()).collect();
                format!(
                    "Name:      {}\nWhatsApp:  {phone}\nCurrency:  {}\nLanguages: {}\nBrand:     {}\nLogo:      {}",
                    or_unset(&shop.name), shop.currency, langs.join(", "), or_unset(&shop.brand),
                    shop.logo.as_ref().map_or("(none)".to_owned(), |h| v.image_path(h).display().to_string())
                )
            });
        }
        ShopCommand::Set(s) => {
            let shop = v.update_shop(ShopUpdate {
                name: s.name.clone(),
                phone: s.phone.clone(),
                phone_region: s.region.clone(),
                currency: s.currency.clone(),
                languages: s.languages.clone(),
                brand: s.brand.clone(),
                logo: s.logo.clone(),
            })?;
            emit(json, &shop, || "Shop saved.".to_owned());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn backup(v: &Vitrine, json: bool, file: &Path) -> Result<ExitCode, AppError> {
    let s = v.backup(file)?;
    emit(json, &s, || {
        format!(
            "Backed up {} products and {} photos to {}.",
            s.products,
            s.images,
            file.display()
        )
    });
    Ok(ExitCode::SUCCESS)
}

pub fn restore(v: &Vitrine, json: bool, file: &Path) -> Result<ExitCode, AppError> {
    let s = v.restore(file)?;
    emit(json, &s, || {
        let mut text = format!(
            "Restored {} products and {} photos from {}.",
            s.products,
            s.images,
            file.display()
        );
        // This machine's connections stay; say which of the backup's were set aside.
        for skipped in &s.not_applied {
            text.push_str(&format!("\nNote: {}.", skipped.message));
        }
        text
    });
    Ok(ExitCode::SUCCESS)
}

fn or_unset(s: &str) -> &str {
    if s.is_empty() {
        "(not set)"
    } else {
        s
    }
}
