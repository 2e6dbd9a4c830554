//! The `policygraph` command line.

mod render;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use policygraph::{Format, Limits, LoadError, Loaded};

/// Check work programmes for inconsistencies and gaps, and convert them between formats.
#[derive(Parser)]
#[command(name = "policygraph", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load a programme, report its problems and summarise what it holds.
    Check {
        /// The programme file (`.yaml`, `.yml`, `.json` or `.toml`).
        file: PathBuf,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Convert a programme to another format, without loss.
    Convert {
        /// The programme file.
        file: PathBuf,
        /// The format to write.
        #[arg(long, value_enum)]
        to: FormatArg,
        /// Where to write it (standard output when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Print the JSON Schema of programme documents.
    Schema,
}

#[derive(clap::Args)]
struct LimitArgs {
    /// Largest input accepted, in bytes (raise it only for input you trust).
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    max_bytes: usize,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            ..Limits::default()
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Yaml,
    Json,
    Toml,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Yaml => Format::Yaml,
            FormatArg::Json => Format::Json,
            FormatArg::Toml => Format::Toml,
        }
    }
}

/// Exit codes: 0 clean, 1 findings at or above the threshold, 2 a document could not be read.
const EXIT_FINDINGS: u8 = 1;
const EXIT_UNREADABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let style = render::Style::detect();
    match cli.command {
        Command::Check { file, limits } => match load(&file, &limits.limits(), &style) {
            Ok(loaded) => {
                let report = policygraph::check::check_loaded(
                    &loaded,
                    &Default::default(),
                    &limits.limits(),
                );
                let mut out = String::new();
                for d in &report.diagnostics {
                    out.push_str(&render::diagnostic(d, Some(&loaded.source.text), &style));
                }
                out.push_str(&render::summary(&loaded, &style));
                let code = print(&out);
                if report.max_severity() == Some(policygraph::Severity::Error) {
                    ExitCode::from(EXIT_FINDINGS)
                } else {
                    code
                }
            }
            Err(code) => code,
        },
        Command::Convert {
            file,
            to,
            output,
            limits,
        } => match load(&file, &limits.limits(), &style) {
            Ok(loaded) => match policygraph::to_string(&loaded.document, to.into()) {
                Ok(text) => match output {
                    Some(path) => match std::fs::write(&path, text) {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(e) => fail(&format!("cannot write `{}`: {e}", path.display())),
                    },
                    None => print(&text),
                },
                Err(e) => fail(&e.to_string()),
            },
            Err(code) => code,
        },
        Command::Schema => print(&policygraph::schema::document_schema_text()),
    }
}

fn load(
    file: &std::path::Path,
    limits: &Limits,
    style: &render::Style,
) -> Result<Loaded, ExitCode> {
    policygraph::load_path(file, limits).map_err(|LoadError { diagnostics }| {
        let text = std::fs::read_to_string(file).ok();
        let mut err = std::io::stderr().lock();
        for d in &diagnostics {
            let _ = write!(err, "{}", render::diagnostic(d, text.as_deref(), style));
        }
        let _ = writeln!(
            err,
            "{}: `{}` could not be read ({} problem{})",
            style.error("error"),
            file.display(),
            diagnostics.len(),
            if diagnostics.len() == 1 { "" } else { "s" }
        );
        ExitCode::from(EXIT_UNREADABLE)
    })
}

fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // a closed pipe (`| head`) is not an error worth a message
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write the output: {e}")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_FINDINGS.max(EXIT_UNREADABLE))
}
