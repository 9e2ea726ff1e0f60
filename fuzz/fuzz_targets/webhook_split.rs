//! A webhook body as Meta (or a forger who got past no check yet) might send it: splitting
//! never panics, and every event it yields carries the payload's hash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(events) = vitrine_relay::split::split(body, "fuzz") {
        let again = vitrine_relay::split::split(body, "fuzz").map(|e| e.len());
        assert_eq!(again, Ok(events.len()), "splitting is deterministic");
    }
});
