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
}

impl TimeError {
    fn new(message: String) -> TimeError {
        TimeError { message }
    }
}

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
    /// A month counted from the programme's start, `M18` (month 1 is the first).
    RelativeMonth(u32),
}

impl Point {
    fn is_relative(self) -> bool {
        matches!(self, Point::RelativeMonth(_))
    }

    /// The first and last day this point covers, as absolute instants; relative
    /// months need the programme's start date.
    fn bounds(self, start: Option<Date>) -> Option<(Instant, Instant)> {
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

/// An inclusive interval of time, both ends on the same kind of time line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    /// The first instant covered.
    pub start: Instant,
    /// The last instant covered.
    pub end: Instant,
}

impl Interval {
    /// Whether `self` lies within `outer`; `None` when the two are on different time
    /// lines (relative months against calendar dates with no start date to anchor them).
    pub fn within(&self, outer: &Interval) -> Option<bool> {
        let same = |a: Instant, b: Instant| {
            matches!(
                (a, b),
                (Instant::Day(_), Instant::Day(_)) | (Instant::Month(_), Instant::Month(_))
            )
        };
        if !same(self.start, outer.start) || !same(self.end, outer.end) {
            return None;
        }
        Some(self.start >= outer.start && self.end <= outer.end)
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
        let n = match (self.start, self.end) {
            (Instant::Day(a), Instant::Day(b)) => {
                month_of_day(b).div_euclid(per) - month_of_day(a).div_euclid(per) + 1
            }
            (Instant::Month(a), Instant::Month(b)) => (i64::from(b) - i64::from(a)) / per + 1,
            _ => return None,
        };
        u64::try_from(n).ok()
    }

    /// The calendar years this interval touches, when it is on the calendar.
    pub fn years(&self) -> Option<std::ops::RangeInclusive<i32>> {
        match (self.start, self.end) {
            (Instant::Day(a), Instant::Day(b)) => Some(year_of_day(a)..=year_of_day(b)),
            _ => None,
        }
    }
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

/// A stretch of time: one point, or from one point to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Segment {
    /// Where it begins.
    pub start: Point,
    /// Where it ends (equal to `start` for a single point).
    pub end: Point,
}

impl Segment {
    /// The segment as an interval, given the programme's start date for relative months.
    pub fn interval(&self, start: Option<Date>) -> Option<Interval> {
        let (a, _) = self.start.bounds(start)?;
        let (_, b) = self.end.bounds(start)?;
        Some(Interval { start: a, end: b })
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
    /// Open-ended (`ongoing`, `ongoing from 2023`).
    Ongoing {
        /// When it started, if stated.
        from: Option<Point>,
    },
    /// A condition the source states instead of a date, kept as text.
    Condition(String),
}

/// A timeframe as the source gives it: its text, exactly as written, and its meaning.
///
/// Written as a string in this grammar (keywords are lowercase):
///
/// ```text
/// timeframe  := "ongoing" [" from " point]
///             | recurrence [(" in " | " during ") segments]
///             | segments
/// segments   := segment ((", " | "; " | " & " | " and ") segment)*
/// segment    := point [("-" | "–" | " to ") end]
/// point      := YYYY | YYYY-Qn | YYYY-MM | YYYY-MM-DD | Mn
/// end        := point | YY            (a two-digit year after a YYYY start: 2023-25)
/// recurrence := annually | yearly | quarterly | monthly | weekly | daily
///             | "every " N " " (day|days|week|weeks|month|months|year|years)
/// ```
///
/// `YYYY-MM` with `MM` from 01 to 12 is a month; write `2011-2012` for such year ranges.
/// A condition is written as a mapping: `{ condition: "after the strategy is adopted" }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Timeframe {
    text: compact_str::CompactString,
    spec: TimeSpec,
}

impl Timeframe {
    /// Parses a timeframe string.
    pub fn parse(text: &str) -> Result<Timeframe, TimeError> {
        let spec = Parser::new(text).timeframe()?;
        Ok(Timeframe {
            text: text.into(),
            spec,
        })
    }

