//! Calendar dates and timeframes at the precision a programme gives them.
//!
//! A [`Timeframe`] is written as a short string (`"2023-25"`, `"2023 and 2025"`,
//! `"2024-Q3"`, `"M1-M48"`, `"annually in 2023-2025"`, `"ongoing"`) or, when the
//! source states a condition instead of a date, as `{ condition: "…" }`. The
//! text is kept exactly as written; the parsed form is derived from it.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A calendar date (`YYYY-MM-DD`), checked for the month's length and leap years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, or `None` when the day does not exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        (day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn day_number(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The date of a day number (days since 1970-01-01), if its year fits.
    pub fn from_day_number(day: i64) -> Option<Date> {
        let month = month_of_day(day);
        let year = i32::try_from(month.div_euclid(12)).ok()?;
        let month = u8::try_from(month.rem_euclid(12) + 1).ok()?;
        let first = days_from_civil(year, month, 1);
        let day = u8::try_from(day - first + 1).ok()?;
        Date::new(year, month, day)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, TimeError> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return Err(TimeError::new(format!(
                "`{text}` is not a date: write it as `YYYY-MM-DD`"
            )));
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
        let (y, m, d) = (num(0..4) as i32, num(5..7) as u8, num(8..10) as u8);
        Date::new(y, m, d)
            .ok_or_else(|| TimeError::new(format!("`{text}` is not a day of the calendar")))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DateVisitor)
    }
}

struct DateVisitor;

impl<'de> de::Visitor<'de> for DateVisitor {
    type Value = Date;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date written as `YYYY-MM-DD`")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        Date::parse(v).map_err(E::custom)
    }
    // TOML writes bare dates as its own datetime type, which reaches serde as a
    // one-entry map; accept it so a TOML document may write `adopted = 2022-11-16`.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        let Some((_, text)) = map.next_entry::<Cow<'de, str>, Cow<'de, str>>()? else {
            return Err(de::Error::custom("expected a date written as `YYYY-MM-DD`"));
        };
        Date::parse(&text).map_err(de::Error::custom)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            "description": "A calendar date written as `YYYY-MM-DD`.",
            "examples": ["2022-11-16"]
        })
    }
}

/// Why a date or timeframe could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TimeError {
    message: String,
    /// The bytes of the text at fault, when it is one part of it.
    part: Option<std::ops::Range<usize>>,
}

impl TimeError {
    fn new(message: String) -> TimeError {
        TimeError {
            message,
            part: None,
        }
    }

    /// The byte range of the part of the text at fault (`2021-02-29` in
    /// `2020-01 to 2021-02-29`), when it is not the whole text.
    pub fn part(&self) -> Option<std::ops::Range<usize>> {
        self.part.clone()
    }
}

/// The forms a timeframe takes, for the help of an error.
pub const TIMEFRAME_FORMS: &str = "write a timeframe such as `2023-25`, `2023 and 2025`, `2024-Q3`, `2024-05-17`, `M1-M48` (`M0-M48` from the start), `M1-M48@0.2` (a share of full time), `2016-07-01 to M48`, `by 2020-06`, `annually in 2023-2025`, `ongoing from 2023` or `ongoing, every 24 months`; or `{condition: ...}` when the source states a condition instead of a date, or `{after: A8.M1, within: 12 months}` when it is counted from another element";

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// One point in time at the precision the source gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Point {
    /// A calendar year, `2024`.
    Year(i32),
    /// A quarter of a year, `2024-Q3`.
    Quarter(i32, u8),
    /// A month of a year, `2024-05`.
    Month(i32, u8),
    /// An exact day, `2024-05-17`.
    Date(Date),
    /// A month counted from the programme's start, `M18` (month 1 is the first; `M0`,
    /// month zero, is read as the programme's start, the first day of `M1`).
    RelativeMonth(u32),
}

impl Point {
    /// Whether it counts months from the programme's start (`M18`).
    pub fn is_relative(self) -> bool {
        matches!(self, Point::RelativeMonth(_))
    }

    /// The first and last day this point covers, as absolute instants; relative
    /// months need the programme's start date.
    pub fn bounds(self, start: Option<Date>) -> Option<(Instant, Instant)> {
        let first_last = |y: i32, m1: u8, m2: u8| -> Option<(Instant, Instant)> {
            let a = Date::new(y, m1, 1)?;
            let b = Date::new(y, m2, days_in_month(y, m2))?;
            Some((Instant::Day(a.day_number()), Instant::Day(b.day_number())))
        };
        match self {
            Point::Year(y) => first_last(y, 1, 12),
            Point::Quarter(y, q) => first_last(y, q * 3 - 2, q * 3),
            Point::Month(y, m) => first_last(y, m, m),
            Point::Date(d) => Some((Instant::Day(d.day_number()), Instant::Day(d.day_number()))),
            // month zero is the programme's start: the first day of month 1
            Point::RelativeMonth(0) => {
                let (first, _) = Point::RelativeMonth(1).bounds(start)?;
                Some((first, first))
            }
            Point::RelativeMonth(n) => match start {
                None => Some((Instant::Month(n), Instant::Month(n))),
                Some(s) => {
                    let months = i64::from(s.month) - 1 + i64::from(n) - 1;
                    let y = i32::try_from(i64::from(s.year) + months / 12).ok()?;
                    let m = u8::try_from(months % 12 + 1).ok()?;
                    let day = s.day.min(days_in_month(y, m));
                    let first = Date::new(y, m, day)?.day_number();
                    // the month runs to the day before the same day next month
                    let months2 = months + 1;
                    let y2 = i32::try_from(i64::from(s.year) + months2 / 12).ok()?;
                    let m2 = u8::try_from(months2 % 12 + 1).ok()?;
                    let next = Date::new(y2, m2, s.day.min(days_in_month(y2, m2)))?.day_number();
                    Some((Instant::Day(first), Instant::Day(next - 1)))
                }
            },
        }
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Point::Year(y) => write!(f, "{y:04}"),
            Point::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
            Point::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Point::Date(d) => write!(f, "{d}"),
            Point::RelativeMonth(n) => write!(f, "M{n}"),
        }
    }
}

/// A point on a time line: an absolute day, or a month relative to the programme start
/// when the programme gives no start date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Instant {
    /// Days since 1970-01-01.
    Day(i64),
    /// Month N of the programme (1-based), with no calendar anchor.
    Month(u32),
}

/// An inclusive interval of time. An end may be unknown: a deadline (`by 2020-06`) has
/// no stated start, open-ended work (`ongoing from 2016-07-01`) no stated end; the
/// unknown end then holds the known one, and comparisons use only what is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    /// The first instant covered (when `start_known`).
    pub start: Instant,
    /// The last instant covered (when `end_known`).
    pub end: Instant,
    /// Whether the start is stated (not for a deadline).
    pub start_known: bool,
    /// Whether the end is stated (not for open-ended work).
    pub end_known: bool,
}

fn same_line(a: Instant, b: Instant) -> bool {
    matches!(
        (a, b),
        (Instant::Day(_), Instant::Day(_)) | (Instant::Month(_), Instant::Month(_))
    )
}

impl Interval {
    /// An interval whose two ends are both known.
    pub fn new(start: Instant, end: Instant) -> Interval {
        Interval {
            start,
            end,
            start_known: true,
            end_known: true,
        }
    }

    /// Whether both ends are known.
    pub fn bounded(&self) -> bool {
        self.start_known && self.end_known
    }

    /// The smallest interval covering both, `None` when one counts in days and the other
    /// in months from the start; an end is known only when it is known on both.
    pub fn hull(&self, other: &Interval) -> Option<Interval> {
        if !same_line(self.start, other.start) || !same_line(self.end, other.end) {
            return None;
        }
        Some(Interval {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
            start_known: self.start_known && other.start_known,
            end_known: self.end_known && other.end_known,
        })
    }

    /// Whether `self` lies within `outer`: each known end of `self` lies within the known
    /// ends of `outer` (a deadline's end only, open-ended work's start only). `None` when
    /// nothing can be compared: different time lines (relative months against calendar
    /// dates with no start date to anchor them), or no known ends to compare.
    pub fn within(&self, outer: &Interval) -> Option<bool> {
        let mut compared = false;
        let mut inside = true;
        for (x, known) in [(self.start, self.start_known), (self.end, self.end_known)] {
            if !known {
                continue;
            }
            for (bound, bound_known, after) in [
                (outer.start, outer.start_known, true),
                (outer.end, outer.end_known, false),
            ] {
                if !bound_known {
                    continue;
                }
                if !same_line(x, bound) {
                    return None;
                }
                compared = true;
                inside &= if after { x >= bound } else { x <= bound };
            }
        }
        compared.then_some(inside)
    }

    /// Whether `self` and `other` share some time, as far as their known ends tell;
    /// `None` when nothing can be compared.
    pub fn overlaps(&self, other: &Interval) -> Option<bool> {
        let mut compared = false;
        let mut overlap = true;
        for (a, b) in [(self, other), (other, self)] {
            // a starts no later than b ends
            if a.start_known && b.end_known {
                if !same_line(a.start, b.end) {
                    return None;
                }
                compared = true;
                overlap &= a.start <= b.end;
            }
        }
        compared.then_some(overlap)
    }

