//! Reports, diagrams and data exports of an analysed programme.
//!
//! Every renderer is a pure function from an [`Input`] (the graph, its findings and its
//! coverage) to text: this crate formats but does no I/O, so the command line and the
//! bindings share it. Text from the document is escaped for each target language (HTML,
//! CSV, DOT, Mermaid, Markdown, JSON-LD) — that is a security property, tested with
//! hostile titles in `tests/export/hostile.yaml`.

pub mod chain;
pub mod csv;
pub mod dot;
pub mod escape;
pub mod html;
pub mod jsonld;
pub mod markdown;
pub mod mermaid;
pub mod notebook;
pub mod report;
pub mod svg;
pub mod text;

use policygraph::{CheckOptions, Coverage, Graph, Programme, Report};

/// What a renderer works from: one analysed programme.
#[derive(Clone, Copy)]
pub struct Input<'a, 'd> {
    /// The programme's graph.
    pub graph: &'a Graph<'d>,
    /// Its findings.
    pub report: &'a Report,
    /// Its coverage.
    pub coverage: &'a Coverage,
    /// The name of the file it came from, for titles and footers (`None` when it did not
    /// come from a file).
    pub source_name: Option<&'a str>,
}

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// One self-contained HTML report (inline CSS and SVG, no script, no network).
    Html,
    /// The results chain as a Graphviz DOT digraph.
    Dot,
    /// The results chain as a Mermaid flowchart.
    Mermaid,
    /// One CSV table per element kind plus the link table.
    Csv,
    /// The report as Markdown.
    Markdown,
    /// The graph as JSON-LD (W3C ORG vocabulary for organisations and networks).
    JsonLd,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Html,
        ExportFormat::Dot,
        ExportFormat::Mermaid,
        ExportFormat::Csv,
        ExportFormat::Markdown,
        ExportFormat::JsonLd,
    ];

    /// The format's name on the command line (`html`, `jsonld`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Html => "html",
            ExportFormat::Dot => "dot",
            ExportFormat::Mermaid => "mermaid",
            ExportFormat::Csv => "csv",
            ExportFormat::Markdown => "markdown",
            ExportFormat::JsonLd => "jsonld",
        }
    }

    /// The usual file extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Html => "html",
            ExportFormat::Dot => "dot",
            ExportFormat::Mermaid => "mmd",
            ExportFormat::Csv => "csv",
            ExportFormat::Markdown => "md",
            ExportFormat::JsonLd => "jsonld",
        }
    }
}

/// One file of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// The file's name (`report.html`, `activity.csv`, `links.csv`).
    pub name: String,
    /// Its content.
    pub content: String,
}

/// Renders a programme in one format. Every format gives one file except CSV, which gives
/// one table per element kind plus `links.csv`.
pub fn export(input: &Input<'_, '_>, format: ExportFormat) -> Vec<ExportFile> {
    let one = |content: String| {
        vec![ExportFile {
            name: format!("{}.{}", stem(input), format.extension()),
            content,
        }]
    };
    match format {
        ExportFormat::Html => one(html::render(input)),
        ExportFormat::Dot => one(dot::render(&chain::ResultsChain::of(input.graph))),
        ExportFormat::Mermaid => one(mermaid::render(&chain::ResultsChain::of(input.graph))),
        ExportFormat::Markdown => one(markdown::render(input)),
        ExportFormat::JsonLd => one(jsonld::render(input.graph)),
        ExportFormat::Csv => csv::tables(input.graph),
    }
}

/// Analyses a programme as `policygraph check` does (its own `settings.rules` apply,
/// findings located) and renders it in one format: the export of a loaded programme in
/// one call, for the command line and the bindings.
pub fn export_programme(programme: &Programme, format: ExportFormat) -> Vec<ExportFile> {
    let (report, coverage) = programme.analyse(&CheckOptions::default());
    programme.with_graph(|graph| {
        let input = Input {
            graph,
            report: &report,
            coverage: &coverage,
            source_name: programme.source().name.as_deref(),
        };
        export(&input, format)
    })
}

impl ExportFormat {
    /// The format with this name (`html`, `markdown` or `md`, `dot`, `mermaid`, `csv`,
    /// `jsonld` or `json-ld`), or a message listing the formats.
    pub fn find(name: &str) -> Result<ExportFormat, String> {
        let norm = name.trim().to_ascii_lowercase();
        let norm = match norm.as_str() {
            "md" => "markdown",
            "json-ld" => "jsonld",
            "mmd" => "mermaid",
            other => other,
        };
        ExportFormat::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == norm)
            .ok_or_else(|| {
                let names: Vec<String> = ExportFormat::ALL
                    .iter()
                    .map(|f| format!("`{}`", f.as_str()))
                    .collect();
                format!(
                    "`{name}` is not an export format (the formats are {})",
                    names.join(", ")
                )
            })
    }
}

/// The programme's id, used to name single-file exports.
fn stem(input: &Input<'_, '_>) -> String {
    input.graph.root().id().to_owned()
}
