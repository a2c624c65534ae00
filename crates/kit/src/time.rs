//! Time at the boundaries, in one place: `google.protobuf.Timestamp` to and from the `time`
//! crate's [`OffsetDateTime`], and the RFC 3339 UTC text (`2024-02-29T23:59:59Z`) of REST bodies
//! and stored rows.
//!
//! Every Kensho crate formats, parses and computes dates with the `time` crate; these helpers are
//! where such a value crosses the wire.

use std::time::Duration;

use prost_types::Timestamp;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// A time that cannot cross a boundary.
#[derive(Debug, thiserror::Error)]
pub enum TimeError {
    /// The timestamp lies outside the years -9999 to 9999, or its nanoseconds are not 0 to
    /// 999,999,999.
    #[error("timestamp {seconds}s {nanos}ns is outside the supported range")]
    OutOfRange {
        /// Seconds since the Unix epoch.
        seconds: i64,
        /// Nanoseconds within the second.
        nanos: i32,
    },
    /// The time has no RFC 3339 form (a year before 0).
    #[error("the time has no RFC 3339 form")]
    Format(#[from] time::error::Format),
    /// The text is not an RFC 3339 time.
    #[error("not an RFC 3339 time")]
    Parse(#[from] time::error::Parse),
}

/// The wire form of `at`.
pub fn to_timestamp(at: OffsetDateTime) -> Timestamp {
    Timestamp {
        seconds: at.unix_timestamp(),
        // Always 0 to 999,999,999, so the conversion cannot fail.
        nanos: i32::try_from(at.nanosecond()).unwrap_or_default(),
    }
}

/// The wire form of a whole number of seconds since the Unix epoch (a JWT's `exp`).
pub fn timestamp_from_unix_seconds(seconds: i64) -> Timestamp {
    Timestamp { seconds, nanos: 0 }
}

/// The time a wire timestamp stands for, in UTC.
pub fn from_timestamp(timestamp: &Timestamp) -> Result<OffsetDateTime, TimeError> {
    let out_of_range = || TimeError::OutOfRange {
        seconds: timestamp.seconds,
        nanos: timestamp.nanos,
    };
    let nanos = u32::try_from(timestamp.nanos)
        .ok()
        .filter(|nanos| *nanos < 1_000_000_000)
        .ok_or_else(out_of_range)?;
    let whole_seconds =
        OffsetDateTime::from_unix_timestamp(timestamp.seconds).map_err(|_| out_of_range())?;
    whole_seconds
        .replace_nanosecond(nanos)
        .map_err(|_| out_of_range())
}

/// `YYYY-MM-DDTHH:MM:SSZ`: `at` in UTC, to the whole second.
pub fn rfc3339_utc(at: OffsetDateTime) -> Result<String, TimeError> {
    let in_utc = at.to_offset(UtcOffset::UTC);
    // Fractions of a second would make the text longer than the API documents.
    let whole_seconds = in_utc.replace_nanosecond(0).unwrap_or(in_utc);
    Ok(whole_seconds.format(&Rfc3339)?)
}

/// Parses an RFC 3339 time such as `2024-02-29T23:59:59Z`.
pub fn parse_rfc3339(text: &str) -> Result<OffsetDateTime, TimeError> {
    Ok(OffsetDateTime::parse(text, &Rfc3339)?)
}

/// `duration` after `start`; the last representable time (9999-12-31) when that is later, so
/// an upstream's absurd lifetime cannot overflow.
pub fn later_by(start: OffsetDateTime, duration: Duration) -> OffsetDateTime {
    let span = time::Duration::try_from(duration).unwrap_or(time::Duration::MAX);
    start.saturating_add(span)
}

/// How long from `now` until `deadline`; zero once it has passed.
pub fn remaining_until(deadline: OffsetDateTime, now: OffsetDateTime) -> Duration {
    Duration::try_from(deadline - now).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn unix(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(seconds).expect("in range")
    }

    #[test]
    fn times_format_as_rfc3339_utc_to_the_second() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_709_251_199, "2024-02-29T23:59:59Z"),
            (1_796_070_645, "2026-11-30T20:30:45Z"),
            (1_798_761_600, "2027-01-01T00:00:00Z"),
        ];
        for (seconds, text) in cases {
            assert_eq!(rfc3339_utc(unix(seconds)).expect("formats"), text);
        }
        assert_eq!(
            rfc3339_utc(datetime!(2024-02-29 23:59:59.75 +02:00)).expect("formats"),
            "2024-02-29T21:59:59Z"
        );
    }

    #[test]
    fn rfc3339_text_parses_back_to_the_same_time() {
        let leap_day = datetime!(2024-02-29 23:59:59 UTC);
        let text = rfc3339_utc(leap_day).expect("formats");
        assert_eq!(parse_rfc3339(&text).expect("parses"), leap_day);
        assert!(parse_rfc3339("2024-02-30T00:00:00Z").is_err());
        assert!(parse_rfc3339("yesterday").is_err());
    }

    #[test]
    fn timestamps_round_trip_with_their_nanoseconds() {
        let at = datetime!(2024-02-29 23:59:59.123456789 UTC);
        let timestamp = to_timestamp(at);
        assert_eq!(
            (timestamp.seconds, timestamp.nanos),
            (1_709_251_199, 123_456_789)
        );
        assert_eq!(from_timestamp(&timestamp).expect("in range"), at);
        assert_eq!(
            from_timestamp(&timestamp_from_unix_seconds(1_709_251_199)).expect("in range"),
            datetime!(2024-02-29 23:59:59 UTC)
        );
    }

    #[test]
    fn timestamps_outside_the_range_are_refused() {
        let far_future = Timestamp {
            seconds: i64::MAX,
            nanos: 0,
        };
        let negative_nanos = Timestamp {
            seconds: 0,
            nanos: -1,
        };
        let too_many_nanos = Timestamp {
            seconds: 0,
            nanos: 1_000_000_000,
        };
        for timestamp in [far_future, negative_nanos, too_many_nanos] {
            assert!(from_timestamp(&timestamp).is_err(), "{timestamp:?}");
        }
    }

    #[test]
    fn a_later_time_saturates_instead_of_overflowing() {
        let start = datetime!(2024-02-29 23:59:59 UTC);
        assert_eq!(
            later_by(start, Duration::from_secs(1)),
            datetime!(2024-03-01 00:00:00 UTC)
        );
        assert_eq!(
            later_by(start, Duration::MAX).year(),
            9999,
            "the latest representable year"
        );
    }

    #[test]
    fn the_remaining_time_is_zero_once_the_deadline_passed() {
        let now = datetime!(2024-02-29 23:59:59 UTC);
        assert_eq!(
            remaining_until(datetime!(2024-03-01 00:01:39 UTC), now),
            Duration::from_secs(100)
        );
        assert_eq!(
            remaining_until(datetime!(2024-02-29 23:00:00 UTC), now),
            Duration::ZERO
        );
    }
}
