//! `policygraph diff OLD NEW`: what changed between two versions of a programme.

use std::path::Path;

use policygraph::Limits;

use crate::args::DiffFormat;
use crate::exit::{Failure, Outcome};
use crate::render::Style;

pub fn run(
    _old: &Path,
    _new: &Path,
    _format: DiffFormat,
    _limits: &Limits,
    _style: &Style,
) -> Outcome {
    Err(Failure::new("`diff` is being written".to_owned()))
}
