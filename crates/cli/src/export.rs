//! `vitrine export` and `vitrine feed export`: the catalog as a CSV file, and as the data
//! feed file Meta can fetch.

use std::path::Path;
use std::process::ExitCode;

use vitrine_app::{AppError, ExportOptions, Vitrine};

use crate::output::emit;

pub fn export(v: &Vitrine, json: bool, file: &Path, excel: bool) -> Result<ExitCode, AppError> {
    let summary = v.export_csv_with(file, ExportOptions { excel })?;
    emit(json, &summary, || {
        format!(
            "Exported {} products to {}.",
            summary.products,
            file.display()
        )
    });
    Ok(ExitCode::SUCCESS)
}

pub fn feed(v: &Vitrine, json: bool, file: &Path) -> Result<ExitCode, AppError> {
    let f = v.export_feed(file)?;
    emit(json, &f, || {
        let mut text = format!("Wrote {} products to {}.", f.written, file.display());
        if !f.held.is_empty() {
            text.push_str(&format!(
                " Left out {} with errors: {}.",
                f.held.len(),
                f.held.join(", ")
            ));
        }
        text
    });
    Ok(ExitCode::SUCCESS)
}
