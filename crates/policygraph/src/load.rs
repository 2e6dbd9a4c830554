//! Reading and writing documents in YAML, JSON and TOML.
//!
//! Loading takes a fast path first: the text is deserialized straight into the model.
//! Only when that fails is the text parsed again into a located tree, checked against
//! the published JSON Schema, and every structural problem reported at once, each with
//! its line, column, JSON Pointer and, for a misspelt field, the nearest valid name.
//! Input size, nesting depth and YAML alias expansion are bounded.

use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde::Deserialize as _;
use serde_json::Value;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Location, did_you_mean, escape_token};
use crate::format::Format;
use crate::model::{self, Document};
use crate::source::{Node, Source, Span, TreeError, parse_tree};

/// Bounds on untrusted input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes (default 64 MiB).
    pub max_bytes: usize,
    /// Deepest nesting of mappings and lists accepted, counted the same way in every
    /// format (the document's top mapping is 1, each mapping or list inside one more):
    /// default 128, which is also the most JSON's parser reads, room for sub-activities
    /// 60 deep. TOML's parser reads no more than 80 levels of inline arrays and tables
    /// whatever this says.
    pub max_depth: usize,
    /// Most YAML nodes accepted, counting those that aliases expand to (default 20 million).
    pub max_nodes: usize,
    /// Most YAML aliases accepted (default 10,000).
    pub max_aliases: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 20_000_000,
            max_aliases: 10_000,
        }
    }
}

impl Limits {
    /// Bounds scaled for a trusted, very large document (benchmarks, generated programmes):
    /// 4 GiB and 100 million nodes, depth as usual.
    pub fn large() -> Limits {
        Limits {
            max_bytes: 4 * 1024 * 1024 * 1024,
            max_nodes: 100_000_000,
            ..Limits::default()
        }
    }
}

/// A document could not be read: every problem found, each located.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}", summary(.diagnostics))]
pub struct LoadError {
    /// The problems, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    match diagnostics {
        [] => "the document could not be read".to_owned(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

impl LoadError {
    fn one(d: Diagnostic) -> LoadError {
        LoadError {
            diagnostics: vec![d],
        }
    }
}

/// A document together with the source it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// The document.
    pub document: Document,
    /// Its source text.
    pub source: Source,
}

/// Parses a document from text in the given format, with default limits.
pub fn parse_str(text: &str, format: Format) -> Result<Document, LoadError> {
    parse_text(None, format, text, &Limits::default())
}

/// Parses a document from bytes (UTF-8) in the given format. The bytes are not copied:
/// once this returns, the caller may drop them (a copy is made only to explain a
/// document that fails to load).
pub fn parse_bytes(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document, LoadError> {
    let text = utf8(bytes, None)?;
    parse_text(None, format, text, limits)
}

/// Parses borrowed text; the located source is built only when the document is broken.
fn parse_text(
    name: Option<&str>,
    format: Format,
    text: &str,
    limits: &Limits,
) -> Result<Document, LoadError> {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SIZE, || {
        parse_fast(name, format, text, limits).or_else(|failure| {
            failure.explain(limits, || {
                Source::new(name.map(str::to_owned), format, text.to_owned())
            })
        })
    })
}

/// Why the fast path failed: a bound checked before parsing, or the parser's error.
enum Failure {
    Early(LoadError),
    Fast(FastError),
}

impl Failure {
    /// The failure as every located problem; the source (built only when needed) is
    /// parsed again to explain a parser error. When the document's value is valid after
    /// all (the fast path refuses a few YAML spellings that are text by YAML 1.2's core
    /// schema, such as `1_000`), the document read from that value.
    fn explain<S: std::borrow::Borrow<Source>>(
        self,
        limits: &Limits,
        source: impl FnOnce() -> S,
    ) -> Result<Document, LoadError> {
        match self {
            Failure::Early(e) => Err(e),
            Failure::Fast(fast) => diagnose(source().borrow(), limits, &fast)
                .map_err(|diagnostics| LoadError { diagnostics }),
        }
    }
}

fn utf8<'a>(bytes: &'a [u8], name: Option<&str>) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = Source::new(
            name.map(str::to_owned),
            Format::Json,
            String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
        )
        .location_at(e.valid_up_to(), 1);
        LoadError::one(
            Diagnostic::new(Code::Unreadable, "", "the text is not valid UTF-8")
                .at(Some(at))
                .with_help("save the file as UTF-8"),
        )
    })
}

/// Reads a document from a file, choosing the format by its extension.
pub fn load_path(path: &Path, limits: &Limits) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let unreadable = |message: String, help: &str| {
        LoadError::one(
            Diagnostic::new(Code::Unreadable, "", message)
                .at(Some(Location {
                    file: Some(name.clone()),
                    line: 1,
                    column: 1,
                    offset: 0,
                    length: 0,
                }))
                .with_help(help),
        )
    };
    let Some(format) = Format::from_path(path) else {
        return Err(unreadable(
            format!("cannot tell the format of `{name}` from its extension"),
            "name the file `.yaml`, `.yml`, `.json` or `.toml`",
        ));
    };
    let file = open_regular(path).map_err(|e| {
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        unreadable(
            format!("cannot open `{name}`: {}", io_reason(&e)),
            if link {
                "the symbolic link leads to no file: check where it points"
            } else {
                "check the path"
            },
        )
    })?;
    let meta = file.metadata().map_err(|e| {
        unreadable(
            format!("cannot read `{name}`: {}", io_reason(&e)),
            "check the file",
        )
    })?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "a pipe, socket or device"
        };
        return Err(unreadable(
            format!("`{name}` is {what}, not a regular file that can be read as a document"),
            "name a regular file, or `-` to read standard input where the command takes it",
        ));
    }
    if meta.len() > u64::try_from(limits.max_bytes).unwrap_or(u64::MAX) {
        return Err(too_large(Some(&name), limits));
    }
    let mut bytes = Vec::new();
    let cap = u64::try_from(limits.max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    file.take(cap).read_to_end(&mut bytes).map_err(|e| {
        unreadable(
            format!("cannot read `{name}`: {}", io_reason(&e)),
            "check the file",
        )
    })?;
    if bytes.len() > limits.max_bytes {
        return Err(too_large(Some(&name), limits));
    }
    utf8(&bytes, Some(&name))?;
    // checked above: this takes the bytes over without copying them
    let text = String::from_utf8(bytes).unwrap_or_default();
    let source = Source::new(Some(name), format, text);
    let document = parse_source(&source, limits)?;
    Ok(Loaded { document, source })
}

/// Opens a path for reading without waiting on it: a FIFO opened for reading blocks
/// until a writer comes, so it is opened non-blocking (and then refused, as what is not
/// a regular file is).
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Takes bytes as a document's text: refused when larger than the limit (before they
/// are decoded) or when they are not UTF-8 (located at the first bad byte).
pub fn text_of_bytes(
    bytes: Vec<u8>,
    name: Option<&str>,
    limits: &Limits,
) -> Result<String, LoadError> {
    if bytes.len() > limits.max_bytes {
        return Err(too_large(name, limits));
    }
    utf8(&bytes, name)?;
    // checked above: this takes the bytes over without copying them
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s).to_owned();
    lowercase_first(&s)
}

fn too_large(name: Option<&str>, limits: &Limits) -> LoadError {
    LoadError::one(
        Diagnostic::new(
            Code::LimitExceeded,
            "",
            format!("the input is larger than the limit of {} bytes", limits.max_bytes),
        )
        .at(Some(Location { file: name.map(str::to_owned), line: 1, column: 1, offset: 0, length: 0 }))
        .with_help("split the programme into smaller files, or raise the limit for input you trust (`--max-bytes` on the command line, `max_bytes=` in Python)"),
    )
}

/// Stack that parsing is guaranteed to have: nesting up to the depth limit recurses,
/// and a caller's thread may have a small stack (2 MiB for Rust threads, less elsewhere).
const STACK_RED_ZONE: usize = 8 * 1024 * 1024;
const STACK_SIZE: usize = 32 * 1024 * 1024;

/// The stack of a thread that parses many documents: enough that parsing never needs
/// the stack it would otherwise map (and unmap) for every document.
pub(crate) const PARSING_THREAD_STACK: usize = STACK_RED_ZONE + STACK_SIZE;

/// Parses a source. On failure, every structural problem is reported.
pub fn parse_source(source: &Source, limits: &Limits) -> Result<Document, LoadError> {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SIZE, || {
        parse_source_on_stack(source, limits)
    })
}

fn parse_source_on_stack(source: &Source, limits: &Limits) -> Result<Document, LoadError> {
    parse_fast(source.name.as_deref(), source.format, &source.text, limits)
        .or_else(|failure| failure.explain(limits, || source))
}

/// The fast path: the typed parse, with nothing located.
fn parse_fast(
    name: Option<&str>,
    format: Format,
    text: &str,
    limits: &Limits,
) -> Result<Document, Failure> {
    if text.len() > limits.max_bytes {
        return Err(Failure::Early(too_large(name, limits)));
    }
    match format {
        Format::Json => {
            if limits.max_depth < JSON_PARSER_DEPTH {
                check_depth(name, Format::Json, text, limits).map_err(Failure::Early)?;
            }
            // a byte order mark is not JSON, but editors write one: it is read as the
            // YAML and TOML readers read it
            let body = text.strip_prefix('\u{feff}').unwrap_or(text);
            // structs from mappings only, as the schema says (serde would take a list)
            let mut reader = serde_json::Deserializer::from_str(body);
            Document::deserialize(crate::strict::Strict(&mut reader))
                .and_then(|d| reader.end().map(|()| d))
                .map_err(FastError::Json)
        }
        Format::Yaml => {
            let _amounts_as_text = model::ReadingYaml::start(text);
            serde_saphyr::from_str_with_options::<Document>(
                text,
                yaml_options(limits, false, text.len()),
            )
            .map_err(FastError::Yaml)
        }
        Format::Toml => {
            check_depth(name, Format::Toml, text, limits).map_err(Failure::Early)?;
            toml_document(name, text, limits).map_err(Failure::Early)?
        }
    }
    .map_err(Failure::Fast)
}

