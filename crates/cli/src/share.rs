//! `vitrine link` and `vitrine qr`: wa.me links and their QR codes.

use std::process::ExitCode;

use serde_json::json;
use vitrine_app::{AppError, QrOptions, ShareTarget, Vitrine};

use crate::args::{LinkCommand, QrArgs};
use crate::output::emit;

pub fn link(v: &Vitrine, json: bool, cmd: &LinkCommand) -> Result<ExitCode, AppError> {
    let link = match cmd {
        LinkCommand::Catalog { tag } => v.catalog_link(tag.ref_tag.as_deref())?,
        LinkCommand::Chat { text, tag } => v.chat_link(text, tag.ref_tag.as_deref())?,
        LinkCommand::Product { sku, meta_id, tag } => {
            v.product_link(sku, meta_id.as_deref(), tag.ref_tag.as_deref())?
        }
    };
    emit(json, &link, || link.url.clone());
    Ok(ExitCode::SUCCESS)
}

pub fn qr(v: &Vitrine, json: bool, args: &QrArgs) -> Result<ExitCode, AppError> {
    let ref_tag = args.tag.ref_tag.clone();
    let target = match args.target.as_slice() {
        [word] if word == "catalog" => ShareTarget::Catalog { ref_tag },
        [word] if word == "chat" => ShareTarget::Chat {
            text: args.text.clone(),
            ref_tag,
        },
        [word, sku] if word == "product" => ShareTarget::Product {
            sku: sku.clone(),
            meta_id: args.meta_id.clone(),
            ref_tag,
        },
        [url] if url.contains("://") => ShareTarget::Url { url: url.clone() },
        _ => {
            return Err(AppError::Invalid {
                field: "target",
                message: "give a URL, `catalog`, `chat` or `product SKU`".to_owned(),
            })
        }
    };
    let options = QrOptions {
        size_px: args.size,
        foreground: args.fg.clone(),
        background: args.bg.clone(),
        logo: args.logo,
    };
    // Resolved once, so the file and the printed URL agree.
    let url = v.share_url(&target)?;
    let target = ShareTarget::Url { url: url.clone() };
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = match extension.as_deref() {
        Some("png") => v.qr_png(&target, &options)?,
        Some("svg") => v.qr_svg(&target, &options)?.into_bytes(),
        _ => {
            return Err(AppError::Invalid {
                field: "out",
                message: "write the code to a .png or .svg file".to_owned(),
            })
        }
    };
    std::fs::write(&args.out, bytes).map_err(|e| AppError::Invalid {
        field: "out",
        message: format!("cannot write {}: {e}", args.out.display()),
    })?;
    let file = args.out.display().to_string();
    emit(json, &json!({ "file": file, "url": url }), || {
        format!("Wrote the QR code of {url} to {file}.")
    });
    Ok(ExitCode::SUCCESS)
}
