//! `vitrine link`, `vitrine qr`, `vitrine poster`, `vitrine labels` and `vitrine short-link`:
//! wa.me links, their QR codes, printed posters and price tags, and Meta's managed short links.

use std::process::ExitCode;

use serde_json::json;
use std::path::Path;

use vitrine_app::{
    AppError, InputField, LabelSelection, LabelsRequest, PosterRequest, QrOptions, ShareTarget,
    ShortLink, Vitrine,
};

use crate::args::{LabelsArgs, LinkCommand, PosterArgs, QrArgs, ShortLinkCommand};
use crate::output::{emit, runtime};

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
                field: InputField::Target,
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
    let url = v.save_qr(&target, &options, &args.out)?;
    let file = args.out.display().to_string();
    emit(json, &json!({ "file": file, "url": url }), || {
        format!("Wrote the QR code of {url} to {file}.")
    });
    Ok(ExitCode::SUCCESS)
}

/// `pdf` or `png`, from the file name; anything else is refused before any work.
fn print_format(out: &Path) -> Result<&'static str, AppError> {
    match out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("pdf") => Ok("pdf"),
        Some("png") => Ok("png"),
        _ => Err(AppError::Invalid {
            field: InputField::Out,
            message: "write to a .pdf file (or .png for a preview)".to_owned(),
        }),
    }
}

fn write_file(out: &Path, bytes: &[u8]) -> Result<(), AppError> {
    std::fs::write(out, bytes).map_err(|e| AppError::Invalid {
        field: InputField::Out,
        message: format!("cannot write {}: {e}", out.display()),
    })
}

pub fn poster(v: &Vitrine, json: bool, args: &PosterArgs) -> Result<ExitCode, AppError> {
    let ref_tag = args.tag.ref_tag.clone();
    let target = match args.target.split_once(':') {
        None if args.target == "catalog" => ShareTarget::Catalog { ref_tag },
        None if args.target == "chat" => ShareTarget::Chat {
            text: args.text.clone(),
            ref_tag,
        },
        Some(("product", sku)) if !sku.trim().is_empty() => ShareTarget::Product {
            sku: sku.trim().to_owned(),
            meta_id: None,
            ref_tag,
        },
        _ => {
            return Err(AppError::Invalid {
                field: InputField::Target,
                message: "give `catalog`, `chat` or `product:SKU`".to_owned(),
            })
        }
    };
    let request = PosterRequest {
        size: args.size.clone(),
        languages: args.lang.clone(),
        target,
        headline: args.headline.clone(),
        accent: args.accent.clone(),
        qr_colour: args.qr_colour.clone(),
        logo: args.logo,
        photo: !args.no_photo,
    };
    let file = args.out.display().to_string();
    let summary = match print_format(&args.out)? {
        "png" => {
            let png = v.poster_png(&request, args.dpi)?;
            write_file(&args.out, &png)?;
            json!({ "file": file, "bytes": png.len(), "url": v.share_url(&request.target)? })
        }
        _ => serde_json::to_value(v.save_poster(&request, &args.out)?)
            .map(|mut s| {
                s["file"] = json!(file);
                s
            })
            .unwrap_or_default(),
    };
    let url = summary["url"].as_str().unwrap_or_default().to_owned();
    emit(json, &summary, || {
        format!(
            "Wrote the {} poster to {file}; its QR code opens {url}",
            args.size
        )
    });
    Ok(ExitCode::SUCCESS)
}

pub fn labels(v: &Vitrine, json: bool, args: &LabelsArgs) -> Result<ExitCode, AppError> {
    let selection = match (&args.collection, args.sku.is_empty()) {
        (Some(collection), true) => LabelSelection::Collection {
            collection: collection.clone(),
        },
        (None, false) => LabelSelection::Products {
            keys: args.sku.clone(),
        },
        _ => {
            return Err(AppError::Invalid {
                field: InputField::Products,
                message: "choose the products: --collection NAME or --sku SKU (repeatable)"
                    .to_owned(),
            })
        }
    };
    let request = LabelsRequest {
        layout: args.layout.clone(),
        selection,
        ref_tag: args.tag.ref_tag.clone(),
        local_digits: args.local_digits,
    };
    let file = args.out.display().to_string();
    let summary = match print_format(&args.out)? {
        "png" => {
            let png = v.labels_png(&request, args.dpi)?;
            write_file(&args.out, &png)?;
            json!({ "file": file, "bytes": png.len() })
        }
        _ => {
            let summary = v.save_labels(&request, &args.out)?;
            json!({ "file": file, "pages": summary.pages, "labels": summary.labels, "bytes": summary.bytes })
        }
    };
    emit(json, &summary, || match summary["labels"].as_u64() {
        Some(labels) => format!(
            "Wrote {labels} labels on {} {} sheet(s) to {file}.",
            summary["pages"], args.layout
        ),
        None => format!(
            "Wrote a preview of the first {} sheet to {file}.",
            args.layout
        ),
    });
    Ok(ExitCode::SUCCESS)
}

fn short_link_line(link: &ShortLink) -> String {
    format!(
        "{}  {}  {}",
        link.code,
        link.url,
        link.message.replace('\n', " / ")
    )
}

pub fn short_link(v: &Vitrine, json: bool, cmd: &ShortLinkCommand) -> Result<ExitCode, AppError> {
    match cmd {
        ShortLinkCommand::List { offline } => {
            let links = if *offline {
                v.short_links()?
            } else {
                runtime()?.block_on(v.refresh_short_links_connected())?
            };
            emit(json, &links, || {
                if links.is_empty() {
                    "No short links yet (vitrine short-link create --text …).".to_owned()
                } else {
                    links
                        .iter()
                        .map(short_link_line)
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            });
        }
        ShortLinkCommand::Create { text, tag } => {
            let link =
                runtime()?.block_on(v.create_short_link_connected(text, tag.ref_tag.as_deref()))?;
            emit(json, &link, || short_link_line(&link));
        }
        ShortLinkCommand::Update { code, text, tag } => {
            let link = runtime()?.block_on(v.update_short_link_connected(
                code,
                text,
                tag.ref_tag.as_deref(),
            ))?;
            emit(json, &link, || short_link_line(&link));
        }
        ShortLinkCommand::Delete { code } => {
            runtime()?.block_on(v.delete_short_link_connected(code))?;
            emit(json, &json!({ "deleted": code }), || {
                format!(
                    "Deleted the short link {code}; its printed QR codes no longer open a chat."
                )
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