/// Fields whose values are amounts (exact decimals).
const AMOUNT_FIELDS: [&str; 6] = [
    "total",
    "amount",
    "person_months",
    "quantity",
    "baseline",
    "target",
];

/// Reads a TOML document, its amounts from the text they are written in: a float that
/// a binary double would round is read exactly from its text, and one that no exact
/// decimal holds (too many digits, `nan`, `inf`) is refused where it is written.
fn toml_document(
    name: Option<&str>,
    text: &str,
    limits: &Limits,
) -> Result<Result<Document, FastError>, LoadError> {
    let mut table = match toml::de::DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => return Ok(Err(FastError::Toml(e))),
    };
    // nesting counted as in YAML and JSON: table headers nest as much as brackets do
    if let Some(at) = toml_too_deep(table.get_ref(), 1, limits.max_depth) {
        let source = Source::new(name.map(str::to_owned), Format::Toml, text.to_owned());
        return Err(too_deep(source.location_at(at, 1), limits.max_depth));
    }
    let mut refused = Vec::new();
    exact_toml_amounts(table.get_mut(), "", &mut refused);
    if !refused.is_empty() {
        let source = Source::new(name.map(str::to_owned), Format::Toml, text.to_owned());
        let mut diagnostics: Vec<Diagnostic> = refused
            .into_iter()
            .map(|(pointer, span, message, help)| {
                Diagnostic::new(Code::InvalidValue, pointer, message)
                    .at(Some(Location {
                        file: source.name.clone(),
                        line: 0,
                        column: 0,
                        offset: span.start,
                        length: span.len(),
                    }))
                    .with_help(help)
            })
            .collect();
        source.settle_locations(&mut diagnostics);
        diagnostics.sort_by_key(|d| d.location.as_ref().map(|l| l.offset));
        return Err(LoadError { diagnostics });
    }
    Ok(
        Document::deserialize(crate::strict::Strict(toml::de::Deserializer::from(table)))
            .map_err(FastError::Toml),
    )
}

/// The help of a TOML amount that no exact decimal holds as written.
const QUOTE_AMOUNT: &str = "write the amount in quotes as an exact decimal, such as `total = \"1250000.50\"`, with at most 28 digits after the point";

fn exact_toml_amounts(
    table: &mut toml::de::DeTable<'_>,
    pointer: &str,
    refused: &mut Vec<(String, std::ops::Range<usize>, String, &'static str)>,
) {
    for (key, value) in table.iter_mut() {
        let at = format!("{pointer}/{}", escape_token(key.get_ref()));
        let amount = AMOUNT_FIELDS.contains(&key.get_ref().as_ref());
        exact_toml_value(value, &at, amount, refused);
    }
}

fn exact_toml_value(
    value: &mut toml::Spanned<toml::de::DeValue<'_>>,
    pointer: &str,
    amount: bool,
    refused: &mut Vec<(String, std::ops::Range<usize>, String, &'static str)>,
) {
    use toml::de::DeValue;
    let span = value.span();
    match value.get_mut() {
        DeValue::Table(t) => exact_toml_amounts(t, pointer, refused),
        DeValue::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                exact_toml_value(item, &format!("{pointer}/{i}"), false, refused);
            }
        }
        DeValue::Float(f) if amount => {
            let written = f.as_str().replace('_', "");
            match model::Amount::from_number_text(&written) {
                // the decimal text goes to the amount as written; a double would round it
                Ok(exact) => {
                    *value.get_mut() = DeValue::String(exact.0.to_string().into());
                }
                Err(message) => refused.push((pointer.to_owned(), span, message, QUOTE_AMOUNT)),
            }
        }
        DeValue::Integer(i) if amount => {
            if let Err(message) = toml_integer_amount(i) {
                refused.push((pointer.to_owned(), span, message, QUOTE_AMOUNT));
            }
        }
        // past a 64-bit integer the reader hands the digits over as text, which a text
        // field would take: a number is no text, however large
        // (TOML's integers are 64-bit signed)
        DeValue::Integer(i)
            if i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).is_err() =>
        {
            refused.push((
                pointer.to_owned(),
                span,
                format!("`{}` is a number too large to read here", i.as_str()),
                "write a number that fits here, or put the text in quotes",
            ));
        }
        _ => {}
    }
}

/// Where a TOML document first nests deeper than `max` (`depth` is the level of
/// `table`), if it does; the walk goes no deeper than that.
fn toml_too_deep(table: &toml::de::DeTable<'_>, depth: usize, max: usize) -> Option<usize> {
    fn value(v: &toml::Spanned<toml::de::DeValue<'_>>, depth: usize, max: usize) -> Option<usize> {
        use toml::de::DeValue;
        match v.get_ref() {
            DeValue::Table(_) | DeValue::Array(_) if depth > max => Some(v.span().start),
            DeValue::Table(t) => toml_too_deep(t, depth, max),
            DeValue::Array(items) => items.iter().find_map(|i| value(i, depth + 1, max)),
            _ => None,
        }
    }
    table.iter().find_map(|(_, v)| value(v, depth + 1, max))
}

/// The most JSON's parser reads (serde_json's recursion limit).
const JSON_PARSER_DEPTH: usize = 128;

/// TOML's parser reads no deeper (toml's recursion limit, for inline arrays and tables
/// and for the parts of a dotted key).
const TOML_PARSER_DEPTH: usize = 80;

fn too_deep(at: Location, max: usize) -> LoadError {
    LoadError::one(
        Diagnostic::new(
            Code::LimitExceeded,
            "",
            format!("the document nests deeper than the limit of {max}"),
        )
        .at(Some(at))
        .with_help("flatten the nesting"),
    )
}

/// A TOML integer as an amount: refused when no exact decimal holds it.
fn toml_integer_amount(i: &toml::de::DeInteger<'_>) -> Result<(), String> {
    let text = i.as_str().replace('_', "");
    match i.radix() {
        10 => model::Amount::from_number_text(&text).map(|_| ()),
        // the digits after the `0x`, `0o` or `0b`
        r => i128::from_str_radix(&text, r)
            .ok()
            .and_then(|v| rust_decimal::Decimal::try_from_i128_with_scale(v, 0).ok())
            .map(|_| ())
            .ok_or_else(|| format!("`{text}` has more digits than an exact decimal holds")),
    }
}

