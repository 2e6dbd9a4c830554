//! `policygraph init [PATH]`: a commented starter programme.

use std::io::Write;
use std::path::Path;

use policygraph::Format;

use crate::exit::{CLEAN, Failure, Outcome, io_reason, print};

/// The starter programme. It loads and validates with no finding (a test makes sure).
pub const STARTER: &str = include_str!("../starter.yaml");

pub fn run(path: &Path, force: bool) -> Outcome {
    let format = Format::from_path(path).ok_or_else(|| {
        Failure::new(format!(
            "cannot tell the format of `{}` from its extension (name it `.yaml`, `.yml`, `.json` or `.toml`)",
            path.display()
        ))
    })?;
    let text = match format {
        Format::Yaml => STARTER.to_owned(),
        other => {
            let doc = policygraph::parse_str(STARTER, Format::Yaml)
                .map_err(|e| Failure::new(format!("the starter programme is broken: {e}")))?;
            policygraph::to_string(&doc, other).map_err(|e| Failure::new(e.to_string()))?
        }
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        // never overwrite, even if the file appears between a check and the write
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Failure::new(format!(
                "`{}` already exists (pass `--force` to overwrite it)",
                path.display()
            ))
        } else {
            Failure::new(format!(
                "cannot write `{}`: {}",
                path.display(),
                io_reason(&e)
            ))
        }
    })?;
    file.write_all(text.as_bytes()).map_err(|e| {
        Failure::new(format!(
            "cannot write `{}`: {}",
            path.display(),
            io_reason(&e)
        ))
    })?;
    print(&format!(
        "wrote a starter programme to `{p}`; check it with `policygraph check {p}`\n",
        p = path.display()
    ))?;
    Ok(CLEAN)
}
