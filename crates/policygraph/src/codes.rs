//! The one table of diagnostic codes.
//!
//! Codes are stable: a code is never reused for another meaning. `PG0xx` are problems
//! reading a document; the validation rules have codes from `PG100` up.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::diagnostic::Severity;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = ($code:literal, $name:literal, $severity:ident, $summary:literal); )+) => {
        /// A diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )+
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code as written (`PG002`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)+ }
            }

            /// The kebab-case name (`unknown-field`).
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)+ }
            }

            /// The severity it has unless re-levelled.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)+ }
            }

            /// One line saying what it reports.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)+ }
            }

            /// The code with this text or name (`PG002` or `unknown-field`).
            pub fn find(text: &str) -> Option<Code> {
                let upper = text.to_ascii_uppercase();
                Code::ALL.iter().copied().find(|c| c.as_str() == upper || c.name() == text)
            }
        }
    };
}

codes! {
    /// The text is not valid YAML, JSON or TOML.
    Syntax = ("PG001", "syntax-error", Error, "the text is not valid in its format");
    /// A field the format does not have (often a misspelling).
    UnknownField = ("PG002", "unknown-field", Error, "a field the format does not have");
    /// A value of the wrong type (text where a list is expected, say).
    WrongType = ("PG003", "wrong-type", Error, "a value of the wrong type");
    /// A value of the right type that is not allowed (a bad date, an unknown kind).
    InvalidValue = ("PG004", "invalid-value", Error, "a value that is not allowed");
    /// A required field is missing.
    MissingField = ("PG005", "missing-field", Error, "a required field is missing");
    /// The same key twice in one mapping.
    DuplicateKey = ("PG006", "duplicate-key", Error, "the same key twice in one mapping");
    /// The input exceeds a bound set for untrusted input (size, depth, aliases).
    LimitExceeded = ("PG007", "limit-exceeded", Error, "the input exceeds a safety bound");
    /// The file cannot be read (missing, not UTF-8, unknown extension).
    Unreadable = ("PG008", "unreadable-file", Error, "the file cannot be read");
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        Code::find(&s).ok_or_else(|| de::Error::custom(format!("`{s}` is not a diagnostic code")))
    }
}

impl JsonSchema for Code {
    fn schema_name() -> Cow<'static, str> {
        "Code".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        json_schema!({
            "type": "string",
            "enum": codes,
            "description": "A stable diagnostic code."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {c}");
            assert!(seen.insert(c.name()), "duplicate name {}", c.name());
            assert!(c.as_str().starts_with("PG") && c.as_str().len() == 5);
            assert!(
                c.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
            );
            assert_eq!(Code::find(c.as_str()), Some(*c));
            assert_eq!(Code::find(c.name()), Some(*c));
            let s = c.summary();
            assert!(!s.ends_with('.') && s.chars().next().is_some_and(char::is_lowercase));
        }
    }
}