/// Counts brackets outside strings and comments, before parsing: TOML's parser has no
/// depth bound of its own that gives a place (inline arrays and tables are the way to
/// nest deeply there), and JSON's stops at 128 whatever the limit is.
fn check_depth(
    name: Option<&str>,
    format: Format,
    text: &str,
    limits: &Limits,
) -> Result<(), LoadError> {
    let toml = format == Format::Toml;
    let max = if toml {
        limits.max_depth.min(TOML_PARSER_DEPTH - 1)
    } else {
        limits.max_depth
    };
    let bytes = text.as_bytes();
    let mut i = 0usize;
    // a TOML document's top table is a level of its own, as a JSON document's `{` is
    let mut depth = usize::from(toml);
    let mut quote: Option<&[u8]> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' && q[0] == b'"' {
                i += 2;
                continue;
            }
            if bytes[i..].starts_with(q) {
                i += q.len();
                if q.len() == 3 {
                    // a multi-line string may end with one or two quotes of its own
                    // before its closing three (`"""x""""`)
                    let mut extra = 0;
                    while extra < 2 && bytes.get(i) == Some(&q[0]) {
                        i += 1;
                        extra += 1;
                    }
                }
                quote = None;
                continue;
            }
            i += 1;
            continue;
        }
        match b {
            b'#' if toml => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' if toml || b == b'"' => {
                let triple: &[u8] = if b == b'"' { b"\"\"\"" } else { b"'''" };
                let single: &[u8] = if b == b'"' { b"\"" } else { b"'" };
                let q = if toml && bytes[i..].starts_with(triple) {
                    triple
                } else {
                    single
                };
                i += q.len();
                quote = Some(q);
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    let source = Source::new(name.map(str::to_owned), format, text.to_owned());
                    let mut e = too_deep(source.location_at(i, 1), max);
                    if max < limits.max_depth
                        && let Some(d) = e.diagnostics.first_mut()
                    {
                        d.message = format!(
                            "the document nests deeper than TOML's parser reads ({max} levels of inline arrays and tables)"
                        );
                        d.help = Some(
                            "write the nested tables as `[table]` headers, or flatten the nesting"
                                .to_owned(),
                        );
                    }
                    return Err(e);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

enum FastError {
    Json(serde_json::Error),
    Yaml(serde_saphyr::Error),
    Toml(toml::de::Error),
}

/// The events aliases may replay in all: as many as the input has bytes (an alias
/// repeats at most what the text spells out once; amplification beyond that is what
/// alias bombs do), at least `ALIAS_FLOOR`, at most `max_nodes` and 10 million.
pub(crate) fn alias_budget(limits: &Limits, input_len: usize) -> usize {
    input_len
        .max(ALIAS_FLOOR)
        .min(limits.max_nodes)
        .min(10_000_000)
}

/// Replayed events any document may have, however short.
const ALIAS_FLOOR: usize = 20_000;

pub(crate) fn yaml_options(limits: &Limits, tree: bool, input_len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_nodes = limits.max_nodes;
    budget.max_events = limits.max_nodes.saturating_mul(2);
    budget.max_aliases = limits.max_aliases;
    budget.max_total_scalar_bytes = limits.max_bytes;
    budget.max_reader_input_bytes = Some(limits.max_bytes);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options.alias_limits.max_total_replayed_events = alias_budget(limits, input_len);
    // plain scalars resolve by the YAML 1.2 core schema, the JSON data model the published
    // schema speaks of: `yes`/`on` are text, `1_000` is text, and a plain `7`, `5.0` or
    // `true` is a number or a boolean, never silently taken as the text a field wants
    // (`id: 7` is a wrong type, as it is in JSON and TOML)
    options.strict_booleans = true;
    options.underscored_numbers_as_strings = true;
    options.no_schema = true;
    // tags a programme has no use for (`!foo`) are refused, not silently dropped
    options.reject_unsupported_tags = true;
    if tree {
        // the located tree keeps every key so that duplicates can all be reported
        options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
        // a number too large for a double is kept for the schema to judge (the model
        // has refused it already, as an amount no exact decimal holds)
        options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
    }
    options
}

pub(crate) fn yaml_tree_error(e: &serde_saphyr::Error) -> TreeError {
    let span = e.location().map(|loc| {
        let s = loc.span();
        Span {
            offset: s.byte_offset().and_then(|o| usize::try_from(o).ok()),
            length: s
                .byte_len()
                .and_then(|l| usize::try_from(l).ok())
                .unwrap_or(0),
            line: usize::try_from(loc.line()).unwrap_or(0),
            column: usize::try_from(loc.column()).unwrap_or(0),
        }
    });
    let mut inner = e;
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = inner
    {
        inner = error;
    }
    use serde_saphyr::budget::BudgetBreach as B;
    let limit_message = match inner {
        serde_saphyr::Error::Budget { breach, .. } => Some(match breach {
            B::Depth { .. } => "the document nests deeper than the depth limit".to_owned(),
            B::Nodes { .. } | B::Events { .. } => {
                "the document has more nodes than the limit".to_owned()
            }
            B::ScalarBytes { .. } => "the document's text is larger than the limit".to_owned(),
            _ => "the document's aliases expand beyond the safety bound".to_owned(),
        }),
        serde_saphyr::Error::AliasReplayLimitExceeded { .. }
        | serde_saphyr::Error::AliasExpansionLimitExceeded { .. }
        | serde_saphyr::Error::AliasReplayStackDepthExceeded { .. }
        | serde_saphyr::Error::AliasReplayCounterOverflow { .. } => {
            Some("the document's aliases expand beyond the safety bound".to_owned())
        }
        _ => None,
    };
    match limit_message {
        Some(message) => TreeError {
            message,
            span,
            limit: true,
        },
        None => {
            let raw = e.to_string();
            let message = plain_message(&raw);
            if raw.contains("recursion limit") || raw.contains("nesting limit") {
                TreeError {
                    message: "the document nests deeper than the depth limit".to_owned(),
                    span,
                    limit: true,
                }
            } else {
                TreeError {
                    message,
                    span,
                    limit: false,
                }
            }
        }
    }
}

/// A library's message made to follow our conventions: first line only, no location
/// suffix, lowercase start, no final period, and in the user's words (see
/// [`in_user_words`]).
fn plain_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or("").trim();
    let first = first.split(" at line ").next().unwrap_or(first);
    let first = first.trim_end_matches('.');
    in_user_words(&lowercase_first(first))
}

/// Parser wording rewritten for people who write programmes: (what the parser says,
/// what we say). Matched as the start of the message, or anywhere for a `*` suffix.
const REWRITES: &[(&str, &str)] = &[
    // serde_json
    (
        "EOF while parsing a value",
        "the text ends where a value should be",
    ),
    (
        "EOF while parsing a string",
        "the text ends inside a quoted string: a closing `\"` is missing",
    ),
    (
        "EOF while parsing an object",
        "the text ends inside a mapping: a closing `}` is missing",
    ),
    (
        "EOF while parsing a list",
        "the text ends inside a list: a closing `]` is missing",
    ),
    ("EOF while parsing", "the text ends too early"),
    ("expected value", "a value is expected here"),
    (
        "expected ident",
        "a value is expected here (`true`, `false`, `null`, a number, or text in quotes)",
    ),
    (
        "trailing characters",
        "more text follows the end of the document",
    ),
    ("trailing comma", "a comma with nothing after it"),
    ("key must be a string", "a key must be text in quotes"),
    (
        "invalid escape",
        "an escape sequence that is not valid JSON",
    ),
    (
        "invalid unicode code point",
        "an escape that names no character",
    ),
    (
        "lone leading surrogate in hex escape",
        "an escape that names half a character",
    ),
    (
        "control character (\\u0000-\\u001F) found while parsing a string",
        "a control character inside a quoted string: write it as an escape such as `\\n`",
    ),
    ("number out of range", "a number too large to read"),
    ("invalid number", "a malformed number"),
    // serde-saphyr
    (
        "use from_str_multiple or from_str_multiple_with_options",
        "the text holds more than one YAML document (`---`): a programme is one document",
    ),
    (
        "multiple YAML documents*",
        "the text holds more than one YAML document (`---`): a programme is one document",
    ),
    (
        "recursive references require weak recursion types",
        "an alias refers to a node that contains it: a programme cannot contain itself",
    ),
    (
        "cannot deserialize tagged scalar into string",
        "a tagged value (such as `!!binary` or `!!int`) where text is expected: remove the tag",
    ),
    (
        "non-finite float*",
        "a number that is not finite (`.inf`, `.nan`): an amount is an exact decimal",
    ),
    (
        "invalid u8*",
        "a number that is not a whole number in range here",
    ),
    (
        "invalid u16*",
        "a number that is not a whole number in range here",
    ),
    (
        "invalid u32*",
        "a number that is not a whole number in range here",
    ),
    (
        "invalid u64*",
        "a number that is not a whole number in range here",
    ),
    (
        "invalid u128*",
        "a number that is not a whole number in range here",
    ),
    (
        "invalid i8*",
        "a number that is not a whole number in range here",
    ),
    (
        "invalid i16*",
        "a number that is not a whole number in range here",
    ),
    (
        "invalid i32*",
        "a number that is not a whole number in range here",
    ),
    (
        "invalid i64*",
        "a number that is not a whole number in range here",
    ),
    (
        "invalid i128*",
        "a number that is not a whole number in range here",
    ),
    ("invalid floating point*", "a malformed number"),
    // toml
    (
        "non-double-quote visible characters*",
        "a character that cannot stand inside this quoted string (a control character, or an unescaped `\"`)",
    ),
    (
        "non-single-quote visible characters*",
        "a character that cannot stand inside this literal string (a control character, or a `'`)",
    ),
    (
        "invalid mantissa*",
        "a malformed number: digits are expected",
    ),
    (
        "integer number overflowed",
        "a whole number too large to read: write an amount in quotes",
    ),
    (
        "floating-point number overflowed",
        "a number too large to read: write an amount in quotes",
    ),
    (
        "recursion limit",
        "the document nests deeper than the parser reads",
    ),
];

/// Words for the types a deserializer names in "expected …" and "invalid type: …".
const TYPE_WORDS: &[(&str, &str)] = &[
    ("a string", "text"),
    ("a borrowed string", "text"),
    ("string", "text"),
    ("a sequence", "a list"),
    ("sequence", "a list"),
    ("a map", "a mapping"),
    ("map", "a mapping"),
    ("a boolean", "true or false"),
    ("boolean", "true or false"),
    ("unit value", "nothing"),
    ("unit", "nothing"),
    ("null", "nothing"),
    ("floating point", "a number"),
    ("integer", "a whole number"),
    ("a character", "one character"),
    ("char", "one character"),
    ("bool", "true or false"),
    ("f32", "a number"),
    ("f64", "a number"),
    ("u8", "a whole number from 0 to 255"),
    ("u16", "a whole number from 0 to 65535"),
    ("u32", "a whole number from 0 to 4294967295"),
    ("u64", "a whole number from 0"),
    ("u128", "a whole number from 0"),
    ("usize", "a whole number from 0"),
    ("i8", "a whole number"),
    ("i16", "a whole number"),
    ("i32", "a whole number from -2147483648 to 2147483647"),
    ("i64", "a whole number"),
    ("i128", "a whole number"),
    ("isize", "a whole number"),
];