    /// A timeframe that is a condition stated instead of a date.
    pub fn condition(text: impl Into<String>) -> Timeframe {
        let text: String = text.into();
        Timeframe {
            text: text.as_str().into(),
            spec: TimeSpec::Condition(text),
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

    /// The intervals it covers: each segment, or `ongoing from X` as a half-open
    /// interval (`None` end). Empty for bare recurrences and conditions.
    pub fn intervals(&self, start: Option<Date>) -> impl Iterator<Item = Interval> + '_ {
        let segments: &[Segment] = match &self.spec {
            TimeSpec::Segments { segments, .. } => segments,
            _ => &[],
        };
        segments.iter().filter_map(move |s| s.interval(start))
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

    /// The overall interval from the first start to the last end, if it is bounded.
    pub fn span(&self, start: Option<Date>) -> Option<Interval> {
        let mut all = self.intervals(start);
        let head = all.next()?;
        let (first, last) = all.fold((head.start, head.end), |(a, b), i| {
            (a.min(i.start), b.max(i.end))
        });
        let same = matches!(
            (first, last),
            (Instant::Day(_), Instant::Day(_)) | (Instant::Month(_), Instant::Month(_))
        );
        same.then_some(Interval {
            start: first,
            end: last,
        })
    }

    /// The points, as written, where [`Timeframe::span`] starts and ends: `M6` and
    /// `M18` for `M6-M18`, `2023` and `2025` for `2023 and 2025`.
    pub fn span_points(&self, start: Option<Date>) -> Option<(Point, Point)> {
        let TimeSpec::Segments { segments, .. } = &self.spec else {
            return None;
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
            TimeSpec::Ongoing { from } => from.is_some_and(Point::is_relative),
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
        Timeframe::parse(v).map_err(E::custom)
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
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "condition" => {
                    if condition.is_some() {
                        return Err(de::Error::duplicate_field("condition"));
                    }
                    condition = Some(map.next_value()?);
                }
                // a TOML date-time reaches serde as a one-entry map with a private key
                k if k.starts_with("$__toml_private") => {
                    let text: Cow<'de, str> = map.next_value()?;
                    return Timeframe::parse(&text).map_err(de::Error::custom);
                }
                other => return Err(de::Error::unknown_field(other, &["condition"])),
            }
        }
        match condition {
            Some(c) if !crate::model::is_blank(&c) => Ok(Timeframe::condition(c)),
            Some(_) => Err(de::Error::custom("a condition must not be empty")),
            None => Err(de::Error::missing_field("condition")),
        }
    }
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
        r"M[1-9][0-9]{0,3}"
    };
}
macro_rules! range_re {
    () => {
        r"(?: - |-| – |–| to )"
    };
}
// a segment: a calendar point or a range of them (a two-digit end only after a year), or
// months from the start, alone or as a range; never a mix of the two
macro_rules! segment_re {
    () => {
        concat!(
            r"(?:",
            year_re!(),
            range_re!(),
            r"[0-9]{2}|",
            calendar_point_re!(),
            r"(?:",
            range_re!(),
            calendar_point_re!(),
            r")?|",
            relative_re!(),
            r"(?:",
            range_re!(),
            relative_re!(),
            r")?)"
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

/// The pattern a date matches: `YYYY-MM-DD`, a day of the calendar from year 1 to 9999.
pub const DATE_PATTERN: &str = concat!("^", date_re!(), end_re!());

/// The pattern that a timeframe string matches (ECMA-262 syntax, for the JSON Schema):
/// the grammar on [`Timeframe`], exactly. One thing the loader checks is beyond it: a
/// range must not end before it starts (`2025-2023`, `M48-M1`).
pub const TIMEFRAME_PATTERN: &str = concat!(
    "^(?:ongoing(?: from (?:",
    calendar_point_re!(),
    "|",
    relative_re!(),
    "))?|(?:annually|yearly|quarterly|monthly|weekly|daily|every [1-9][0-9]{0,3} (?:days?|weeks?|months?|years?))(?: (?:in|during) ",
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
        json_schema!({
            "description": "A timeframe at the precision the source gives: a year (`2024`), a range (`2023-25`, `2023-2025`), a set (`2023 and 2025`), a quarter (`2024-Q3`), a month (`2024-05`), a day (`2024-05-17`), months from the programme start (`M1-M48`, `M6, M12`), recurring (`annually`, `every 90 days`, `annually in 2023-2025`) or open-ended (`ongoing`, `ongoing from 2023`); or, when the source states a condition instead of a date, a mapping `{condition: ...}`.",
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
                }
            ],
            "examples": ["2023-25", "2023 and 2025", "M1-M48", "annually", {"condition": "after the strategy is adopted"}]
        })
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser { text, pos: 0 }
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

    fn fail<T>(&self, why: &str) -> Result<T, TimeError> {
        Err(TimeError::new(format!(
            "`{}` is not a timeframe: {why} (write e.g. `2023-25`, `2024-Q3`, `M1-M48`, `annually` or `ongoing`)",
            self.text
        )))
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
            return self.end(TimeSpec::Ongoing { from });
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
                return self.fail(&format!("unexpected `{}`", self.rest()));
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
            self.fail(&format!("unexpected `{}`", self.rest()))
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
            let n = self.count()?;
            if n == 0 {
                return self.fail("a recurrence needs a number above zero");
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
            let n = self.count()?;
            if n == 0 {
                return self.fail("months from the start count from `M1`");
            }
            return Ok(Point::RelativeMonth(n));
        }
        if self.digits() != 4 {
            return self.fail("expected a four-digit year or `M` and a month number");
        }
        let year = self.number(4)? as i32;
        if year == 0 {
            return self.fail("there is no year 0");
        }
        let save = self.pos;
        if self.eat("-Q") {
            let q = self.number(1)?;
            if !(1..=4).contains(&q) {
                return self.fail("a quarter is `Q1` to `Q4`");
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
                        None => self.fail("that day is not in the calendar"),
                    };
                }
                self.pos = save_month;
                return Ok(Point::Month(year, month));
            }
        }
        self.pos = save;
        Ok(Point::Year(year))
    }