    /// How many times something recurring this often happens within the interval:
    /// the calendar years, quarters or months it touches (for months relative to the
    /// start: 12-, 3- or 1-month blocks). `None` for other recurrences.
    pub fn occurrences(&self, recurrence: Recurrence) -> Option<u64> {
        let per = match recurrence {
            Recurrence::Annually => 12,
            Recurrence::Quarterly => 3,
            Recurrence::Monthly => 1,
            _ => return None,
        };
        if !self.bounded() {
            return None;
        }
        let n = match (self.start, self.end) {
            (Instant::Day(a), Instant::Day(b)) => {
                month_of_day(b).div_euclid(per) - month_of_day(a).div_euclid(per) + 1
            }
            (Instant::Month(a), Instant::Month(b)) => (i64::from(b) - i64::from(a)) / per + 1,
            _ => return None,
        };
        u64::try_from(n).ok()
    }

    /// The calendar years this interval touches, when it is on the calendar: for a
    /// deadline only the year of its end (its start is unknown), for open-ended work none
    /// (its end is unknown).
    pub fn years(&self) -> Option<std::ops::RangeInclusive<i32>> {
        if !self.end_known {
            return None;
        }
        match (self.start, self.end) {
            (_, Instant::Day(b)) if !self.start_known => Some(year_of_day(b)..=year_of_day(b)),
            (Instant::Day(a), Instant::Day(b)) => Some(year_of_day(a)..=year_of_day(b)),
            _ => None,
        }
    }
}

impl Interval {
    /// The project years this interval touches, when it is in months from a start that is
    /// not on the calendar (year 1 is `M1`–`M12`, year 2 `M13`–`M24`, and so on; `M0`
    /// is in year 1): for a deadline only the year of its end, for open-ended work none.
    pub fn project_years(&self) -> Option<std::ops::RangeInclusive<u32>> {
        if !self.end_known {
            return None;
        }
        match (self.start, self.end) {
            (_, Instant::Month(b)) if !self.start_known => {
                Some(project_year_of(b)..=project_year_of(b))
            }
            (Instant::Month(a), Instant::Month(b)) => Some(project_year_of(a)..=project_year_of(b)),
            _ => None,
        }
    }

    /// The project year of its start, when the start is known and in months from a start
    /// that is not on the calendar.
    pub fn first_project_year(&self) -> Option<u32> {
        match self.start {
            Instant::Month(a) if self.start_known => Some(project_year_of(a)),
            _ => None,
        }
    }

    /// The calendar year of its start, when the start is known and on the calendar.
    pub fn first_year(&self) -> Option<i32> {
        match self.start {
            Instant::Day(a) if self.start_known => Some(year_of_day(a)),
            _ => None,
        }
    }
}

/// The project year of a month from the start: months 1 to 12 are year 1 (month 0, read
/// as month 1, too).
fn project_year_of(month: u32) -> u32 {
    month.saturating_sub(1) / 12 + 1
}

fn year_of_day(day: i64) -> i32 {
    i32::try_from(month_of_day(day).div_euclid(12)).unwrap_or(i32::MAX)
}

/// The absolute month index (`year * 12 + month - 1`) of a day number (civil_from_days).
fn month_of_day(day: i64) -> i64 {
    let z = day + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (y + i64::from(m <= 2)) * 12 + m - 1
}

/// A stretch of time: one point, or from one point to another, with the share of full
/// time the work takes in it when the source states one (`M1-M48@0.2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Segment {
    /// Where it begins.
    pub start: Point,
    /// Where it ends (equal to `start` for a single point).
    pub end: Point,
    /// The share of full time (`@0.2`, `@20%`), if stated.
    pub share: Option<Share>,
}

impl Segment {
    /// A segment with no stated share.
    pub fn new(start: Point, end: Point) -> Segment {
        Segment {
            start,
            end,
            share: None,
        }
    }

    /// The segment as an interval, given the programme's start date for relative months.
    pub fn interval(&self, start: Option<Date>) -> Option<Interval> {
        let (a, _) = self.start.bounds(start)?;
        let (_, b) = self.end.bounds(start)?;
        // a mixed range that ends before it starts (`2016-07-01 to M1` from a later
        // start) covers nothing: it is compared with nothing, and reported (PG311)
        (a <= b).then(|| Interval::new(a, b))
    }

    /// Whether it ends before it starts once its months are put on the calendar from
    /// `start` (`2016-07-01 to M1` in a programme that starts on 2016-09-01). Only a
    /// mixed range can: the grammar refuses any other reversed range.
    pub fn is_reversed(&self, start: Option<Date>) -> bool {
        let (Some((a, _)), Some((_, b))) = (self.start.bounds(start), self.end.bounds(start))
        else {
            return false;
        };
        std::mem::discriminant(&a) == std::mem::discriminant(&b) && a > b
    }

    /// Whether it mixes a calendar point with months from the start (`2016-07-01 to M48`).
    pub fn is_mixed(&self) -> bool {
        self.start.is_relative() != self.end.is_relative()
    }
}

/// A share of full time, above 0 and at most 1, exact to a millionth: written `@0.2`
/// (a fraction, up to six decimals) or `@20%` (a percentage, up to four decimals).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(u32);

impl Share {
    /// Full time in millionths.
    pub const FULL: u32 = 1_000_000;

    /// The share in millionths of full time (1 to 1,000,000).
    pub fn millionths(self) -> u32 {
        self.0
    }

    /// The share as a fraction of full time.
    pub fn fraction(self) -> f64 {
        f64::from(self.0) / f64::from(Share::FULL)
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / Share::FULL;
        let part = self.0 % Share::FULL;
        if part == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{part:06}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// How often something recurs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Recurrence {
    /// Once a year (`annually`, `yearly`).
    Annually,
    /// Once a quarter.
    Quarterly,
    /// Once a month.
    Monthly,
    /// Once a week.
    Weekly,
    /// Once a day.
    Daily,
    /// Every N units (`every 90 days`).
    Every(u32, TimeUnit),
}

/// A unit of calendar time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

/// The segments of a timeframe.
pub type Segments = smallvec::SmallVec<[Segment; 1]>;

/// The meaning of a timeframe, derived from its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TimeSpec {
    /// One or more segments (`2023-25`, `2023 and 2025`, `M1-M6, M13-M18`), optionally
    /// recurring within them (`annually in 2023-2025`).
    Segments {
        /// How often the work recurs within the segments, if it does.
        recurrence: Option<Recurrence>,
        /// The segments, in the order written (most timeframes have one, held inline).
        segments: Segments,
    },
    /// Recurring with no stated bounds (`annually`, `every 90 days`).
    Recurring(Recurrence),
    /// Open-ended (`ongoing`, `ongoing from 2023`, `ongoing, every 24 months`).
    Ongoing {
        /// When it started, if stated.
        from: Option<Point>,
        /// How often it recurs, if stated.
        recurrence: Option<Recurrence>,
    },
    /// A deadline with no stated start (`by 2020-06`): it ends then, and when it starts is
    /// unknown (never invented).
    Deadline(Point),
    /// A condition the source states instead of a date, kept as text.
    Condition(String),
    /// A timeframe anchored to another element (`{after: A8.M1, within: 12 months}`):
    /// its dates are derived from the anchor's, when the anchor has them.
    Anchored(Anchor),
}

/// Which side of its anchor an anchored timeframe lies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// From the anchor's end to `within` after it (`after`).
    After,
    /// From `within` before the anchor's start to its start (`before`).
    Before,
}

impl Side {
    /// The key it is written with: `after` or `before`.
    pub fn key(self) -> &'static str {
        match self {
            Side::After => "after",
            Side::Before => "before",
        }
    }
}

/// A length of calendar time (`12 months`, `6 weeks`, `90 days`, `2 years`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Duration {
    /// How many units, 1 to 9999.
    pub count: u32,
    /// The unit.
    pub unit: TimeUnit,
}

impl Duration {
    /// Parses `N unit` (`12 months`, `1 year`; days, weeks, months or years, N from 1 to 9999).
    pub fn parse(text: &str) -> Result<Duration, TimeError> {
        let bad = || {
            TimeError::new(format!(
                "`{text}` is not a duration: write a number and a unit, such as `12 months`, `6 weeks`, `90 days` or `2 years`"
            ))
        };
        let (n, unit) = text.split_once(' ').ok_or_else(bad)?;
        let shaped = !n.is_empty()
            && n.len() <= 4
            && n.bytes().all(|b| b.is_ascii_digit())
            && !n.starts_with('0');
        if !shaped {
            return Err(bad());
        }
        let count: u32 = n.parse().map_err(|_| bad())?;
        let unit = match unit {
            "day" | "days" => TimeUnit::Day,
            "week" | "weeks" => TimeUnit::Week,
            "month" | "months" => TimeUnit::Month,
            "year" | "years" => TimeUnit::Year,
            _ => return Err(bad()),
        };
        Ok(Duration { count, unit })
    }

