//! The three file formats a document can be written in.

use std::fmt;
use std::path::Path;

/// A document file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// YAML 1.2 (`.yaml`, `.yml`).
    Yaml,
    /// JSON (`.json`).
    Json,
    /// TOML (`.toml`).
    Toml,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 3] = [Format::Yaml, Format::Json, Format::Toml];

    /// The format a path's extension names, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::from_name(&ext)
    }

    /// The format with this name or extension (`yaml`, `yml`, `json`, `toml`).
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }

    /// The format a text is evidently written in, for input without a name (standard
    /// input): JSON when it starts with `{`, TOML when its first line that is not blank
    /// or a comment is a table header or a `key = value` pair, else YAML.
    pub fn sniff(text: &str) -> Format {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('{') {
                return Format::Json;
            }
            let key_end = line.find(['=', ':']).unwrap_or(0);
            let toml_pair = line.as_bytes().get(key_end) == Some(&b'=')
                && line[..key_end].trim().bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'"' | b' ')
                })
                && !line[..key_end].trim().is_empty();
            let table = line.starts_with('[') && line.ends_with(']') && !line.contains(',');
            return if toml_pair || table {
                Format::Toml
            } else {
                Format::Yaml
            };
        }
        Format::Yaml
    }

    /// The format's name, which is also its usual extension.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::Toml => "toml",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_format_of_unnamed_text() {
        for (text, format) in [
            ("{\"format\": \"policygraph/v1\"}", Format::Json),
            ("\u{feff}\n  {", Format::Json),
            ("# a comment\nformat = \"policygraph/v1\"\n", Format::Toml),
            ("[programme]\nid = \"p\"", Format::Toml),
            ("format: policygraph/v1\n", Format::Yaml),
            ("---\nformat: policygraph/v1\n", Format::Yaml),
            ("- [a, b]\n", Format::Yaml),
            ("title: a = b\n", Format::Yaml),
            ("", Format::Yaml),
        ] {
            assert_eq!(Format::sniff(text), format, "{text:?}");
        }
    }
}