    fn segment(&mut self) -> Result<Segment, TimeError> {
        let start = self.point()?;
        let ranged = self.eat(" - ")
            || self.eat("-")
            || self.eat(" – ")
            || self.eat("–")
            || self.eat(" to ");
        if !ranged {
            return Ok(Segment { start, end: start });
        }
        let end = if let (Point::Year(y), 2) = (start, self.digits()) {
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
        if start.is_relative() != end.is_relative() {
            return self.fail("a range cannot mix months from the start with calendar dates");
        }
        let (a, _) = start
            .bounds(None)
            .unwrap_or((Instant::Day(0), Instant::Day(0)));
        let (b, _) = end
            .bounds(None)
            .unwrap_or((Instant::Day(0), Instant::Day(0)));
        if b < a {
            return self.fail("the range ends before it starts");
        }
        Ok(Segment { start, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> TimeSpec {
        Timeframe::parse(s).unwrap().spec
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
                segments: smallvec::smallvec![Segment {
                    start: Point::Year(2023),
                    end: Point::Year(2025)
                }]
            }
        );
        assert_eq!(spec("2023-2025"), spec("2023-25"));
        assert_eq!(spec("2023 – 2025"), spec("2023-25"));
        assert_eq!(
            spec("2023 and 2025"),
            TimeSpec::Segments {
                recurrence: None,
                segments: smallvec::smallvec![
                    Segment {
                        start: Point::Year(2023),
                        end: Point::Year(2023)
                    },
                    Segment {
                        start: Point::Year(2025),
                        end: Point::Year(2025)
                    }
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
        assert_eq!(spec("ongoing"), TimeSpec::Ongoing { from: None });
        assert_eq!(
            spec("ongoing from 2023"),
            TimeSpec::Ongoing {
                from: Some(Point::Year(2023))
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
            "M0",
            "M1-2024",
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
        for bad in ["2023-13-01", "sometime", "2023 2025", "M0", "2023-"] {
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
            Interval {
                start: Instant::Month(1),
                end: Instant::Month(12)
            }
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
}
