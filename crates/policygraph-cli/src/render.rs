//! Output for people: diagnostics with the source line and a caret, summaries.

use std::fmt::Write;
use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report};
use policygraph::{Diagnostic, Loaded, Location, Severity};

/// How output for people looks: colour only on a terminal, and never when `NO_COLOR` is
/// set; messages wrapped to the terminal's width on a terminal, never in a pipe.
pub struct Style {
    pub colour: bool,
    /// The width to wrap messages to; `None`: do not wrap.
    pub width: Option<usize>,
    /// How many lines a screen shows (the terminal's height, or [`SCREEN_LINES`]).
    pub screen: usize,
}

/// How many lines a screen is taken to show when the output is no terminal.
pub const SCREEN_LINES: usize = 50;

impl Style {
    pub fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let stdout = std::io::stdout();
        let size = stdout
            .is_terminal()
            .then(|| terminal_size::terminal_size_of(&stdout))
            .flatten();
        Style {
            colour: !no_color
                && (colour_forced() || (std::io::stderr().is_terminal() && stdout.is_terminal())),
            width: size.map(|(w, _)| usize::from(w.0).max(40)),
            screen: size.map_or(SCREEN_LINES, |(_, h)| usize::from(h.0).max(10)),
        }
    }

    /// Plain text, not wrapped: what tests and pipes get.
    #[cfg(test)]
    pub fn plain() -> Style {
        Style {
            colour: false,
            width: None,
            screen: SCREEN_LINES,
        }
    }

    /// `text` in a colour: the only place this program writes an escape sequence. What
    /// it paints may come from a document, so its own escapes are neutralised first.
    fn paint(&self, code: &str, text: &str) -> String {
        let text = shown(text);
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.into_owned()
        }
    }

    pub fn error(&self, text: &str) -> String {
        self.paint("1;31", text)
    }

    pub fn warning(&self, text: &str) -> String {
        self.paint("1;33", text)
    }

    pub fn good(&self, text: &str) -> String {
        self.paint("1;32", text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// `1 error`, `2 warnings`, `0 info`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `2 errors, 1 warning, 0 info`.
pub fn counts(errors: usize, warnings: usize, infos: usize) -> String {
    format!(
        "{}, {}, {}",
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings"),
        count(infos, "info", "info")
    )
}

/// Whether `CLICOLOR_FORCE` asks for colour (and the terminal's treatment of the output)
/// where there is no terminal: set and neither empty nor `0`.
pub fn colour_forced() -> bool {
    std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Text from a document, for output to people: every escape character (U+001B) is
/// shown as `�`. The output filter ([`terminal_safe`]) lets colour sequences through,
/// since this program writes them; text a programme supplies (titles, notes, the
/// values a message quotes, the lines a snippet quotes) goes through this first, so
/// that every escape sequence on the screen is this program's own.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\u{1b}') {
        std::borrow::Cow::Owned(text.replace('\u{1b}', "\u{fffd}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Text for a terminal: control characters other than newline and tab, and escape
/// sequences other than the colour ones this program writes (`ESC [ digits ; … m`), are
/// shown as `�`, and so are the bidirectional controls (U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069). A programme's titles are untrusted: on a terminal they must not move
/// the cursor, clear the screen, set the window title, rewrite a line with `\r` or
/// reorder the text shown.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    // bidirectional controls (embeddings, overrides, isolates, marks) reorder what
    // follows them on screen, so that a title can show other text than it holds
    let bidi = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let unsafe_char = |c: char| (c.is_control() && c != '\n' && c != '\t') || bidi(c);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(len) = colour_sequence(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        out.push(if unsafe_char(c) { '\u{fffd}' } else { c });
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// The length of a colour (SGR) sequence at the start of `text`, if there is one.
fn colour_sequence(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// Text for a table cell or a one-line listing: no line breaks, at most `max` characters.
pub fn clip(text: &str, max: usize) -> String {
    let text = shown(text);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Related places at most this many lines from the finding are quoted in its snippet;
/// farther ones get a note with their line and column.
const NEARBY_LINES: u32 = 8;

/// Nor are related places farther than this many bytes (on one long line of minified
/// JSON, "near" in lines can be megabytes away).
const NEARBY_BYTES: usize = 2048;

/// A quoted line shows at most this many bytes before the first span and after the last;
/// a longer line is clipped, with `…`, so that a finding on a line of megabytes (minified
/// JSON) quotes a few hundred bytes of it.
const CLIP: usize = 120;

/// A span is quoted over at most this many lines and bytes (a finding about a whole
/// list or object shows where it starts).
const SPAN_LINES: usize = 6;
const SPAN_BYTES: usize = 1024;

/// The part of a source a snippet quotes: a few lines around the spans, with the line
/// number of its first line, so that each finding costs what it quotes, not the file.
struct Window {
    /// The quoted text (whole lines, or a clipped stretch of one long line).
    text: String,
    /// The line of its first character, from 0.
    first_line: usize,
    /// The column (in characters, from 0) its first character would have in the
    /// source, less the `…` it starts with when clipped.
    first_column: usize,
    /// Whether it starts with a `…` standing for the rest of a long line.
    clipped: bool,
    /// The file name.
    name: String,
}

impl miette::SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let c = self.text.as_str().read_span(span, before, after)?;
        // the column in characters (miette counts bytes), from the source's line start
        let at = c.span().offset();
        let line_start = self
            .text
            .get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |p| p + 1);
        let mut column = self
            .text
            .get(line_start..at)
            .map_or(0, |t| t.chars().count());
        if c.line() == 0 {
            column = (column + self.first_column).saturating_sub(usize::from(self.clipped));
        }
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            *c.span(),
            c.line() + self.first_line,
            column,
            // miette counts the lines from the start of the source, and merges two
            // labels' snippets by that count: the same count merges them the same way
            c.line_count() + self.first_line,
        )))
    }
}

impl Window {
    /// The window around `spans` (byte offset, length and line from 1, each), and the
    /// spans in it. The first line before and after are quoted too, as miette does,
    /// unless they are too long.
    fn around(
        text: &str,
        name: String,
        first: &Location,
        spans: &[(usize, usize, &Location)],
    ) -> (Window, Vec<(usize, usize)>) {
        let bytes = text.as_bytes();
        let newline_before = |from: usize, to: usize| {
            bytes
                .get(from..to)
                .and_then(|b| b.iter().rposition(|c| *c == b'\n'))
                .map(|p| from + p)
        };
        let newline_after = |from: usize, to: usize| {
            bytes
                .get(from..to)
                .and_then(|b| b.iter().position(|c| *c == b'\n'))
                .map(|p| from + p)
        };
        let (lo, lo_loc) = spans
            .iter()
            .map(|(o, _, l)| (*o, *l))
            .min_by_key(|(o, _)| *o)
            .unwrap_or((first.offset, first));
        // where each span ends, bounded in lines and bytes (the spans themselves are
        // near each other: related places farther away are notes)
        let capped_end = |o: usize, l: usize| {
            let cap = floor_boundary(text, (o + SPAN_BYTES).min(o + l).min(text.len()));
            let mut at = o;
            for _ in 0..SPAN_LINES {
                match newline_after(at, cap) {
                    Some(p) => at = p + 1,
                    None => return cap,
                }
            }
            at.max(o)
        };
        let ends: Vec<usize> = spans.iter().map(|(o, l, _)| capped_end(*o, *l)).collect();
        let hi = ends.iter().copied().max().unwrap_or(lo);

        // the start: the line before the first span's line, that line, or a clip of it
        let mut first_line = (lo_loc.line as usize).saturating_sub(1);
        let mut prefix = "";
        let start = match newline_before(lo.saturating_sub(CLIP), lo) {
            Some(p) => {
                // the line before, when it is short enough
                match newline_before(p.saturating_sub(CLIP), p) {
                    Some(q) => {
                        first_line = first_line.saturating_sub(1);
                        q + 1
                    }
                    None if p <= CLIP => {
                        first_line = first_line.saturating_sub(1);
                        0
                    }
                    None => p + 1,
                }
            }
            None if lo <= CLIP => 0,
            None => {
                prefix = "…";
                floor_boundary(text, lo - CLIP)
            }
        };
        // the end: the line after the last span's line, that line, or a clip of it
        let mut suffix = "";
        let end = match newline_after(hi, (hi + CLIP).min(text.len())) {
            Some(p) => match newline_after(p + 1, (p + 1 + CLIP).min(text.len())) {
                Some(q) => q + 1,
                None if text.len() - (p + 1) <= CLIP => text.len(),
                None => p + 1,
            },
            None if text.len() - hi <= CLIP => text.len(),
            None => {
                suffix = "…";
                ceil_boundary(text, hi + CLIP)
            }
        };
        let first_column = if prefix.is_empty() {
            0
        } else {
            (lo_loc.column as usize)
                .saturating_sub(1)
                .saturating_sub(text.get(start..lo).map_or(0, |t| t.chars().count()))
        };
        let mut quoted = String::with_capacity(end - start + 6);
        quoted.push_str(prefix);
        // the document's own escape characters become DEL, one byte for one so that the
        // spans stay where they are, which the output filter shows as `�`
        quoted.extend(
            text.get(start..end)
                .unwrap_or_default()
                .chars()
                .map(|c| if c == '\u{1b}' { '\u{7f}' } else { c }),
        );
        quoted.push_str(suffix);
        let shift = |o: usize| o - start + prefix.len();
        let relative = spans
            .iter()
            .zip(&ends)
            .map(|((o, _, _), e)| {
                let o = (*o).clamp(start, end);
                let e = (*e).clamp(o, end);
                (shift(o), e - o)
            })
            .collect();
        (
            Window {
                text: quoted,
                first_line,
                first_column,
                clipped: !prefix.is_empty(),
                name,
            },
            relative,
        )
    }
}

/// The largest char boundary at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The smallest char boundary at or after `at`.
fn ceil_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// A span in `text`: clamped to it, a point made one character long (miette draws a
/// caret under it) unless at the very end.
fn span_in(text: &str, loc: &Location) -> (usize, usize) {
    let offset = floor_boundary(text, loc.offset);
    let len = if loc.length == 0 {
        text[offset..].chars().next().map_or(0, char::len_utf8)
    } else {
        ceil_boundary(text, offset + loc.length) - offset
    };
    (offset, len)
}

/// Whether a related place is close enough to the finding to be quoted with it.
fn near(related: &Location, at: &Location) -> bool {
    related.line.abs_diff(at.line) <= NEARBY_LINES
        && related.offset.abs_diff(at.offset) <= NEARBY_BYTES
        && related.file == at.file
}

/// Splits a line into words for wrapping, never inside a backticked value (a date, an id
/// or a title the message quotes stays on one line).
fn words_outside_backticks(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut words = Vec::new();
    let (mut quoted, mut after_space, mut start) = (false, false, 0);
    for (i, c) in line.char_indices() {
        if after_space && c != ' ' && !quoted {
            words.push(textwrap::core::Word::from(&line[start..i]));
            start = i;
        }
        if c == '`' {
            quoted = !quoted;
        }
        after_space = c == ' ';
    }
    if start < line.len() {
        words.push(textwrap::core::Word::from(&line[start..]));
    }
    Box::new(words.into_iter())
}

/// A diagnostic rendered rustc/miette style: the message, the source lines around the
/// offending value with a caret under it, the code and the help. Only the lines quoted
/// are read, so rendering costs the same in a small file and a large one.
pub fn diagnostic(d: &Diagnostic, source_text: Option<&str>, style: &Style) -> String {
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    // messages quote the document (values, keys, titles): no escape of its own passes
    let mut md = MietteDiagnostic::new(shown(&d.message).into_owned())
        .with_code(format!("{}/{}", d.code, d.name))
        .with_severity(severity);
    if let Some(help) = &d.help {
        md = md.with_help(shown(help).into_owned());
    }
    let label_text = if d.pointer.is_empty() {
        "here".to_owned()
    } else {
        format!("at `{}`", shown(&d.pointer))
    };
    let mut window = None;
    if let (Some(loc), Some(text)) = (&d.location, source_text) {
        let (offset, len) = span_in(text, loc);
        let mut spans = vec![(offset, len, loc)];
        let mut messages = vec![Some(label_text.clone())];
        for r in &d.related {
            if let Some(rl) = &r.location
                && near(rl, loc)
            {
                let (o, l) = span_in(text, rl);
                spans.push((o, l, rl));
                messages.push(Some(shown(&r.message).into_owned()));
            }
        }
        let name = loc.file.clone().unwrap_or_else(|| "<input>".to_owned());
        let (w, relative) = Window::around(text, name, loc, &spans);
        let labels = relative
            .into_iter()
            .zip(messages)
            .enumerate()
            .map(|(i, (span, message))| {
                if i == 0 {
                    LabeledSpan::new_primary_with_span(message, span)
                } else {
                    LabeledSpan::new_with_span(message, span)
                }
            })
            .collect::<Vec<_>>();
        md = md.with_labels(labels);
        window = Some(w);
    }
    let report = match window {
        Some(w) => Report::new(md).with_source_code(w),
        None => Report::new(md),
    };
    let theme = if style.colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::Custom(words_outside_backticks));
    let handler = match style.width {
        Some(width) => handler.with_width(width),
        None => handler.with_wrap_lines(false),
    };
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("{}\n", shown(&d.to_string()));
    }
    if d.location.is_some() && source_text.is_none() {
        // no source to quote (in-memory input): still say where
        let _ = writeln!(
            out,
            "  at {}",
            shown(
                &d.location
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            )
        );
    } else if d.location.is_none() && !d.pointer.is_empty() {
        let _ = writeln!(out, "  at `{}`", shown(&d.pointer));
    }
    // related places too far away to quote in the same snippet, or with no source
    for r in &d.related {
        let quoted = match (&r.location, &d.location, source_text) {
            (Some(rl), Some(l), Some(_)) => near(rl, l),
            _ => false,
        };
        if !quoted {
            let at = match &r.location {
                Some(rl) => rl.to_string(),
                None => format!("`{}`", r.pointer),
            };
            let _ = writeln!(out, "  note: {} (at {})", shown(&r.message), shown(&at));
        }
    }
    // a blank line between one diagnostic and the next
    out.push('\n');
    out
}

