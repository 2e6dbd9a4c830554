//! `policygraph export FILE --to FORMAT [-o PATH]`: reports, diagrams and data exports.

use std::path::Path;

use policygraph::Limits;
use policygraph_export::ExportFormat;

use crate::exit::{Failure, Outcome};
use crate::render::Style;

pub fn run(
    _file: &Path,
    _to: ExportFormat,
    _output: Option<&Path>,
    _limits: &Limits,
    _style: &Style,
) -> Outcome {
    Err(Failure::new("`export` is being written".to_owned()))
}
