//! vitrine-app
