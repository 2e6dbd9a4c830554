//! One module per command group; shared loading and rule options.

mod check;
mod coverage;
mod diff;
mod document;
mod export;
mod init;
mod query;
mod rules;
mod trace;
mod validate;

use std::path::Path;

use policygraph::check::{RuleSelection, SelectorNames};
use policygraph::{Code, Diagnostic, Limits, LoadError, Loaded};

use crate::args::{Command, RuleArgs};
use crate::exit::{Failure, Outcome};
use crate::render::{self, Style};

/// Runs a command; the exit code on success, or a one-line failure.
pub fn run(command: Command, style: &Style) -> Outcome {
    match command {
        Command::Check {
            file,
            format,
            list,
            rules,
            limits,
        } => check::run(&file, format, &list, &rules, &limits.limits(), style),
        Command::Validate {
            paths,
            format,
            list,
            rules,
            limits,
        } => validate::run(&paths, format, &list, &rules, &limits.limits(), style),
        Command::Coverage {
            file,
            format,
            limits,
        } => coverage::run(&file, format, &limits.limits(), style),
        Command::Trace {
            file,
            id,
            format,
            limits,
        } => trace::run_trace(&file, &id, format, &limits.limits(), style),
        Command::Impact {
            file,
            id,
            format,
            limits,
        } => trace::run_impact(&file, &id, format, &limits.limits(), style),
        Command::Query {
            file,
            kind,
            year,
            funding,
            priority,
            status,
            partner,
            theme,
            format,
            limits,
        } => {
            let filters = query::Filters {
                kind,
                year,
                funding,
                priority,
                status,
                partner,
                theme,
            };
            query::run(&file, filters, format, &limits.limits(), style)
        }
        Command::Rules { code } => rules::run(code.as_deref()),
        Command::Init { path, force } => init::run(&path, force),
        Command::Convert {
            file,
            to,
            output,
            limits,
        } => document::convert(&file, to.into(), output.as_deref(), &limits.limits(), style),
        Command::Diff {
            old,
            new,
            format,
            limits,
        } => diff::run(&old, &new, format, &limits.limits(), style),
        Command::Export {
            file,
            to,
            output,
            limits,
        } => export::run(&file, to.into(), output.as_deref(), &limits.limits(), style),
        Command::Schema { report } => document::schema(report),
        Command::Generate {
            n,
            seed,
            output,
            to,
        } => document::generate(n, seed, output.as_deref(), to.map(Into::into)),
    }
}

/// Loads a programme. When it cannot be read, its problems go to standard error (with
/// the source line and a caret where they have a place) and the failure says which file.
pub fn load(path: &Path, limits: &Limits, style: &Style) -> Result<Loaded, Failure> {
    crate::progress::stage(format!("loading `{}`", path.display()));
    read_input(path, limits).map_err(|(diagnostics, text)| {
        if let Some(line) = one_line(&diagnostics) {
            return Failure::new(line);
        }
        let text = text.or_else(|| std::fs::read_to_string(path).ok());
        let mut err = String::new();
        for d in &diagnostics {
            err.push_str(&render::diagnostic(d, text.as_deref(), style));
        }
        crate::exit::eprint_safe(&err);
        Failure::new(format!(
            "`{}` could not be read ({})",
            path.display(),
            render::count(diagnostics.len(), "problem", "problems")
        ))
    })
}

/// Whether a path names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The name standard input goes by in messages and reports.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads a programme from a file, or from standard input for `-` (at most the size
/// limit is read; the format is told from the text). A failure gives the problems and,
/// for standard input, the text they are in (a file can be read again to show them).
pub fn read_input(
    path: &Path,
    limits: &Limits,
) -> Result<Loaded, (Vec<Diagnostic>, Option<String>)> {
    if !is_stdin(path) {
        return policygraph::load_path(path, limits).map_err(|e| (e.diagnostics, None));
    }
    use std::io::Read as _;
    let cap = u64::try_from(limits.max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().take(cap).read_to_end(&mut bytes) {
        let d = Diagnostic::new(
            Code::Unreadable,
            "",
            format!("cannot read standard input: {}", crate::exit::io_reason(&e)),
        )
        .with_help("check what is piped in");
        return Err((vec![d], None));
    }
    let text = policygraph::load::text_of_bytes(bytes, Some(STDIN_NAME), limits)
        .map_err(|e| (e.diagnostics, None))?;
    let format = policygraph::Format::sniff(&text);
    let source = policygraph::Source::new(Some(STDIN_NAME.to_owned()), format, text);
    match policygraph::parse_source(&source, limits) {
        Ok(document) => Ok(Loaded { document, source }),
        Err(LoadError { diagnostics }) => Err((diagnostics, Some(source.text))),
    }
}

/// A load failure that is about the file as a whole (missing, unreadable, too large, of
/// no known format) says all there is to say in one line.
pub fn one_line(diagnostics: &[Diagnostic]) -> Option<String> {
    match diagnostics {
        [d] if d.code == Code::Unreadable && d.location.as_ref().is_none_or(|l| l.offset == 0) => {
            Some(d.message.clone())
        }
        // a limit of the whole input (its size); one exceeded at a place (depth,
        // aliases) is shown at that place
        [d] if d.code == Code::LimitExceeded
            && d.pointer.is_empty()
            && d.location
                .as_ref()
                .is_none_or(|l| l.offset == 0 && l.length == 0) =>
        {
            Some(match &d.help {
                Some(help) => format!("{}: {help}", d.message),
                None => d.message.clone(),
            })
        }
        _ => None,
    }
}

/// What `--deny`, `--allow` and `--warn` ask for (read by the core, which the bindings
/// share).
pub type Threshold = RuleSelection;

impl RuleArgs {
    pub fn threshold(&self) -> Result<Threshold, Failure> {
        RuleSelection::new(&self.allow, &self.warn, &self.deny, SelectorNames::FLAGS)
            .map_err(|e| Failure::new(e.message))
    }
}
