//! Exact decimal quantities (money, targets, person-months) and currencies.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// An exact decimal number: never a binary float.
///
/// Written as an integer (`4`, `12000`) or as a decimal string (`"85.5"`,
/// `"1250000.00"`). Decimal numbers written without quotes are read from their
/// shortest textual form, which is exact for up to 15 significant digits; quote
/// anything longer. Whole numbers are written back as integers, others as strings,
/// so a value survives every format unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(pub Decimal);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// The decimal value.
    pub fn value(self) -> Decimal {
        self.0
    }

    /// Whether the value is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }
}

impl From<i64> for Amount {
    fn from(v: i64) -> Amount {
        Amount(Decimal::from(v))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

impl FromStr for Amount {
    type Err = String;
    fn from_str(s: &str) -> Result<Amount, String> {
        // as written: the schema's pattern has no room for white space around the digits
        let t = s;
        let shaped = !t.is_empty()
            && t.trim_start_matches('-').split_once('.').map_or(
                t.trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit()),
                |(a, b)| {
                    !a.is_empty()
                        && !b.is_empty()
                        && a.bytes().all(|c| c.is_ascii_digit())
                        && b.bytes().all(|c| c.is_ascii_digit())
                },
            );
        if !shaped || t.trim_start_matches('-').is_empty() {
            return Err(format!("`{s}` is not a decimal number"));
        }
        Decimal::from_str_exact(t)
            .map(Amount)
            .map_err(|_| too_precise(t))
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.0.normalize();
        if n.scale() == 0
            && let Ok(i) = i64::try_from(n)
        {
            return s.serialize_i64(i);
        }
        s.collect_str(&n)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if let Some(text) = yaml_text() {
            // YAML scalars are text: a plain number is read from what was written, not
            // from the binary float the parser would make of it. The reader refuses to
            // hand a number-like plain scalar over as a string (YAML 1.2 core: it is a
            // number), so the scalar is taken by its place and read from the text there.
            let spanned = serde_saphyr::Spanned::<YamlScalar>::deserialize(d)?;
            return from_yaml_text(&text, &spanned.defined, spanned.value.0.as_deref());
        }
        // serde_json hands this name its raw text (the `raw_value` feature); every
        // other deserializer passes the value through unchanged
        d.deserialize_newtype_struct(RAW_JSON_TOKEN, AmountVisitor { yaml: false })
    }
}

/// A YAML value as the reader hands it over: the text of a string (quoted, a block
/// scalar, or plain text that is no number), nothing for a number (read from its
/// place instead) or anything else.
pub(crate) struct YamlScalar(pub(crate) Option<String>);

impl<'de> Deserialize<'de> for YamlScalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Scalar;
        impl<'de> de::Visitor<'de> for Scalar {
            type Value = YamlScalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<YamlScalar, E> {
                Ok(YamlScalar(Some(v.to_owned())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<YamlScalar, E> {
                Ok(YamlScalar(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<YamlScalar, E> {
                Ok(YamlScalar(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<YamlScalar, E> {
                Ok(YamlScalar(None))
            }
            fn visit_i128<E: de::Error>(self, _: i128) -> Result<YamlScalar, E> {
                Ok(YamlScalar(None))
            }
            fn visit_u128<E: de::Error>(self, _: u128) -> Result<YamlScalar, E> {
                Ok(YamlScalar(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<YamlScalar, E> {
                Ok(YamlScalar(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<YamlScalar, E> {
                Ok(YamlScalar(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<YamlScalar, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(YamlScalar(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<YamlScalar, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(YamlScalar(None))
            }
        }
        d.deserialize_any(Scalar)
    }
}

/// The amount a YAML value at `place` in `text` writes: a string (quoted, or a block
/// scalar) is a decimal as its text is, nothing trimmed, as in JSON; a plain number is
/// read from what was written.
pub(crate) fn from_yaml_text<E: de::Error>(
    text: &str,
    place: &serde_saphyr::Location,
    string: Option<&str>,
) -> Result<Amount, E> {
    if let Some(v) = string {
        return v.parse().map_err(E::custom);
    }
    let span = place.span();
    let raw = span
        .byte_offset()
        .zip(span.byte_len())
        .and_then(|(at, len)| {
            let at = usize::try_from(at).ok()?;
            text.get(at..at.checked_add(usize::try_from(len).ok()?)?)
        })
        .ok_or_else(|| {
            E::custom(
                "an amount must be a number, or a decimal written as a string such as `\"85.5\"`",
            )
        })?;
    // a quoted scalar came as a string above: what is left is a plain scalar
    de::Visitor::visit_str::<E>(AmountVisitor { yaml: true }, raw.trim())
}

/// The text of the YAML document being read on this thread, if one is.
pub(crate) fn reading_yaml() -> Option<std::rc::Rc<str>> {
    yaml_text()
}

/// The name serde_json's `raw_value` feature recognises to give a value's source text.
const RAW_JSON_TOKEN: &str = "$serde_json::private::RawValue";

thread_local! {
    /// The text of the YAML document deserialized on this thread (see [`ReadingYaml`]).
    static READING_YAML: std::cell::RefCell<Option<std::rc::Rc<str>>> =
        const { std::cell::RefCell::new(None) };
}

fn yaml_text() -> Option<std::rc::Rc<str>> {
    READING_YAML.with(|r| r.borrow().clone())
}

/// While alive, amounts deserialized on this thread are read from this YAML text.
pub(crate) struct ReadingYaml(Option<std::rc::Rc<str>>);

impl ReadingYaml {
    pub(crate) fn start(text: &str) -> ReadingYaml {
        ReadingYaml(READING_YAML.with(|r| r.replace(Some(std::rc::Rc::from(text)))))
    }
}

impl Drop for ReadingYaml {
    fn drop(&mut self) {
        let previous = self.0.take();
        READING_YAML.with(|r| *r.borrow_mut() = previous);
    }
}

/// The most digits after the decimal point an exact decimal holds.
const MAX_SCALE: u32 = 28;

fn too_precise(text: &str) -> String {
    format!(
        "`{}` has more digits than an exact decimal holds (at most 28 after the point, and 28 to 29 in all)",
        shorten(text)
    )
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

impl Amount {
    /// Reads a number literal exactly, as written without quotes: an integer or a
    /// decimal, with an optional sign and exponent (`12000`, `85.5`, `-1.5e3`, `.5`,
    /// and in YAML `0x1F` and `0o17`). Nothing is rounded: a number that an exact
    /// decimal cannot hold is refused.
    pub fn from_number_text(text: &str) -> Result<Amount, String> {
        let t = text.trim();
        let (negative, unsigned) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let lower = unsigned.to_ascii_lowercase();
        if matches!(lower.as_str(), "inf" | ".inf" | "infinity" | "nan" | ".nan") {
            return Err(format!(
                "`{}` is not a finite number: an amount is an exact decimal",
                shorten(t)
            ));
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8)] {
            if let Some(digits) = unsigned.strip_prefix(prefix) {
                if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                    return Err(format!("`{}` is not a decimal number", shorten(t)));
                }
                let v = i128::from_str_radix(digits, radix)
                    .ok()
                    .and_then(|v| Decimal::try_from_i128_with_scale(v, 0).ok())
                    .ok_or_else(|| too_precise(t))?;
                return Ok(Amount(if negative { -v } else { v }));
            }
        }
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
            None => (unsigned, None),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits_ok(int) || !digits_ok(frac) {
            return Err(format!("`{}` is not a decimal number", shorten(t)));
        }
        let exponent: i64 = match exponent {
            None => 0,
            Some(e) => {
                let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if digits.is_empty() || !digits_ok(digits) {
                    return Err(format!("`{}` is not a decimal number", shorten(t)));
                }
                // beyond this no exact decimal can be meant, whatever the mantissa
                if digits.trim_start_matches('0').len() > 6 {
                    return Err(too_precise(t));
                }
                e.parse().map_err(|_| too_precise(t))?
            }
        };
        // the value is `all` × 10^(exponent − frac.len()), with all = int ‖ frac
        let mut all: String = int.chars().chain(frac.chars()).collect();
        let mut shift = exponent - i64::try_from(frac.len()).unwrap_or(i64::MAX);
        // trailing zeros do not make a number more precise
        while shift < 0 && all.len() > 1 && all.ends_with('0') {
            all.pop();
            shift += 1;
        }
        let significant = all.trim_start_matches('0').len();
        if shift > 0 {
            if significant == 0 {
                all = "0".to_owned();
                shift = 0;
            } else if i64::try_from(significant)
                .unwrap_or(i64::MAX)
                .saturating_add(shift)
                > 29
            {
                return Err(too_precise(t));
            } else {
                all.extend(std::iter::repeat_n(
                    '0',
                    usize::try_from(shift).unwrap_or(0),
                ));
                shift = 0;
            }
        }
        let scale = u32::try_from(-shift).map_err(|_| too_precise(t))?;
        if scale > MAX_SCALE || all.trim_start_matches('0').len() > 29 {
            return Err(too_precise(t));
        }
        let mut text = String::with_capacity(all.len() + 2);
        if negative {
            text.push('-');
        }
        let split = all.len().saturating_sub(scale as usize);
        if split == 0 {
            text.push('0');
        } else {
            text.push_str(&all[..split]);
        }
        if scale > 0 {
            text.push('.');
            for _ in all.len()..scale as usize {
                text.push('0');
            }
            text.push_str(&all[split..]);
        }
        Decimal::from_str_exact(&text)
            .map(Amount)
            .map_err(|_| too_precise(t))
    }
}

struct AmountVisitor {
    /// Reading YAML scalar text, where a number and a string both come as text.
    yaml: bool,
}

impl<'de> de::Visitor<'de> for AmountVisitor {
    type Value = Amount;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a decimal written as a string such as `\"85.5\"`")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Amount, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Amount, A::Error> {
        // serde_json's raw text of the value: a number literal or a quoted string
        let key: Option<std::borrow::Cow<'de, str>> = map.next_key()?;
        if key.as_deref() != Some(RAW_JSON_TOKEN) {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        let raw: std::borrow::Cow<'de, str> = map.next_value()?;
        let raw = raw.trim();
        match raw.as_bytes().first() {
            Some(b'"') => {
                let s: String = serde_json::from_str(raw).map_err(de::Error::custom)?;
                s.parse().map_err(de::Error::custom)
            }
            Some(b'-' | b'0'..=b'9') => Amount::from_number_text(raw).map_err(de::Error::custom),
            Some(b't' | b'f') => Err(de::Error::invalid_type(
                de::Unexpected::Bool(raw == "true"),
                &self,
            )),
            Some(b'n') => Err(de::Error::invalid_type(de::Unexpected::Unit, &self)),
            Some(b'[') => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
        Ok(Amount(Decimal::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
        Ok(Amount(Decimal::from(v)))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Amount, E> {
        Decimal::try_from_i128_with_scale(v, 0)
            .map(Amount)
            .map_err(|_| E::custom(too_precise(&v.to_string())))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Amount, E> {
        i128::try_from(v)
            .map_err(|_| E::custom(too_precise(&v.to_string())))
            .and_then(|v| self.visit_i128(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
        // only a reader that has lost the text gives a float (TOML's floats are checked
        // against their text before they get here)
        if !v.is_finite() {
            return Err(E::custom(format!(
                "`{v}` is not a finite number: an amount is an exact decimal"
            )));
        }
        let text = format!("{v}");
        Decimal::from_str_exact(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .map(Amount)
            .map_err(|_| E::custom(too_precise(&text)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
        if self.yaml {
            // a quoted decimal, or a plain YAML number as written
            return match v.parse() {
                Ok(a) => Ok(a),
                Err(_) => Amount::from_number_text(v).map_err(|e| {
                    if e.ends_with("is not a decimal number") {
                        E::custom(format!("`{}` is not a decimal number", shorten(v)))
                    } else {
                        E::custom(e)
                    }
                }),
            };
        }
        v.parse().map_err(E::custom)
    }
}

/// The pattern a decimal string matches: digits with an optional fraction, at most 28
/// digits after the point and 29 in all (not counting leading zeros), which is what an
/// exact decimal holds (a 29-digit number above 79228162514264337593543950335 passes
/// the pattern and is refused on loading).
pub const DECIMAL_PATTERN: &str = concat!(
    r"^-?(?=0*(?:[0-9]{0,29}|[0-9]*\.[0-9]*)",
    super::time::end_re!(),
    r")(?=0*[0-9.]{0,30}",
    super::time::end_re!(),
    r")[0-9]+(\.[0-9]{1,28})?",
    super::time::end_re!()
);

/// The largest amount (2^96 − 1), the bound of an exact decimal.
const MAX_AMOUNT: u128 = 79_228_162_514_264_337_593_543_950_335;

impl JsonSchema for Amount {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // as a double, which is how JSON Schema validators compare numbers
        #[allow(clippy::cast_precision_loss)]
        let max = MAX_AMOUNT as f64;
        json_schema!({
            "description": "An exact decimal number: an integer, or a decimal written as a string (`\"85.5\"`). An unquoted number is read from its text, never rounded: at most 28 digits after the point and 29 in all (up to 79228162514264337593543950335); a number beyond that, `nan` or `inf` is refused (quote a long decimal as a string).",
            "anyOf": [
                {"type": "integer", "minimum": -max, "maximum": max},
                {"type": "string", "pattern": DECIMAL_PATTERN},
                {"type": "number", "minimum": -max, "maximum": max}
            ],
            "examples": [4, "85.5", "1250000.00"]
        })
    }
}

/// An ISO 4217 currency code such as `EUR`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Currency(String);

impl Currency {
    /// A currency from its three-letter code.
    pub fn new(code: &str) -> Result<Currency, String> {
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Currency(code.to_owned()))
        } else {
            Err(format!(
                "`{code}` is not a currency code: use three capital letters such as `EUR`"
            ))
        }
    }

    /// The code.
    pub fn code(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        Currency::new(&s).map_err(de::Error::custom)
    }
}

impl JsonSchema for Currency {
    fn schema_name() -> Cow<'static, str> {
        "Currency".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": concat!("^[A-Z]{3}", super::time::end_re!()),
            "description": "An ISO 4217 currency code such as `EUR`.",
            "examples": ["EUR"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        let a: Amount = serde_json::from_str("0.1").unwrap();
        let b: Amount = serde_json::from_str("\"0.2\"").unwrap();
        assert_eq!((a.0 + b.0).to_string(), "0.3");
        assert_eq!(serde_json::to_string(&Amount::from(4)).unwrap(), "4");
        let c: Amount = serde_json::from_str("\"85.50\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"85.5\"");
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for bad in [
            "\"\"", "\"1e3\"", "\"-\"", "\"1.\"", "\".5\"", "\"abc\"", "true",
        ] {
            assert!(serde_json::from_str::<Amount>(bad).is_err(), "{bad}");
        }
    }

    /// Number literals are read exactly from their text, or refused; nothing rounds.
    #[test]
    fn number_text_is_read_exactly() {
        for (text, value) in [
            ("12345678901234567.89", "12345678901234567.89"),
            ("+5", "5"),
            ("-1.5e3", "-1500"),
            (".5", "0.5"),
            ("5.", "5"),
            ("1.50E-2", "0.015"),
            ("0e999", "0"),
            ("0x1F", "31"),
            ("0o17", "15"),
            (
                "1000000000000000000000000000e1",
                "10000000000000000000000000000",
            ),
        ] {
            assert_eq!(
                Amount::from_number_text(text).map(|a| a.0.normalize().to_string()),
                Ok(value.to_owned()),
                "{text}"
            );
        }
        for text in [
            "1e-400",
            "1e29",
            "0.1000000000000000000000000000000000001",
            "nan",
            ".inf",
            "-inf",
            "1_000",
            "e5",
            "1e",
            "0x",
            "--1",
            "1.2.3",
            "1e9999999999999999999",
        ] {
            assert!(Amount::from_number_text(text).is_err(), "{text}");
        }
    }

    /// The schema's decimal pattern says what the loader reads from a string.
    #[test]
    fn decimal_pattern_bounds_the_digits() {
        let schema = serde_json::json!({"type": "string", "pattern": DECIMAL_PATTERN});
        let v = jsonschema::validator_for(&schema).unwrap();
        for ok in [
            "85.5",
            "-0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "0001.5",
        ] {
            assert!(v.is_valid(&serde_json::json!(ok)), "{ok}");
            assert!(ok.parse::<Amount>().is_ok(), "{ok}");
        }
        for bad in [
            "0.1000000000000000000000000000000000001",
            "123456789012345678901234567890",
            "1e3",
            "1.",
        ] {
            assert!(!v.is_valid(&serde_json::json!(bad)), "{bad}");
            assert!(bad.parse::<Amount>().is_err(), "{bad}");
        }
    }

    #[test]
    fn currencies_are_codes() {
        assert!(Currency::new("EUR").is_ok());
        assert!(Currency::new("eur").is_err());
        assert!(Currency::new("EURO").is_err());
    }
}
