//! A Graph client pointed at the fake Graph server, as every test that talks to "Meta" builds it.

use std::time::Duration;

use vitrine_app::meta::{AccessToken, GraphClient, GraphConfig};
use vitrine_fake_graph::FakeGraph;

/// The token the fake accepts unless a test configures another.
pub const TOKEN: &str = "test-token";

/// A client of `fake` with `TOKEN`, giving up on a call after `timeout`.
pub fn client(fake: &FakeGraph, timeout: Duration) -> GraphClient {
    GraphClient::new(
        GraphConfig {
            base_url: fake.base_url(),
            timeout,
            ..GraphConfig::default()
        },
        AccessToken::new(TOKEN).expect("token"),
    )
    .expect("client")
}
