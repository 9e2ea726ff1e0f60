//! How the webview paints: on the GPU, or straight on the CPU when there is no GPU.
//!
//! WebKitGTK composites web content with OpenGL. On a machine without a GPU it can use (a
//! virtual machine, a remote desktop, a laptop whose graphics driver is missing) that OpenGL
//! is Mesa's llvmpipe, a software rasteriser, and painting straight on the CPU is both faster
//! and lighter. Measured with `make bench-desktop` on such a machine (10,000 products): a
//! change on screen → its frame went from 78 ms to 13 ms, and the web process's idle memory
//! from 346 MB to 200 MB RSS.
//!
//! So without a DRM render node Vitrine asks WebKit for CPU painting, through WebKit's own
//! switch (`WEBKIT_DISABLE_COMPOSITING_MODE`). Whoever sets that switch, or
//! `WEBKIT_FORCE_COMPOSITING_MODE`, decides instead: `WEBKIT_DISABLE_COMPOSITING_MODE=0`
//! keeps GPU compositing on any machine.

use std::ffi::OsString;
use std::path::Path;

/// WebKitGTK's switch for CPU painting (non-composited mode).
pub const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
const FORCE_COMPOSITING: &str = "WEBKIT_FORCE_COMPOSITING_MODE";

/// How the webview will paint, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Painting {
    /// WebKit's default: GPU compositing (a render node is there).
    Gpu,
    /// No GPU render node: CPU painting, chosen by Vitrine.
    CpuWithoutGpu,
    /// The user set WebKit's switches; Vitrine left them alone.
    UserChoice,
}

/// The decision, from the two WebKit switches as set in the environment and whether the
/// machine has a GPU render node.
pub fn decide(
    disable_compositing: Option<&OsString>,
    force_compositing: Option<&OsString>,
    has_render_node: bool,
) -> Painting {
    if disable_compositing.is_some() || force_compositing.is_some() {
        Painting::UserChoice
    } else if has_render_node {
        Painting::Gpu
    } else {
        Painting::CpuWithoutGpu
    }
}

/// Whether `dri` (normally `/dev/dri`) holds a render node (`renderD128`, …).
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| {
            entries
                .flatten()
                .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

/// Decides and, for [`Painting::CpuWithoutGpu`], sets WebKit's switch in this process's
/// environment, which the WebKit processes it starts inherit.
///
/// Changes the environment, which other threads may be reading: call it first thing in
/// `main`, before any other thread exists.
pub fn choose() -> Painting {
    let painting = decide(
        std::env::var_os(DISABLE_COMPOSITING).as_ref(),
        std::env::var_os(FORCE_COMPOSITING).as_ref(),
        has_render_node(Path::new("/dev/dri")),
    );
    if painting == Painting::CpuWithoutGpu {
        std::env::set_var(DISABLE_COMPOSITING, "1");
    }
    painting
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_render_node_the_cpu_paints() {
        assert_eq!(decide(None, None, false), Painting::CpuWithoutGpu);
        assert_eq!(decide(None, None, true), Painting::Gpu);
    }

    #[test]
    fn the_users_switches_win() {
        let zero = OsString::from("0");
        let one = OsString::from("1");
        assert_eq!(decide(Some(&zero), None, false), Painting::UserChoice);
        assert_eq!(decide(Some(&one), None, true), Painting::UserChoice);
        assert_eq!(decide(None, Some(&one), false), Painting::UserChoice);
    }

    #[test]
    fn render_nodes_are_found_by_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!has_render_node(dir.path()));
        assert!(!has_render_node(&dir.path().join("missing")));
        std::fs::write(dir.path().join("card0"), b"").expect("write");
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("renderD128"), b"").expect("write");
        assert!(has_render_node(dir.path()));
    }
}
