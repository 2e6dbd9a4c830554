//! Findings listed for people, as `check` and `validate` share it: in full (the source
//! lines and a caret) or one line each (`--format concise`), sorted (`--sort`), capped
//! (`--max-findings`), or counted per code (`--statistics`). When the list is longer
//! than a screen, the counts come first too, so that `| less` shows them at once.

use std::fmt::Write;

use policygraph::{Code, Diagnostic, Severity};

use crate::args::{ListArgs, SortBy};
use crate::render::{Style, count};

/// How each finding is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The message, the source lines around the value with a caret, the code and help.
    Full,
    /// One line: `file:line:col: severity CODE/name message`.
    Concise,
}

/// One finding of a listing: the file it is in (as shown) and which one of the batch.
pub struct Item<'a> {
    pub file: &'a str,
    /// The position of the file in the batch, for `--sort file`.
    pub file_index: usize,
    /// The position of the finding among the file's.
    pub index: usize,
    pub diagnostic: &'a Diagnostic,
}

/// The findings as the options ask: `full` renders one in full; `note` gives what to
/// say about a file after its findings (why it could not be read), which comes after
/// the file's last finding, or after all of them when they are sorted or counted.
/// Returns the text and whether it is longer than a screen (so that the caller puts
/// the counts first too).
pub fn list(
    mut items: Vec<Item<'_>>,
    layout: Layout,
    options: &ListArgs,
    style: &Style,
    full: &dyn Fn(&Item<'_>) -> String,
    note: &dyn Fn(usize) -> Option<String>,
) -> (String, bool) {
    let mut out = String::new();
    let notes_after = |out: &mut String, items: &[Item<'_>]| {
        let mut files: Vec<usize> = items.iter().map(|i| i.file_index).collect();
        files.dedup();
        files.sort_unstable();
        files.dedup();
        for f in files {
            push_note(out, note(f), layout);
        }
    };
    if options.statistics {
        out.push_str(&statistics(items.iter().map(|i| i.diagnostic), style));
        notes_after(&mut out, &items);
        let long = out.lines().count() > style.screen;
        return (out, long);
    }
    if let Some(by) = options.sort {
        sort(&mut items, by);
    }
    let shown = options.max_findings.unwrap_or(usize::MAX).min(items.len());
    for (i, item) in items[..shown].iter().enumerate() {
        match layout {
            Layout::Full => out.push_str(&full(item)),
            Layout::Concise => {
                out.push_str(&concise(item.file, item.diagnostic, style));
                out.push('\n');
            }
        }
        let last_of_file = items
            .get(i + 1)
            .is_none_or(|next| next.file_index != item.file_index);
        if options.sort.is_none() && last_of_file {
            push_note(&mut out, note(item.file_index), layout);
        }
    }
    let left_out = items.len() - shown;
    if left_out > 0 {
        let _ = writeln!(
            out,
            "{}: {} not shown (`--max-findings {shown}`); `--statistics` counts them all by code",
            style.dim("note"),
            count(left_out, "more finding", "more findings"),
        );
        if layout == Layout::Full {
            out.push('\n');
        }
    }
    if options.sort.is_some() {
        notes_after(&mut out, &items);
    }
    let long = out.lines().count() > style.screen;
    (out, long)
}

fn push_note(out: &mut String, note: Option<String>, layout: Layout) {
    if let Some(note) = note {
        out.push_str(&note);
        out.push('\n');
        if layout == Layout::Full {
            out.push('\n');
        }
    }
}

/// Stable: findings equal for the key keep the order they came in (the file's order).
fn sort(items: &mut [Item<'_>], by: SortBy) {
    let place = |i: &Item<'_>| {
        (
            i.file_index,
            i.diagnostic
                .location
                .as_ref()
                .map_or((0, 0), |l| (l.line, l.column)),
        )
    };
    match by {
        SortBy::Severity => items.sort_by_key(|i| std::cmp::Reverse(i.diagnostic.severity)),
        SortBy::File => items.sort_by_key(place),
        SortBy::Code => items.sort_by_key(|i| i.diagnostic.code),
    }
}

/// `file:line:col: severity CODE/name message`, as gcc and ruff's concise output write
/// it; `file: …` when the finding has no line, with its JSON Pointer at the end.
pub fn concise(file: &str, d: &Diagnostic, style: &Style) -> String {
    let mut out = String::new();
    match &d.location {
        Some(l) => {
            let _ = write!(out, "{file}:{}:{}: ", l.line, l.column);
        }
        None => {
            let _ = write!(out, "{file}: ");
        }
    }
    let severity = d.severity.as_str();
    let severity = match d.severity {
        Severity::Error => style.error(severity),
        Severity::Warning => style.warning(severity),
        Severity::Info => style.bold(severity),
    };
    let _ = write!(out, "{severity} {}/{} ", d.code, d.name);
    // one line, whatever the titles it quotes hold
    for (i, line) in d.message.lines().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(line.trim_end_matches('\r'));
    }
    if d.location.is_none() && !d.pointer.is_empty() {
        let _ = write!(out, " at `{}`", d.pointer);
    }
    out
}

/// How many findings of each code, most frequent first (ties by code), with their
/// severities.
pub fn statistics<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>, style: &Style) -> String {
    let mut counts: Vec<(Code, &str, usize, [bool; 3])> = Vec::new();
    for d in diagnostics {
        let slot = match counts.iter().position(|c| c.0 == d.code) {
            Some(i) => i,
            None => {
                counts.push((d.code, d.name.as_str(), 0, [false; 3]));
                counts.len() - 1
            }
        };
        counts[slot].2 += 1;
        counts[slot].3[d.severity as usize] = true;
    }
    counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut out = String::new();
    if counts.is_empty() {
        let _ = writeln!(out, "no findings");
        out.push('\n');
        return out;
    }
    let _ = writeln!(out, "{}", style.bold("findings by code"));
    let number = counts
        .iter()
        .map(|c| c.2.to_string().len())
        .max()
        .unwrap_or(1);
    let name = counts
        .iter()
        .map(|c| c.0.as_str().len() + 1 + c.1.len())
        .max()
        .unwrap_or(0);
    for (code, code_name, n, severities) in &counts {
        let severities: Vec<&str> = [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .filter(|s| severities[*s as usize])
            .map(Severity::as_str)
            .collect();
        let label = format!("{code}/{code_name}");
        let _ = writeln!(
            out,
            "  {n:>number$}  {label:<name$}  {}",
            severities.join(", ")
        );
    }
    out.push('\n');
    out
}
