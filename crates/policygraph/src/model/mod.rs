//! The work-programme document model.
//!
//! A [`Document`] is what a programme file holds. Every element has an [`Id`] that is
//! unique across the document; elements refer to each other by id. Field documentation
//! here is the documentation of the published JSON Schema.

mod amount;
mod time;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

pub(crate) use amount::ReadingYaml;
pub use amount::{Amount, Currency, DECIMAL_PATTERN};
pub use time::{
    Anchor, DATE_PATTERN, DURATION_PATTERN, Date, Duration, Instant, Interval, MappingProblem,
    Point, Recurrence, Segment, Share, Side, TIMEFRAME_FORMS, TIMEFRAME_PATTERN, TimeError,
    TimeSpec, TimeUnit, Timeframe, mapping_problems,
};

/// Reads a list and gives back the memory its growth reserved: a document has many
/// short lists, and without this each would keep room for twice its items.
fn tight<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut items = Vec::<T>::deserialize(d)?;
    items.shrink_to_fit();
    Ok(items)
}

/// The format marker every document starts with.
pub const FORMAT_V1: &str = "policygraph/v1";

/// A human-readable identifier, unique across the document (`P1`, `P1.2`, `A3`, `WP2.T1`, `D1.1`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(compact_str::CompactString);

/// The pattern an id matches.
pub const ID_PATTERN: &str = concat!(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}", time::end_re!());

/// The pattern of a value that must not be blank: it has a character that is not white
/// space (white space as Unicode's `White_Space` property lists it, spelt out so that
/// every regular-expression engine reads the same set).
pub const NON_BLANK_PATTERN: &str =
    r"[^\u0009-\u000d \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

/// Whether a value is blank: empty or white space only (the complement of
/// [`NON_BLANK_PATTERN`]).
pub(crate) fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// Reads an optional year: a whole number from 1 to 9999, the years dates and
/// timeframes have (`2024.0` is the number 2024, as JSON has it).
fn year<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Option<i32>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a year from 1 to 9999")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<i32>, E> {
            match i32::try_from(v) {
                Ok(y) if (1..=9999).contains(&y) => Ok(Some(y)),
                _ => Err(E::custom(format!("`{v}` is not a year from 1 to 9999"))),
            }
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<i32>, E> {
            self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<i32>, E> {
            if v.fract() == 0.0 && (1.0..=9999.0).contains(&v) {
                #[allow(clippy::cast_possible_truncation)]
                return self.visit_i64(v as i64);
            }
            Err(E::custom(format!("`{v}` is not a year from 1 to 9999")))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<i32>, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<i32>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<i32>, D::Error> {
            d.deserialize_any(self)
        }
    }
    d.deserialize_option(V)
}

impl Id {
    /// An id, if `text` has the shape of one.
    pub fn new(text: &str) -> Result<Id, String> {
        let ok = !text.is_empty()
            && text.len() <= 128
            && text.as_bytes()[0].is_ascii_alphanumeric()
            && text.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'/' | b'-')
            });
        if ok {
            Ok(Id(compact_str::CompactString::new(text)))
        } else {
            Err(format!(
                "`{text}` is not an id: use letters, digits and `_ . : / -`, starting with a letter or digit"
            ))
        }
    }

    /// An id the crate built itself from characters ids allow.
    pub(crate) fn trusted(text: String) -> Id {
        debug_assert!(Id::new(&text).is_ok(), "{text}");
        Id(compact_str::CompactString::from(text))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Id::new(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": ID_PATTERN,
            "description": "A human-readable identifier, unique across the document: letters, digits and `_ . : / -`, starting with a letter or digit.",
            "examples": ["P1", "P1.2", "A3.1", "WP2.T1", "D1.1"]
        })
    }
}

/// Declares a string enum whose known values are listed and whose other values are kept.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// Any other value, kept as written.
            Other(String),
        }

        impl $name {
            /// The known values.
            pub const KNOWN: &'static [&'static str] = &[$($text),+];

            /// The value as written.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(s) => s,
                }
            }

            /// Reads a value: a known one, or any other kept as written.
            pub fn from_text(s: &str) -> $name {
                match s {
                    $($text => $name::$variant,)+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = Cow::<'de, str>::deserialize(d)?;
                if is_blank(&s) {
                    return Err(de::Error::custom(concat!("a ", stringify!($name), " value must not be empty").to_lowercase()));
                }
                Ok($name::from_text(&s))
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "description": concat!("One of", $(" `", $text, "`",)+ ", or any other non-empty value, kept as written."),
                    "anyOf": [
                        {"enum": [$($text),+]},
                        {"type": "string", "minLength": 1, "pattern": NON_BLANK_PATTERN}
                    ]
                })
            }
        }
    };
}

