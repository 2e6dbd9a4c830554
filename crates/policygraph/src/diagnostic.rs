//! Diagnostics: what the library reports about a document, as plain data.
//!
//! Every diagnostic has a stable [`Code`], a [`Severity`], a lowercase message
//! without final period, the JSON Pointer of the value it concerns, a source
//! location when the document came from text, related locations and help.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::codes::Code;

/// How serious a diagnostic is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Probably a gap or an inconsistency.
    Warning,
    /// The document is wrong or cannot be read.
    Error,
}

impl Severity {
    /// The severity's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a source text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Location {
    /// The file, when the text came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1, in characters.
    pub column: u32,
    /// The byte offset of the start, from 0.
    pub offset: usize,
    /// The length in bytes (0 when only a point is known).
    pub length: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}:{}:{}", self.line, self.column),
            None => write!(f, "{}:{}", self.line, self.column),
        }
    }
}

/// Another place a diagnostic concerns (the first definition of a duplicated id, say).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Related {
    /// What this place is.
    pub message: String,
    /// The JSON Pointer of the value.
    pub pointer: String,
    /// Where it is in the source, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// One thing the library has to say about a document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// The stable code (`PG002`).
    pub code: Code,
    /// The rule's kebab-case name (`unknown-field`).
    pub name: String,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong: lowercase, no final period, user input in backticks.
    pub message: String,
    /// The ids of the elements involved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<String>,
    /// The JSON Pointer of the value concerned (`/activities/2/timeframe`; empty for the whole document).
    pub pointer: String,
    /// Where it is in the source, when the document came from text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Other places it concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// How to fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and name.
    pub fn new(code: Code, pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            name: code.name().to_owned(),
            severity: code.default_severity(),
            message: message.into(),
            elements: Vec::new(),
            pointer: pointer.into(),
            location: None,
            related: Vec::new(),
            help: None,
        }
    }

    /// With help.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// With a location.
    pub fn at(mut self, location: Option<Location>) -> Diagnostic {
        self.location = location;
        self
    }

    /// With the elements involved.
    pub fn with_elements<I, S>(mut self, ids: I) -> Diagnostic
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.elements = ids.into_iter().map(Into::into).collect();
        self
    }

    /// With a related place.
    pub fn with_related(
        mut self,
        message: impl Into<String>,
        pointer: impl Into<String>,
    ) -> Diagnostic {
        self.related.push(Related {
            message: message.into(),
            pointer: pointer.into(),
            location: None,
        });
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        if !self.pointer.is_empty() {
            write!(f, " (at `{}`)", self.pointer)?;
        }
        Ok(())
    }
}

/// Escapes one JSON Pointer reference token.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Splits a JSON Pointer into its unescaped reference tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Finds the closest of `candidates` to `word`, if one is close enough to be a likely
/// misspelling.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    // compare without case and without the punctuation ids use (`A51` is near `A5.1`)
    fn squash(s: &str) -> String {
        s.chars()
            .filter(|c| !matches!(c, '.' | '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect()
    }
    let lower = word.to_lowercase();
    let squashed = squash(word);
    candidates
        .into_iter()
        .map(|c| {
            let near = strsim::damerau_levenshtein(&squashed, &squash(c));
            let raw = strsim::damerau_levenshtein(&lower, &c.to_lowercase());
            (near, raw, c)
        })
        .filter(|(near, raw, c)| {
            (*near).min(*raw) <= (c.chars().count().max(word.chars().count()) / 3).max(1)
        })
        // nearest first; among equals the first in text order, so hints are stable
        .min_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)))
        .map(|(_, _, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let fields = ["title", "timeframe", "funding", "deliverables"];
        assert_eq!(did_you_mean("titel", fields), Some("title"));
        assert_eq!(did_you_mean("timefrme", fields), Some("timeframe"));
        assert_eq!(did_you_mean("delivrables", fields), Some("deliverables"));
        assert_eq!(did_you_mean("colour", fields), None);
        assert_eq!(did_you_mean("A51", ["A1", "A5.1", "A2"]), Some("A5.1"));
        assert_eq!(did_you_mean("D9", ["D1", "D2"]), Some("D1"));
    }

    #[test]
    fn pointer_tokens_round_trip() {
        let p = format!("/a/{}/0", escape_token("x/y~z"));
        assert_eq!(pointer_tokens(&p), vec!["a", "x/y~z", "0"]);
        assert!(pointer_tokens("").is_empty());
    }
}
