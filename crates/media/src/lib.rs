//! vitrine-media