/// A message in the user's words: known parser phrases rewritten (`REWRITES`), and in
/// what is left no Rust type names (`u64`, `struct Activity`, `a sequence`): those of
/// `TYPE_WORDS`, and `struct …`, `enum …`, `newtype …`, `tuple …` become what a
/// document writer calls them.
pub(crate) fn in_user_words(message: &str) -> String {
    // the YAML scanner quotes the character TeX-style, `` `x' ``
    if let Some(c) = message
        .strip_prefix("unexpected character: `")
        .and_then(|rest| rest.strip_suffix('\''))
    {
        return format!(
            "an unexpected character `{c}`: remove it, or put the text it is in in quotes"
        );
    }
    for (said, ours) in REWRITES {
        let hit = match said.strip_suffix('*') {
            Some(prefix) => message.to_lowercase().contains(&prefix.to_lowercase()),
            None => message.to_lowercase().starts_with(&said.to_lowercase()),
        };
        if hit {
            // what the parser says after a colon (the value it saw) is kept
            return (*ours).to_owned();
        }
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while !rest.is_empty() {
        // words outside backticks are rewritten; quoted user input is kept as it is
        if let Some(stripped) = rest.strip_prefix('`') {
            let end = stripped.find('`').map_or(stripped.len(), |e| e + 1);
            out.push('`');
            out.push_str(&stripped[..end.min(stripped.len())]);
            rest = &stripped[end.min(stripped.len())..];
            continue;
        }
        let end = rest.find('`').unwrap_or(rest.len());
        out.push_str(&type_words(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// Rust type names in a stretch of text (no backticks) as words.
fn type_words(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let tokens: Vec<&str> = text.split(' ').collect();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let (core, tail) = split_punct(t);
        if matches!(core, "struct" | "enum" | "newtype" | "tuple" | "variant")
            && let Some(next) = tokens.get(i + 1)
            && split_punct(next)
                .0
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        {
            let (_, next_tail) = split_punct(next);
            words.push(
                match core {
                    "enum" | "variant" => "one of the allowed values",
                    "tuple" => "a list",
                    _ => "a mapping",
                }
                .to_owned()
                    + next_tail,
            );
            i += 2;
            continue;
        }
        // "a string" / "a sequence" / "unit value": two words
        if let Some(next) = tokens.get(i + 1) {
            let (next_core, next_tail) = split_punct(next);
            let pair = format!("{core} {next_core}");
            if tail.is_empty()
                && let Some((_, ours)) = TYPE_WORDS.iter().find(|(w, _)| *w == pair)
            {
                words.push(format!("{ours}{next_tail}"));
                i += 2;
                continue;
            }
        }
        match TYPE_WORDS.iter().find(|(w, _)| *w == core) {
            Some((_, ours)) if !core.is_empty() => words.push(format!("{ours}{tail}")),
            _ => words.push(t.to_owned()),
        }
        i += 1;
    }
    words.join(" ")
}

/// A token and the punctuation after it (`u64,` → `u64`, `,`).
fn split_punct(t: &str) -> (&str, &str) {
    let end = t.trim_end_matches([',', ';', ':', ')', '.']).len();
    t.split_at(end)
}

fn lowercase_first(s: &str) -> String {
    // an acronym (`EOF`, `TOML`, `UTF-8`) keeps its capitals
    let first_word = s.split([' ', ':', ',']).next().unwrap_or("");
    if first_word.len() > 1
        && first_word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
    {
        return s.to_owned();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn diagnose(
    source: &Source,
    limits: &Limits,
    fast: &FastError,
) -> Result<Document, Vec<Diagnostic>> {
    // JSON syntax errors are best told by the JSON parser itself
    if let FastError::Json(e) = fast
        && !matches!(e.classify(), serde_json::error::Category::Data)
    {
        let limit = e.to_string().contains("recursion limit");
        let message = plain_message(&e.to_string());
        return Err(vec![
            Diagnostic::new(
                if limit {
                    Code::LimitExceeded
                } else {
                    Code::Syntax
                },
                "",
                if limit {
                    "the document nests deeper than the limit of 128".to_owned()
                } else {
                    format!("the text is not valid JSON: {message}")
                },
            )
            .at(Some(json_error_location(source, e)))
            .with_help(if limit {
                "flatten the nesting"
            } else {
                "fix the JSON syntax at this place"
            }),
        ]);
    }
    let tree = match parse_tree(source, limits) {
        Ok(tree) => tree,
        Err(TreeError {
            message,
            span,
            limit,
        }) => {
            let code = if limit {
                Code::LimitExceeded
            } else {
                Code::Syntax
            };
            let message = if limit || source.format == Format::Json {
                in_user_words(&message)
            } else {
                let message = in_user_words(&lowercase_first(&message));
                format!(
                    "the text is not valid {}: {message}",
                    source.format.name().to_uppercase()
                )
            };
            let help = if limit {
                "this input exceeds a bound set for untrusted documents; simplify it (fewer aliases, less nesting)"
            } else {
                "fix the syntax at this place"
            };
            return Err(vec![
                Diagnostic::new(code, "", message)
                    .at(span
                        .map(|s| s.location(source))
                        .or_else(|| Some(source.location_at(0, 0))))
                    .with_help(help),
            ]);
        }
    };
    let mut out = Vec::new();
    for (pointer, first, second) in tree.duplicate_keys() {
        let mut d = Diagnostic::new(
            Code::DuplicateKey,
            format!("{pointer}/{}", escape_token(&second.name)),
            format!("the key `{}` appears twice in this mapping", second.name),
        )
        .at(Some(second.span.pending(source)))
        .with_help("remove one of the two; only the last one would count")
        .with_related(
            "first written here",
            format!("{pointer}/{}", escape_token(&first.name)),
        );
        if let Some(r) = d.related.last_mut() {
            r.location = Some(first.span.pending(source));
        }
        out.push(d);
    }
    let value = tree.to_value();
    if let Some(validator) = validator() {
        let schema = schema_value();
        for error in validator.iter_errors(&value) {
            explain(&error, schema, &tree, source, &mut out);
        }
    }
    let mut fast_said = fast_error_diagnostic(source, fast);
    if let Some(l) = &fast_said.location {
        fast_said.pointer = tree.pointer_at(l.offset);
    }
    if out.is_empty()
        && !fast_said.message.contains("exact decimal")
        && let Ok(document) = Document::deserialize(&value)
    {
        // the schema accepts the document's value: the model reads it from that value
        // (a YAML plain scalar that is text by the core schema, `1_000`, is refused by
        // the fast path but is text here)
        return Ok(document);
    }
    // the JSON parser places an error at the end of the value, the others at its start
    let at = fast_said.location.as_ref().map_or(usize::MAX, |l| l.offset);
    let covers = |d: &Diagnostic| {
        d.location
            .as_ref()
            .is_some_and(|l| l.offset <= at && at <= l.offset + l.length)
    };
    if fast_said.message.contains("exact decimal") {
        // an amount no exact decimal holds, which the schema cannot always tell (a
        // binary double has rounded the number it sees): the model's words, at the
        // schema's place and pointer when it saw a problem there too
        match out.iter_mut().find(|d| covers(d)) {
            Some(d) => {
                d.message = fast_said.message;
                d.help = fast_said.help;
            }
            None => out.push(fast_said),
        }
    } else if out.is_empty() {
        // the schema accepts it but the model does not. A timeframe the grammar takes
        // but the loader refuses (a range that ends before it starts) is reported
        // wherever it is, each on its part; else what the model said
        let mut timeframes = Vec::new();
        timeframe_problems(&value, &mut String::new(), &tree, source, &mut timeframes);
        if timeframes.is_empty() {
            out.push(fast_said);
        } else {
            out.extend(timeframes);
        }
    }
    source.settle_locations(&mut out);
    out.sort_by_key(|d| d.location.as_ref().map_or((0, 0), |l| (l.line, l.column)));
    out.dedup_by(|a, b| a.code == b.code && a.pointer == b.pointer && a.message == b.message);
    Err(out)
}

/// The fields whose values are timeframes.
const TIMEFRAME_FIELDS: [&str; 7] = [
    "period",
    "timeframe",
    "due",
    "recurrence",
    "target_date",
    "participation",
    "date",
];

/// Every timeframe string in a value that the loader cannot read, each problem placed on
/// the part of the text at fault.
fn timeframe_problems(
    value: &Value,
    pointer: &mut String,
    tree: &Node,
    source: &Source,
    out: &mut Vec<Diagnostic>,
) {
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                pointer.push('/');
                pointer.push_str(&escape_token(key));
                match v {
                    Value::String(text) if TIMEFRAME_FIELDS.contains(&key.as_str()) => {
                        let whole = locate(tree, pointer, source);
                        for e in model::Timeframe::errors(text) {
                            let at = match (e.part(), whole.clone()) {
                                (Some(part), Some(loc)) => Some(narrow(loc, source, text, part)),
                                (_, loc) => loc,
                            };
                            out.push(
                                Diagnostic::new(
                                    Code::InvalidValue,
                                    pointer.as_str(),
                                    e.to_string(),
                                )
                                .at(at)
                                .with_help(model::TIMEFRAME_FORMS),
                            );
                        }
                    }
                    _ => timeframe_problems(v, pointer, tree, source, out),
                }
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                timeframe_problems(v, pointer, tree, source, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Every reason a timeframe written as a mapping cannot be read, each on the key or the
/// value at fault (the mapping itself when a part is missing or one too many).
fn timeframe_mapping(
    map: &serde_json::Map<String, Value>,
    pointer: &str,
    tree: &Node,
    source: &Source,
    out: &mut Vec<Diagnostic>,
) {
    let whole = locate(tree, pointer, source);
    let mut problems = model::mapping_problems(map);
    if problems.is_empty() {
        // the schema refused what the model reads: say so rather than nothing
        problems.push(model::MappingProblem {
            key: None,
            on_value: false,
            message: format!(
                "`{}` is not a timeframe",
                shown(&Value::Object(map.clone()))
            ),
        });
    }
    for p in problems {
        let (at, location) = match &p.key {
            None => (pointer.to_owned(), whole.clone()),
            Some(key) => {
                let at = format!("{pointer}/{}", escape_token(key));
                let location = if p.on_value {
                    locate(tree, &at, source)
                } else {
                    tree.find(&at)
                        .and_then(|(_, key)| key)
                        .map(|k| k.span.pending(source))
                };
                (at, location.or_else(|| whole.clone()))
            }
        };
        out.push(
            Diagnostic::new(Code::InvalidValue, &at, p.message)
                .at(location)
                .with_help(model::TIMEFRAME_FORMS),
        );
    }
}

/// Where a JSON parser error is, in the text as given (the parser did not see its byte
/// order mark, a character of the first line).
fn json_error_location(source: &Source, e: &serde_json::Error) -> Location {
    let bom = usize::from(source.text.starts_with('\u{feff}') && e.line() == 1);
    source.location_of_line_column(e.line(), e.column() + bom)
}

fn fast_error_diagnostic(source: &Source, fast: &FastError) -> Diagnostic {
    let (message, location) = match fast {
        FastError::Json(e) => (e.to_string(), Some(json_error_location(source, e))),
        FastError::Yaml(e) => (
            e.to_string(),
            e.location().map(|l| {
                source.location_of_line_column(
                    usize::try_from(l.line()).unwrap_or(0),
                    usize::try_from(l.column()).unwrap_or(0),
                )
            }),
        ),
        FastError::Toml(e) => (
            e.message().to_owned(),
            e.span().map(|r| source.location_at(r.start, r.len())),
        ),
    };
    let message = plain_message(&message);
    let help = if message.contains("exact decimal") {
        "write the amount in quotes as an exact decimal, such as `\"1250000.50\"`, with at most 28 digits after the point"
    } else {
        "correct the value at this place"
    };
    Diagnostic::new(Code::InvalidValue, "", message)
        .at(location)
        .with_help(help)
}

fn schema_value() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(crate::schema::document_schema)
}

fn validator() -> Option<&'static Validator> {
    static VALIDATOR: OnceLock<Option<Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            jsonschema::options()
                .should_validate_formats(true)
                .build(schema_value())
                .ok()
        })
        .as_ref()
}

/// The place of a pointer, its line and column given later for all at once
/// ([`Source::settle_locations`]): locating each alone would scan the text each time.
fn locate(tree: &Node, pointer: &str, source: &Source) -> Option<Location> {
    Some(tree.nearest(pointer).span.pending(source))
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true or false",
        Value::Number(n) if n.is_i64() || n.is_u64() => "a whole number",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn type_name(kind: &TypeKind) -> Vec<&'static str> {
    use jsonschema::JsonType as P;
    let name = |p: &P| match p {
        P::Array => "a list",
        P::Boolean => "true or false",
        P::Integer => "a whole number",
        P::Null => "nothing",
        P::Number => "a number",
        P::Object => "a mapping",
        P::String => "text",
    };
    match kind {
        TypeKind::Single(p) => vec![name(p)],
        TypeKind::Multiple(set) => set.into_iter().map(|p| name(&p)).collect(),
    }
}

/// A mapping or list for a message, written out in one line (shortened past 60
/// characters): `{at_least: 2, at_most: 5}`.
fn compact(v: &Value) -> String {
    let text = match v {
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}: {}", compact(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(compact).collect::<Vec<_>>().join(", ")
            )
        }
        other => shown(other),
    };
    short(&text)
}

fn shown(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Array(_) => "[…]".to_owned(),
        Value::Object(_) => "{…}".to_owned(),
        other => other.to_string(),
    };
    short(&text)
}

