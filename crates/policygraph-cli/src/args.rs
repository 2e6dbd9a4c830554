//! The command line's grammar: every command, option and its `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use policygraph::{Format, Limits};

/// Check work programmes for inconsistencies and gaps, report what covers what, and
/// convert them between YAML, JSON and TOML.
#[derive(Parser)]
#[command(name = "policygraph", version, long_about = None)]
#[command(
    after_help = "Colour is used on a terminal only (or where `CLICOLOR_FORCE` is set), and never when `NO_COLOR` is set."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check one programme: its findings, what it holds and how well its work covers its
    /// priorities and indicators.
    #[command(after_help = CHECK_HELP)]
    Check {
        /// The programme file (`.yaml`, `.yml`, `.json` or `.toml`).
        file: PathBuf,
        /// How to show the findings: `human` (each with its source lines and a caret,
        /// then what the programme holds and its coverage) or `concise` (one line each:
        /// `file:line:col: severity CODE/name message`, then the counts).
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        rules: RuleArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Validate many programmes at once, in parallel, for people, machines and CI.
    #[command(after_help = VALIDATE_HELP)]
    Validate {
        /// Files and directories. Below a directory, every `*.yaml`, `*.yml`, `*.json` and
        /// `*.toml` file is validated, recursively, in sorted order; hidden files and
        /// directories (names starting with `.`) and symbolic links to directories are
        /// skipped, and so, with a note, are files with no top-level `format` field (no
        /// programme document at all). Files named here are always validated.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// How to report.
        #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
        format: ValidateFormat,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        rules: RuleArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Report what serves each priority, line of action and indicator, and the work per
    /// year, funding source, partner, network and theme.
    #[command(after_help = COVERAGE_HELP)]
    Coverage {
        /// The programme file.
        file: PathBuf,
        /// How to report.
        #[arg(long, value_enum, default_value_t = CoverageFormat::Table)]
        format: CoverageFormat,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Show the chain through an element: up to the priorities it serves and forward to
    /// the outputs, indicators and outcomes it serves.
    #[command(
        after_help = "Exit codes: 0 done, 2 the document could not be read or `ID` names no element."
    )]
    Trace {
        /// The programme file.
        file: PathBuf,
        /// The id of the element (an activity, a deliverable, a line of action, …).
        id: String,
        /// How to report.
        #[arg(long, value_enum, default_value_t = TextOrJson::Human)]
        format: TextOrJson,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Show what dropping an element (with everything nested in it) would leave
    /// uncovered, unplanned or orphaned, and which references would break.
    #[command(
        after_help = "Exit codes: 0 done, 2 the document could not be read or `ID` names no element."
    )]
    Impact {
        /// The programme file.
        file: PathBuf,
        /// The id of the element to drop.
        id: String,
        /// How to report.
        #[arg(long, value_enum, default_value_t = TextOrJson::Human)]
        format: TextOrJson,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// List the elements that match every filter given.
    #[command(after_help = QUERY_HELP)]
    Query {
        /// The programme file.
        file: PathBuf,
        /// Only elements of this kind (`activity`, `deliverable`, `indicator`,
        /// `line_of_action`, `funding_source`, …; the older spellings `line of action` and
        /// `action` are read too).
        #[arg(long)]
        kind: Option<String>,
        /// Only elements planned in this calendar year.
        #[arg(long)]
        year: Option<i32>,
        /// Only elements funded by this funding source (its id).
        #[arg(long, value_name = "ID")]
        funding: Option<String>,
        /// Only elements serving this priority (its id).
        #[arg(long, value_name = "ID")]
        priority: Option<String>,
        /// Only elements with this status (`new`, `ongoing`, `modernised`, …).
        #[arg(long)]
        status: Option<String>,
        /// Only elements involving this partner (its id).
        #[arg(long, value_name = "ID")]
        partner: Option<String>,
        /// Only elements serving this cross-cutting theme (its id).
        #[arg(long, value_name = "ID")]
        theme: Option<String>,
        /// How to report.
        #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
        format: QueryFormat,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// List the diagnostic codes, or explain one: what it checks, why, and an example.
    Rules {
        /// A code (`PG101`) or name (`unknown-reference`) to explain.
        code: Option<String>,
    },
    /// Write a commented starter programme to fill in.
    #[command(
        after_help = "The starter loads and validates with no finding. A `.json` or `.toml` path writes it in that format (without the comments)."
    )]
    Init {
        /// Where to write it.
        #[arg(default_value = "programme.yaml")]
        path: PathBuf,
        /// Overwrite the file if it exists.
        #[arg(long)]
        force: bool,
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
    /// Print a JSON Schema: of programme documents, or of `validate --format json` reports.
    Schema {
        /// The schema of the report `validate --format json` writes, instead of the
        /// schema of programme documents.
        #[arg(long)]
        report: bool,
    },
    /// Show what changed between two versions of a programme.
    ///
    /// Elements added, removed, renamed and moved; changed timeframes, targets, funding,
    /// deliverables and links; coverage gained or lost.
    #[command(after_help = DIFF_HELP)]
    Diff {
        /// The older version.
        old: PathBuf,
        /// The newer version (any format: YAML, JSON or TOML).
        new: PathBuf,
        /// How to report.
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Export a programme as a report, a diagram or data for other systems.
    #[command(after_help = EXPORT_HELP)]
    Export {
        /// The programme file.
        file: PathBuf,
        /// The format to export to.
        #[arg(long, value_enum)]
        to: ExportTo,
        /// Where to write it (standard output when absent). For `csv`, a directory that
        /// receives one table per element kind plus `links.csv`.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Generate a synthetic programme of about N elements, for tests and benchmarks.
    #[command(
        after_help = "The same size and seed always give the same document. About one element in a hundred carries a realistic gap, so checks have findings to report."
    )]
    Generate {
        /// About how many elements (at least a few dozen, at most 10,000,000).
        n: usize,
        /// The seed of the pseudo-random choices.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Where to write it (standard output when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The format to write (by default the output file's extension, else YAML).
        #[arg(long, value_enum)]
        to: Option<FormatArg>,
    },
}

