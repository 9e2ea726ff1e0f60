//! vitrine-store