open_enum! {
    /// Where an activity stands. Other values are allowed and kept as written.
    Status {
        /// Starts in this programme.
        New = "new",
        /// Carries on from an earlier programme.
        Ongoing = "ongoing",
        /// Carries on, reshaped.
        Modernised = "modernised",
        /// Finished.
        Completed = "completed",
        /// Put on hold.
        Suspended = "suspended",
        /// Dropped.
        Cancelled = "cancelled",
    }
}

open_enum! {
    /// The unit an indicator is counted in. Other values are allowed and kept as written.
    Unit {
        /// A count of things.
        Count = "count",
        /// A percentage, 0 to 100.
        Percent = "percent",
        /// A ratio, 0 to 1.
        Ratio = "ratio",
        /// Money, in the programme's currency.
        Money = "money",
        /// Person-months of effort.
        PersonMonths = "person-months",
        /// Days.
        Days = "days",
    }
}

open_enum! {
    /// Who a deliverable may be disseminated to. Other values are allowed and kept as written.
    Dissemination {
        /// Public: fully open (EU `PU`).
        Public = "public",
        /// Sensitive: limited under the conditions of the grant agreement (EU `SEN`).
        Sensitive = "sensitive",
        /// Classified: EU classified information (EU `R-UE/EU-R`, `C-UE/EU-C`, `S-UE/EU-S`).
        Classified = "classified",
    }
}

/// How widely an indicator or theme applies.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// It applies to the whole programme, across every activity (a questionnaire after
    /// every activity, a theme transversal to all activities): nothing needs to list it.
    Programme,
}

/// How an indicator's value is compared with its target.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// The value to reach (a plain number).
    Exactly,
    /// At least this value (`{at_least: 2}`).
    AtLeast,
    /// At most this value (`{at_most: 5}`).
    AtMost,
}

/// An indicator's target: a value to reach (`4`), or a bound (`{at_least: 2}`,
/// `{at_most: 5}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    /// How the value compares.
    pub comparator: Comparator,
    /// The value.
    pub value: Amount,
}

impl Target {
    /// A target to reach exactly.
    pub fn exactly(value: Amount) -> Target {
        Target {
            comparator: Comparator::Exactly,
            value,
        }
    }
}

impl From<Amount> for Target {
    fn from(value: Amount) -> Target {
        Target::exactly(value)
    }
}