const CHECK_HELP: &str = "\
When the findings take more lines than a screen (the terminal's height, or 50 lines in a
pipe), the summary line comes first as well as last. Messages wrap to the terminal's
width on a terminal only. A document that takes more than a second shows its stage on
standard error, on a terminal only and never when `CI` is set.

Exit codes:
  0  no finding at or above the threshold
  1  findings at or above the threshold: errors, or warnings too with `--deny warnings`
  2  a document could not be read, or the command line is wrong";

const DIFF_HELP: &str = "\
Exit codes: 0 the versions are equal (they may differ in formatting, key order or file
format), 1 they differ, 2 a version could not be read.";

const EXPORT_HELP: &str = "\
Formats:
  html      one self-contained report (summary, findings, coverage, targets against
            plans, timeline, results-chain diagram as inline SVG); opens offline
  dot       the results chain as a Graphviz digraph
  mermaid   the results chain as a Mermaid flowchart
  csv       one table per element kind plus links.csv (needs `-o DIR`, or prints every
            table to standard output, each after a `# file: NAME` line)
  markdown  the report as Markdown
  jsonld    the graph as JSON-LD (W3C ORG vocabulary for organisations and networks)

CSV is RFC 4180 (UTF-8, CRLF); a text cell starting with = + - @ is prefixed with '
so spreadsheets do not run it. The CSV columns and the JSON-LD vocabulary are documented
in docs/exports.md.

Exit codes: 0 written (findings do not matter), 2 the document could not be read or the
output not written.";

/// `diff --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// For people, grouped by priorities, activities and targets.
    Human,
    /// The diff as JSON data.
    Json,
    /// Markdown, for a pull request or a wiki.
    Markdown,
}

/// `export --to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportTo {
    /// Self-contained HTML report.
    Html,
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
    /// CSV tables.
    Csv,
    /// Markdown report.
    Markdown,
    /// JSON-LD.
    Jsonld,
}

impl From<ExportTo> for policygraph_export::ExportFormat {
    fn from(to: ExportTo) -> Self {
        use policygraph_export::ExportFormat as F;
        match to {
            ExportTo::Html => F::Html,
            ExportTo::Dot => F::Dot,
            ExportTo::Mermaid => F::Mermaid,
            ExportTo::Csv => F::Csv,
            ExportTo::Markdown => F::Markdown,
            ExportTo::Jsonld => F::JsonLd,
        }
    }
}