    /// The day `sign` (1 or -1) times this duration from `day` (a day number); months and
    /// years keep the day of the month, or the month's last day when it is shorter.
    pub fn shift(self, day: i64, sign: i64) -> Option<i64> {
        let n = i64::from(self.count) * sign;
        let months = match self.unit {
            TimeUnit::Day => return Some(day + n),
            TimeUnit::Week => return Some(day + 7 * n),
            TimeUnit::Month => n,
            TimeUnit::Year => 12 * n,
        };
        let date = Date::from_day_number(day)?;
        let m = i64::from(date.year) * 12 + i64::from(date.month) - 1 + months;
        let y = i32::try_from(m.div_euclid(12)).ok()?;
        let mo = u8::try_from(m.rem_euclid(12) + 1).ok()?;
        let d = date.day.min(days_in_month(y, mo));
        Date::new(y, mo, d).map(Date::day_number)
    }
}

/// The other element an anchored timeframe is counted from, and how far.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Anchor {
    /// Before or after the anchor.
    pub side: Side,
    /// The id of the anchor element.
    pub id: crate::model::Id,
    /// How far from the anchor, as written (`12 months`).
    pub within: Duration,
    /// The duration exactly as written.
    pub within_text: compact_str::CompactString,
}

impl Anchor {
    /// The window derived from the anchor's interval: after, from the anchor's end to
    /// `within` after it; before, from `within` before the anchor's start to its start.
    /// `None` when the end it counts from is unknown, or in months from a start that is
    /// not on the calendar with `within` in days or weeks.
    pub fn derive(&self, anchor: &Interval) -> Option<Interval> {
        let (from, known) = match self.side {
            Side::After => (anchor.end, anchor.end_known),
            Side::Before => (anchor.start, anchor.start_known),
        };
        if !known {
            return None;
        }
        match from {
            Instant::Day(day) => {
                let (a, b) = match self.side {
                    Side::After => (day, self.within.shift(day, 1)?),
                    Side::Before => (self.within.shift(day, -1)?, day),
                };
                Some(Interval::new(Instant::Day(a), Instant::Day(b)))
            }
            // months from a start that is not on the calendar: whole months and years only
            Instant::Month(m) => {
                let n = match self.within.unit {
                    TimeUnit::Month => self.within.count,
                    TimeUnit::Year => self.within.count.checked_mul(12)?,
                    TimeUnit::Day | TimeUnit::Week => return None,
                };
                let (a, b) = match self.side {
                    Side::After => (m, m.checked_add(n)?),
                    Side::Before => (m.checked_sub(n).filter(|a| *a >= 1)?, m),
                };
                Some(Interval::new(Instant::Month(a), Instant::Month(b)))
            }
        }
    }
}

/// A timeframe as the source gives it: its text, exactly as written, and its meaning.
///
/// Written as a string in this grammar (keywords are lowercase):
///
/// ```text
/// timeframe  := "ongoing" [" from " point] [", " recurrence]
///             | "by " point
///             | recurrence [(" in " | " during ") segments]
///             | segments
/// segments   := segment ((", " | "; " | " & " | " and ") segment)*
/// segment    := point [("-" | "–" | " to ") end] ["@" share]
/// point      := YYYY | YYYY-Qn | YYYY-MM | YYYY-MM-DD | Mn
/// end        := point | YY            (a two-digit year after a YYYY start: 2023-25)
/// share      := fraction | percent "%"
/// fraction   := 0.d to 0.dddddd (not zero) | 1 | 1.0 to 1.000000
/// percent    := above 0, at most 100, up to four decimals (20, 2.5, 100)
/// recurrence := annually | yearly | quarterly | monthly | weekly | daily
///             | "every " N " " (day|days|week|weeks|month|months|year|years)
/// ```
///
/// `YYYY-MM` with `MM` from 01 to 12 is a month; write `2011-2012` for such year ranges.
/// `Mn` counts months from the programme's start, `M1` the first; `M0` (month zero, as
/// EU plans write `M0-M48`) is read as the start itself. A range may mix a calendar point
/// with months from the start (`2016-07-01 to M48`) when the programme states its start.
/// `by 2020-06` is a deadline: it ends then, and its start is unknown. A share (`@0.2`,
/// `@20%`) is the fraction of full time the work takes in that segment.
/// A condition is written as a mapping: `{ condition: "after the strategy is adopted" }`.
/// A timeframe counted from another element is a mapping too: `{ after: A8.M1, within:
/// 12 months }` (from the anchor's end to 12 months after it) or `{ before: A8.M1, within:
/// 6 weeks }` (from 6 weeks before the anchor's start to its start); `within` is a number
/// from 1 to 9999 and `day(s)`, `week(s)`, `month(s)` or `year(s)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Timeframe {
    text: compact_str::CompactString,
    spec: TimeSpec,
}

impl Timeframe {
    /// Parses a timeframe string.
    pub fn parse(text: &str) -> Result<Timeframe, TimeError> {
        let mut parser = Parser::new(text);
        let spec = parser.timeframe();
        if let Some(first) = parser.days.into_iter().next() {
            return Err(first);
        }
        Ok(Timeframe {
            text: text.into(),
            spec: spec?,
        })
    }

    /// Every reason a timeframe string cannot be read: each day that is not in the
    /// calendar (`2020-02-30` and `2021-02-29` in one text), and the first other problem
    /// (`2021-Q9` in `2020-02-30; 2021-Q9`).
    /// Empty when it reads.
    pub fn errors(text: &str) -> Vec<TimeError> {
        let mut parser = Parser::new(text);
        let spec = parser.timeframe();
        let mut all = parser.days;
        if let Err(e) = spec
            && !all.contains(&e)
        {
            all.push(e);
        }
        all
    }

    /// A timeframe that is a condition stated instead of a date.
    pub fn condition(text: impl Into<String>) -> Timeframe {
        let text: String = text.into();
        Timeframe {
            text: text.as_str().into(),
            spec: TimeSpec::Condition(text),
        }
    }

    /// A timeframe anchored to another element (`{after: A8.M1, within: 12 months}`).
    pub fn anchored(anchor: Anchor) -> Timeframe {
        let text = format!(
            "{} {} {}",
            anchor.within_text,
            anchor.side.key(),
            anchor.id.as_str()
        );
        Timeframe {
            text: text.as_str().into(),
            spec: TimeSpec::Anchored(anchor),
        }
    }

    /// The anchor, when the timeframe is anchored to another element.
    pub fn anchor(&self) -> Option<&Anchor> {
        match &self.spec {
            TimeSpec::Anchored(a) => Some(a),
            _ => None,
        }
    }

    /// The text exactly as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed meaning.
    pub fn spec(&self) -> &TimeSpec {
        &self.spec
    }

    /// The intervals it covers: each segment; `ongoing from X` as an interval with no
    /// known end; `by X` as one with no known start. Empty for bare recurrences, `ongoing`
    /// with no start, and conditions.
    pub fn intervals(&self, start: Option<Date>) -> impl Iterator<Item = Interval> + '_ {
        let (segments, single): (&[Segment], Option<Interval>) = match &self.spec {
            TimeSpec::Segments { segments, .. } => (segments, None),
            TimeSpec::Ongoing { from: Some(p), .. } => (
                &[],
                p.bounds(start).map(|(a, _)| Interval {
                    end_known: false,
                    ..Interval::new(a, a)
                }),
            ),
            TimeSpec::Deadline(p) => (
                &[],
                p.bounds(start).map(|(_, b)| Interval {
                    start_known: false,
                    ..Interval::new(b, b)
                }),
            ),
            _ => (&[], None),
        };
        segments
            .iter()
            .filter_map(move |s| s.interval(start))
            .chain(single)
    }

    /// The segments as written, each with its share of full time if stated (empty for
    /// timeframes that are not segments).
    pub fn segments(&self) -> &[Segment] {
        match &self.spec {
            TimeSpec::Segments { segments, .. } => segments,
            _ => &[],
        }
    }

    /// Whether it writes month zero (`M0`), read as the programme's start.
    pub fn has_month_zero(&self) -> bool {
        let zero = |p: &Point| *p == Point::RelativeMonth(0);
        match &self.spec {
            TimeSpec::Segments { segments, .. } => {
                segments.iter().any(|s| zero(&s.start) || zero(&s.end))
            }
            TimeSpec::Ongoing { from, .. } => from.as_ref().is_some_and(zero),
            TimeSpec::Deadline(p) => zero(p),
            _ => false,
        }
    }

    /// Whether a range mixes a calendar point with months from the start
    /// (`2016-07-01 to M48`), which needs the programme's start to be read.
    pub fn is_mixed(&self) -> bool {
        self.segments().iter().any(Segment::is_mixed)
    }

    /// The calendar years the timeframe touches, in order, without repeats.
    pub fn years(&self, start: Option<Date>) -> Vec<i32> {
        let mut years: Vec<i32> = Vec::new();
        self.years_into(start, &mut years);
        years
    }

    /// [`Timeframe::years`] into a buffer (cleared first), to read many without allocating.
    pub fn years_into(&self, start: Option<Date>, years: &mut Vec<i32>) {
        years.clear();
        for i in self.intervals(start) {
            if let Some(r) = i.years() {
                for y in r {
                    if !years.contains(&y) {
                        years.push(y);
                    }
                }
            }
        }
        years.sort_unstable();
    }

    /// The project years the timeframe touches (year 1 is `M1`–`M12`), in order, without
    /// repeats, into a buffer (cleared first): only months from a start that is not on
    /// the calendar count (with a calendar start, see [`Timeframe::years_into`]).
    pub fn project_years_into(&self, start: Option<Date>, years: &mut Vec<u32>) {
        years.clear();
        for i in self.intervals(start) {
            if let Some(r) = i.project_years() {
                years.extend(r);
            }
        }
        years.sort_unstable();
        years.dedup();
    }

    /// The overall interval from the first start to the last end, if it is bounded.
    pub fn span(&self, start: Option<Date>) -> Option<Interval> {
        let mut all = self.intervals(start);
        let mut span = all.next()?;
        for i in all {
            span = span.hull(&i)?;
        }
        same_line(span.start, span.end).then_some(span)
    }

    /// The points, as written, where [`Timeframe::span`] starts and ends: `M6` and
    /// `M18` for `M6-M18`, `2023` and `2025` for `2023 and 2025`.
    /// For `by X` and `ongoing from X` both points are `X` (one end is unknown: see
    /// [`Interval::start_known`] and [`Interval::end_known`]).
    pub fn span_points(&self, start: Option<Date>) -> Option<(Point, Point)> {
        let segments = match &self.spec {
            TimeSpec::Segments { segments, .. } => segments,
            TimeSpec::Deadline(p) | TimeSpec::Ongoing { from: Some(p), .. } => {
                return Some((*p, *p));
            }
            _ => return None,
        };
        let mut first: Option<(Instant, Point)> = None;
        let mut last: Option<(Instant, Point)> = None;
        for s in segments {
            let Some(i) = s.interval(start) else { continue };
            if first.is_none_or(|(a, _)| i.start < a) {
                first = Some((i.start, s.start));
            }
            if last.is_none_or(|(b, _)| i.end > b) {
                last = Some((i.end, s.end));
            }
        }
        Some((first?.1, last?.1))
    }

    /// The first and last day of [`Timeframe::span`], when the span is on the calendar
    /// (not in programme months with no start date to anchor them).
    pub fn dates(&self, start: Option<Date>) -> Option<(Date, Date)> {
        match self.span(start)? {
            Interval {
                start: Instant::Day(a),
                end: Instant::Day(b),
                start_known: true,
                end_known: true,
            } => Some((Date::from_day_number(a)?, Date::from_day_number(b)?)),
            _ => None,
        }
    }

    /// Whether any of it is written relative to the programme start (`M1`).
    pub fn is_relative(&self) -> bool {
        match &self.spec {
            TimeSpec::Segments { segments, .. } => segments
                .iter()
                .any(|s| s.start.is_relative() || s.end.is_relative()),
            TimeSpec::Ongoing { from, .. } => from.is_some_and(Point::is_relative),
            TimeSpec::Deadline(p) => p.is_relative(),
            _ => false,
        }
    }
}