impl Comparator {
    /// A target value with this comparator, in words: `2`, `at least 2`, `at most 5 %`
    /// (`value` as the caller writes it, with its unit if any).
    pub fn describe(self, value: impl fmt::Display) -> String {
        match self {
            Comparator::Exactly => value.to_string(),
            Comparator::AtLeast => format!("at least {value}"),
            Comparator::AtMost => format!("at most {value}"),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.comparator.describe(self.value))
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let key = match self.comparator {
            Comparator::Exactly => return self.value.serialize(s),
            Comparator::AtLeast => "at_least",
            Comparator::AtMost => "at_most",
        };
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(key, &self.value)?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if let Some(text) = amount::reading_yaml() {
            // YAML: no buffering (an untagged enum would hide the scalar's place, which
            // an amount is read by): a mapping is read as it comes, a scalar by its place
            let shape = serde_saphyr::Spanned::<YamlTarget>::deserialize(d)?;
            return match shape.value {
                YamlTarget::Scalar(string) => {
                    amount::from_yaml_text(&text, &shape.defined, string.as_deref())
                        .map(Target::exactly)
                }
                YamlTarget::Bound(t) => Ok(t),
            };
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Plain(Amount),
            Bound(Bound),
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Bound {
            #[serde(default)]
            at_least: Option<Amount>,
            #[serde(default)]
            at_most: Option<Amount>,
        }
        match Raw::deserialize(d) {
            Ok(Raw::Plain(v)) => Ok(Target::exactly(v)),
            Ok(Raw::Bound(Bound {
                at_least: Some(v),
                at_most: None,
            })) => Ok(Target {
                comparator: Comparator::AtLeast,
                value: v,
            }),
            Ok(Raw::Bound(Bound {
                at_least: None,
                at_most: Some(v),
            })) => Ok(Target {
                comparator: Comparator::AtMost,
                value: v,
            }),
            _ => Err(de::Error::custom(TARGET_SHAPE)),
        }
    }
}

// the forms of a target, written once for both messages below
macro_rules! target_forms {
    () => {
        "a number (`4`, `\"85.5\"`), `{at_least: 2}` or `{at_most: 5}`"
    };
}
/// The forms a target takes, for messages.
pub const TARGET_FORMS: &str = target_forms!();
const TARGET_SHAPE: &str = concat!("a target is ", target_forms!());

/// A target as the YAML reader hands it over: a scalar (read from the text by its
/// place) or a bound.
enum YamlTarget {
    /// A scalar, with its text when the reader hands it over as a string.
    Scalar(Option<String>),
    Bound(Target),
}

impl<'de> Deserialize<'de> for YamlTarget {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Shape;
        const SHAPE: &str = TARGET_SHAPE;
        impl<'de> de::Visitor<'de> for Shape {
            type Value = YamlTarget;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(SHAPE)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<YamlTarget, E> {
                Ok(YamlTarget::Scalar(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<YamlTarget, E> {
                Ok(YamlTarget::Scalar(None))
            }
            fn visit_i128<E: de::Error>(self, _: i128) -> Result<YamlTarget, E> {
                Ok(YamlTarget::Scalar(None))
            }
            fn visit_u128<E: de::Error>(self, _: u128) -> Result<YamlTarget, E> {
                Ok(YamlTarget::Scalar(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<YamlTarget, E> {
                Ok(YamlTarget::Scalar(None))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<YamlTarget, E> {
                Ok(YamlTarget::Scalar(Some(v.to_owned())))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<YamlTarget, A::Error> {
                let mut bound: Option<Target> = None;
                while let Some(key) = map.next_key::<String>()? {
                    let comparator = match key.as_str() {
                        "at_least" => Comparator::AtLeast,
                        "at_most" => Comparator::AtMost,
                        _ => return Err(de::Error::custom(SHAPE)),
                    };
                    let value = map.next_value::<Amount>()?;
                    if bound.is_some() {
                        return Err(de::Error::custom(SHAPE));
                    }
                    bound = Some(Target { comparator, value });
                }
                bound
                    .map(YamlTarget::Bound)
                    .ok_or_else(|| de::Error::custom(SHAPE))
            }
        }
        d.deserialize_any(Shape)
    }
}

impl JsonSchema for Target {
    fn schema_name() -> Cow<'static, str> {
        "Target".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let amount = generator.subschema_for::<Amount>();
        json_schema!({
            "description": "The value to reach (`4`), or a bound: `{at_least: 2}`, `{at_most: 5}`.",
            "anyOf": [
                amount,
                {
                    "type": "object",
                    "properties": {"at_least": amount},
                    "required": ["at_least"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "properties": {"at_most": amount},
                    "required": ["at_most"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// The whole work programme: the file's top level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "policygraph work programme")]
pub struct Document {
    /// The format marker: always `policygraph/v1` for this version of the format.
    pub format: FormatVersion,
    /// What the programme is: its identity, period and mandate.
    pub programme: Programme,
    /// Strategic priorities, each with its lines of action.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub priorities: Vec<Priority>,
    /// The activities of the plan of work, nested to any depth (work packages, tasks, topics).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub activities: Vec<Activity>,
    /// The kinds of output the programme is expected to produce.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub outputs: Vec<Output>,
    /// The intended effects, from immediate to long term.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub outcomes: Vec<Outcome>,
    /// Indicators with their targets.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub indicators: Vec<Indicator>,
    /// Where the money comes from.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub funding_sources: Vec<FundingSource>,
    /// Partner organisations and bodies, including lead and responsible bodies.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub partners: Vec<Partner>,
    /// Networks the programme runs or works through.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub networks: Vec<Network>,
    /// Cross-cutting (transversal) themes.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub themes: Vec<Theme>,
    /// How the programme is evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
    /// How this document is checked: rules switched off or re-levelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
}

/// The format marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct FormatVersion;

impl Serialize for FormatVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(FORMAT_V1)
    }
}

impl<'de> Deserialize<'de> for FormatVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        if s == FORMAT_V1 {
            Ok(FormatVersion)
        } else {
            Err(de::Error::custom(format!(
                "`{s}` is not a format this version reads: write `{FORMAT_V1}`"
            )))
        }
    }
}

impl JsonSchema for FormatVersion {
    fn schema_name() -> Cow<'static, str> {
        "FormatVersion".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "const": FORMAT_V1,
            "description": "The format marker: `policygraph/v1`."
        })
    }
}

/// The programme's identity, period and mandate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// The programme's id.
    pub id: Id,
    /// The title (`2023 – 2025 Work Programme`).
    pub title: String,
    /// The subtitle or motto.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// The organisation whose programme it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// The document reference (`P-PG (2022) 6 final`, a grant agreement number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The date the document bears (its title-page date), when it states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dated: Option<Date>,
    /// When the programme was adopted, when the document says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<Date>,
    /// The period the programme covers (`2023-2025`, `M1-M48`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Timeframe>,
    /// The start date that months relative to the start (`M1`) count from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    /// The currency amounts are in unless they say otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The introduction, paragraph by paragraph.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub introduction: Vec<String>,
    /// The problem the programme addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The organisation's role in addressing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Where the priorities come from (the decision or strategy that sets them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priorities_source: Option<String>,
    /// The mandate the programme executes (the founding resolution, statute or call).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate: Option<String>,
    /// The focus points the mandate sets.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub focus: Vec<FocusPoint>,
    /// How the plan of work is carried out, governed and financed, as the source states it.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub implementation: Vec<String>,
    /// Further notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

impl Programme {
    /// The date months from the start (`M1`) count from: `start`, or when the programme
    /// states none but its period runs from a day to a month from the start
    /// (`2016-07-01 to M48`), that day: the period itself says where `M1` begins.
    pub fn start_date(&self) -> Option<Date> {
        if self.start.is_some() {
            return self.start;
        }
        let period = self.period.as_ref()?;
        let TimeSpec::Segments { segments, .. } = period.spec() else {
            return None;
        };
        match segments.first()? {
            Segment {
                start: Point::Date(day),
                end: Point::RelativeMonth(_),
                ..
            } => Some(*day),
            _ => None,
        }
    }
}

/// A focus point of the mandate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusPoint {
    /// The focus point's id.
    pub id: Id,
    /// The statement, as written.
    pub title: String,
    /// Partners the statement names.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub partners: Vec<Id>,
    /// Networks the statement names.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub networks: Vec<Id>,
    /// Cross-cutting themes the statement names.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub themes: Vec<Id>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// A strategic priority.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    /// The priority's id.
    pub id: Id,
    /// The full title.
    pub title: String,
    /// The short label the programme's tables use (`PROMOTING HUMAN RIGHTS IN DRUG POLICY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the priority stands (`cancelled` for an objective dropped), when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The outcomes it serves, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub serves: Vec<Id>,
    /// The lines of action under this priority.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub actions: Vec<LineOfAction>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// A line of action, possibly refined by sub-lines (the "⇒" lines of a table).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineOfAction {
    /// The line's id.
    pub id: Id,
    /// The line as written.
    pub title: String,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Partners the line names (`in cooperation with MONEYVAL`), by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub partners: Vec<Id>,
    /// Sub-lines that refine this one.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub actions: Vec<LineOfAction>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// An activity of the plan of work: an activity, topic, work package, task or action,
/// nested to any depth.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// The activity's id.
    pub id: Id,
    /// The title as written.
    pub title: String,
    /// What kind of unit this is, in the programme's own words (`topic`, `work package`, `task`, `action`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the activity stands: `new`, `ongoing`, `modernised`, or another value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// When it runs. Absent when the source is silent (it may inherit its parent's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeframe: Option<Timeframe>,
    /// The funding sources it draws on, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub funding: Vec<Id>,
    /// Stated amounts: a total and allocations per source and year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
    /// The lines of action (or priorities) it addresses, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub addresses: Vec<Id>,
    /// The partner that leads it or is responsible for it, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<Id>,
    /// Partners taking part, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub partners: Vec<Id>,
    /// Effort per partner, where the programme states it.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub effort: Vec<Effort>,
    /// The planned total effort in person-months, as a work-package table states it: the
    /// partners' effort on the activity and its sub-activities should add up to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_months: Option<Amount>,
    /// Networks it runs in or through, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub networks: Vec<Id>,
    /// Cross-cutting themes it serves, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub themes: Vec<Id>,
    /// Indicators the activity as a whole counts toward, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub counts_toward: Vec<Id>,
    /// What it delivers.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub deliverables: Vec<Deliverable>,
    /// Its milestones.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub milestones: Vec<Milestone>,
    /// What it depends on: activities, milestones or deliverables, each an id (which
    /// must finish before this one starts) or `{id, type}` with another type of dependency.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub depends_on: Vec<Dependency>,
    /// Sub-activities and topics.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub activities: Vec<Activity>,
    /// Further notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// Stated amounts for an activity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// The currency, when it is not the programme's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The stated total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    /// Amounts per funding source and year.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub allocations: Vec<Allocation>,
}

/// An amount from one funding source, optionally in one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    /// The funding source, by id.
    pub source: Id,
    /// The year, if the amount is for one year.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "year"
    )]
    #[schemars(range(min = 1, max = 9999))]
    pub year: Option<i32>,
    /// The amount.
    pub amount: Amount,
}

/// Effort a partner puts into an activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Effort {
    /// The partner, by id.
    pub partner: Id,
    /// Person-months.
    pub person_months: Amount,
}

/// How a dependency constrains timing.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DependencyType {
    /// It starts (or is due) only after what it depends on finishes: the default.
    #[default]
    FinishToStart,
    /// It starts no earlier than what it depends on starts.
    StartToStart,
    /// It finishes no earlier than what it depends on finishes.
    FinishToFinish,
    /// What it depends on informs it (its results feed in), with no timing implied.
    Informs,
}

impl DependencyType {
    /// The type as written (`finish_to_start`).
    pub fn as_str(self) -> &'static str {
        match self {
            DependencyType::FinishToStart => "finish_to_start",
            DependencyType::StartToStart => "start_to_start",
            DependencyType::FinishToFinish => "finish_to_finish",
            DependencyType::Informs => "informs",
        }
    }