/// A value's text for a message: its first 60 characters (`…` after them when there are
/// more), backticks made quotes so that it stays inside its own.
fn short(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short.replace('`', "'")
}

/// What a type error is about, for its message and its help: the field (`` `title` ``,
/// "write `title` as text"), or an item of a list (`` item 2 of `activities` ``, "write
/// each item of `activities` as a mapping").
fn typed_subject(pointer: &str) -> (String, String) {
    let tokens = crate::diagnostic::pointer_tokens(pointer);
    let field = field_name(pointer);
    match tokens.last().and_then(|t| t.parse::<usize>().ok()) {
        Some(i) => (
            format!("item {} of `{field}`", i.saturating_add(1)),
            format!("each item of `{field}`"),
        ),
        None => (format!("`{field}`"), format!("`{field}`")),
    }
}

fn field_name(pointer: &str) -> String {
    crate::diagnostic::pointer_tokens(pointer)
        .into_iter()
        .rev()
        .find(|t| t.parse::<usize>().is_err())
        .unwrap_or_else(|| "document".to_owned())
}

/// Turns one schema error into diagnostics, descending into the branch of an
/// `anyOf`/`oneOf` the value was evidently meant to match.
fn explain(
    error: &ValidationError<'_>,
    schema: &Value,
    tree: &Node,
    source: &Source,
    out: &mut Vec<Diagnostic>,
) {
    let pointer = error.instance_path().as_str().to_owned();
    let instance = error.instance().as_ref();
    match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let same_place = |e: &ValidationError<'_>| e.instance_path().as_str() == pointer;
            let shallow = |e: &ValidationError<'_>| {
                same_place(e)
                    && matches!(
                        e.kind(),
                        ValidationErrorKind::Type { .. }
                            | ValidationErrorKind::Constant { .. }
                            | ValidationErrorKind::Enum { .. }
                    )
            };
            let candidates: Vec<&Vec<ValidationError<'static>>> = context
                .iter()
                .filter(|branch| !branch.iter().all(&shallow))
                .collect();
            if let [only] = candidates.as_slice() {
                for e in only.iter() {
                    explain(e, schema, tree, source, out);
                }
                return;
            }
            let mut allowed: Vec<String> = Vec::new();
            let mut types: Vec<&'static str> = Vec::new();
            for e in context.iter().flatten().filter(|e| same_place(e)) {
                match e.kind() {
                    ValidationErrorKind::Constant { expected_value } => {
                        allowed.push(shown(expected_value));
                    }
                    ValidationErrorKind::Enum { options } => {
                        if let Value::Array(items) = options.as_ref() {
                            allowed.extend(items.iter().map(shown));
                        }
                    }
                    ValidationErrorKind::Type { kind } => types.extend(type_name(kind)),
                    _ => {}
                }
            }
            types.dedup();
            let field = field_name(&pointer);
            if let Value::Object(map) = instance
                && TIMEFRAME_FIELDS.contains(&field.as_str())
            {
                timeframe_mapping(map, &pointer, tree, source, out);
                return;
            }
            if field == "target" && (instance.is_object() || instance.is_array()) {
                out.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        &pointer,
                        format!(
                            "`{}` is not a target: {}",
                            compact(instance),
                            model::TARGET_FORMS
                        ),
                    )
                    .at(locate(tree, &pointer, source))
                    .with_help("write the value to reach, or one bound: `at_least` or `at_most`"),
                );
                return;
            }
            let d = if !allowed.is_empty() && candidates.is_empty() && instance.is_string() {
                let given = shown(instance);
                // a deliverable's kind of its own is a mapping: say so beside the names
                let own = if types.contains(&"a mapping") && field == "kind" {
                    ", or `{other: LABEL}` for a kind of its own"
                } else {
                    ""
                };
                let help = match did_you_mean(&given, allowed.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("use one of {}{own}", list(&allowed)),
                };
                Diagnostic::new(
                    Code::InvalidValue,
                    &pointer,
                    format!("`{given}` is not a known value for `{field}`"),
                )
                .with_help(help)
            } else if candidates.is_empty() && !types.is_empty() {
                let mut types_sorted = types.clone();
                types_sorted.sort_unstable();
                types_sorted.dedup();
                let (what, each) = typed_subject(&pointer);
                Diagnostic::new(
                    Code::WrongType,
                    &pointer,
                    format!(
                        "{what} should be {}, not {} `{}`",
                        types_sorted.join(" or "),
                        json_type(instance),
                        shown(instance)
                    ),
                )
                .with_help(format!("write {each} as {}", types_sorted.join(" or ")))
            } else {
                Diagnostic::new(
                    Code::InvalidValue,
                    &pointer,
                    format!("`{}` is not a valid value for `{field}`", shown(instance)),
                )
                .with_help("see the schema for the forms this field takes")
            };
            out.push(d.at(locate(tree, &pointer, source)));
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed = allowed_properties(schema, error.schema_path().as_str());
            for name in unexpected {
                let field_pointer = format!("{pointer}/{}", escape_token(name));
                let location = tree
                    .find(&field_pointer)
                    .and_then(|(_, key)| key)
                    .map(|k| k.span.pending(source))
                    .or_else(|| locate(tree, &pointer, source));
                let help = match did_you_mean(name, allowed.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if allowed.is_empty() => "remove it".to_owned(),
                    None => format!("remove it, or use one of {}", list(&allowed)),
                };
                out.push(
                    Diagnostic::new(
                        Code::UnknownField,
                        field_pointer,
                        format!("unknown field `{name}`"),
                    )
                    .at(location)
                    .with_help(help),
                );
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Code::MissingField,
                    &pointer,
                    format!("missing field `{name}`"),
                )
                .at(locate(tree, &pointer, source))
                .with_help(format!("add `{name}`")),
            );
        }
        ValidationErrorKind::Type { kind } => {
            let expected = type_name(kind).join(" or ");
            let (what, each) = typed_subject(&pointer);
            out.push(
                Diagnostic::new(
                    Code::WrongType,
                    &pointer,
                    format!(
                        "{what} should be {expected}, not {} `{}`",
                        json_type(instance),
                        shown(instance)
                    ),
                )
                .at(locate(tree, &pointer, source))
                .with_help(format!("write {each} as {expected}")),
            );
        }
        ValidationErrorKind::Format { format } => {
            let text = instance.as_str().unwrap_or_default();
            let message = match format.as_str() {
                "date" => model::Date::parse(text).err().map(|e| e.to_string()),
                _ => None,
            }
            .unwrap_or_else(|| format!("`{}` is not a valid {format}", shown(instance)));
            out.push(
                Diagnostic::new(Code::InvalidValue, &pointer, message)
                    .at(locate(tree, &pointer, source))
                    .with_help("write a real calendar date as `YYYY-MM-DD`"),
            );
        }
        ValidationErrorKind::Pattern { pattern } if pattern == model::TIMEFRAME_PATTERN => {
            // every problem the timeframe has (each impossible day), each placed on the
            // part of the text at fault
            let text = instance.as_str().unwrap_or_default();
            let errors = model::Timeframe::errors(text);
            let whole = locate(tree, &pointer, source);
            if errors.is_empty() {
                out.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        &pointer,
                        format!("`{text}` is not a timeframe"),
                    )
                    .at(whole.clone())
                    .with_help(model::TIMEFRAME_FORMS),
                );
            }
            for e in errors {
                let at = match (e.part(), whole.clone()) {
                    (Some(part), Some(loc)) => Some(narrow(loc, source, text, part)),
                    (_, loc) => loc,
                };
                out.push(
                    Diagnostic::new(Code::InvalidValue, &pointer, e.to_string())
                        .at(at)
                        .with_help(model::TIMEFRAME_FORMS),
                );
            }
        }
        ValidationErrorKind::Pattern { pattern } => {
            let text = instance.as_str().unwrap_or_default();
            let (message, help) = explain_pattern(pattern, text);
            out.push(
                Diagnostic::new(Code::InvalidValue, &pointer, message)
                    .at(locate(tree, &pointer, source))
                    .with_help(help),
            );
        }
        ValidationErrorKind::Constant { expected_value } => {
            let field = field_name(&pointer);
            out.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    &pointer,
                    format!(
                        "`{}` is not the expected value for `{field}`",
                        shown(instance)
                    ),
                )
                .at(locate(tree, &pointer, source))
                .with_help(format!("write `{field}: {}`", shown(expected_value))),
            );
        }
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::Maximum { limit } => {
            let field = field_name(&pointer);
            let (low, high) = range_around(schema, error.schema_path().as_str(), limit);
            out.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    &pointer,
                    format!(
                        "`{}` is out of range for `{field}`: it takes {low} to {high}",
                        shown(instance)
                    ),
                )
                .at(locate(tree, &pointer, source))
                .with_help(format!("write `{field}` as a number from {low} to {high}")),
            );
        }
        ValidationErrorKind::MinLength { .. } => {
            let field = field_name(&pointer);
            out.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    &pointer,
                    format!("`{field}` must not be empty"),
                )
                .at(locate(tree, &pointer, source))
                .with_help(format!("give `{field}` a value, or leave it out")),
            );
        }
        _ => {
            out.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    &pointer,
                    plain_message(&error.to_string()),
                )
                .at(locate(tree, &pointer, source))
                .with_help("see the schema for what this field takes"),
            );
        }
    }
}

