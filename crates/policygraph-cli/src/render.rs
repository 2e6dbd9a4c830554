//! Output for people: diagnostics with the source line and a caret, summaries.

use std::fmt::Write;
use std::io::IsTerminal;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};
use policygraph::{Diagnostic, Loaded, Severity};

/// Whether to colour: only on a terminal, and never when `NO_COLOR` is set.
pub struct Style {
    pub colour: bool,
}

impl Style {
    pub fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            colour: !no_color && std::io::stderr().is_terminal() && std::io::stdout().is_terminal(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
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

/// Text for a terminal: control characters other than newline and tab, and escape
/// sequences other than the colour ones this program writes (`ESC [ digits ; … m`), are
/// shown as `�`. A programme's titles are untrusted: on a terminal they must not move
/// the cursor, clear the screen, set the window title or rewrite a line with `\r`.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
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

/// A diagnostic rendered rustc/miette style: the message, the source line with a caret
/// under the offending value, the code and the help.
pub fn diagnostic(d: &Diagnostic, source_text: Option<&str>, style: &Style) -> String {
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    let mut md = MietteDiagnostic::new(d.message.clone())
        .with_code(format!("{}/{}", d.code, d.name))
        .with_severity(severity);
    if let Some(help) = &d.help {
        md = md.with_help(help.clone());
    }
    let label_text = if d.pointer.is_empty() {
        "here".to_owned()
    } else {
        format!("at `{}`", d.pointer)
    };
    let mut report_text = None;
    if let (Some(loc), Some(text)) = (&d.location, source_text) {
        let offset = loc.offset.min(text.len());
        let len = if loc.length == 0 {
            usize::from(offset < text.len())
        } else {
            loc.length.min(text.len() - offset)
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(label_text.clone()),
            (offset, len),
        )];
        for r in &d.related {
            if let Some(rl) = &r.location
                && rl.line.abs_diff(loc.line) <= NEARBY_LINES
            {
                let o = rl.offset.min(text.len());
                let l = if rl.length == 0 {
                    usize::from(o < text.len())
                } else {
                    rl.length.min(text.len() - o)
                };
                labels.push(LabeledSpan::new_with_span(Some(r.message.clone()), (o, l)));
            }
        }
        md = md.with_labels(labels);
        let name = loc.file.clone().unwrap_or_else(|| "<input>".to_owned());
        report_text = Some(NamedSource::new(name, text.to_owned()));
    }
    let report = match report_text {
        Some(src) => Report::new(md).with_source_code(src),
        None => Report::new(md),
    };
    let theme = if style.colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("{d}\n");
    }
    if d.location.is_some() && source_text.is_none() {
        // no source to quote (in-memory input): still say where
        let _ = writeln!(
            out,
            "  at {}",
            d.location
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        );
    } else if d.location.is_none() && !d.pointer.is_empty() {
        let _ = writeln!(out, "  at `{}`", d.pointer);
    }
    // related places too far away to quote in the same snippet, or with no source
    for r in &d.related {
        let near = match (&r.location, &d.location, source_text) {
            (Some(rl), Some(l), Some(_)) => rl.line.abs_diff(l.line) <= NEARBY_LINES,
            _ => false,
        };
        if !near {
            let at = match &r.location {
                Some(rl) => rl.to_string(),
                None => format!("`{}`", r.pointer),
            };
            let _ = writeln!(out, "  note: {} (at {at})", r.message);
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
        let _ = writeln!(out, "{sub}");
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
        let _ = writeln!(out, "{}", facts.join(" · "));
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
    use super::terminal_safe;

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
    }
}
