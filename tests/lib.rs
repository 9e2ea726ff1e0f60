//! vitrine-e2e: cross-crate tests. The real-window tests are in `webdriver.rs`
//! (`make test-e2e`); this library is empty.
