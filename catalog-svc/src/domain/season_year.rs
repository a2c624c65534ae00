//! The year of a season a catalog anime can start in.

use std::ops::RangeInclusive;

use super::FieldViolation;

/// A year between 1900 and 2100, the years the catalog holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeasonYear(u32);

impl SeasonYear {
    /// The years the catalog accepts, on import and in requests.
    pub const RANGE: RangeInclusive<u32> = 1900..=2100;

    /// Parses a requested year; `field` names the request field in the error.
    pub fn parse(year: u32, field: &str) -> Result<Self, FieldViolation> {
        if Self::RANGE.contains(&year) {
            Ok(SeasonYear(year))
        } else {
            Err(FieldViolation::new(
                field,
                format!(
                    "must be between {} and {}",
                    Self::RANGE.start(),
                    Self::RANGE.end()
                ),
            ))
        }
    }

    /// The year.
    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_outside_1900_to_2100_are_rejected() {
        assert!(SeasonYear::parse(1899, "year").is_err());
        assert!(SeasonYear::parse(2101, "year").is_err());
        assert_eq!(SeasonYear::parse(1900, "year").expect("valid").get(), 1900);
        assert_eq!(SeasonYear::parse(2100, "year").expect("valid").get(), 2100);
    }
}
