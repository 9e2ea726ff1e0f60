//! `vitrine hosting …`: where photos are published for Meta to fetch (a web folder or an
//! S3-compatible bucket), and publishing them now.

use std::process::ExitCode;

use serde::Serialize;
use vitrine_app::{AppError, ImageHosting, InputField, S3HostingInput, SecretKey, Vitrine};

use crate::args::{HostingCommand, HostingSet, HostingTarget};
use crate::output::{emit, runtime};
use crate::secrets::{secret_words, stdin_secret};

pub fn hosting(v: &Vitrine, json: bool, cmd: &HostingCommand) -> Result<ExitCode, AppError> {
    match cmd {
        HostingCommand::Set(HostingSet {
            target: Some(HostingTarget::S3(s3)),
            ..
        }) => {
            let secret = if s3.secret_key_stdin {
                Some(stdin_secret(InputField::SecretAccessKey, SecretKey::new)?)
            } else {
                None
            };
            let h = v.set_s3_hosting(
                &S3HostingInput {
                    public_base_url: s3.public_url.clone(),
                    endpoint: s3.endpoint.clone(),
                    region: s3.region.clone(),
                    bucket: s3.bucket.clone(),
                    prefix: s3.prefix.clone(),
                    access_key_id: s3.access_key_id.clone(),
                },
                secret.as_ref(),
            )?;
            let secret_key = Some(v.bucket_secret_source());
            let shown = HostingShown {
                hosting: &h,
                secret_key,
            };
            emit(json, &shown, || {
                format!(
                    "Photos will be uploaded to {}.\nSecret access key: {}.",
                    describe_hosting(&h),
                    secret_key.map_or_else(String::new, secret_key_words)
                )
            });
        }
        HostingCommand::Set(HostingSet {
            target: None,
            public_url,
            folder,
        }) => {
            let h =
                v.set_image_hosting(public_url.as_deref().unwrap_or_default(), folder.clone())?;
            emit(json, &h, || {
                format!("Photos will be published to {}.", describe_hosting(&h))
            });
        }
        HostingCommand::Show => {
            let h = v.image_hosting()?;
            let secret_key = h
                .as_ref()
                .and_then(|h| h.bucket.as_ref())
                .map(|_| v.bucket_secret_source());
            let shown = h.as_ref().map(|hosting| HostingShown {
                hosting,
                secret_key,
            });
            emit(json, &shown, || {
                match &h {
                Some(h) => hosting_lines(h, secret_key),
                None => "Not set. Use: vitrine hosting set --public-url https://… [--folder DIR], or vitrine hosting set s3 …".to_owned(),
            }
            });
        }
        HostingCommand::Publish => {
            let report = runtime()?.block_on(v.publish_images())?;
            emit(json, &report, || {
                format!(
                    "Published {} photo(s); {} were already there.",
                    report.uploaded, report.already_present
                )
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The photo hosting as `hosting set|show` print it: with where the bucket's secret access
/// key comes from (never the key).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HostingShown<'a> {
    #[serde(flatten)]
    hosting: &'a ImageHosting,
    secret_key: Option<vitrine_app::TokenSource>,
}

/// `hosting show`'s text: one setting a line.
fn hosting_lines(h: &ImageHosting, secret_key: Option<vitrine_app::TokenSource>) -> String {
    let mut lines = vec![format!("Public URL: {}", h.public_base_url)];
    match (&h.bucket, &h.folder) {
        (Some(b), _) => {
            lines.push(format!("Bucket:     {}", b.bucket));
            lines.push(format!("Region:     {}", b.region));
            lines.push(format!(
                "Endpoint:   {}",
                b.endpoint.as_deref().unwrap_or("(AWS S3)")
            ));
            lines.push(format!(
                "Prefix:     {}",
                b.prefix.as_deref().unwrap_or("(none)")
            ));
            lines.push(format!("Access key: {}", b.access_key_id));
            lines.push(format!(
                "Secret key: {}",
                secret_key.map_or_else(String::new, secret_key_words)
            ));
        }
        (None, Some(folder)) => lines.push(format!("Folder:     {}", folder.display())),
        (None, None) => lines.push("Folder:     (none: you upload the files yourself)".to_owned()),
    }
    lines.join("\n")
}

/// Where photos go, in a few words.
fn describe_hosting(h: &ImageHosting) -> String {
    match (&h.bucket, &h.folder) {
        (Some(b), _) => format!(
            "bucket {}{} and fetched by Meta from {}",
            b.bucket,
            b.prefix
                .as_ref()
                .map(|p| format!(" (under {p}/)"))
                .unwrap_or_default(),
            h.public_base_url
        ),
        (None, Some(f)) => format!("{} (copied into {})", h.public_base_url, f.display()),
        (None, None) => h.public_base_url.clone(),
    }
}

fn secret_key_words(source: vitrine_app::TokenSource) -> String {
    secret_words(
        source,
        vitrine_app::S3_SECRET_ENV,
        "set the hosting again with --secret-key-stdin",
    )
}
