//! Instants as the contract carries them (epoch milliseconds, UTC), their valid range, and
//! the plain-words formatting of durations the hints use.

use crate::error::InvalidInput;

pub use crate::types::{Duration, Instant};

pub const MINUTE: Duration = 60_000;
pub const HOUR: Duration = 60 * MINUTE;
pub const DAY: Duration = 24 * HOUR;

/// 1970-01-01T00:00:00.000Z: the contract rejects earlier instants.
pub const MIN_INSTANT: Instant = 0;
/// 9999-12-31T23:59:59.999Z: keeps every sum of an instant and a few days far from overflow,
/// and every instant representable as a calendar date.
pub const MAX_INSTANT: Instant = 253_402_300_799_999;

/// Accept an instant inside the supported range, or say which field was out of it.
pub fn check_instant(field: &str, value: Instant) -> Result<Instant, InvalidInput> {
    if (MIN_INSTANT..=MAX_INSTANT).contains(&value) {
        Ok(value)
    } else {
        Err(InvalidInput::new(
            field,
            format!("{value} is outside 1970-01-01T00:00:00Z..9999-12-31T23:59:59.999Z (epoch milliseconds)"),
        ))
    }
}

/// "2 h 05 min", "45 min", "under a minute": how long, for an agent.
pub fn describe_duration(d: Duration) -> String {
    let minutes = d / MINUTE;
    match (minutes / 60, minutes % 60) {
        (0, 0) => "under a minute".to_string(),
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_is_inclusive_at_both_ends() {
        assert!(check_instant("now", MIN_INSTANT).is_ok());
        assert!(check_instant("now", MAX_INSTANT).is_ok());
        let err = check_instant("now", -1).unwrap_err();
        assert_eq!(err.field, "now");
        assert!(err.reason.contains("1970"), "{}", err.reason);
        assert!(check_instant("now", MAX_INSTANT + 1).is_err());
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(describe_duration(59_999), "under a minute");
        assert_eq!(describe_duration(45 * MINUTE + 59_000), "45 min");
        assert_eq!(describe_duration(2 * HOUR), "2 h");
        assert_eq!(describe_duration(2 * HOUR + 5 * MINUTE), "2 h 05 min");
        assert_eq!(describe_duration(DAY - 1), "23 h 59 min");
    }
}
