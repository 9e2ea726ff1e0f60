//! `vitrine storefront`: the static shop site — its settings, a build into a folder, and
//! publishing to the photo hosting.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use vitrine_app::{AppError, StorefrontSettings, StorefrontUpdate, Vitrine};

use crate::output::{emit, runtime};

#[derive(Subcommand, Debug)]
pub enum StorefrontCommand {
    /// Write the site into a folder; a rebuild writes only the files that changed.
    Build {
        /// The folder to write the site into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Where the site will be served (default: the address set with `storefront set`).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Publish the site to the photo hosting (its folder or bucket), sending only what changed.
    Publish,
    /// Change the storefront's address, accent colour or collections.
    Set(StorefrontSet),
    /// The storefront's settings.
    Show,
}

#[derive(Args, Debug)]
pub struct StorefrontSet {
    /// Where the site is served, e.g. https://shop.example; products without their own link
    /// are synced with their page there. An empty value removes it.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The accent colour of buttons and the header, #rrggbb.
    #[arg(long, value_name = "#HEX")]
    pub accent: Option<String>,
    /// Only these collections (names, comma-separated); an empty value shows every product.
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub collections: Option<Vec<String>>,
}

pub fn storefront(v: &Vitrine, json: bool, cmd: &StorefrontCommand) -> Result<ExitCode, AppError> {
    match cmd {
        StorefrontCommand::Build { out, base_url } => {
            let built = v.build_storefront(out, base_url.as_deref())?;
            emit(json, &built, || {
                format!(
                    "Built the storefront in {}: {} file(s), {} written, {} removed.",
                    out.display(),
                    built.files,
                    built.written,
                    built.removed
                )
            });
        }
        StorefrontCommand::Publish => {
            let live = !json && std::io::stderr().is_terminal();
            let published = runtime()?.block_on(v.publish_storefront(&mut |p| {
                if live {
                    eprint!(
                        "\rPublishing the storefront: {}/{} file(s)",
                        p.done, p.total
                    );
                }
            }))?;
            if live {
                eprintln!();
            }
            emit(json, &published, || {
                format!(
                    "Published the storefront: {} file(s) sent, {} unchanged, {} removed.",
                    published.uploaded, published.unchanged, published.removed
                )
            });
        }
        StorefrontCommand::Set(set) => {
            let settings = v.set_storefront(&StorefrontUpdate {
                base_url: set.base_url.clone(),
                accent: set.accent.clone(),
                collections: set.collections.clone(),
            })?;
            emit(json, &settings, || settings_lines(&settings));
        }
        StorefrontCommand::Show => {
            let settings = v.storefront()?;
            emit(json, &settings, || settings_lines(&settings));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn settings_lines(s: &StorefrontSettings) -> String {
    let collections = if s.collections.is_empty() {
        "(all products)".to_owned()
    } else {
        s.collections.join(", ")
    };
    format!(
        "Address:     {}\nAccent:      {}\nCollections: {collections}",
        s.base_url
            .as_deref()
            .unwrap_or("(not set: vitrine storefront set --base-url https://…)"),
        s.accent
    )
}