/// A value's location narrowed to the bytes `part` of its text, when the text stands in
/// the source as it is (plain or between quotes, with nothing escaped); else the whole
/// value's location.
fn narrow(whole: Location, source: &Source, text: &str, part: std::ops::Range<usize>) -> Location {
    let written = source
        .text
        .get(whole.offset..whole.offset.saturating_add(whole.length))
        .unwrap_or_default();
    match written.find(text) {
        // line 0: settled from the offset with the other pending locations
        Some(at) if part.end <= text.len() && !text.is_empty() => Location {
            offset: whole.offset + at + part.start,
            length: part.len(),
            line: 0,
            column: 0,
            ..whole
        },
        _ => whole,
    }
}

/// The bounds of the range a `minimum` or `maximum` keyword belongs to.
fn range_around(schema: &Value, keyword_path: &str, limit: &Value) -> (String, String) {
    let parent = keyword_path
        .rsplit_once('/')
        .map_or(keyword_path, |(parent, _)| parent);
    let bound = |k: &str| {
        schema
            .pointer(parent)
            .and_then(|s| s.get(k))
            .map_or_else(|| shown(limit), shown)
    };
    (bound("minimum"), bound("maximum"))
}

fn explain_pattern(pattern: &str, text: &str) -> (String, String) {
    if pattern == model::NON_BLANK_PATTERN {
        return (
            format!("`{}` is blank", shown(&Value::String(text.to_owned()))),
            "write a value, or leave the field out".into(),
        );
    }
    if pattern == model::TIMEFRAME_PATTERN {
        let why = model::Timeframe::parse(text)
            .err()
            .map_or_else(|| format!("`{text}` is not a timeframe"), |e| e.to_string());
        return (why, model::TIMEFRAME_FORMS.into());
    }
    if pattern == model::ID_PATTERN {
        let why = model::Id::new(text)
            .err()
            .unwrap_or_else(|| format!("`{text}` is not an id"));
        return (
            why,
            "ids are letters, digits and `_ . : / -`, such as `P1.2` or `WP2.T1`".into(),
        );
    }
    if pattern == model::DECIMAL_PATTERN {
        if let Err(why) = text.parse::<model::Amount>()
            && why.contains("exact decimal")
        {
            return (
                why,
                "write at most 28 digits after the point and 29 in all".into(),
            );
        }
        return (
            format!("`{text}` is not a decimal number"),
            "write a number such as `12000` or `\"85.5\"`".into(),
        );
    }
    if pattern.contains("[A-Z]{3}") {
        return (
            format!("`{text}` is not a currency code"),
            "use three capital letters such as `EUR`".into(),
        );
    }
    if pattern == model::DATE_PATTERN {
        let why = model::Date::parse(text)
            .err()
            .map_or_else(|| format!("`{text}` is not a date"), |e| e.to_string());
        return (why, "write a real calendar date as `YYYY-MM-DD`".into());
    }
    (
        format!("`{text}` does not have the expected form"),
        format!("match the pattern `{pattern}`"),
    )
}

fn list(items: &[String]) -> String {
    let shown: Vec<String> = items.iter().take(12).map(|s| format!("`{s}`")).collect();
    let more = if items.len() > 12 {
        format!(" and {} more", items.len() - 12)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

/// The property names the schema allows where an `additionalProperties` keyword failed.
fn allowed_properties(schema: &Value, keyword_path: &str) -> Vec<String> {
    let parent = keyword_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(keyword_path);
    schema
        .pointer(parent)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|props| props.keys().cloned().collect())
        .unwrap_or_default()
}

/// Writes a document in a format.
pub fn to_string(document: &Document, format: Format) -> Result<String, WriteError> {
    match format {
        Format::Json => serde_json::to_string_pretty(document)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| WriteError(plain_message(&e.to_string()))),
        Format::Yaml => {
            serde_saphyr::to_string(document).map_err(|e| WriteError(plain_message(&e.to_string())))
        }
        Format::Toml => {
            toml::to_string_pretty(document).map_err(|e| WriteError(plain_message(&e.to_string())))
        }
    }
}

/// A document could not be written in a format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot write the document: {0}")]
pub struct WriteError(pub String);

