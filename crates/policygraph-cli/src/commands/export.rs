//! `policygraph export FILE --to FORMAT [-o PATH]`: reports, diagrams and data exports.
//!
//! The programme is analysed as `check` analyses it (its own `settings.rules` apply) so
//! that reports can show findings and coverage, but exporting is not checking: the exit
//! code is 0 whatever the findings. Without `-o` the export goes to standard output
//! (CSV: every table after a `# file: NAME` line); with `-o PATH` it is written to PATH,
//! for CSV a directory (created if missing) that receives one file per table.

use std::path::Path;

use policygraph::{Limits, Programme};
use policygraph_export::{ExportFile, ExportFormat};

use crate::exit::{CLEAN, Failure, Outcome, io_reason, print, write_to};
use crate::render::Style;

pub fn run(
    file: &Path,
    to: ExportFormat,
    output: Option<&Path>,
    limits: &Limits,
    style: &Style,
) -> Outcome {
    let loaded = super::load(file, limits, style)?;
    let programme = Programme::from_loaded(loaded, limits);
    let files = policygraph_export::export_programme(&programme, to);
    match (to, output) {
        (ExportFormat::Csv, None) => print(&with_file_lines(&files)),
        (ExportFormat::Csv, Some(dir)) => write_dir(dir, &files),
        (_, output) => {
            let text: String = files.into_iter().map(|f| f.content).collect();
            write_to(output, &text)
        }
    }
}

/// Every file after a `# file: NAME` line, for standard output.
fn with_file_lines(files: &[ExportFile]) -> String {
    let mut out = String::new();
    for f in files {
        out.push_str("# file: ");
        out.push_str(&f.name);
        out.push('\n');
        out.push_str(&f.content);
    }
    out
}

/// Writes each file into a directory, created if missing.
fn write_dir(dir: &Path, files: &[ExportFile]) -> Outcome {
    let cannot = |path: &Path, e: std::io::Error| {
        Failure::new(format!(
            "cannot write `{}`: {}",
            path.display(),
            io_reason(&e)
        ))
    };
    std::fs::create_dir_all(dir).map_err(|e| cannot(dir, e))?;
    for f in files {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.content).map_err(|e| cannot(&path, e))?;
    }
    Ok(CLEAN)
}
