//! The log collector of a transaction.

/// Most bytes of log lines a transaction keeps, as Agave's log collector
/// (`LOG_MESSAGES_BYTES_LIMIT`).
pub const LOG_MESSAGES_BYTES_LIMIT: usize = 10 * 1000;

/// The log lines of a transaction, capped as Agave's log collector caps
/// them: a line that would bring the bytes kept to
/// [`LOG_MESSAGES_BYTES_LIMIT`] or more is dropped, the first time with a
/// `Log truncated` line in its place, and so is every later line.
#[derive(Default)]
pub(super) struct LogCollector {
    pub(super) lines: Vec<String>,
    pub(super) bytes: usize,
    pub(super) truncated: bool,
}

impl LogCollector {
    pub(super) fn push(&mut self, line: String) {
        let bytes = self.bytes.saturating_add(line.len());
        if bytes >= LOG_MESSAGES_BYTES_LIMIT {
            if !self.truncated {
                self.truncated = true;
                self.lines.push("Log truncated".to_string());
            }
        } else {
            self.bytes = bytes;
            self.lines.push(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{LogCollector, LOG_MESSAGES_BYTES_LIMIT};

    #[test]
    fn lines_stop_short_of_the_limit_and_truncation_is_said_once() {
        let mut c = LogCollector::default();
        c.push("a".repeat(LOG_MESSAGES_BYTES_LIMIT - 2));
        c.push("b".to_string()); // 9,999 bytes: kept
        c.push("c".to_string()); // would reach 10,000: dropped
        c.push("dd".to_string()); // dropped, no second warning
        assert_eq!(c.lines.len(), 3);
        assert_eq!(c.lines[1], "b");
        assert_eq!(c.lines[2], "Log truncated");
        assert_eq!(c.bytes, LOG_MESSAGES_BYTES_LIMIT - 1);
    }
}
