//! Reports for machines and CI (JSON, SARIF, GitHub annotations) and the tables, CSV
//! and Markdown that several commands share.

pub mod github;
pub mod json;
pub mod paths;
pub mod sarif;
pub mod table;

use policygraph::{Diagnostic, Format, Severity};

/// What became of one file of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Read, and nothing to report.
    Ok,
    /// Read, with findings.
    Findings,
    /// Could not be read.
    Unreadable,
}

/// One validated file.
pub struct Checked {
    /// The path as given, or as found below a directory given.
    pub shown: String,
    /// The path relative to the root of the repository, `/`-separated (for SARIF and
    /// GitHub).
    pub repo_path: String,
    /// The format its extension names.
    pub format: Option<Format>,
    pub status: Status,
    /// Its findings, or the problems that kept it from being read.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each line of its source starts, when a report needs end positions.
    pub lines: Option<LineIndex>,
    /// Each finding rendered in full for people, when the report is `human`.
    pub rendered: Vec<String>,
    /// For people: why the file could not be read, after its problems.
    pub note: Option<String>,
}

/// Counts over a batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub ok: usize,
    pub findings: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Totals {
    pub fn of(results: &[Checked]) -> Totals {
        let mut t = Totals {
            files: results.len(),
            ..Totals::default()
        };
        for r in results {
            match r.status {
                Status::Ok => t.ok += 1,
                Status::Findings => t.findings += 1,
                Status::Unreadable => t.unreadable += 1,
            }
            for d in &r.diagnostics {
                match d.severity {
                    Severity::Error => t.errors += 1,
                    Severity::Warning => t.warnings += 1,
                    Severity::Info => t.infos += 1,
                }
            }
        }
        t
    }
}

/// The byte offsets where the lines of a text start, to turn offsets into lines and
/// columns.
pub struct LineIndex {
    starts: Vec<usize>,
    text: String,
}

impl LineIndex {
    pub fn new(text: String) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts, text }
    }

    /// The line (from 1) and column (from 1, in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|s| *s <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line, column + 1)
    }
}
