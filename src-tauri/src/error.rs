//! How a failed command crosses IPC: `{ code, message }`.
//!
//! `code` is what the UI branches on; `message` is for people. Internal failures (disk,
//! database) are logged here, where they are handled, and reach the UI as a plain sentence:
//! paths and SQL never cross the boundary. The failures a merchant meets most (a photo Vitrine
//! cannot use, Meta refusing the token, a wrong phone number…) also carry a message `key` and
//! its `params`, so the UI says them in its own language; `message` stays the English fallback.
//! A refused input also names its `field` ([`InputField`]), typed, with the `detail` of what
//! is wrong with it: the UI shows the refusal next to that field, never reading the message.

use std::collections::BTreeMap;

use serde::Serialize;
use specta::Type;
use vitrine_app::media::MediaError;
use vitrine_app::meta::GraphError;
use vitrine_app::{AppError, ErrorCode as AppErrorCode, InputField, Setup};

/// What kind of failure the UI is looking at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// The thing asked for does not exist (any more).
    NotFound,
    /// The request was understood but refused: the message says what to fix.
    InvalidInput,
    /// Someone else changed it first, or it already exists.
    Conflict,
    /// A download failed; trying again later may work.
    Network,
    /// Vitrine itself failed; the details are in the log.
    Internal,
}

/// A failed command, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// The UI's message id for this failure (`error.image.corrupt`), when it has one.
    pub key: Option<String>,
    /// Values for the message's placeholders (`{ "name": "photo.jpg" }`).
    pub params: BTreeMap<String, String>,
    /// The input refused, when the failure is about one.
    pub field: Option<InputField>,
    /// What is wrong with `field`, in English, without naming it (`message` names it): the
    /// words shown next to the field when the UI has no message id for them.
    pub detail: Option<String>,
}

/// The UI's message id and parameters for a failure it can say in its own language.
fn message_key(error: &AppError) -> Option<(&'static str, BTreeMap<String, String>)> {
    let named = |name: &str| BTreeMap::from([("name".to_owned(), name.to_owned())]);
    // A photo is named by its file name: the folders it sits in say nothing to the merchant.
    let file = |path: &str| {
        let name = std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned());
        named(&name)
    };
    let key = match error {
        AppError::Image {
            source_name,
            source,
        } => {
            let key = match source {
                MediaError::NotAnImage => "error.image.notImage",
                MediaError::Unsupported { .. } => "error.image.unsupported",
                MediaError::Corrupt { .. } => "error.image.corrupt",
                MediaError::TooSmall { .. } => "error.image.tooSmall",
                MediaError::TooLarge { .. } => "error.image.tooLarge",
                MediaError::DecoderMissing { format } => {
                    let mut params = file(source_name);
                    params.insert("format".to_owned(), format.to_string());
                    return Some(("error.image.decoderMissing", params));
                }
                _ => return None,
            };
            return Some((key, file(source_name)));
        }
        AppError::Unreadable { source_name, .. } => {
            return Some(("error.unreadable", file(source_name)))
        }
        AppError::Download { source_name, .. } => {
            return Some(("error.download", named(source_name)))
        }
        AppError::Write { path, .. } => return Some(("error.write", file(path))),
        // Said with the page where the merchant sets it, never a CLI command.
        AppError::NotSetUp(setup) => match setup {
            Setup::MetaCatalog => "error.setup.metaCatalog",
            Setup::Relay => "error.setup.relay",
            Setup::PaymentDetails => "error.setup.paymentDetails",
            Setup::PhotoHostingForSync => "error.setup.photoHostingForSync",
            Setup::PhotoHostingForFeed => "error.setup.photoHostingForFeed",
            Setup::StorefrontAddress => "error.setup.storefrontAddress",
            Setup::StorefrontHosting => "error.setup.storefrontHosting",
        },
        AppError::Meta(graph) => match graph {
            GraphError::InvalidToken { .. } => "error.meta.token",
            GraphError::PermissionDenied { .. } => "error.meta.permission",
            GraphError::RateLimited { .. } => "error.meta.rateLimited",
            GraphError::Transient { .. } => "error.meta.unavailable",
            GraphError::NotFound { .. } => "error.meta.notFound",
            GraphError::Blocked { .. } => "error.meta.blocked",
            GraphError::Network(_) => "error.meta.network",
            _ => return None,
        },
        AppError::Invalid { field, .. } => match field {
            InputField::Phone => "error.invalid.phone",
            InputField::Price => "error.invalid.price",
            InputField::SalePrice => "error.invalid.salePrice",
            InputField::Sku => "error.invalid.sku",
            InputField::Gtin => "error.invalid.gtin",
            InputField::CatalogId | InputField::WhatsAppAccountId => "error.invalid.metaId",
            InputField::PublicUrl => "error.invalid.publicUrl",
            _ => return None,
        },
        _ => return None,
    };
    Some((key, BTreeMap::new()))
}

const INTERNAL_MESSAGE: &str =
    "Vitrine could not read or write its data. The details are in the log.";

impl From<AppError> for IpcError {
    fn from(error: AppError) -> Self {
        let code = match error.code() {
            AppErrorCode::NotFound => ErrorCode::NotFound,
            // An unusable photo is something the merchant gave us: the message names it.
            AppErrorCode::InvalidInput | AppErrorCode::Image => ErrorCode::InvalidInput,
            AppErrorCode::Conflict => ErrorCode::Conflict,
            // No desktop command talks to Meta yet; when one does, a refusal from the remote
            // service reads like a failed download: shown as is, maybe retried later.
            AppErrorCode::Network | AppErrorCode::Meta => ErrorCode::Network,
            AppErrorCode::Storage => ErrorCode::Internal,
        };
        if code == ErrorCode::Internal {
            tracing::error!(error = %error, "command failed");
            return Self::internal();
        }
        let (key, params) = message_key(&error).unzip();
        let (field, detail) = match &error {
            AppError::Invalid { field, message } => (Some(*field), Some(message.clone())),
            _ => (None, None),
        };
        Self {
            code,
            message: error.to_string(),
            key: key.map(str::to_owned),
            params: params.unwrap_or_default(),
            field,
            detail,
        }
    }
}

impl IpcError {
    /// The worker thread running a command panicked or was cancelled.
    pub(crate) fn worker_failed(error: tauri::Error) -> Self {
        tracing::error!(%error, "a command's worker thread failed");
        Self::internal()
    }

    /// "Save report" before any import finished.
    pub(crate) fn no_import_report() -> Self {
        Self {
            code: ErrorCode::NotFound,
            message: "There is no import report yet: import a file first.".to_owned(),
            key: None,
            params: BTreeMap::new(),
            field: None,
            detail: None,
        }
    }

    fn internal() -> Self {
        Self {
            code: ErrorCode::Internal,
            message: INTERNAL_MESSAGE.to_owned(),
            key: Some("error.internal".to_owned()),
            params: BTreeMap::new(),
            field: None,
            detail: None,
        }
    }
}
