//! Files the merchant saves (posters, labels, exports, feeds, reports, QR codes): written next
//! to their place, synced, then renamed over it, so a crash or a full disk leaves the old file
//! or the new one, never half of one. A failure is [`AppError::Write`], naming the file.

use std::io::Write;
use std::path::Path;

use crate::AppError;

/// Writes `bytes` to `dest` atomically.
pub(crate) fn write_atomically(dest: &Path, bytes: &[u8]) -> Result<(), AppError> {
    write_atomically_with(dest, |file| file.write_all(bytes))
}

/// Lets `write` fill a temp file beside `dest`, then syncs it and renames it over `dest`.
pub(crate) fn write_atomically_with(
    dest: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), AppError> {
    let failed = |e: std::io::Error| AppError::Write {
        path: dest.display().to_string(),
        message: e.to_string(),
    };
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".vitrine-")
        .tempfile_in(dir)
        .map_err(failed)?;
    write(tmp.as_file_mut()).map_err(failed)?;
    tmp.as_file().sync_all().map_err(failed)?;
    tmp.persist(dest).map_err(|e| failed(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temp_file_and_says_write() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dest = dir.path().join("poster.pdf");
        write_atomically(&dest, b"old").expect("first write");
        let err = write_atomically_with(&dest, |file| {
            file.write_all(b"half")?;
            Err(std::io::Error::other("the disk is full"))
        })
        .expect_err("the writer failed");
        assert!(matches!(err, AppError::Write { .. }), "{err:?}");
        assert!(
            err.to_string().starts_with("could not write ")
                && err.to_string().contains("poster.pdf"),
            "{err}"
        );
        assert_eq!(std::fs::read(&dest).expect("read"), b"old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(left.len(), 1, "no temp file is left beside it");
        let missing =
            write_atomically(&dir.path().join("no/such/dir/x.pdf"), b"x").expect_err("no folder");
        assert!(matches!(missing, AppError::Write { .. }), "{missing:?}");
    }
}
