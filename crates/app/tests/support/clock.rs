//! The tests' clock: fixed at an instant, moved only by the test.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use vitrine_app::Clock;

/// A clock that says `unix` seconds until the test sets another instant.
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn at(unix: i64) -> Self {
        Self(Mutex::new(
            DateTime::from_timestamp(unix, 0).expect("an instant in range"),
        ))
    }

    #[allow(dead_code, reason = "only some test files move the clock")]
    pub fn set(&self, unix: i64) {
        *self.0.lock().expect("clock") = DateTime::from_timestamp(unix, 0).expect("instant");
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}
