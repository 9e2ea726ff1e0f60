//! vitrine-relay: the server that receives a shop's WhatsApp Cloud API webhooks from Meta,
//! keeps them durably, and serves them to the shop's Vitrine desktops, which cannot receive
//! webhooks themselves (Meta needs a public HTTPS address).
//!
//! * [`wire`]: the JSON the desktop API speaks — always built, with serde only, so the
//!   desktop can depend on this crate with `default-features = false`.
//! * with the `client` feature: [`client`], the desktop's HTTP client of that API (pages,
//!   acknowledgements, the live stream) and its typed errors.
//! * with the default `server` feature: the webhook checks ([`signature`], [`split`]), the
//!   storage ([`store`]: SQLite or PostgreSQL), group commit ([`ingest`]), the HTTP server
//!   ([`server`], with [`refusals`] keeping floods of forged webhooks out of the logs) and
//!   device tokens ([`devices`]). `docs/relay.md` tells how to deploy it.

pub mod wire;

#[cfg(feature = "client")]
pub mod client;

#[cfg(feature = "server")]
pub mod devices;
#[cfg(feature = "server")]
pub mod ingest;
#[cfg(feature = "server")]
pub mod refusals;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "server")]
pub mod signature;
#[cfg(feature = "server")]
pub mod split;
#[cfg(feature = "server")]
pub mod store;
