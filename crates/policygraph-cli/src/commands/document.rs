//! `convert`, `schema` and `generate`: documents and their schemas.

use std::path::Path;

use policygraph::{Format, Limits};

use crate::exit::{Failure, Outcome, write_to};
use crate::output;
use crate::render::Style;

pub fn convert(
    file: &Path,
    to: Format,
    output: Option<&Path>,
    limits: &Limits,
    style: &Style,
) -> Outcome {
    let loaded = super::load(file, limits, style)?;
    let text =
        policygraph::to_string(&loaded.document, to).map_err(|e| Failure::new(e.to_string()))?;
    write_to(output, &text)
}

pub fn schema(report: bool) -> Outcome {
    let text = if report {
        output::json::schema_text()
    } else {
        policygraph::schema::document_schema_text()
    };
    write_to(None, &text)
}

pub fn generate(n: usize, seed: u64, output: Option<&Path>, to: Option<Format>) -> Outcome {
    let format = match (to, output) {
        (Some(f), _) => f,
        (None, Some(path)) => Format::from_path(path).unwrap_or(Format::Yaml),
        (None, None) => Format::Yaml,
    };
    policygraph::generate::check_size(n).map_err(Failure::new)?;
    let document = policygraph::generate::generate(n, seed);
    let text =
        policygraph::to_string(&document, format).map_err(|e| Failure::new(e.to_string()))?;
    write_to(output, &text)
}