    /// Whether it implies an order in time (every type but `informs`).
    pub fn is_timing(self) -> bool {
        self != DependencyType::Informs
    }
}

impl fmt::Display for DependencyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A dependency on an activity, milestone or deliverable: an id (`WP1`, finish to start),
/// or `{id: WP1, type: start_to_start}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dependency {
    /// What it depends on, by id.
    pub id: Id,
    /// The type of dependency (`finish_to_start` unless written).
    pub kind: DependencyType,
}

impl Dependency {
    /// A finish-to-start dependency on `id`.
    pub fn on(id: Id) -> Dependency {
        Dependency {
            id,
            kind: DependencyType::FinishToStart,
        }
    }
}

impl From<Id> for Dependency {
    fn from(id: Id) -> Dependency {
        Dependency::on(id)
    }
}

impl Serialize for Dependency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.kind == DependencyType::FinishToStart {
            return self.id.serialize(s);
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("type", &self.kind)?;
        m.end()
    }
}

const DEPENDENCY_SHAPE: &str = "a dependency is an id (`WP1`) or `{id: WP1, type: start_to_start}`, the type one of `finish_to_start`, `start_to_start`, `finish_to_finish` or `informs`";

/// A dependency as a reader hands it over: an id (text) or a mapping. A scalar that is
/// no text (`12`, `true`, `null`) is refused in every format, as a number is refused
/// for an id anywhere else.
impl<'de> Deserialize<'de> for Dependency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Shape;
        fn scalar<E: de::Error>(shown: &dyn fmt::Display) -> Result<Dependency, E> {
            Err(E::custom(format!(
                "`{shown}` is not an id: {DEPENDENCY_SHAPE}"
            )))
        }
        impl<'de> de::Visitor<'de> for Shape {
            type Value = Dependency;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(DEPENDENCY_SHAPE)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Dependency, E> {
                scalar(&v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dependency, E> {
                scalar(&v)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dependency, E> {
                scalar(&v)
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Dependency, E> {
                scalar(&v)
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Dependency, E> {
                scalar(&v)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dependency, E> {
                scalar(&v)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Dependency, E> {
                scalar(&"null")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Dependency, E> {
                Id::new(v).map(Dependency::on).map_err(E::custom)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Dependency, A::Error> {
                let mut id: Option<Id> = None;
                let mut kind: Option<DependencyType> = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "id" if id.is_none() => id = Some(map.next_value()?),
                        "type" if kind.is_none() => kind = Some(map.next_value()?),
                        "id" | "type" => {
                            return Err(de::Error::custom(format!(
                                "`{key}` is given twice in a dependency"
                            )));
                        }
                        other => {
                            return Err(de::Error::custom(format!(
                                "`{other}` is not a field of a dependency: {DEPENDENCY_SHAPE}"
                            )));
                        }
                    }
                }
                let Some(id) = id else {
                    return Err(de::Error::custom(format!(
                        "a dependency written as a mapping needs its `id`: {DEPENDENCY_SHAPE}"
                    )));
                };
                Ok(Dependency {
                    id,
                    kind: kind.unwrap_or_default(),
                })
            }
        }
        d.deserialize_any(Shape)
    }
}

impl JsonSchema for Dependency {
    fn schema_name() -> Cow<'static, str> {
        "Dependency".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let id = generator.subschema_for::<Id>();
        let kind = generator.subschema_for::<DependencyType>();
        json_schema!({
            "description": "A dependency on an activity, milestone or deliverable: its id (it must finish first), or `{id, type}` with the type of dependency.",
            "anyOf": [
                id,
                {
                    "type": "object",
                    "properties": {"id": id, "type": kind},
                    "required": ["id"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// The kind of a deliverable, from a catalogue, or `{other: label}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliverableKind {
    /// A policy paper.
    PolicyPaper,
    /// A guidance document.
    GuidanceDocument,
    /// Guidelines.
    Guidelines,
    /// A strategy.
    Strategy,
    /// A handbook.
    Handbook,
    /// A manual.
    Manual,
    /// A report.
    Report,
    /// An overview or review of practice and evidence.
    Overview,
    /// A training.
    Training,
    /// Training materials.
    TrainingMaterials,
    /// A course.
    Course,
    /// A seminar.
    Seminar,
    /// A workshop.
    Workshop,
    /// A symposium.
    Symposium,
    /// A conference.
    Conference,
    /// An awareness event.
    AwarenessEvent,
    /// A segment of a plenary meeting.
    PlenarySegment,
    /// A network's segment of a meeting.
    NetworkSegment,
    /// An award or prize.
    Award,
    /// A review and update of an existing product.
    ReviewAndUpdate,
    /// A resource bank.
    ResourceBank,
    /// Resources and tools.
    Resources,
    /// A support facility.
    SupportFacility,
    /// An assessment tool.
    Tool,
    /// An online resource or application.
    OnlineResource,
    /// A cooperation arrangement.
    CooperationArrangement,
    /// A data set.
    Dataset,
    /// Software.
    Software,
    /// A meeting.
    Meeting,
    /// A demonstrator, pilot or prototype (EU type `DEM`).
    Demonstrator,
    /// Websites, patent filings, videos and the like (EU type `DEC`).
    WebsitesPatentsVideos,
    /// A data management plan (EU type `DMP`).
    DataManagementPlan,
    /// Ethics requirements (EU type `ETHICS`).
    Ethics,
    /// Anything else, with its label (EU type `OTHER`: `{other: OTHER}` or a better label).
    Other(String),
}

/// Something an activity delivers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deliverable {
    /// The deliverable's id.
    pub id: Id,
    /// The title as written.
    pub title: String,
    /// Its kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DeliverableKind>,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How many are planned, where the programme says: in all, or each time when
    /// `recurrence` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Amount>,
    /// How often it recurs (`annually`; `annually in 2023-2025` to bound it), over its
    /// activity's timeframe unless bounded.
    // boxed: few deliverables recur, and a timeframe held inline adds 56 bytes to each
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<Box<Timeframe>>,
    /// When it is due (`2024`, `M18`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Timeframe>,
    /// The output types it produces, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub outputs: Vec<Id>,
    /// The indicators it counts toward, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub counts_toward: Vec<Id>,
    /// The partner that leads it, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<Id>,
    /// Partners that produce it, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub partners: Vec<Id>,
    /// Who it may be disseminated to: `public`, `sensitive`, `classified`, or the
    /// source's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dissemination: Option<Dissemination>,
    /// Further notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// What it depends on: activities, milestones or deliverables, each an id (which
    /// must finish before it is due) or `{id, type}` with another type of dependency.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub depends_on: Vec<Dependency>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// A milestone of an activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// The milestone's id.
    pub id: Id,
    /// The title.
    pub title: String,
    /// When it is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Timeframe>,
    /// Where it stands (`cancelled`), when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// How its achievement is verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<String>,
    /// What is measured to tell it is reached, as written (`number of guidance documents issued`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measurement: Option<String>,
    /// The partner or body responsible for it, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<Id>,
    /// Partners taking part, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub partners: Vec<Id>,
    /// The indicators it counts toward, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub counts_toward: Vec<Id>,
    /// Further activities it belongs to besides the one it is listed in (a milestone
    /// shared by several work packages), by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub also_in: Vec<Id>,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What it depends on: activities, milestones or deliverables, each an id (which
    /// must finish before it is reached) or `{id, type}` with another type of dependency.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub depends_on: Vec<Dependency>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// A kind of output the programme produces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Output {
    /// The output's id.
    pub id: Id,
    /// The title as written.
    pub title: String,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The examples the programme lists (`policy papers`, `manuals`).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub examples: Vec<String>,
    /// The outcomes it contributes to, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub contributes_to: Vec<Id>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// How far ahead an outcome lies.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Horizon {
    /// Right after the activities.
    Immediate,
    /// Short term.
    ShortTerm,
    /// Medium term.
    MediumTerm,
    /// Long term.
    LongTerm,
}

/// An intended effect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// The outcome's id.
    pub id: Id,
    /// The statement as written.
    pub title: String,
    /// How far ahead it lies, when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<Horizon>,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The longer-term outcomes it leads to, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub contributes_to: Vec<Id>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// An indicator with its target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The indicator's id.
    pub id: Id,
    /// The label as written.
    pub label: String,
    /// The unit it is counted in: `count`, `percent`, or another value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// The value at the start, if stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Amount>,
    /// The value to reach (`4`), or a bound (`{at_least: 2}`, `{at_most: 5}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// When the target is to be reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<Timeframe>,
    /// What it measures, by id: an outcome, an output, a deliverable or a milestone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<Id>,
    /// `programme` when it is measured across every activity (a questionnaire after each
    /// activity): nothing needs to count toward it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// How it is measured (means of verification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<String>,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// A source of funding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingSource {
    /// The source's id (`OB`, `VC`, `EBR`).
    pub id: Id,
    /// Its name as written (`Ordinary Budget`).
    pub title: String,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The currency of its amounts, when it is not the programme's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The stated total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    /// The amounts it declares, per year where stated.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub declared: Vec<Declared>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// An amount a funding source declares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Declared {
    /// The year, if the amount is for one year.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "year"
    )]
    #[schemars(range(min = 1, max = 9999))]
    pub year: Option<i32>,
    /// The amount.
    pub amount: Amount,
}

/// A partner organisation or body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// The partner's id.
    pub id: Id,
    /// Its name.
    pub title: String,
    /// Its acronym (`EMCDDA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    /// What kind of body it is, in the programme's words (`international organisation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Its role in the programme (`cooperation arrangement`, `coordinator`, `beneficiary`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// When it takes part (a partner that joins late or leaves early).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation: Option<Timeframe>,
    /// Its stated total effort in person-months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_months: Option<Amount>,
    /// The partner it is a linked third party of, by id: its effort counts toward that
    /// partner's share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_to: Option<Id>,
    /// Former ids or acronyms it had (after a merger or renaming); references may use them.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub also_known_as: Vec<Id>,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// A network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// The network's id.
    pub id: Id,
    /// Its name.
    pub title: String,
    /// Its acronym or short name (`MedNET`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    /// The region it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Partners that belong to it, by id.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub partners: Vec<Id>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// A cross-cutting theme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// The theme's id.
    pub id: Id,
    /// Its name.
    pub title: String,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `programme` when it is transversal to every activity: nothing needs to list it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// How the programme is evaluated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// How implementation is reviewed in general, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Process evaluation: the methods applied to each activity.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub process: Vec<EvaluationMethod>,
    /// Outcome evaluation: how results are assessed against the priorities.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub outcome: Vec<EvaluationMethod>,
    /// Dated reviews (a mid-term evaluation).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub reviews: Vec<Review>,
    /// Further notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// An evaluation method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationMethod {
    /// The method's id.
    pub id: Id,
    /// The method as written.
    pub title: String,
    /// Who carries it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// A dated review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The review's id.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// When it takes place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Timeframe>,
    /// Who carries it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// What it does, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Elements it refers to (what the source's "see Action 8" points at), by id: a
    /// cross-reference, with no other meaning.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tight"
    )]
    pub refers_to: Vec<Id>,
}

/// How the document is checked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Rules switched off or re-levelled, by code (`PG101`) or name (`unknown-reference`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, RuleLevel>,
}

/// The level a rule runs at.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleLevel {
    /// Not run.
    Off,
    /// Reported as information.
    Info,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

/// How many elements of each kind a document holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Strategic priorities.
    pub priorities: usize,
    /// Lines of action, sub-lines included.
    pub lines_of_action: usize,
    /// Activities at the top level of the plan of work.
    pub activities: usize,
    /// Sub-activities and topics at any depth.
    pub sub_activities: usize,
    /// Deliverables.
    pub deliverables: usize,
    /// Milestones.
    pub milestones: usize,
    /// Output types.
    pub outputs: usize,
    /// Outcomes.
    pub outcomes: usize,
    /// Indicators.
    pub indicators: usize,
    /// Funding sources.
    pub funding_sources: usize,
    /// Partners.
    pub partners: usize,
    /// Networks.
    pub networks: usize,
    /// Cross-cutting themes.
    pub themes: usize,
    /// Evaluation methods and reviews.
    pub evaluation: usize,
}

impl Summary {
    /// Each count with its label in words, in the order a report lists them.
    pub fn labelled(&self) -> [(&'static str, usize); 14] {
        [
            ("strategic priorities", self.priorities),
            ("lines of action (with sub-lines)", self.lines_of_action),
            ("activities", self.activities),
            ("sub-activities and topics", self.sub_activities),
            ("deliverables", self.deliverables),
            ("milestones", self.milestones),
            ("outputs", self.outputs),
            ("outcomes", self.outcomes),
            ("indicators", self.indicators),
            ("funding sources", self.funding_sources),
            ("partners", self.partners),
            ("networks", self.networks),
            ("cross-cutting themes", self.themes),
            ("evaluation methods and reviews", self.evaluation),
        ]
    }
}

impl Document {
    /// Counts the elements of each kind.
    pub fn summary(&self) -> Summary {
        fn lines(actions: &[LineOfAction]) -> usize {
            let mut n = 0;
            let mut stack: Vec<&LineOfAction> = actions.iter().collect();
            while let Some(a) = stack.pop() {
                n += 1;
                stack.extend(&a.actions);
            }
            n
        }
        let mut s = Summary {
            priorities: self.priorities.len(),
            lines_of_action: self.priorities.iter().map(|p| lines(&p.actions)).sum(),
            activities: self.activities.len(),
            outputs: self.outputs.len(),
            outcomes: self.outcomes.len(),
            indicators: self.indicators.len(),
            funding_sources: self.funding_sources.len(),
            partners: self.partners.len(),
            networks: self.networks.len(),
            themes: self.themes.len(),
            evaluation: self
                .evaluation
                .as_ref()
                .map_or(0, |e| e.process.len() + e.outcome.len() + e.reviews.len()),
            ..Summary::default()
        };
        let mut stack: Vec<(&Activity, bool)> = self.activities.iter().map(|a| (a, true)).collect();
        while let Some((a, top)) = stack.pop() {
            if !top {
                s.sub_activities += 1;
            }
            s.deliverables += a.deliverables.len();
            s.milestones += a.milestones.len();
            stack.extend(a.activities.iter().map(|c| (c, false)));
        }
        s
    }
}
