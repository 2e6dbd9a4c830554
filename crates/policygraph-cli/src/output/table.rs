//! Tables as aligned plain text and as Markdown, and CSV that spreadsheets open safely.

use std::fmt::Write;

/// A table: a header and rows of cells.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Columns aligned to the right (numbers).
    right: Vec<bool>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            right: vec![false; headers.len()],
        }
    }

    /// Aligns these columns to the right.
    pub fn right(mut self, columns: &[usize]) -> Table {
        for &c in columns {
            if let Some(r) = self.right.get_mut(c) {
                *r = true;
            }
        }
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Aligned plain text, each line indented by `indent` spaces, columns two spaces
    /// apart, without trailing spaces.
    pub fn plain(&self, indent: usize) -> String {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (i, c) in row.iter().enumerate().take(n) {
                widths[i] = widths[i].max(width(c));
            }
        }
        let mut out = String::new();
        let lines = std::iter::once(&self.headers).chain(self.rows.iter());
        for cells in lines {
            let mut line = " ".repeat(indent);
            for (i, c) in cells.iter().enumerate().take(n) {
                // cells hold a document's text: none of its escapes reach a terminal
                let c = &*crate::render::shown(c);
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = widths[i].saturating_sub(width(c));
                if self.right[i] {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(c);
                } else {
                    line.push_str(c);
                    line.push_str(&" ".repeat(pad));
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        out
    }

    /// A Markdown (GitHub-flavoured) table.
    /// Markdown whose cells are Markdown already (code spans, emphasis): only line
    /// breaks, `\\` and `|` are escaped.
    pub fn markdown(&self) -> String {
        self.markdown_with(markdown_cell)
    }

    /// Markdown whose cells are plain text (titles from a document): each through the
    /// Markdown exporter's escaper, the one escaper of document text for Markdown, so
    /// that a title can carry neither HTML nor Markdown syntax.
    pub fn markdown_text(&self) -> String {
        self.markdown_with(policygraph_export::markdown::escape)
    }

    fn markdown_with(&self, cell: fn(&str) -> String) -> String {
        let mut out = String::new();
        let row = |cells: &[String]| -> String {
            let escaped: Vec<String> = cells.iter().map(|c| cell(c)).collect();
            format!("| {} |", escaped.join(" | "))
        };
        let _ = writeln!(out, "{}", row(&self.headers));
        let rule: Vec<&str> = self
            .right
            .iter()
            .map(|r| if *r { "--:" } else { "---" })
            .collect();
        let _ = writeln!(out, "| {} |", rule.join(" | "));
        for cells in &self.rows {
            let _ = writeln!(out, "{}", row(cells));
        }
        out
    }

    /// CSV: the header, then the rows (RFC 4180, with formula cells neutralised).
    pub fn csv(&self) -> String {
        let mut out = csv_row(&self.headers);
        for cells in &self.rows {
            out.push_str(&csv_row(cells));
        }
        out
    }
}

fn width(text: &str) -> usize {
    text.chars().count()
}

fn markdown_cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\\', "\\\\")
        .replace('|', "\\|")
}

/// One CSV record with its line break.
pub fn csv_row<S: AsRef<str>>(cells: &[S]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| csv_cell(c.as_ref())).collect();
    let mut line = cells.join(",");
    line.push_str("\r\n");
    line
}

/// One CSV field, escaped by the one implementation the exports share
/// ([`policygraph_export::csv::cell`]): a cell a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@` or their full-width forms, also after leading white
/// space, or with a tab or a carriage return) gets a leading `'`; a
/// field with a comma, quote or line break is quoted, its quotes doubled.
pub fn csv_cell(text: &str) -> String {
    policygraph_export::csv::cell(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_fields_quoted() {
        assert_eq!(csv_cell("=1+2"), "'=1+2");
        assert_eq!(csv_cell("+33 1"), "'+33 1");
        assert_eq!(csv_cell("-5"), "'-5");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
        assert_eq!(csv_cell("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_row(&["a", "b"]), "a,b\r\n");
    }

    #[test]
    fn plain_tables_align() {
        let mut t = Table::new(&["id", "n"]).right(&[1]);
        t.row(vec!["long-id".into(), "3".into()]);
        t.row(vec!["x".into(), "12".into()]);
        assert_eq!(t.plain(2), "  id        n\n  long-id   3\n  x        12\n");
        assert_eq!(
            t.markdown(),
            "| id | n |\n| --- | --: |\n| long-id | 3 |\n| x | 12 |\n"
        );
    }
}