impl fmt::Display for Timeframe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Timeframe {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timeframe::parse(s)
    }
}

impl Serialize for Timeframe {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.spec {
            TimeSpec::Condition(c) => {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("condition", c)?;
                m.end()
            }
            TimeSpec::Anchored(a) => {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry(a.side.key(), a.id.as_str())?;
                m.serialize_entry("within", a.within_text.as_str())?;
                m.end()
            }
            _ => s.serialize_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for Timeframe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TimeframeVisitor)
    }
}

struct TimeframeVisitor;

impl<'de> de::Visitor<'de> for TimeframeVisitor {
    type Value = Timeframe;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timeframe such as `2023-25`, or a mapping with `condition`")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Timeframe, E> {
        Timeframe::parse(v).map_err(|e| E::custom(format!("{e} ({TIMEFRAME_FORMS})")))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timeframe, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timeframe, E> {
        self.visit_str(&v.to_string())
    }
    // `2024.0` is the number 2024 to JSON (and to the schema's `integer`)
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timeframe, E> {
        if v.fract() == 0.0 && (1000.0..=9999.0).contains(&v) {
            #[allow(clippy::cast_possible_truncation)]
            return self.visit_i64(v as i64);
        }
        Err(E::custom(format!(
            "`{v}` is not a timeframe: a year written as a number is whole, from 1000 to 9999"
        )))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Timeframe, A::Error> {
        let mut condition: Option<String> = None;
        let mut anchor: Option<(Side, String)> = None;
        let mut within: Option<String> = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "condition" => {
                    if condition.is_some() {
                        return Err(de::Error::duplicate_field("condition"));
                    }
                    condition = Some(map.next_value()?);
                }
                k @ ("after" | "before") => {
                    let side = if k == "after" {
                        Side::After
                    } else {
                        Side::Before
                    };
                    if let Some((had, _)) = &anchor {
                        return Err(if *had == side {
                            de::Error::duplicate_field(side.key())
                        } else {
                            de::Error::custom(BOTH_ANCHORS)
                        });
                    }
                    anchor = Some((side, map.next_value()?));
                }
                "within" => {
                    if within.is_some() {
                        return Err(de::Error::duplicate_field("within"));
                    }
                    within = Some(map.next_value()?);
                }
                // a TOML date-time reaches serde as a one-entry map with a private key
                k if k.starts_with("$__toml_private") => {
                    let text: Cow<'de, str> = map.next_value()?;
                    return self.visit_str(&text);
                }
                other => return Err(de::Error::unknown_field(other, TIMEFRAME_KEYS)),
            }
        }
        match (condition, anchor, within) {
            (Some(_), Some(_), _) | (Some(_), None, Some(_)) => {
                Err(de::Error::custom(CONDITION_AND_ANCHOR))
            }
            (Some(c), None, None) if !crate::model::is_blank(&c) => Ok(Timeframe::condition(c)),
            (Some(_), None, None) => Err(de::Error::custom(EMPTY_CONDITION)),
            (None, Some((side, id)), Some(w)) => {
                let id = crate::model::Id::new(&id).map_err(de::Error::custom)?;
                let within = Duration::parse(&w).map_err(de::Error::custom)?;
                Ok(Timeframe::anchored(Anchor {
                    side,
                    id,
                    within,
                    within_text: w.as_str().into(),
                }))
            }
            (None, Some(_), None) => Err(de::Error::custom(NO_WITHIN)),
            (None, None, Some(_)) => Err(de::Error::custom(NO_ANCHOR)),
            (None, None, None) => Err(de::Error::missing_field("condition")),
        }
    }
}

const BOTH_ANCHORS: &str = "a timeframe is anchored `after` or `before` one element, not both";
const CONDITION_AND_ANCHOR: &str =
    "a timeframe states a `condition` or an anchor (`after` or `before` with `within`), not both";
const EMPTY_CONDITION: &str = "a condition must not be empty";
const NO_WITHIN: &str = "an anchored timeframe states how far from its anchor: add `within`, such as `within: 12 months`";
const NO_ANCHOR: &str =
    "`within` needs an anchor: add `after` or `before` with the id of an element";
const TIMEFRAME_KEYS: &[&str] = &["condition", "after", "before", "within"];

/// One reason a timeframe written as a mapping (`{after: A8.M1, within: 12 months}`,
/// `{condition: ...}`) cannot be read, and where: on a key's value, on a key, or (neither)
/// on the whole mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingProblem {
    /// The key at fault (its value when `on_value`), or `None` for the whole mapping.
    pub key: Option<String>,
    /// Whether the problem is the key's value rather than the key.
    pub on_value: bool,
    /// What is wrong, in the user's words.
    pub message: String,
}

/// Every reason a timeframe mapping cannot be read, each placed on the key or value at
/// fault: a key the form has not, a value that is not text, an empty condition, an
/// anchor that is no id, a `within` that is no duration, and a missing or extra part.
pub fn mapping_problems(map: &serde_json::Map<String, serde_json::Value>) -> Vec<MappingProblem> {
    use serde_json::Value;
    let mut out = Vec::new();
    let at = |key: &str, on_value: bool, message: String| MappingProblem {
        key: Some(key.to_owned()),
        on_value,
        message,
    };
    for (key, value) in map {
        if !TIMEFRAME_KEYS.contains(&key.as_str()) {
            let help = match crate::diagnostic::did_you_mean(key, TIMEFRAME_KEYS.iter().copied()) {
                Some(near) => format!(" (did you mean `{near}`?)"),
                None => String::new(),
            };
            out.push(at(
                key,
                false,
                format!("`{key}` is not a part of a timeframe: a mapping states `condition`, or `after` or `before` with `within`{help}"),
            ));
            continue;
        }
        let Value::String(text) = value else {
            out.push(at(key, true, format!("`{key}` should be text")));
            continue;
        };
        match key.as_str() {
            "condition" if crate::model::is_blank(text) => {
                out.push(at(key, true, EMPTY_CONDITION.to_owned()));
            }
            "after" | "before" => {
                if let Err(e) = crate::model::Id::new(text) {
                    out.push(at(key, true, e));
                }
            }
            "within" => {
                if let Err(e) = Duration::parse(text) {
                    out.push(at(key, true, e.to_string()));
                }
            }
            _ => {}
        }
    }
    let has = |k: &str| map.contains_key(k);
    let whole = |message: &str| MappingProblem {
        key: None,
        on_value: false,
        message: message.to_owned(),
    };
    // a key the form has not says what the form is: what else seems missing is noise
    if map.keys().any(|k| !TIMEFRAME_KEYS.contains(&k.as_str())) {
        return out;
    }
    let anchored = has("after") || has("before");
    if has("after") && has("before") {
        out.push(whole(BOTH_ANCHORS));
    }
    if has("condition") && (anchored || has("within")) {
        out.push(whole(CONDITION_AND_ANCHOR));
    } else if anchored && !has("within") {
        out.push(whole(NO_WITHIN));
    } else if has("within") && !anchored {
        out.push(whole(NO_ANCHOR));
    } else if !has("condition") && !anchored && out.is_empty() {
        out.push(whole(
            "a timeframe mapping states `condition`, or `after` or `before` with `within`",
        ));
    }
    out
}

