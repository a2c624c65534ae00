//! Which season airs at an instant: the anime-offline-database's seasons are quarters of the
//! calendar year (winter January to March, spring April to June, summer July to September, fall
//! October to December), read in UTC.

use kensho_proto::catalog::v1 as pb;
use time::{Month, OffsetDateTime};

/// The year and season airing at `now`.
pub(super) fn season_at(now: OffsetDateTime) -> (u32, pb::Season) {
    let utc = now.to_offset(time::UtcOffset::UTC);
    let season = match utc.month() {
        Month::January | Month::February | Month::March => pb::Season::Winter,
        Month::April | Month::May | Month::June => pb::Season::Spring,
        Month::July | Month::August | Month::September => pb::Season::Summer,
        Month::October | Month::November | Month::December => pb::Season::Fall,
    };
    (u32::try_from(utc.year()).unwrap_or_default(), season)
}

/// The season after `season` of `year`: fall is followed by the next year's winter.
pub(super) fn season_after(year: u32, season: pb::Season) -> (u32, pb::Season) {
    match season {
        pb::Season::Winter => (year, pb::Season::Spring),
        pb::Season::Spring => (year, pb::Season::Summer),
        pb::Season::Summer => (year, pb::Season::Fall),
        pb::Season::Fall | pb::Season::Unspecified => (year + 1, pb::Season::Winter),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn each_quarter_is_one_season_and_fall_is_followed_by_next_winter() {
        assert_eq!(
            season_at(datetime!(2026-03-31 23:59:59 UTC)),
            (2026, pb::Season::Winter)
        );
        assert_eq!(
            season_at(datetime!(2026-04-01 00:00 UTC)),
            (2026, pb::Season::Spring)
        );
        assert_eq!(
            season_at(datetime!(2026-08-15 12:00 UTC)),
            (2026, pb::Season::Summer)
        );
        let december = season_at(datetime!(2026-12-02 05:00 UTC));
        assert_eq!(december, (2026, pb::Season::Fall));
        assert_eq!(
            season_after(december.0, december.1),
            (2027, pb::Season::Winter)
        );
        assert_eq!(
            season_after(2026, pb::Season::Winter),
            (2026, pb::Season::Spring)
        );
    }

    #[test]
    fn the_season_is_read_in_utc() {
        // 1 April in Tokyo is still 31 March in UTC.
        assert_eq!(
            season_at(datetime!(2026-04-01 08:00 +09:00)),
            (2026, pb::Season::Winter)
        );
    }
}