/// The title and size summary of a loaded programme.
pub fn summary(loaded: &Loaded, style: &Style) -> String {
    let doc = &loaded.document;
    let s = doc.summary();
    let mut out = String::new();
    let p = &doc.programme;
    let _ = writeln!(out, "{}", style.bold(&p.title));
    if let Some(sub) = &p.subtitle {
        let _ = writeln!(out, "{}", shown(sub));
    }
    let mut facts = Vec::new();
    if let Some(org) = &p.organisation {
        facts.push(org.clone());
    }
    if let Some(r) = &p.reference {
        facts.push(r.clone());
    }
    if let Some(period) = &p.period {
        facts.push(format!("period {period}"));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}", shown(&facts.join(" · ")));
    }
    let _ = writeln!(out);
    let rows = s.labelled();
    for (label, n) in rows {
        let _ = writeln!(out, "  {n:>6}  {label}");
    }
    out
}

#[cfg(test)]
mod terminal_tests {
    use super::{SCREEN_LINES, Style, clip, shown, terminal_safe};

    #[test]
    fn control_sequences_from_input_are_neutralised_and_colours_kept() {
        assert_eq!(terminal_safe("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            terminal_safe("\u{1b}[1;31merror\u{1b}[0m: x"),
            "\u{1b}[1;31merror\u{1b}[0m: x"
        );
        // clear screen, cursor home, window title (OSC), carriage return, bell, C1 CSI
        assert_eq!(terminal_safe("a\u{1b}[2Jb"), "a\u{fffd}[2Jb");
        assert_eq!(
            terminal_safe("\u{1b}]0;pwned\u{7}"),
            "\u{fffd}]0;pwned\u{fffd}"
        );
        assert_eq!(terminal_safe("ok\rfake"), "ok\u{fffd}fake");
        assert_eq!(terminal_safe("x\u{9b}31m"), "x\u{fffd}31m");
        assert_eq!(terminal_safe("\u{1b}"), "\u{fffd}");
        assert_eq!(terminal_safe("\u{1b}[31"), "\u{fffd}[31");
        // bidirectional overrides, isolates and marks
        assert_eq!(
            terminal_safe("a\u{202e}cba\u{202c} \u{2066}x\u{2069} \u{200f}"),
            "a\u{fffd}cba\u{fffd} \u{fffd}x\u{fffd} \u{fffd}"
        );
        assert_eq!(
            terminal_safe("\u{202a}\u{202d}\u{2067}\u{2068}\u{200e}"),
            "\u{fffd}".repeat(5)
        );
    }

    #[test]
    fn a_documents_colour_is_no_colour_once_painted() {
        let style = Style {
            colour: true,
            width: None,
            screen: SCREEN_LINES,
        };
        // the document's conceal sequence is shown, the program's own colour kept
        assert_eq!(
            terminal_safe(&style.bold("a\u{1b}[8mb")),
            "\u{1b}[1ma\u{fffd}[8mb\u{1b}[0m"
        );
        assert_eq!(clip("x\u{1b}[2J y", 10), "x\u{fffd}[2J y");
        assert_eq!(shown("plain"), "plain");
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;
    use policygraph::Code;

    fn at(line: u32, column: u32, offset: usize, length: usize) -> Location {
        Location {
            file: Some("f.yaml".to_owned()),
            line,
            column,
            offset,
            length,
        }
    }

    #[test]
    fn a_window_quotes_the_lines_around_the_span() {
        let text = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n";
        let loc = at(3, 4, 13, 1);
        let (w, spans) = Window::around(text, "f.yaml".to_owned(), &loc, &[(13, 1, &loc)]);
        assert_eq!(w.text, "b: 2\nc: 3\nd: 4\n");
        assert_eq!((w.first_line, w.clipped), (1, false));
        assert_eq!(spans, [(8, 1)]);
    }

    #[test]
    fn a_finding_far_along_a_long_line_is_quoted_clipped() {
        let text = format!("{}Y{}", "x".repeat(100_000), "z".repeat(100_000));
        let loc = at(1, 100_001, 100_000, 1);
        let (w, spans) = Window::around(&text, "f.yaml".to_owned(), &loc, &[(100_000, 1, &loc)]);
        assert!(w.clipped && w.text.starts_with('…') && w.text.ends_with('…'));
        assert!(w.text.len() < 2 * CLIP + 10);
        assert_eq!(&w.text[spans[0].0..spans[0].0 + 1], "Y");

        let mut d = Diagnostic::new(Code::UnknownReference, "/x", "unknown `Y`");
        d.location = Some(loc);
        let out = diagnostic(&d, Some(&text), &Style::plain());
        assert!(out.contains("[f.yaml:1:100001]"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 400), "{out}");
    }

    #[test]
    fn wrapping_never_splits_a_backticked_value() {
        let words: Vec<String> = words_outside_backticks("due `2024 to 2025` or `x y` now")
            .map(|w| w.word.to_owned())
            .collect();
        assert_eq!(words, ["due", "`2024 to 2025`", "or", "`x y`", "now"]);
    }
}

#[cfg(test)]
mod same_as_whole_source {
    use super::*;
    use miette::NamedSource;

    /// A finding rendered as before windows: the whole source handed to miette.
    fn whole(d: &Diagnostic, text: &str) -> String {
        let mut out = diagnostic(d, None, &Style::plain());
        let Some(loc) = &d.location else {
            return out;
        };
        let label = if d.pointer.is_empty() {
            "here".to_owned()
        } else {
            format!("at `{}`", d.pointer)
        };
        let mut spans = vec![(span_in(text, loc), label)];
        for r in &d.related {
            if let Some(rl) = &r.location
                && near(rl, loc)
            {
                spans.push((span_in(text, rl), r.message.clone()));
            }
        }
        let labels = spans.into_iter().enumerate().map(|(i, (span, m))| {
            if i == 0 {
                LabeledSpan::new_primary_with_span(Some(m), span)
            } else {
                LabeledSpan::new_with_span(Some(m), span)
            }
        });
        let mut md = MietteDiagnostic::new(d.message.clone())
            .with_code(format!("{}/{}", d.code, d.name))
            .with_severity(match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            })
            .with_labels(labels);
        if let Some(help) = &d.help {
            md = md.with_help(help.clone());
        }
        let name = loc.file.clone().unwrap_or_default();
        let report = Report::new(md).with_source_code(NamedSource::new(name, text.to_owned()));
        out.clear();
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_links(false)
            .with_wrap_lines(false);
        handler.render_report(&mut out, report.as_ref()).unwrap();
        for r in &d.related {
            if !r.location.as_ref().is_some_and(|rl| near(rl, loc)) {
                let at = r.location.as_ref().map(ToString::to_string).unwrap();
                out.push_str(&format!("  note: {} (at {at})\n", r.message));
            }
        }
        out.push('\n');
        out
    }

    /// Every finding of the reference programme and of the conformance fixtures, and
    /// every problem of the documents that cannot be read (with ASCII before their
    /// spans, where miette's byte columns are character columns), renders the same from
    /// its window as from the whole source.
    #[test]
    fn every_fixture_finding_renders_as_from_the_whole_source() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = vec![root.join("examples/pompidou-2023-2025.yaml")];
        let conformance = std::fs::read_dir(root.join("tests/conformance")).unwrap();
        let mut fixtures: Vec<_> = conformance
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        fixtures.sort();
        files.extend(fixtures);
        // and the problems of the documents that cannot be read
        let invalid = std::fs::read_dir(root.join("tests/structure/invalid")).unwrap();
        let mut unreadable: Vec<_> = invalid
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
            .collect();
        unreadable.sort();
        files.extend(unreadable);
        let limits = policygraph::Limits::default();
        let mut compared = 0;
        for file in files {
            let (diagnostics, text) = match policygraph::load_path(&file, &limits) {
                Ok(loaded) => {
                    let options = Default::default();
                    let report = policygraph::check_loaded(&loaded, &options, &limits);
                    (report.diagnostics, loaded.source.text)
                }
                Err(e) => (e.diagnostics, std::fs::read_to_string(&file).unwrap()),
            };
            let text = &text;
            for d in &diagnostics {
                let Some(loc) = &d.location else { continue };
                let line_start = text[..loc.offset].rfind('\n').map_or(0, |p| p + 1);
                if !text[line_start..loc.offset].is_ascii() {
                    continue;
                }
                assert_eq!(
                    diagnostic(d, Some(text), &Style::plain()),
                    whole(d, text),
                    "{}",
                    file.display()
                );
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared} findings compared");
    }
}