/// Fills in the source locations of diagnostics from their JSON Pointers.
pub fn locate_all(diagnostics: &mut [Diagnostic], source: &Source, limits: &Limits) {
    if diagnostics.iter().all(|d| d.location.is_some()) {
        return;
    }
    // only the paths to the findings are kept: a few findings in a large document cost a
    // parse, not a located tree of the whole document
    let pointers: Vec<&str> = diagnostics
        .iter()
        .flat_map(|d| {
            std::iter::once(&d.pointer)
                .filter(|_| d.location.is_none())
                .chain(
                    d.related
                        .iter()
                        .filter(|r| r.location.is_none())
                        .map(|r| &r.pointer),
                )
        })
        .map(String::as_str)
        .collect();
    let Ok(tree) = stacker::maybe_grow(STACK_RED_ZONE, STACK_SIZE, || {
        crate::source::parse_tree_for(source, limits, &pointers)
    }) else {
        return;
    };
    // the places first, then their lines and columns in one pass over the text
    let spans: Vec<crate::source::Span> = pointers.iter().map(|p| tree.nearest(p).span).collect();
    let by_offset: Vec<(usize, usize)> = spans
        .iter()
        .filter_map(|s| s.offset.map(|o| (o, s.length)))
        .collect();
    let mut located = source.locations_at(&by_offset).into_iter();
    let mut places = spans.iter().map(|s| match s.offset {
        Some(_) => located.next().flatten(),
        None => Some(s.location(source)),
    });
    // the same order as `pointers` was collected in
    for d in diagnostics.iter_mut() {
        if d.location.is_none() {
            d.location = places.next().flatten();
        }
        for r in &mut d.related {
            if r.location.is_none() {
                r.location = places.next().flatten();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_total(format: Format, total: &str) -> String {
        match format {
            Format::Yaml => format!(
                "format: policygraph/v1\nprogramme:\n  id: p\n  title: t\nactivities:\n  - id: A1\n    title: a\n    budget:\n      total: {total}\n"
            ),
            Format::Json => format!(
                "{{\"format\":\"policygraph/v1\",\"programme\":{{\"id\":\"p\",\"title\":\"t\"}},\n\"activities\":[{{\"id\":\"A1\",\"title\":\"a\",\"budget\":{{\"total\":{total}}}}}]}}"
            ),
            Format::Toml => format!(
                "format = \"policygraph/v1\"\n[programme]\nid = \"p\"\ntitle = \"t\"\n[[activities]]\nid = \"A1\"\ntitle = \"a\"\nbudget = {{ total = {total} }}\n"
            ),
        }
    }

    fn nested(depth: usize) -> Document {
        let mut doc = parse_str(&with_total(Format::Yaml, "1"), Format::Yaml).unwrap();
        let mut act = doc.activities[0].clone();
        act.budget = None;
        for i in (1..depth).rev() {
            let mut parent = act.clone();
            parent.id = model::Id::new(&format!("A{i}")).unwrap();
            parent.activities = vec![act];
            act = parent;
        }
        doc.activities = vec![act];
        doc
    }

    /// One depth rule for every format: the same deeply nested programme loads from
    /// YAML, JSON and TOML alike, and one level deeper is refused by all three with the
    /// limit's code at the place it is exceeded.
    #[test]
    fn one_depth_rule_for_every_format() {
        // the top mapping, then a list and a mapping for each level of activities
        let deepest = (Limits::default().max_depth - 1) / 2;
        for (depth, loads) in [(45, true), (deepest, true), (deepest + 1, false)] {
            let doc = nested(depth);
            for format in Format::ALL {
                let text = to_string(&doc, format).unwrap();
                match parse_str(&text, format) {
                    Ok(back) => {
                        assert!(loads, "{format:?} {depth} loads");
                        assert_eq!(back, doc, "{format:?} {depth}");
                    }
                    Err(e) => {
                        assert!(!loads, "{format:?} {depth}: {e}");
                        let d = &e.diagnostics[0];
                        assert_eq!(d.code, Code::LimitExceeded, "{format:?}: {e}");
                        let at = d.location.as_ref().unwrap();
                        assert!(at.line > 1 || at.column > 1, "{format:?}: {at:?}");
                        assert!(d.message.contains("deeper than the"), "{}", d.message);
                    }
                }
            }
        }
    }

    /// A byte order mark is read in JSON as in YAML and TOML, and positions count it.
    #[test]
    fn json_reads_a_byte_order_mark() {
        let text = format!("\u{feff}{}", with_total(Format::Json, "1"));
        assert!(parse_str(&text, Format::Json).is_ok());
        let e = parse_str("\u{feff}{\"format\": x}", Format::Json).unwrap_err();
        let at = e.diagnostics[0].location.as_ref().unwrap();
        assert_eq!((at.line, at.column), (1, 13));
    }

    /// Every parser phrase of the rewrite table reads in the user's words, and what is
    /// left over names no Rust type.
    #[test]
    fn parser_wording_is_rewritten() {
        for (said, ours) in REWRITES {
            let said = said.trim_end_matches('*');
            let got = plain_message(said);
            assert_eq!(&got, ours, "{said}");
        }
        for (said, ours) in [
            (
                "invalid type: integer `7`, expected a string",
                "invalid type: a whole number `7`, expected text",
            ),
            (
                "invalid value: integer `3000000000`, expected i32",
                "invalid value: a whole number `3000000000`, expected a whole number from -2147483648 to 2147483647",
            ),
            (
                "invalid type: map, expected a sequence",
                "invalid type: a mapping, expected a list",
            ),
            (
                "invalid type: string \"x\", expected struct Budget",
                "invalid type: text \"x\", expected a mapping",
            ),
            (
                "unknown variant `u64`, expected enum Status",
                "unknown variant `u64`, expected one of the allowed values",
            ),
            (
                "EOF while parsing an object at line 3 column 1",
                "the text ends inside a mapping: a closing `}` is missing",
            ),
            ("UTF-8 is required", "UTF-8 is required"),
            (
                "unexpected character: `\\u{1b}'",
                "an unexpected character `\\u{1b}`: remove it, or put the text it is in in quotes",
            ),
        ] {
            assert_eq!(plain_message(said), ours, "{said}");
        }
    }

    /// Documents that make each parser say something in its own terms: every message
    /// is in the user's words, in every format.
    #[test]
    fn load_errors_name_no_parser_internals() {
        let head = "format: policygraph/v1\nprogramme:\n  id: p\n  title: t\n";
        let cases: Vec<(Format, String)> = vec![
            (Format::Yaml, format!("{head}---\nformat: policygraph/v1\n")),
            (Format::Yaml, format!("{head}activities: &a\n  - id: A\n    title: a\n    activities: *a\n")),
            (Format::Yaml, format!("{head}activities:\n  - id: A\n    title: !!int 5\n")),
            (Format::Yaml, format!("{head}funding_sources:\n  - id: F\n    title: f\nactivities:\n  - id: A\n    title: a\n    budget:\n      allocations:\n        - source: F\n          year: 3000000000\n          amount: 1\n")),
            (Format::Yaml, format!("{head}activities:\n  - id: A\n    title: a\n    budget:\n      total: .inf\n")),
            (Format::Json, "{\"format\": \"policygraph/v1\"".to_owned()),
            (Format::Json, "{\"format\": \"policygraph/v1\", \"programme\": {\"id\": \"p\", \"title\": \"t\"}, \"funding_sources\": [{\"id\": \"F\", \"title\": \"f\"}], \"activities\": [{\"id\": \"A\", \"title\": \"a\", \"budget\": {\"allocations\": [{\"source\": \"F\", \"year\": 3000000000, \"amount\": 1}]}}]}".to_owned()),
            (Format::Json, "".to_owned()),
            (Format::Toml, "format = \"policygraph/v1\"\n[programme]\nid = \"p\"\ntitle = \"a\u{1}b\"\n".to_owned()),
            (Format::Toml, "format = \"policygraph/v1\"\n[programme]\nid = \"p\"\ntitle = \"t\"\n[[funding_sources]]\nid = \"F\"\ntitle = \"f\"\n[[activities]]\nid = \"A\"\ntitle = \"a\"\n[[activities.budget.allocations]]\nsource = \"F\"\nyear = 3000000000\namount = 1\n".to_owned()),
            (Format::Toml, format!("format = \"policygraph/v1\"\n{} = 1\n", vec!["a"; 90].join("."))),
        ];
        let leak_words = [
            "u8",
            "u16",
            "u32",
            "u64",
            "u128",
            "i8",
            "i16",
            "i32",
            "i64",
            "i128",
            "usize",
            "f64",
            "weak",
            "eOF",
            "EOF",
            "struct",
            "enum",
            "sequence",
            "map",
            "recursion",
        ];
        let leak_phrases = [
            "from_str",
            "tagged scalar",
            "non-double-quote",
            "configured policy",
        ];
        for (format, text) in cases {
            let e = parse_str(&text, format).expect_err(&text);
            for d in &e.diagnostics {
                let words = format!("{} {}", d.message, d.help.as_deref().unwrap_or(""));
                let outside_backticks: String =
                    words.split('`').step_by(2).collect::<Vec<_>>().join(" ");
                for word in outside_backticks.split(|c: char| !c.is_alphanumeric() && c != '_') {
                    assert!(
                        !leak_words.contains(&word),
                        "{format:?} `{word}` in {words:?} for {text:?}"
                    );
                }
                for leak in leak_phrases {
                    assert!(
                        !outside_backticks.contains(leak),
                        "{format:?} `{leak}` in {words:?} for {text:?}"
                    );
                }
                assert!(d.location.is_some(), "{format:?}: {d:?}");
                let first = d.message.chars().next().unwrap_or('a');
                assert!(
                    !first.is_uppercase() || d.message.starts_with("UTF"),
                    "{}",
                    d.message
                );
            }
        }
    }

    /// Alias expansion is budgeted against the input's size: a list aliased thousands
    /// of times is refused (at the alias where the budget runs out), though each alias
    /// alone is small and the whole stays under the node limit.
    #[test]
    fn alias_amplification_is_bounded_by_the_input() {
        let list: String = (0..1000).map(|i| format!("  - x{i}\n")).collect();
        let head =
            format!("format: policygraph/v1\nprogramme:\n  id: p\n  title: t\nbig: &big\n{list}");
        for aliases in [3000, 100] {
            let refs: String = (0..aliases).map(|_| "  - *big\n").collect();
            let text = format!("{head}activities:\n{refs}");
            let e = parse_str(&text, Format::Yaml).expect_err("amplified");
            let d = &e.diagnostics[0];
            assert_eq!(d.code, Code::LimitExceeded, "{aliases}: {e}");
            assert!(d.message.contains("aliases"), "{}", d.message);
            assert!(d.location.as_ref().is_some_and(|l| l.line > 1000), "{d:?}");
        }
        // what a programme uses aliases for (a shared list, a few times over) loads
        let shared = "format: policygraph/v1\nprogramme:\n  id: p\n  title: t\npartners:\n  - id: X\n    title: x\nactivities:\n  - id: A\n    title: a\n    partners: &p [X]\n  - id: B\n    title: b\n    partners: *p\n";
        assert!(
            parse_str(shared, Format::Yaml).is_ok(),
            "{:?}",
            parse_str(shared, Format::Yaml)
        );
    }

    /// Unquoted amounts are read from their text in every format, never through a
    /// binary float: what an exact decimal holds is kept to the last digit, and what it
    /// cannot hold is refused where it is written, with help that says to quote it.
    #[test]
    fn unquoted_amounts_are_exact_or_refused() {
        use rust_decimal::Decimal;
        use std::str::FromStr;
        let exact = [
            ("12345678901234567.89", "12345678901234567.89"),
            ("0.1", "0.1"),
            ("1.5e3", "1500"),
            ("-2.5E-3", "-0.0025"),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335",
            ),
            (
                "0.0000000000000000000000000001",
                "0.0000000000000000000000000001",
            ),
            (
                "1234567890123456789012345678",
                "1234567890123456789012345678",
            ),
            ("\"85.50\"", "85.5"),
        ];
        for format in [Format::Yaml, Format::Json, Format::Toml] {
            for (written, value) in exact {
                let doc = parse_str(&with_total(format, written), format)
                    .unwrap_or_else(|e| panic!("{format:?} {written}: {e}"));
                let total = doc.activities[0].budget.as_ref().and_then(|b| b.total);
                assert_eq!(
                    total.map(|t| t.0.normalize()),
                    Some(Decimal::from_str(value).unwrap().normalize()),
                    "{format:?} {written}"
                );
            }
            let mut refused = vec![
                "1e-400",
                "0.1000000000000000000000000000000000001",
                "123456789012345678901234567890123456789",
                "79228162514264337593543950336",
                "1e29",
                "0.00000000000000000000000000001",
                "1e999999999999",
            ];
            if format == Format::Toml {
                refused.extend(["nan", "inf", "-inf", "+nan"]);
            }
            for written in refused {
                let text = with_total(format, written);
                let e = parse_str(&text, format).expect_err(written);
                let d = &e.diagnostics[0];
                assert_eq!(e.diagnostics.len(), 1, "{format:?} {written}: {e:?}");
                let at = d.location.as_ref().expect("located");
                let line = match format {
                    Format::Json => 2,
                    Format::Yaml => 9,
                    Format::Toml => 8,
                };
                assert_eq!(at.line, line, "{format:?} {written}: {d:?}");
                assert!(
                    d.message.contains("exact decimal") && d.message.contains('`'),
                    "{format:?} {written}: {}",
                    d.message
                );
                assert!(d.help.as_deref().unwrap_or("").contains("quotes"), "{d:?}");
                assert_eq!(
                    d.pointer, "/activities/0/budget/total",
                    "{format:?} {written}"
                );
            }
        }
    }

    #[test]
    fn mappings_written_as_lists_are_refused_in_every_format() {
        // serde's derived readers would take a struct's fields from a list, in order
        let json = [
            r#"{"format": "policygraph/v1", "programme": ["p", "t"]}"#,
            r#"{"format": "policygraph/v1", "programme": {"id": "p", "title": "t"}, "evaluation": []}"#,
            r#"{"format": "policygraph/v1", "programme": {"id": "p", "title": "t"}, "activities": [["A1", "x"]]}"#,
        ];
        for text in json {
            let e = crate::parse_str(text, Format::Json).expect_err(text);
            assert_eq!(
                e.diagnostics[0].code,
                Code::WrongType,
                "{text}: {:?}",
                e.diagnostics
            );
        }
        let toml = "format = \"policygraph/v1\"\nevaluation = []\n[programme]\nid = \"p\"\ntitle = \"t\"\n";
        let e = crate::parse_str(toml, Format::Toml).expect_err(toml);
        assert_eq!(
            e.diagnostics[0].pointer, "/evaluation",
            "{:?}",
            e.diagnostics
        );
        // lists are lists still
        let ok = r#"{"format": "policygraph/v1", "programme": {"id": "p", "title": "t"}, "activities": [{"id": "A1", "title": "x", "timeframe": "2024"}]}"#;
        assert!(crate::parse_str(ok, Format::Json).is_ok());
    }

    #[test]
    fn a_dependency_that_is_no_text_is_refused_in_every_format() {
        // found by the 100,000-document differential run: YAML read `2024.5` and `null`
        // in `depends_on` as ids, where an id anywhere else must be text
        for (written, shown) in [
            ("2024.5", "a number"),
            ("null", "null"),
            ("12", "a whole number"),
        ] {
            let yaml = format!(
                "format: policygraph/v1\nprogramme: {{id: p, title: t}}\nactivities:\n  - {{id: A1, title: x, depends_on: [{written}]}}\n"
            );
            let json = format!(
                r#"{{"format": "policygraph/v1", "programme": {{"id": "p", "title": "t"}}, "activities": [{{"id": "A1", "title": "x", "depends_on": [{written}]}}]}}"#
            );
            for (text, format) in [(yaml, Format::Yaml), (json, Format::Json)] {
                let e = crate::parse_str(&text, format).expect_err(&text);
                let d = &e.diagnostics[0];
                assert_eq!(
                    d.pointer, "/activities/0/depends_on/0",
                    "{format:?} {written}: {d:?}"
                );
                assert!(
                    d.message.contains(shown),
                    "{format:?} {written}: {}",
                    d.message
                );
            }
        }
        // text that YAML's core schema reads as text stays an id, quoted or not
        for written in ["A2", "\"12\"", "yes"] {
            let yaml = format!(
                "format: policygraph/v1\nprogramme: {{id: p, title: t}}\nactivities:\n  - {{id: A1, title: x, depends_on: [{written}, {{id: A3, type: informs}}]}}\n"
            );
            let doc = crate::parse_str(&yaml, Format::Yaml).expect(&yaml);
            assert_eq!(doc.activities[0].depends_on.len(), 2, "{written}");
        }
    }

    #[test]
    fn a_toml_integer_past_64_bits_is_no_text() {
        let toml = "format = \"policygraph/v1\"\n[programme]\nid = \"p\"\ntitle = \"t\"\nmandate = 18446744073709551615\n";
        let e = crate::parse_str(toml, Format::Toml).expect_err(toml);
        assert_eq!(
            e.diagnostics[0].pointer, "/programme/mandate",
            "{:?}",
            e.diagnostics
        );
        assert!(
            e.diagnostics[0].message.contains("too large"),
            "{:?}",
            e.diagnostics
        );
    }

    #[test]
    fn yaml_targets_are_read_exactly_beside_other_errors() {
        // a target is read by its place in the text like every amount (an untagged
        // reading hid the place, so that each target was refused by the fast reader and
        // reported as wrong whenever another error kept the located reader from it)
        let head = "format: policygraph/v1\nprogramme: {id: p, title: t}\nindicators:\n";
        for (target, written) in [
            ("-1", "-1"),
            ("18446744073709551615", "18446744073709551615"),
            ("12345678901234567.89", "12345678901234567.89"),
            ("{at_least: 12345678901234567.89}", "12345678901234567.89"),
            ("{at_most: \"5\"}", "5"),
        ] {
            let text = format!("{head}  - {{id: I1, label: x, target: {target}}}\n");
            let doc = crate::parse_str(&text, Format::Yaml).expect(&text);
            let got = doc.indicators[0]
                .target
                .as_ref()
                .map(|t| t.value.to_string());
            assert_eq!(got.as_deref(), Some(written), "{text}");
            let bad = format!(
                "{head}  - {{id: I1, label: x, target: {target}, target_date: 2034-2021}}\n"
            );
            let err = crate::parse_str(&bad, Format::Yaml).unwrap_err();
            assert_eq!(err.diagnostics.len(), 1, "{bad}: {:?}", err.diagnostics);
            assert_eq!(
                err.diagnostics[0].pointer, "/indicators/0/target_date",
                "{bad}"
            );
        }
    }

    #[test]
    fn a_quoted_amount_beyond_the_decimal_is_located_at_its_own_path_in_toml() {
        // `programme` sorts after `activities` and comes before it in the text, and the
        // sub-tables of an activity follow its header: the path is found by place
        let text = "format = \"policygraph/v1\"\n\n[programme]\nid = \"p\"\ntitle = \"t\"\n\n[[activities]]\nid = \"A1\"\ntitle = \"x\"\n\n[activities.budget]\ntotal = 5\n\n[[activities.budget.allocations]]\nsource = \"S\"\namount = \"79228162514264337593543950336\"\n\n[[activities]]\nid = \"A2\"\ntitle = \"y\"\n";
        let err = crate::parse_str(text, Format::Toml).unwrap_err();
        let d = &err.diagnostics[0];
        assert_eq!(
            d.pointer, "/activities/0/budget/allocations/0/amount",
            "{d:?}"
        );
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(16), "{d:?}");
    }

    #[test]
    fn toml_depth_is_counted_outside_strings() {
        let limits = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        let toml = |text: &str| check_depth(None, Format::Toml, text, &limits);
        assert!(toml("a = \"[[\"\nb = [1]\n").is_ok());
        assert!(toml("a = [[[1]]]\n").is_err());
        assert!(toml("# [[[[[[\n[x]\n").is_ok());
        // a multi-line string that ends in quotes of its own does not hide what follows
        assert!(toml("q = \"\"\"x\"\"\"\"\nb = [[[1]]]\n").is_err());
        assert!(toml("q = '''x'''''\nb = [[[1]]]\n").is_err());
        assert!(toml("q = \"\"\"x\"\"\"\"\"\nb = [1]\n").is_ok());
    }
}
