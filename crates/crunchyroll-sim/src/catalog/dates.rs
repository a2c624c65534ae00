//! Calendar arithmetic for air dates: anime seasons, days since the Unix epoch and the ISO-8601
//! timestamps Crunchyroll writes.

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

    /// Month the season starts in (1-12).
    pub(crate) fn first_month(self) -> u32 {
        match self {
            AnimeSeason::Winter => 1,
            AnimeSeason::Spring => 4,
            AnimeSeason::Summer => 7,
            AnimeSeason::Fall => 10,
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

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let shifted_year = if month <= 2 { year - 1 } else { year };
    let era = shifted_year.div_euclid(400);
    let year_of_era = shifted_year - era * 400;
    let month_index = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_index + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The first day of a season, in days since the epoch.
pub(crate) fn season_start_day(season: AnimeSeason, year: u32) -> i64 {
    days_from_civil(i64::from(year), season.first_month(), 1)
}

/// An ISO-8601 UTC timestamp of a day, at a fixed broadcast hour.
pub(crate) fn timestamp(days: i64, hour: u32) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:00:00Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for (year, month, day) in [(1970, 1, 1), (1998, 4, 3), (2000, 2, 29), (2024, 12, 31)] {
            let days = days_from_civil(year, month, day);
            assert_eq!(civil_from_days(days), (year, month, day));
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn timestamps_are_iso_8601_utc() {
        let day = season_start_day(AnimeSeason::Spring, 2022) + 7;
        assert_eq!(timestamp(day, 15), "2022-04-08T15:00:00Z");
    }
}
