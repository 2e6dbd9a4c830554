//! Exit codes, one-line errors and writing output.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::render::Style;

/// No finding at or above the threshold.
pub const CLEAN: u8 = 0;
/// Findings at or above the threshold.
pub const FINDINGS: u8 = 1;
/// A document could not be read, or the command line is wrong.
pub const FAILURE: u8 = 2;

/// A command that could not do its job: reported as one line, `error: …`, exit 2.
#[derive(Debug)]
pub struct Failure {
    message: String,
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
        }
    }

    pub fn exit(self, style: &Style) -> ExitCode {
        eprint_safe(&format!("{}: {}\n", style.error("error"), self.message));
        ExitCode::from(FAILURE)
    }
}

pub type Outcome = Result<u8, Failure>;

/// Writes text to standard output. A closed pipe (`| head`) is not an error.
pub fn print(text: &str) -> Outcome {
    use std::io::IsTerminal;
    crate::progress::finish();
    let mut out = std::io::stdout().lock();
    // on a terminal, nothing from a document may act as a control sequence; into a pipe
    // or a file the bytes go unchanged
    let text = if out.is_terminal() || crate::render::colour_forced() {
        crate::render::terminal_safe(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(CLEAN),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(CLEAN),
        Err(e) => Err(Failure::new(format!("cannot write the output: {e}"))),
    }
}

/// Writes text to standard error, made safe for a terminal when it is one.
pub fn eprint_safe(text: &str) {
    use std::io::IsTerminal;
    crate::progress::finish();
    let mut err = std::io::stderr().lock();
    let text = if err.is_terminal() || crate::render::colour_forced() {
        crate::render::terminal_safe(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let _ = err.write_all(text.as_bytes());
}

/// Writes text to a file, or to standard output when there is none.
pub fn write_to(path: Option<&Path>, text: &str) -> Outcome {
    match path {
        Some(path) => std::fs::write(path, text).map(|()| CLEAN).map_err(|e| {
            Failure::new(format!(
                "cannot write `{}`: {}",
                path.display(),
                io_reason(&e)
            ))
        }),
        None => print(text),
    }
}

/// An I/O error in words, lowercase, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s).to_owned();
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => s,
    }
}

/// Reports a command-line error in one line (help and version go out as usual).
pub fn clap_error(e: clap::Error, style: &Style) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { FAILURE } else { CLEAN });
        }
        _ => {}
    }
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let list = |kind| match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let quoted = |v: &[String]| {
        v.iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let arg = text(ContextKind::InvalidArg).map(|a| {
        // `--format <FORMAT>` → `--format`
        a.split(' ').next().unwrap_or(&a).to_owned()
    });
    let message = match (e.kind(), arg) {
        (ErrorKind::InvalidValue, Some(arg)) => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            let valid = list(ContextKind::ValidValue);
            if value.is_empty() {
                format!("`{arg}` needs a value")
            } else if valid.is_empty() {
                format!("`{value}` is not a valid value for `{arg}`")
            } else {
                format!(
                    "`{value}` is not a valid value for `{arg}` (expected one of {})",
                    quoted(&valid)
                )
            }
        }
        (ErrorKind::ValueValidation, Some(arg)) => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            format!("`{value}` is not a valid value for `{arg}`")
        }
        (ErrorKind::UnknownArgument, _) => {
            let given = text(ContextKind::InvalidArg).unwrap_or_default();
            match text(ContextKind::SuggestedArg) {
                Some(s) => format!("unknown option `{given}` (did you mean `{s}`?)"),
                None => format!("unknown option `{given}`"),
            }
        }
        (ErrorKind::InvalidSubcommand, _) => {
            let given = text(ContextKind::InvalidSubcommand).unwrap_or_default();
            let command = <crate::args::Cli as clap::CommandFactory>::command();
            let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
            let near = policygraph::diagnostic::did_you_mean(&given, names.iter().copied())
                .map(str::to_owned)
                .or_else(|| text(ContextKind::SuggestedSubcommand));
            match near {
                Some(s) => format!("unknown command `{given}` (did you mean `{s}`?)"),
                None => {
                    format!("unknown command `{given}` (run `policygraph --help` to list them)")
                }
            }
        }
        (ErrorKind::MissingRequiredArgument, _) => {
            let missing = list(ContextKind::InvalidArg);
            match e.get(ContextKind::Usage) {
                Some(ContextValue::StyledStr(usage)) => {
                    let usage = usage.to_string();
                    let usage = usage.trim().trim_start_matches("Usage:").trim();
                    format!("missing {} (usage: `{usage}`)", quoted(&missing))
                }
                _ => format!("missing {}", quoted(&missing)),
            }
        }
        _ => {
            // clap's own first line, without its `error: ` prefix
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid command line");
            first.trim_start_matches("error: ").to_owned()
        }
    };
    eprint_safe(&format!("{}: {message}\n", style.error("error")));
    ExitCode::from(FAILURE)
}
