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
            .map_err(|_| format!("`{s}` is out of range for an exact decimal"))
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
        d.deserialize_any(AmountVisitor)
    }
}

struct AmountVisitor;

impl de::Visitor<'_> for AmountVisitor {
    type Value = Amount;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a decimal written as a string such as `\"85.5\"`")
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
            .map_err(|_| E::custom(format!("`{v}` is out of range for an exact decimal")))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Amount, E> {
        i128::try_from(v)
            .map_err(|_| E::custom(format!("`{v}` is out of range for an exact decimal")))
            .and_then(|v| self.visit_i128(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
        if !v.is_finite() {
            return Err(E::custom(format!("`{v}` is not a finite number")));
        }
        // the shortest text that reads back as the same double is what the author wrote
        let text = format!("{v}");
        Decimal::from_str_exact(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .map(Amount)
            .map_err(|_| E::custom(format!("`{v}` is out of range for an exact decimal")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
        v.parse().map_err(E::custom)
    }
}

/// The pattern a decimal string matches.
pub const DECIMAL_PATTERN: &str = concat!(r"^-?[0-9]+(\.[0-9]+)?", super::time::end_re!());

impl JsonSchema for Amount {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An exact decimal number: an integer, or a decimal written as a string (`\"85.5\"`). Unquoted decimals are read from their shortest textual form.",
            "anyOf": [
                {"type": "integer"},
                {"type": "string", "pattern": DECIMAL_PATTERN},
                {"type": "number"}
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

    #[test]
    fn currencies_are_codes() {
        assert!(Currency::new("EUR").is_ok());
        assert!(Currency::new("eur").is_err());
        assert!(Currency::new("EURO").is_err());
    }
}