// The pieces of the schema's patterns (ECMA-262 syntax, also read alike by Python's `re`
// and by Rust's regex engines). Patterns end with `(?![\s\S])`, "nothing follows", never
// with `$`: Python's `$` also matches before a final newline, which would let `P1\n` pass.
macro_rules! end_re {
    () => {
        r"(?![\s\S])"
    };
}
pub(crate) use end_re;
// a year from 0001 to 9999 (there is no year 0)
macro_rules! year_re {
    () => {
        r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
    };
}
// a day of the calendar: the month's length, and 29 February in leap years only
macro_rules! date_re {
    () => {
        concat!(
            r"(?:",
            year_re!(),
            r"-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))",
            r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29)"
        )
    };
}
// a point on the calendar: a day, a quarter, a month or a year
macro_rules! calendar_point_re {
    () => {
        concat!(
            r"(?:",
            date_re!(),
            r"|",
            year_re!(),
            r"-Q[1-4]|",
            year_re!(),
            r"-(?:0[1-9]|1[0-2])|",
            year_re!(),
            r")"
        )
    };
}
macro_rules! relative_re {
    () => {
        r"M(?:0|[1-9][0-9]{0,3})"
    };
}
macro_rules! range_re {
    () => {
        r"(?: - |-| – |–| to )"
    };
}
// a point: on the calendar, or months from the start
macro_rules! point_re {
    () => {
        concat!(r"(?:", calendar_point_re!(), r"|", relative_re!(), r")")
    };
}
// one to `n` digits, not all zero (the decimals of a share)
macro_rules! nonzero6_re {
    () => {
        r"(?:[1-9][0-9]{0,5}|0[1-9][0-9]{0,4}|00[1-9][0-9]{0,3}|000[1-9][0-9]{0,2}|0000[1-9][0-9]?|00000[1-9])"
    };
}
macro_rules! nonzero4_re {
    () => {
        r"(?:[1-9][0-9]{0,3}|0[1-9][0-9]{0,2}|00[1-9][0-9]?|000[1-9])"
    };
}
// a share of full time: a fraction above 0 and at most 1 (up to six decimals), or a
// percentage above 0 and at most 100 (up to four decimals)
macro_rules! share_re {
    () => {
        concat!(
            r"@(?:0\.",
            nonzero6_re!(),
            r"|1(?:\.0{1,6})?|(?:100(?:\.0{1,4})?|[1-9][0-9]?(?:\.[0-9]{1,4})?|0\.",
            nonzero4_re!(),
            r")%)"
        )
    };
}
// a segment: a calendar point or a range of them (a two-digit end only after a year), or
// months from the start, alone or as a range, or a range mixing the two; then a share of
// full time, if stated
macro_rules! segment_re {
    () => {
        concat!(
            r"(?:",
            year_re!(),
            range_re!(),
            r"[0-9]{2}|",
            point_re!(),
            r"(?:",
            range_re!(),
            point_re!(),
            r")?)(?:",
            share_re!(),
            r")?"
        )
    };
}
macro_rules! segments_re {
    () => {
        concat!(
            segment_re!(),
            r"(?:(?:, |; | & | and )",
            segment_re!(),
            r")*"
        )
    };
}
macro_rules! recurrence_re {
    () => {
        r"(?:annually|yearly|quarterly|monthly|weekly|daily|every [1-9][0-9]{0,3} (?:days?|weeks?|months?|years?))"
    };
}

/// The pattern the `within` of an anchored timeframe matches: a number from 1 to 9999 and
/// a unit (`12 months`).
pub const DURATION_PATTERN: &str = concat!(
    r"^[1-9][0-9]{0,3} (?:days?|weeks?|months?|years?)",
    end_re!()
);

/// The pattern a date matches: `YYYY-MM-DD`, a day of the calendar from year 1 to 9999.
pub const DATE_PATTERN: &str = concat!("^", date_re!(), end_re!());

/// The pattern that a timeframe string matches (ECMA-262 syntax, for the JSON Schema):
/// the grammar on [`Timeframe`], exactly. One thing the loader checks is beyond it: a
/// range must not end before it starts (`2025-2023`, `M48-M1`).
pub const TIMEFRAME_PATTERN: &str = concat!(
    "^(?:ongoing(?: from ",
    point_re!(),
    ")?(?:, ",
    recurrence_re!(),
    ")?|by ",
    point_re!(),
    "|",
    recurrence_re!(),
    "(?: (?:in|during) ",
    segments_re!(),
    ")?|",
    segments_re!(),
    ")",
    end_re!()
);

