//! `validate --format json`: one stable, documented report for a batch of files.
//!
//! The shape is versioned: fields may be added, but a change that could break a reader
//! bumps `version`. Its JSON Schema is generated from these types and committed as
//! `schema/report.schema.json`.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::Serialize;

use policygraph::Diagnostic;

use super::{Checked, Status, Totals};

/// The `$id` of the report's schema.
pub const REPORT_SCHEMA_ID: &str = "https://policygraph.dev/schema/report.schema.json";

/// The version of the report's shape.
pub const REPORT_VERSION: u32 = 1;

/// The report of `policygraph validate --format json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "policygraph validation report")]
pub struct ValidationReport {
    /// The version of this report's shape (1). Fields may be added within a version.
    #[schemars(extend("const" = 1))]
    pub version: u32,
    /// Every file validated, in the order validated (paths as given, then the files
    /// below each directory given, sorted).
    pub files: Vec<FileReport>,
    /// Counts over all files.
    pub summary: Summary,
}

/// One file.
#[derive(Serialize, JsonSchema)]
pub struct FileReport {
    /// The path as given, or as found below a directory given.
    pub path: String,
    /// The format its extension names; absent when the extension names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<DocumentFormat>,
    /// What became of it.
    pub status: FileStatus,
    /// Its findings (status `findings`), or the problems that kept it from being read
    /// (status `unreadable`), in document order.
    pub diagnostics: Vec<Diagnostic>,
}

/// A document format.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocumentFormat {
    /// YAML (`.yaml`, `.yml`).
    Yaml,
    /// JSON (`.json`).
    Json,
    /// TOML (`.toml`).
    Toml,
}

/// What became of a file.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Read and checked, with nothing to report.
    Ok,
    /// Read and checked, with at least one finding.
    Findings,
    /// Could not be read (missing, not UTF-8, not valid in its format, too large): its
    /// diagnostics say why.
    Unreadable,
}

/// Counts over all files.
#[derive(Serialize, JsonSchema)]
pub struct Summary {
    /// Files validated.
    pub files: usize,
    /// Files with nothing to report.
    pub ok: usize,
    /// Files with at least one finding.
    pub findings: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    /// Diagnostics of severity `error`, over all files (unreadable ones included).
    pub errors: usize,
    /// Diagnostics of severity `warning`.
    pub warnings: usize,
    /// Diagnostics of severity `info`.
    pub infos: usize,
}

pub fn report(results: &[Checked]) -> ValidationReport {
    let t = Totals::of(results);
    ValidationReport {
        version: REPORT_VERSION,
        files: results
            .iter()
            .map(|r| FileReport {
                path: r.shown.clone(),
                format: r.format.map(|f| match f {
                    policygraph::Format::Yaml => DocumentFormat::Yaml,
                    policygraph::Format::Json => DocumentFormat::Json,
                    policygraph::Format::Toml => DocumentFormat::Toml,
                }),
                status: match r.status {
                    Status::Ok => FileStatus::Ok,
                    Status::Findings => FileStatus::Findings,
                    Status::Unreadable => FileStatus::Unreadable,
                },
                diagnostics: r.diagnostics.clone(),
            })
            .collect(),
        summary: Summary {
            files: t.files,
            ok: t.ok,
            findings: t.findings,
            unreadable: t.unreadable,
            errors: t.errors,
            warnings: t.warnings,
            infos: t.infos,
        },
    }
}

/// The report as pretty-printed JSON with a final newline.
pub fn render(results: &[Checked]) -> String {
    let mut text = serde_json::to_string_pretty(&report(results)).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON Schema (draft 2020-12) of the report, as pretty-printed JSON with a final
/// newline: the content of `schema/report.schema.json`.
pub fn schema_text() -> String {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut value = generator
        .into_root_schema_for::<ValidationReport>()
        .to_value();
    if let serde_json::Value::Object(map) = &mut value {
        let mut ordered = serde_json::Map::new();
        if let Some(s) = map.remove("$schema") {
            ordered.insert("$schema".into(), s);
        }
        ordered.insert("$id".into(), REPORT_SCHEMA_ID.into());
        ordered.append(map);
        value = serde_json::Value::Object(ordered);
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
