//! Line numbers as a spreadsheet shows them, for the rows and items of an import file.

/// The 1-based line a record starts on, counted as records come (each after the last, so
/// the file is scanned once, not once per row). The csv crate ends a record at the `\r` of
/// a `\r\n` and starts the next at its `\n`: line ends at a record's start are skipped.
pub(crate) struct LineCounter<'t> {
    bytes: &'t [u8],
    /// Bytes before `at` hold `line - 1` line ends.
    at: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Self {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    pub(crate) fn line_at(&mut self, offset: u64) -> u64 {
        let mut start = (offset as usize).min(self.bytes.len());
        while self
            .bytes
            .get(start)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            start += 1;
        }
        if start < self.at {
            // Not expected (records come in order); count from the top.
            self.at = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.at..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.at = start;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::LineCounter;

    #[test]
    fn lines_are_counted_once_through_the_file_crlf_included() {
        let text = "h\r\na\r\nb\n\nc";
        let mut lines = LineCounter::new(text);
        assert_eq!(
            lines.line_at(2),
            2,
            "a record starting at the \\n of a \\r\\n"
        );
        assert_eq!(lines.line_at(6), 3);
        assert_eq!(lines.line_at(9), 5, "after a blank line");
        assert_eq!(lines.line_at(0), 1, "an earlier offset counts from the top");
    }
}