impl JsonSchema for Timeframe {
    fn schema_name() -> Cow<'static, str> {
        "Timeframe".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let within = serde_json::json!({
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "How far from the anchor: a number from 1 to 9999 and a unit (`12 months`, `6 weeks`, `90 days`, `2 years`).",
            "examples": ["12 months"]
        });
        json_schema!({
            "description": "A timeframe at the precision the source gives: a year (`2024`), a range (`2023-25`, `2023-2025`), a set (`2023 and 2025`), a quarter (`2024-Q3`), a month (`2024-05`), a day (`2024-05-17`), months from the programme start (`M1-M48`, `M6, M12`; `M0`, month zero, is the start itself), a range mixing the two when the programme states its start (`2016-07-01 to M48`), a deadline with no stated start (`by 2020-06`), recurring (`annually`, `every 90 days`, `annually in 2023-2025`) or open-ended (`ongoing`, `ongoing from 2023`, `ongoing, every 24 months`). A segment may state the share of full time the work takes in it (`M1-M48@0.2; M1-M3`, `2024@20%`). Or, when the source states a condition instead of a date, a mapping `{condition: ...}`; or, anchored to another element, `{after: A8.M1, within: 12 months}` or `{before: A8.M1, within: 6 weeks}`.",
            "anyOf": [
                {
                    "type": "string",
                    "minLength": 1,
                    "pattern": TIMEFRAME_PATTERN,
                },
                {
                    "type": "integer",
                    "minimum": 1000,
                    "maximum": 9999,
                    "description": "A year written as a number (`due: 2024`)."
                },
                {
                    "type": "object",
                    "properties": {
                        "condition": {
                            "type": "string",
                            "minLength": 1,
                            "pattern": crate::model::NON_BLANK_PATTERN,
                            "description": "The condition, as the source states it."
                        }
                    },
                    "required": ["condition"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "description": "A timeframe anchored after another element: `{after: A8.M1, within: 12 months}` runs from the anchor's end to 12 months after it.",
                    "properties": {
                        "after": {
                            "type": "string",
                            "pattern": crate::model::ID_PATTERN,
                            "description": "The id of the activity, milestone or deliverable it follows."
                        },
                        "within": within.clone()
                    },
                    "required": ["after", "within"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "description": "A timeframe anchored before another element: `{before: A8.M1, within: 6 weeks}` runs from 6 weeks before the anchor's start to its start.",
                    "properties": {
                        "before": {
                            "type": "string",
                            "pattern": crate::model::ID_PATTERN,
                            "description": "The id of the activity, milestone or deliverable it precedes."
                        },
                        "within": within
                    },
                    "required": ["before", "within"],
                    "additionalProperties": false
                }
            ],
            "examples": ["2023-25", "2023 and 2025", "M1-M48", "M1-M48@0.2; M1-M3", "by 2020-06", "annually", "ongoing, every 24 months", {"condition": "after the strategy is adopted"}, {"after": "A8.M1", "within": "12 months"}]
        })
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    /// The days that are not in the calendar, each reported (parsing goes on past them).
    days: Vec<TimeError>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            pos: 0,
            days: Vec::new(),
        }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// An error about the text from `from` to the end of the word there.
    fn fail_at<T>(&self, from: usize, why: &str) -> Result<T, TimeError> {
        let from = from.min(self.text.len());
        let word = self.text[from..]
            .find([' ', ',', ';', '&', '@'])
            .map_or(self.text.len(), |n| from + n.max(1))
            .min(self.text.len());
        let part = (from < word && (from, word) != (0, self.text.len())).then_some(from..word);
        Err(TimeError {
            message: format!("`{}` is not a timeframe: {why}", self.text),
            part,
        })
    }

    fn fail<T>(&self, why: &str) -> Result<T, TimeError> {
        self.fail_at(self.pos, why)
    }

    /// An error about all that is left of the text.
    fn fail_rest<T>(&self) -> Result<T, TimeError> {
        let part =
            (self.pos > 0 && self.pos < self.text.len()).then_some(self.pos..self.text.len());
        Err(TimeError {
            message: format!(
                "`{}` is not a timeframe: unexpected `{}`",
                self.text,
                self.rest()
            ),
            part,
        })
    }

    fn timeframe(&mut self) -> Result<TimeSpec, TimeError> {
        if self.text.is_empty() {
            return self.fail("it is empty");
        }
        if self.eat("ongoing") {
            let from = if self.eat(" from ") {
                Some(self.point()?)
            } else {
                None
            };
            let recurrence = if self.eat(", ") {
                match self.recurrence()? {
                    Some(r) => Some(r),
                    None => return self.fail("expected a recurrence such as `every 24 months`"),
                }
            } else {
                None
            };
            return self.end(TimeSpec::Ongoing { from, recurrence });
        }
        if self.eat("by ") {
            let point = self.point()?;
            return self.end(TimeSpec::Deadline(point));
        }
        let recurrence = self.recurrence()?;
        if let Some(r) = recurrence {
            if self.rest().is_empty() {
                return Ok(TimeSpec::Recurring(r));
            }
            if !(self.eat(" in ") || self.eat(" during ")) {
                return self.fail("expected ` in ` after the recurrence");
            }
        }
        let mut segments: Segments = smallvec::smallvec![self.segment()?];
        loop {
            if self.rest().is_empty() {
                break;
            }
            if self.eat(", ") || self.eat("; ") || self.eat(" & ") || self.eat(" and ") {
                segments.push(self.segment()?);
            } else {
                return self.fail_rest();
            }
        }
        Ok(TimeSpec::Segments {
            recurrence,
            segments,
        })
    }

    fn end(&self, spec: TimeSpec) -> Result<TimeSpec, TimeError> {
        if self.rest().is_empty() {
            Ok(spec)
        } else {
            self.fail_rest()
        }
    }

    fn recurrence(&mut self) -> Result<Option<Recurrence>, TimeError> {
        for (word, r) in [
            ("annually", Recurrence::Annually),
            ("yearly", Recurrence::Annually),
            ("quarterly", Recurrence::Quarterly),
            ("monthly", Recurrence::Monthly),
            ("weekly", Recurrence::Weekly),
            ("daily", Recurrence::Daily),
        ] {
            if self.eat(word) {
                return Ok(Some(r));
            }
        }
        if self.eat("every ") {
            let at = self.pos;
            let n = self.count()?;
            if n == 0 {
                return self.fail_at(at, "a recurrence needs a number above zero");
            }
            if !self.eat(" ") {
                return self.fail("expected a unit after the number");
            }
            for (word, u) in [
                ("days", TimeUnit::Day),
                ("day", TimeUnit::Day),
                ("weeks", TimeUnit::Week),
                ("week", TimeUnit::Week),
                ("months", TimeUnit::Month),
                ("month", TimeUnit::Month),
                ("years", TimeUnit::Year),
                ("year", TimeUnit::Year),
            ] {
                if self.eat(word) {
                    return Ok(Some(Recurrence::Every(n, u)));
                }
            }
            return self.fail("expected `days`, `weeks`, `months` or `years`");
        }
        Ok(None)
    }

    fn digits(&self) -> usize {
        self.rest().bytes().take_while(u8::is_ascii_digit).count()
    }

    fn number(&mut self, max_digits: usize) -> Result<u32, TimeError> {
        let n = self.digits();
        if n == 0 || n > max_digits {
            return self.fail("expected a number");
        }
        let v = self.rest()[..n].parse::<u32>().unwrap_or(0);
        self.pos += n;
        Ok(v)
    }

    /// A count (months from the start, a recurrence's number): up to four digits, with
    /// no leading zero (`M1`, not `M01`).
    fn count(&mut self) -> Result<u32, TimeError> {
        if self.digits() > 1 && self.rest().starts_with('0') {
            return self.fail("write the number without a leading zero");
        }
        self.number(4)
    }

    fn point(&mut self) -> Result<Point, TimeError> {
        if self.eat("M") {
            // `M0`, month zero, is the programme's start
            let n = self.count()?;
            return Ok(Point::RelativeMonth(n));
        }
        let at = self.pos;
        if self.digits() != 4 {
            return self.fail("expected a four-digit year or `M` and a month number");
        }
        let year = self.number(4)? as i32;
        if year == 0 {
            return self.fail_at(at, "there is no year 0");
        }
        let save = self.pos;
        if self.eat("-Q") {
            let q = self.number(1)?;
            if !(1..=4).contains(&q) {
                return self.fail_at(at, "a quarter is `Q1` to `Q4`");
            }
            return Ok(Point::Quarter(year, q as u8));
        }
        if self.eat("-") && self.digits() == 2 {
            let month = self.number(2)?;
            if (1..=12).contains(&month) {
                let month = month as u8;
                let save_month = self.pos;
                if self.eat("-") && self.digits() == 2 {
                    let day = self.number(2)? as u8;
                    return match Date::new(year, month, day) {
                        Some(d) => Ok(Point::Date(d)),
                        None => {
                            // reported, and read on to find the others
                            let part = at..self.pos;
                            self.days.push(TimeError {
                                message: format!(
                                    "`{}` is not a day of the calendar",
                                    &self.text[part.clone()]
                                ),
                                part: (part != (0..self.text.len())).then_some(part),
                            });
                            Ok(Point::Month(year, month))
                        }
                    };
                }
                self.pos = save_month;
                return Ok(Point::Month(year, month));
            }
        }
        self.pos = save;
        Ok(Point::Year(year))
    }

    /// A share of full time after `@`: a fraction above 0 and at most 1 with up to six
    /// decimals, or a percentage above 0 and at most 100 with up to four.
    fn share(&mut self) -> Result<Share, TimeError> {
        let at = self.pos;
        let whole_digits = self.digits();
        if whole_digits == 0 {
            return self.fail_at(at, "expected a share of full time such as `@0.2` or `@20%`");
        }
        if whole_digits > 1 && self.rest().starts_with('0') {
            return self.fail_at(at, "write the share without a leading zero");
        }
        if whole_digits > 3 {
            return self.fail_at(at, "a share is at most 1 (or 100%)");
        }
        let whole = self.rest()[..whole_digits].parse::<u32>().unwrap_or(0);
        self.pos += whole_digits;
        let mut part = 0u32;
        let mut places = 0u32;
        if self.eat(".") {
            let n = self.digits();
            if n == 0 {
                return self.fail_at(at, "expected digits after the point");
            }
            if n > 6 {
                return self.fail_at(
                    at,
                    "a share has at most six decimals (four for a percentage)",
                );
            }
            part = self.rest()[..n].parse::<u32>().unwrap_or(0);
            places = n as u32;
            self.pos += n;
        }
        let percent = self.eat("%");
        // in millionths of full time
        let (value, max_places) = if percent {
            (
                whole * 10_000 + part * 10u32.pow(4u32.saturating_sub(places)),
                4,
            )
        } else {
            (whole * Share::FULL + part * 10u32.pow(6 - places), 6)
        };
        if places > max_places {
            return self.fail_at(at, "a percentage has at most four decimals");
        }
        if value == 0 {
            return self.fail_at(at, "a share is above zero");
        }
        if value > Share::FULL {
            return self.fail_at(at, "a share is at most 1 (or 100%)");
        }
        Ok(Share(value))
    }

    fn segment(&mut self) -> Result<Segment, TimeError> {
        let at = self.pos;
        let start = self.point()?;
        let ranged = self.eat(" - ")
            || self.eat("-")
            || self.eat(" – ")
            || self.eat("–")
            || self.eat(" to ");
        let end = if !ranged {
            start
        } else if let (Point::Year(y), 2) = (start, self.digits()) {
            if self
                .rest()
                .as_bytes()
                .get(2)
                .is_some_and(u8::is_ascii_digit)
            {
                self.point()?
            } else {
                let yy = self.number(2)? as i32;
                Point::Year(y - y % 100 + yy)
            }
        } else {
            self.point()?
        };
        let share = if self.eat("@") {
            Some(self.share()?)
        } else {
            None
        };
        // a range that mixes a date with months from the start is ordered once the
        // programme's start is known
        if start.is_relative() == end.is_relative() {
            let (a, _) = start
                .bounds(None)
                .unwrap_or((Instant::Day(0), Instant::Day(0)));
            let (b, _) = end
                .bounds(None)
                .unwrap_or((Instant::Day(0), Instant::Day(0)));
            if b < a {
                let part = (at, self.pos) != (0, self.text.len());
                return Err(TimeError {
                    message: format!(
                        "`{}` is not a timeframe: the range ends before it starts",
                        self.text
                    ),
                    part: part.then_some(at..self.pos),
                });
            }
        }
        Ok(Segment { start, end, share })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> TimeSpec {
        Timeframe::parse(s).unwrap().spec
    }

    fn from_json(text: &str) -> Result<Timeframe, String> {
        serde_json::from_str::<Timeframe>(text).map_err(|e| e.to_string())
    }

    /// Project years are 12-month blocks from the start: `M0` and `M12` in year 1, `M13`
    /// in year 2; a deadline counts in the year it ends, open-ended work in none; with a
    /// calendar start, months are dates and there are no project years.
    #[test]
    fn project_years_count_twelve_months_from_the_start() {
        let years = |text: &str, start: Option<Date>| {
            let mut out = Vec::new();
            Timeframe::parse(text)
                .unwrap()
                .project_years_into(start, &mut out);
            out
        };
        assert_eq!(years("M0-M12", None), [1]);
        assert_eq!(years("M1-M48", None), [1, 2, 3, 4]);
        assert_eq!(years("M12-M13", None), [1, 2]);
        assert_eq!(years("M6; M30-M31", None), [1, 3]);
        assert_eq!(years("by M25", None), [3]);
        assert_eq!(years("M1-M48@0.2; M1-M3", None), [1, 2, 3, 4]);
        assert!(years("ongoing from M6", None).is_empty());
        assert!(years("2024-2025", None).is_empty());
        assert!(years("M1-M48", Date::new(2024, 1, 1)).is_empty());
        let open = Timeframe::parse("ongoing from M14").unwrap();
        assert_eq!(open.span(None).unwrap().first_project_year(), Some(2));
    }

    #[test]
    fn anchored_timeframes_read_and_derive_their_window() {
        let tf = from_json(r#"{"after": "A8.M1", "within": "12 months"}"#).unwrap();
        assert_eq!(tf.text(), "12 months after A8.M1");
        let a = tf.anchor().unwrap();
        assert_eq!((a.side, a.id.as_str()), (Side::After, "A8.M1"));
        assert_eq!(
            serde_json::to_string(&tf).unwrap(),
            r#"{"after":"A8.M1","within":"12 months"}"#
        );
        let day = |y, m, d| Date::new(y, m, d).unwrap().day_number();
        let anchor = Interval::new(
            Instant::Day(day(2024, 1, 1)),
            Instant::Day(day(2024, 1, 31)),
        );
        let w = a.derive(&anchor).unwrap();
        assert_eq!(
            (w.start, w.end),
            (
                Instant::Day(day(2024, 1, 31)),
                Instant::Day(day(2025, 1, 31))
            )
        );
        // before counts back from the start; a month keeps its day or the last one
        let tf = from_json(r#"{"before": "A8", "within": "1 month"}"#).unwrap();
        let anchor = Interval::new(
            Instant::Day(day(2024, 3, 31)),
            Instant::Day(day(2024, 4, 30)),
        );
        let w = tf.anchor().unwrap().derive(&anchor).unwrap();
        assert_eq!(
            (w.start, w.end),
            (
                Instant::Day(day(2024, 2, 29)),
                Instant::Day(day(2024, 3, 31))
            )
        );
        for (within, days) in [("6 weeks", 42), ("90 days", 90), ("1 day", 1)] {
            let tf = from_json(&format!(r#"{{"after": "A8", "within": "{within}"}}"#)).unwrap();
            let w = tf.anchor().unwrap().derive(&anchor).unwrap();
            assert_eq!(w.end, Instant::Day(day(2024, 4, 30) + days), "{within}");
        }
        // an unknown end gives no window
        let open = Interval {
            end_known: false,
            ..anchor
        };
        let tf = from_json(r#"{"after": "A8", "within": "2 years"}"#).unwrap();
        assert_eq!(tf.anchor().unwrap().derive(&open), None);
        // months from an undated start: whole months and years only
        let rel = Interval::new(Instant::Month(3), Instant::Month(6));
        assert_eq!(
            tf.anchor().unwrap().derive(&rel),
            Some(Interval::new(Instant::Month(6), Instant::Month(30)))
        );
        let tf = from_json(r#"{"before": "A8", "within": "3 months"}"#).unwrap();
        assert_eq!(tf.anchor().unwrap().derive(&rel), None);
        assert_eq!(tf.intervals(None).count(), 0);
    }

    #[test]
    fn broken_anchored_timeframes_are_refused_with_a_reason() {
        for (text, says) in [
            (r#"{"after": "A8"}"#, "add `within`"),
            (r#"{"within": "12 months"}"#, "needs an anchor"),
            (
                r#"{"after": "A8", "before": "A9", "within": "1 year"}"#,
                "not both",
            ),
            (
                r#"{"after": "A8", "within": "1 year", "condition": "x"}"#,
                "not both",
            ),
            (r#"{"after": "A8", "within": "0 months"}"#, "not a duration"),
            (
                r#"{"after": "A8", "within": "12 fortnights"}"#,
                "not a duration",
            ),
            (
                r#"{"after": "A8", "within": "10000 days"}"#,
                "not a duration",
            ),
            (r#"{"after": "A8", "within": "12"}"#, "not a duration"),
            (r#"{"after": "", "within": "12 months"}"#, "not an id"),
            (r#"{"after": "A8", "within": 12}"#, "invalid type"),
            (
                r#"{"after": "A8", "after": "A9", "within": "1 year"}"#,
                "duplicate",
            ),
        ] {
            let e = from_json(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn day_numbers_turn_back_into_dates() {
        // every day from 1600 to 2400, leap days and century years included
        let (first, last) = (
            Date::new(1600, 1, 1).unwrap().day_number(),
            Date::new(2400, 12, 31).unwrap().day_number(),
        );
        let mut expected = Date::new(1600, 1, 1).unwrap();
        for day in first..=last {
            let date = Date::from_day_number(day).unwrap();
            assert_eq!(date, expected, "day {day}");
            assert_eq!(date.day_number(), day);
            expected = Date::new(date.year(), date.month(), date.day() + 1)
                .or_else(|| Date::new(date.year(), date.month() + 1, 1))
                .or_else(|| Date::new(date.year() + 1, 1, 1))
                .unwrap();
        }
        assert_eq!(Date::from_day_number(0), Date::new(1970, 1, 1));
        assert_eq!(
            Timeframe::parse("2024-Q3").unwrap().dates(None),
            Some((
                Date::new(2024, 7, 1).unwrap(),
                Date::new(2024, 9, 30).unwrap()
            ))
        );
        assert_eq!(Timeframe::parse("M1-M6").unwrap().dates(None), None);
        assert_eq!(
            Timeframe::parse("M1-M6")
                .unwrap()
                .dates(Date::new(2024, 2, 1)),
            Some((
                Date::new(2024, 2, 1).unwrap(),
                Date::new(2024, 7, 31).unwrap()
            ))
        );
    }

    #[test]
    fn parses_the_forms_programmes_use() {
        assert_eq!(
            spec("2023-25"),
            TimeSpec::Segments {
                recurrence: None,
                segments: smallvec::smallvec![Segment::new(Point::Year(2023), Point::Year(2025))]
            }
        );
        assert_eq!(spec("2023-2025"), spec("2023-25"));
        assert_eq!(spec("2023 – 2025"), spec("2023-25"));
        assert_eq!(
            spec("2023 and 2025"),
            TimeSpec::Segments {
                recurrence: None,
                segments: smallvec::smallvec![
                    Segment::new(Point::Year(2023), Point::Year(2023)),
                    Segment::new(Point::Year(2025), Point::Year(2025))
                ]
            }
        );
        assert!(
            matches!(spec("2024-05"), TimeSpec::Segments { ref segments, .. } if segments[0].start == Point::Month(2024, 5))
        );
        assert!(
            matches!(spec("2024-Q3"), TimeSpec::Segments { ref segments, .. } if segments[0].start == Point::Quarter(2024, 3))
        );
        assert!(
            matches!(spec("M1-M48"), TimeSpec::Segments { ref segments, .. } if segments[0].end == Point::RelativeMonth(48))
        );
        assert_eq!(spec("annually"), TimeSpec::Recurring(Recurrence::Annually));
        assert_eq!(
            spec("every 90 days"),
            TimeSpec::Recurring(Recurrence::Every(90, TimeUnit::Day))
        );
        assert_eq!(
            spec("ongoing"),
            TimeSpec::Ongoing {
                from: None,
                recurrence: None
            }
        );
        assert_eq!(
            spec("ongoing from 2023"),
            TimeSpec::Ongoing {
                from: Some(Point::Year(2023)),
                recurrence: None
            }
        );
        assert!(matches!(
            spec("annually in 2023-2025"),
            TimeSpec::Segments {
                recurrence: Some(Recurrence::Annually),
                ..
            }
        ));
        assert!(
            matches!(spec("M1-M6, M13-M18"), TimeSpec::Segments { ref segments, .. } if segments.len() == 2)
        );
    }

    #[test]
    fn rejects_what_is_not_a_timeframe() {
        for bad in [
            "",
            "2023-13-01",
            "2023-02-30",
            "2025-2023",
            "M00",
            "M-1",
            "sometime",
            "2023-",
            "2023 2025",
            "every 0 days",
        ] {
            assert!(Timeframe::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn the_schema_pattern_agrees_with_the_parser() {
        let re = regex_lite_like(TIMEFRAME_PATTERN);
        for good in [
            "2023-25",
            "2023-2025",
            "2023 and 2025",
            "2024-Q3",
            "2024-05",
            "2024-05-17",
            "M1-M48",
            "M6, M12",
            "annually",
            "every 90 days",
            "annually in 2023-2025",
            "ongoing",
            "ongoing from 2023",
            "2023 to 2025",
        ] {
            assert!(Timeframe::parse(good).is_ok(), "{good}");
            assert!(re(good), "pattern should accept {good}");
        }
        for bad in ["2023-13-01", "sometime", "2023 2025", "M00", "2023-"] {
            assert!(!re(bad), "pattern should reject {bad}");
        }
    }

    fn regex_lite_like(pattern: &str) -> impl Fn(&str) -> bool {
        let validator =
            jsonschema::validator_for(&serde_json::json!({"type": "string", "pattern": pattern}))
                .unwrap();
        move |s| validator.is_valid(&serde_json::json!(s))
    }

    #[test]
    fn relative_months_anchor_on_the_start_date() {
        let start = Date::new(2024, 1, 15);
        let tf = Timeframe::parse("M1-M12").unwrap();
        let iv = tf.span(start).unwrap();
        assert_eq!(
            iv.start,
            Instant::Day(Date::new(2024, 1, 15).unwrap().day_number())
        );
        assert_eq!(
            iv.end,
            Instant::Day(Date::new(2025, 1, 14).unwrap().day_number())
        );
        let unanchored = tf.span(None).unwrap();
        assert_eq!(
            unanchored,
            Interval::new(Instant::Month(1), Instant::Month(12))
        );
    }

    #[test]
    fn occurrences_count_the_periods_touched() {
        let iv = Timeframe::parse("2023-25").unwrap().span(None).unwrap();
        assert_eq!(iv.occurrences(Recurrence::Annually), Some(3));
        assert_eq!(iv.occurrences(Recurrence::Quarterly), Some(12));
        assert_eq!(iv.occurrences(Recurrence::Monthly), Some(36));
        let iv = Timeframe::parse("2024-05 to 2024-Q3")
            .unwrap()
            .span(None)
            .unwrap();
        assert_eq!(iv.occurrences(Recurrence::Quarterly), Some(2));
        let rel = Timeframe::parse("M7-M36").unwrap().span(None).unwrap();
        assert_eq!(rel.occurrences(Recurrence::Quarterly), Some(10));
        assert_eq!(rel.occurrences(Recurrence::Every(90, TimeUnit::Day)), None);
    }

    #[test]
    fn years_of_an_interval() {
        let iv = Timeframe::parse("2023-25").unwrap().span(None).unwrap();
        assert_eq!(iv.years(), Some(2023..=2025));
    }

    #[test]
    fn dates_check_the_calendar() {
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2023-2-1").is_err());
        assert_eq!(Date::parse("1970-01-01").unwrap().day_number(), 0);
    }

    #[test]
    fn reads_the_forms_of_work_plans() {
        // a deadline: the end only
        assert_eq!(
            spec("by 2020-06"),
            TimeSpec::Deadline(Point::Month(2020, 6))
        );
        let by = Timeframe::parse("by 2020-12-31").unwrap();
        let iv = by.span(None).unwrap();
        assert!(!iv.start_known && iv.end_known);
        assert_eq!(iv.years(), Some(2020..=2020));
        assert_eq!(by.dates(None), None);
        // month zero is the programme's start, the first day of M1
        let start = Date::new(2016, 7, 1);
        assert_eq!(
            Timeframe::parse("M0-M48").unwrap().span(start),
            Timeframe::parse("M1-M48").unwrap().span(start)
        );
        assert_eq!(
            Timeframe::parse("M0-M48").unwrap().span(None),
            Timeframe::parse("M1-M48").unwrap().span(None)
        );
        assert!(Timeframe::parse("M0").unwrap().has_month_zero());
        assert!(!Timeframe::parse("M10-M12").unwrap().has_month_zero());
        // a share of full time per segment
        let tf = Timeframe::parse("M1-M48@0.2; M1-M3; M10-M12@20%").unwrap();
        let shares: Vec<Option<u32>> = tf
            .segments()
            .iter()
            .map(|s| s.share.map(Share::millionths))
            .collect();
        assert_eq!(shares, [Some(200_000), None, Some(200_000)]);
        assert_eq!(tf.to_string(), "M1-M48@0.2; M1-M3; M10-M12@20%");
        for (text, millionths) in [
            ("2024@1", 1_000_000),
            ("2024@100%", 1_000_000),
            ("2024@0.000001", 1),
            ("2024@0.0001%", 1),
            ("2023-25@0.5", 500_000),
            ("2024@12.5%", 125_000),
        ] {
            let s = Timeframe::parse(text).unwrap().segments()[0].share.unwrap();
            assert_eq!(s.millionths(), millionths, "{text}");
        }
        assert_eq!(Share(125_000).to_string(), "0.125");
        // a range that mixes a date with months from the start
        let mixed = Timeframe::parse("2016-07-01 to M48").unwrap();
        assert!(mixed.is_mixed());
        assert_eq!(
            mixed.dates(start),
            Some((
                Date::new(2016, 7, 1).unwrap(),
                Date::new(2020, 6, 30).unwrap()
            ))
        );
        assert_eq!(mixed.span(None), None);
        // open-ended, with a recurrence
        assert_eq!(
            spec("ongoing, every 24 months"),
            TimeSpec::Ongoing {
                from: None,
                recurrence: Some(Recurrence::Every(24, TimeUnit::Month))
            }
        );
        let ongoing = Timeframe::parse("ongoing from 2016-07-01, every 24 months").unwrap();
        let iv = ongoing.span(None).unwrap();
        assert!(iv.start_known && !iv.end_known);
        assert_eq!(iv.years(), None);
        // only known ends compare
        let period = Timeframe::parse("2016-2020").unwrap().span(None).unwrap();
        let early = Timeframe::parse("by 2015-12").unwrap().span(None).unwrap();
        assert_eq!(early.within(&period), Some(false));
        assert_eq!(
            Timeframe::parse("by 2020-06")
                .unwrap()
                .span(None)
                .unwrap()
                .within(&period),
            Some(true)
        );
        let from = Timeframe::parse("ongoing from 2018")
            .unwrap()
            .span(None)
            .unwrap();
        let work = Timeframe::parse("2017").unwrap().span(None).unwrap();
        assert_eq!(work.within(&from), Some(false));
        assert_eq!(work.overlaps(&from), Some(false));
        let later = Timeframe::parse("2017-2019").unwrap().span(None).unwrap();
        assert_eq!(later.within(&from), Some(false));
        assert_eq!(later.overlaps(&from), Some(true));
    }

    #[test]
    fn refuses_what_work_plans_get_wrong() {
        for bad in [
            "2024@0",
            "2024@0.0",
            "2024@1.5",
            "2024@101%",
            "2024@0%",
            "2024@0.0000001",
            "2024@1.00001%",
            "2024@.5",
            "2024@05%",
            "2024@",
            "by",
            "by ",
            "by 2020-06-31",
            "ongoing, ",
            "ongoing, sometime",
            "ongoing every 24 months",
            "2024 @0.5",
        ] {
            assert!(Timeframe::parse(bad).is_err(), "{bad} should be rejected");
            assert!(
                !regex_lite_like(TIMEFRAME_PATTERN)(bad),
                "pattern should reject {bad}"
            );
        }
    }

    #[test]
    fn every_impossible_day_is_named_with_its_place() {
        let text = "2020-02-30 to 2021-02-29, 2020-06-31";
        let errors = Timeframe::errors(text);
        let parts: Vec<&str> = errors.iter().map(|e| &text[e.part().unwrap()]).collect();
        assert_eq!(parts, ["2020-02-30", "2021-02-29", "2020-06-31"]);
        assert_eq!(
            errors[1].to_string(),
            "`2021-02-29` is not a day of the calendar"
        );
        assert!(Timeframe::errors("2020-01 to M48@0.5").is_empty());
        // another problem is placed on its part too
        let e = &Timeframe::errors("2020 to 2021@2")[0];
        assert_eq!(&"2020 to 2021@2"[e.part().unwrap()], "2");
        let e = &Timeframe::errors("2023 and 2025-2024")[0];
        assert_eq!(&"2023 and 2025-2024"[e.part().unwrap()], "2025-2024");
        // nothing in a long or odd text panics
        for text in [
            "@",
            "M",
            "by M",
            "2024@1.",
            "2024@99999999999%",
            "–@%",
            "2024@1.0000000",
        ] {
            let _ = Timeframe::errors(text);
        }
    }

    #[test]
    fn the_pattern_takes_the_new_forms() {
        let re = regex_lite_like(TIMEFRAME_PATTERN);
        for good in [
            "by 2020-06",
            "by 2020-12-31",
            "by M12",
            "M0-M48",
            "M0",
            "ongoing from M0",
            "M1-M48@0.2; M1-M3; M10-M12",
            "M1-M48@20%",
            "2023-25@0.5",
            "2024@100%",
            "2024@1.000000",
            "2024@0.0001%",
            "2016-07-01 to M48",
            "M1 to 2020-12",
            "ongoing, every 24 months",
            "ongoing from 2016-07-01, annually",
            "annually in M0-M48@0.5",
        ] {
            assert!(Timeframe::parse(good).is_ok(), "{good}");
            assert!(re(good), "pattern should accept {good}");
        }
    }

    #[test]
    fn no_text_makes_the_parser_panic() {
        // pieces of the grammar and near misses, glued at random
        let pieces = [
            "2024", "-", "–", " to ", "@", "0.", "1", "%", "M", "0", "by ", "ongoing", " from ",
            ", ", "; ", "every ", "24", " months", "-Q", "02-29", "-13", "é", " ", "annually",
            " in ", "99999", ".",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let n = (state % 7) as usize + 1;
            for i in 0..n {
                let k = ((state >> (i * 5)) % pieces.len() as u64) as usize;
                text.push_str(pieces[k]);
            }
            let errors = Timeframe::errors(&text);
            assert_eq!(errors.is_empty(), Timeframe::parse(&text).is_ok(), "{text}");
            for e in errors {
                if let Some(part) = e.part() {
                    assert!(text.get(part).is_some_and(|p| !p.is_empty()), "{text}");
                }
            }
        }
    }
}