const VALIDATE_HELP: &str = "\
Formats:
  human   each finding with its source line and a caret under the offending value, then
          a summary line
  concise one line a finding (`file:line:col: severity CODE/name message`), then the
          summary line
  json    one report: {\"version\": 1, \"files\": [{\"path\", \"format\", \"status\":
          \"ok\"|\"findings\"|\"unreadable\", \"diagnostics\": [...]}], \"summary\": {\"files\",
          \"ok\", \"findings\", \"unreadable\", \"errors\", \"warnings\", \"infos\"}};
          its JSON Schema is printed by `policygraph schema --report`
  sarif   SARIF 2.1.0, for GitHub code scanning and other SARIF viewers; paths are
          relative to the root of the git repository holding the current directory
  github  GitHub Actions workflow commands (`::error file=…,line=…::…`), one per finding

`--sort`, `--statistics` and `--max-findings` apply to `human` and `concise`. When the
findings take more lines than a screen (the terminal's height, or 50 lines in a pipe),
the summary line comes first as well as last.

A progress bar is shown on standard error, on a terminal only and never when `CI` is
set, for batches of more than 20 files and for a document that takes more than a
second.

Exit codes:
  0  no finding at or above the threshold
  1  findings at or above the threshold: errors, or warnings too with `--deny warnings`
  2  a document could not be read (the others are still reported), or the command
     line is wrong";

const COVERAGE_HELP: &str = "\
Formats:
  table     aligned plain text, for terminals
  markdown  Markdown tables
  json      the whole coverage as one JSON object
  csv       one row per line of action (sub-lines included), in document order, with the
            columns:
              priority      the id of the priority the line belongs to
              line          the id of the line of action
              title         its title
              covered       `true` when an activity addresses it, directly or through
                            one of its sub-lines; else `false`
              activities    the ids of the activities addressing it directly, separated
                            by spaces
              deliverables  the ids of those activities' deliverables (their
                            sub-activities' included), separated by spaces
            A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
            leading `'`, so spreadsheets do not run it as a formula.

Exit codes: 0 done, 2 the document could not be read.";

const QUERY_HELP: &str = "\
Filters combine with \"and\". What they mean for each kind of element:
  --year      an activity whose timeframe (own or inherited) touches the year; a
              deliverable or milestone due in it; an indicator whose target date falls
              in it; a review dated in it
  --funding   an activity funded by the source (or by its parent's list when it has
              none), and its deliverables and milestones
  --priority  the priority, its lines of action, the activities addressing them and
              their deliverables and milestones
  --status    an activity with the status (or its parent's), and its deliverables and
              milestones
  --partner   an activity it leads, takes part in or puts effort into; a deliverable or
              line of action naming it; a network including it
  --theme     an activity serving the theme (or whose parent does); a focus point naming it

Formats: `table` (id, kind, title, timeframe, status, funding), `json` (every field of
every element), `csv` (columns id, kind, title, parent, timeframe, status, funding,
pointer; cells that could start a formula get a leading `'`).

Exit codes: 0 done (even when nothing matches), 2 the document could not be read, or a
filter names an unknown kind or id.";

/// Bounds on input.
#[derive(Args)]
pub struct LimitArgs {
    /// Largest input accepted, in bytes (raise it only for input you trust).
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    pub max_bytes: usize,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            ..Limits::default()
        }
    }
}

/// Which findings count, and at which level.
#[derive(Args)]
pub struct RuleArgs {
    /// `warnings`: count warnings as failures (exit 1). A rule's code or name: report it
    /// as an error. Repeatable.
    #[arg(long, value_name = "warnings|CODE")]
    pub deny: Vec<String>,
    /// Switch a rule off, by code (`PG202`) or name (`orphan-element`). Repeatable.
    #[arg(long, value_name = "CODE")]
    pub allow: Vec<String>,
    /// Report a rule as a warning, by code or name. Repeatable. When one rule is named
    /// by several flags, `--deny` wins over `--warn`, which wins over `--allow`.
    #[arg(long, value_name = "CODE")]
    pub warn: Vec<String>,
}

/// How `check` and `validate` list the findings for people.
#[derive(Args)]
pub struct ListArgs {
    /// The order of the findings: `file` (by file, line and column), `severity` (errors
    /// first) or `code`; the file's own order when absent.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort: Option<SortBy>,
    /// Instead of the findings, how many there are of each code, most frequent first.
    #[arg(long)]
    pub statistics: bool,
    /// Show at most N findings (after sorting), then a line saying how many were left
    /// out. The counts and the exit code still count them all.
    #[arg(long, value_name = "N")]
    pub max_findings: Option<usize>,
}

impl ListArgs {
    /// The first of the options given, for a report that takes none of them.
    pub fn given(&self) -> Option<&'static str> {
        if self.sort.is_some() {
            Some("--sort")
        } else if self.statistics {
            Some("--statistics")
        } else if self.max_findings.is_some() {
            Some("--max-findings")
        } else {
            None
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    /// Errors first, then warnings, then info.
    Severity,
    /// By file, then line and column.
    File,
    /// By code.
    Code,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Concise,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CoverageFormat {
    Table,
    Markdown,
    Json,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
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
