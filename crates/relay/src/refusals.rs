//! Logging refused webhooks without letting a flood fill the disk. Anyone on the internet
//! can POST forged webhooks; each refusal is worth a log line only while they are few. In
//! each window of `interval` (starting at its first refusal) the first `lines` refusals are
//! logged one by one, the rest only counted, and the count is logged once as a summary when
//! the window is over: at most `lines + 1` lines per window, however large the flood.
//!
//! The clock is a parameter (`now`), so the tests drive it.

use std::time::{Duration, Instant};

/// What to log for one refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Refusals of the previous window that were not logged one by one: log this summary
    /// first.
    pub unlogged_before: Option<u64>,
    /// Whether to log this refusal itself.
    pub log: bool,
}

/// The tally of refusals of the current window.
#[derive(Debug)]
pub struct RefusalLog {
    lines: u32,
    interval: Duration,
    window_start: Option<Instant>,
    logged: u32,
    unlogged: u64,
}

impl RefusalLog {
    pub fn new(lines: u32, interval: Duration) -> Self {
        Self {
            lines,
            interval,
            window_start: None,
            logged: 0,
            unlogged: 0,
        }
    }

    /// Counts one refusal at `now`.
    pub fn refused(&mut self, now: Instant) -> Entry {
        let unlogged_before = self.summary_due(now);
        if self.window_start.is_none() {
            self.window_start = Some(now);
        }
        let log = self.logged < self.lines;
        if log {
            self.logged += 1;
        } else {
            self.unlogged += 1;
        }
        Entry {
            unlogged_before,
            log,
        }
    }

    /// For a periodic check: once the window is over, how many refusals it did not log (if
    /// any); a new window starts with the next refusal.
    pub fn summary_due(&mut self, now: Instant) -> Option<u64> {
        let start = self.window_start?;
        if now.saturating_duration_since(start) < self.interval {
            return None;
        }
        self.window_start = None;
        self.logged = 0;
        Some(std::mem::take(&mut self.unlogged)).filter(|n| *n > 0)
    }

    /// At shutdown: the refusals not logged so far, whatever the window.
    pub fn drain(&mut self) -> Option<u64> {
        self.window_start = None;
        self.logged = 0;
        Some(std::mem::take(&mut self.unlogged)).filter(|n| *n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_flood_logs_the_first_lines_then_one_summary_per_window() {
        let start = Instant::now();
        let mut log = RefusalLog::new(10, MINUTE);
        let entries: Vec<Entry> = (0..10_000).map(|_| log.refused(start)).collect();
        assert_eq!(
            entries.iter().filter(|e| e.log).count(),
            10,
            "10,000 forged webhooks in a burst log 10 lines"
        );
        assert!(
            entries.iter().all(|e| e.unlogged_before.is_none()),
            "no summary inside the window"
        );
        assert_eq!(
            log.summary_due(start + MINUTE / 2),
            None,
            "the window is not over yet"
        );
        assert_eq!(
            log.summary_due(start + MINUTE),
            Some(9_990),
            "then one line counts the rest"
        );
        assert_eq!(
            log.summary_due(start + 2 * MINUTE),
            None,
            "a summary is given once"
        );
        let quiet = log.refused(start + 3 * MINUTE);
        assert!(quiet.log, "after a quiet spell, refusals are logged again");
        assert_eq!(quiet.unlogged_before, None);
    }

    #[test]
    fn a_refusal_in_the_next_window_brings_the_last_windows_summary_with_it() {
        let start = Instant::now();
        let mut log = RefusalLog::new(2, MINUTE);
        for _ in 0..5 {
            log.refused(start);
        }
        let next = log.refused(start + MINUTE + Duration::from_secs(1));
        assert_eq!(
            next,
            Entry {
                unlogged_before: Some(3),
                log: true
            },
            "3 were only counted; the new window logs again"
        );
        assert_eq!(
            log.summary_due(start + MINUTE + Duration::from_secs(1)),
            None,
            "the summary was given with that refusal"
        );
        log.refused(start + MINUTE + Duration::from_secs(2));
        log.refused(start + MINUTE + Duration::from_secs(3));
        assert_eq!(log.drain(), Some(1), "at shutdown the rest is counted");
    }

    #[test]
    fn below_the_limit_every_refusal_is_logged() {
        let start = Instant::now();
        let mut log = RefusalLog::new(10, MINUTE);
        for second in 0..30 {
            let entry = log.refused(start + Duration::from_secs(second * 7));
            assert!(entry.log, "refusal {second} is logged");
            assert_eq!(entry.unlogged_before, None);
        }
    }
}
