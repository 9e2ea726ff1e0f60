//! The storefront as the desktop app previews it: the site built into the catalog's
//! `storefront-preview` folder (incrementally, like any build), whose files the app serves to
//! its own webview. Before the merchant has a web address the preview uses a reserved one
//! (`.invalid`), which only shows in the pages' share tags.

use std::path::{Path, PathBuf};

use crate::{AppError, StorefrontBuild, Vitrine};

/// The address a preview is built for when the merchant has not set one.
const PREVIEW_ADDRESS: &str = "https://storefront.preview.invalid";

impl Vitrine {
    /// Where the preview is built.
    pub fn storefront_preview_dir(&self) -> PathBuf {
        self.data_dir().join("storefront-preview")
    }

    /// Builds (or brings up to date) the preview of the storefront.
    pub fn preview_storefront(&self) -> Result<StorefrontBuild, AppError> {
        let address = self
            .storefront()?
            .base_url
            .unwrap_or_else(|| PREVIEW_ADDRESS.to_owned());
        self.build_storefront(&self.storefront_preview_dir(), Some(&address))
    }

    /// The preview's file at a site path (`index.html`, `pt-BR/p/MUG-1.html`), or `None` for
    /// a path that is not a plain relative path inside the preview (no `..`, no absolute or
    /// empty segments), so nothing outside the preview folder can be read through it.
    pub fn storefront_preview_file(&self, site_path: &str) -> Option<PathBuf> {
        let site_path = site_path.strip_prefix('/').unwrap_or(site_path);
        let site_path = if site_path.is_empty() || site_path.ends_with('/') {
            format!("{site_path}index.html")
        } else {
            site_path.to_owned()
        };
        let safe = site_path.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && !segment.contains('\\')
                && !segment.contains(':')
        });
        safe.then(|| self.storefront_preview_dir().join(Path::new(&site_path)))
    }
}

#[cfg(test)]
mod tests {
    use crate::Vitrine;

    #[test]
    fn preview_paths_stay_inside_the_preview_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = Vitrine::open(dir.path()).expect("open");
        let root = v.storefront_preview_dir();
        assert_eq!(
            v.storefront_preview_file("/"),
            Some(root.join("index.html"))
        );
        assert_eq!(
            v.storefront_preview_file("/pt-BR/p/MUG-1.html"),
            Some(root.join("pt-BR/p/MUG-1.html"))
        );
        for bad in [
            "/../catalog.db",
            "/pt-BR/../../x",
            "//etc/passwd",
            "/a\\..\\b",
            "/C:/x",
        ] {
            assert_eq!(v.storefront_preview_file(bad), None, "{bad} is refused");
        }
    }
}
