//! How a failed command crosses IPC: `{ code, message }`.
//!
//! `code` is what the UI branches on; `message` is for people. Internal failures (disk,
//! database) are logged here, where they are handled, and reach the UI as a plain sentence:
//! paths and SQL never cross the boundary.

use serde::Serialize;
use specta::Type;
use vitrine_app::{AppError, ErrorCode as AppErrorCode};

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
        let message = if code == ErrorCode::Internal {
            tracing::error!(error = %error, "command failed");
            INTERNAL_MESSAGE.to_owned()
        } else {
            error.to_string()
        };
        Self { code, message }
    }
}

impl IpcError {
    /// The worker thread running a command panicked or was cancelled.
    pub(crate) fn worker_failed(error: tauri::Error) -> Self {
        tracing::error!(%error, "a command's worker thread failed");
        Self {
            code: ErrorCode::Internal,
            message: INTERNAL_MESSAGE.to_owned(),
        }
    }
}
