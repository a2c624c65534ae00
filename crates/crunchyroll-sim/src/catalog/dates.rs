//! Calendar dates for air dates: anime seasons, their first days, and the ISO-8601 timestamps
//! Crunchyroll writes. The arithmetic is the `time` crate's.

use time::{Date, Month, Time};

/// The sentinel Crunchyroll writes for "never / not scheduled".
pub(crate) const NEVER: &str = "9998-11-30T08:00:00Z";

/// An anime broadcast season.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AnimeSeason {
    Winter,
    Spring,
    Summer,
    Fall,
}

impl AnimeSeason {
    /// All seasons in calendar order.
    pub(crate) const ALL: [AnimeSeason; 4] = [
        AnimeSeason::Winter,
        AnimeSeason::Spring,
        AnimeSeason::Summer,
        AnimeSeason::Fall,
    ];

    /// The season of an anime-offline-database `animeSeason.season` value.
    pub(crate) fn from_name(name: &str) -> Option<AnimeSeason> {
        match name {
            "WINTER" => Some(AnimeSeason::Winter),
            "SPRING" => Some(AnimeSeason::Spring),
            "SUMMER" => Some(AnimeSeason::Summer),
            "FALL" => Some(AnimeSeason::Fall),
            _ => None,
        }
    }

    /// Month the season starts in.
    pub(crate) fn first_month(self) -> Month {
        match self {
            AnimeSeason::Winter => Month::January,
            AnimeSeason::Spring => Month::April,
            AnimeSeason::Summer => Month::July,
            AnimeSeason::Fall => Month::October,
        }
    }

    /// Lowercase name used in seasonal tags (`spring-2022`).
    pub(crate) fn tag_name(self) -> &'static str {
        match self {
            AnimeSeason::Winter => "winter",
            AnimeSeason::Spring => "spring",
            AnimeSeason::Summer => "summer",
            AnimeSeason::Fall => "fall",
        }
    }

    /// Display name (`Spring`).
    pub(crate) fn display_name(self) -> &'static str {
        match self {
            AnimeSeason::Winter => "Winter",
            AnimeSeason::Spring => "Spring",
            AnimeSeason::Summer => "Summer",
            AnimeSeason::Fall => "Fall",
        }
    }
}

/// The seasonal tag id of a season and year, e.g. `spring-2022`.
pub(crate) fn seasonal_tag(season: AnimeSeason, year: u32) -> String {
    format!("{}-{year}", season.tag_name())
}

/// The last year a date may have: the `time` crate's range, which RFC 3339 can also write.
const LAST_YEAR: u32 = 9999;

/// The first day of a season; years past 9999 count as 9999.
pub(crate) fn season_start(season: AnimeSeason, year: u32) -> Date {
    let year = i32::try_from(year.min(LAST_YEAR)).unwrap_or(i32::MAX);
    // The first of a month exists in every year 0 to 9999.
    Date::from_calendar_date(year, season.first_month(), 1).unwrap_or(Date::MAX)
}

/// An ISO-8601 UTC timestamp of a day at a fixed broadcast time (`2022-04-08T15:00:00Z`).
pub(crate) fn timestamp(date: Date, time_of_day: Time) -> String {
    // Dates stay within the years 0 to 9999 (see `season_start`), which always format.
    kensho_kit::time::rfc3339_utc(date.with_time(time_of_day).assume_utc())
        .unwrap_or_else(|_| NEVER.to_owned())
}

#[cfg(test)]
mod tests {
    use time::macros::{date, time};

    use super::*;

    #[test]
    fn seasons_start_on_the_first_of_their_month() {
        assert_eq!(
            season_start(AnimeSeason::Winter, 1970),
            date!(1970 - 01 - 01)
        );
        assert_eq!(
            season_start(AnimeSeason::Spring, 1998),
            date!(1998 - 04 - 01)
        );
        assert_eq!(season_start(AnimeSeason::Fall, 2024), date!(2024 - 10 - 01));
        assert_eq!(
            season_start(AnimeSeason::Summer, 12_000),
            date!(9999 - 07 - 01)
        );
    }

    #[test]
    fn weeks_after_a_season_start_cross_leap_days_and_years() {
        let winter_2000 = season_start(AnimeSeason::Winter, 2000);
        assert_eq!(
            winter_2000 + time::Duration::weeks(8),
            date!(2000 - 02 - 26)
        );
        assert_eq!(
            winter_2000 + time::Duration::days(59),
            date!(2000 - 02 - 29)
        );
        let spring_1998 = season_start(AnimeSeason::Spring, 1998);
        assert_eq!(spring_1998 + time::Duration::days(2), date!(1998 - 04 - 03));
        let fall_2024 = season_start(AnimeSeason::Fall, 2024);
        assert_eq!(fall_2024 + time::Duration::days(91), date!(2024 - 12 - 31));
    }

    #[test]
    fn timestamps_are_iso_8601_utc() {
        let day = season_start(AnimeSeason::Spring, 2022) + time::Duration::days(7);
        assert_eq!(timestamp(day, time!(15:00)), "2022-04-08T15:00:00Z");
        assert_eq!(
            timestamp(date!(2024 - 02 - 29), time!(23:59:59)),
            "2024-02-29T23:59:59Z"
        );
    }
}
