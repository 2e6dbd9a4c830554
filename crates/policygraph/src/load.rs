//! Reading and writing documents. (First cut: fast path only.)

use crate::format::Format;
use crate::model::Document;

/// Bounds on untrusted input.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// A document could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct LoadError(pub String);

/// Parses a document from text in the given format.
pub fn parse_str(text: &str, format: Format) -> Result<Document, LoadError> {
    match format {
        Format::Yaml => serde_saphyr::from_str(text).map_err(|e| LoadError(e.to_string())),
        Format::Json => serde_json::from_str(text).map_err(|e| LoadError(e.to_string())),
        Format::Toml => toml::from_str(text).map_err(|e| LoadError(e.to_string())),
    }
}
