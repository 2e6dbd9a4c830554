//! The `policygraph` command line.
//!
//! `args` is the grammar, `commands` one module per command group, `output` the reports
//! for machines and CI, `render` the output for people, `exit` the exit codes.

mod args;
mod commands;
mod exit;
mod findings;
mod output;
mod progress;
mod render;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: loading and freeing a large programme makes millions of small allocations,
/// which it serves and frees several times faster than the system allocator
/// (`cargo xtask bench` measures both, time and peak memory).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let style = render::Style::detect();
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return exit::clap_error(e, &style),
    };
    progress::start();
    let outcome = commands::run(cli.command, &style);
    progress::finish();
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(failure) => failure.exit(&style),
    }
}
