//! Escapers shared by the renderers: text from the document made safe for one target
//! language each.
//!
//! Document text (titles, labels) is untrusted: every function here takes it as written
//! and returns something that can only ever be read back as that text (or, for the
//! one-line forms, as that text with its line breaks and control characters turned into
//! spaces). Generated syntax — node ids, keywords, arrows — never comes from here.

/// The text on one line: every control character (line feed, carriage return, tab, the
/// other C0 and C1 controls) and the Unicode line and paragraph separators become a
/// space.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The inside of a quoted Graphviz DOT string (without its quotes): on one line, with
/// `\` and `"` escaped, so the text can neither close the string nor form one of
/// Graphviz's label escapes (`\n`, `\l`, `\N`, …).
pub fn dot_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

/// The inside of a quoted Mermaid label (`["…"]`, without its brackets and quotes): on
/// one line, with every character that Mermaid gives a meaning (quote, brackets and
/// braces, `|`, `;`, `%`, `#`, backtick, backslash) or that HTML does (`<`, `>`, `&`) written
/// as a Mermaid entity code (`#quot;`, `#lt;`, `#35;`). The text cannot close the label,
/// start a statement, form a `%%{init}%%` directive or a Markdown string, or carry HTML.
pub fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' | '%' | '[' | ']' | '(' | ')' | '{' | '}' | '|' | ';' | '`' | '\\' => {
                out.push('#');
                out.push_str(&u32::from(c).to_string());
                out.push(';');
            }
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes every byte of `text` that is not an RFC 3986 unreserved character
/// (`A-Z a-z 0-9 - . _ ~`), except `:` when `keep_colon` is set. Uppercase hex.
pub fn iri_component(text: &str, keep_colon: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_colon && b == b':')
        {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(one_line("a\nb\r\tc\u{0}d\u{85}e\u{2028}f"), "a b  c d e f");
    }

    #[test]
    fn dot_strings_cannot_be_closed() {
        assert_eq!(dot_text(r#"a"b\"#), r#"a\"b\\"#);
        assert_eq!(dot_text("x\\ny\n"), "x\\\\ny ");
    }

    #[test]
    fn mermaid_labels_are_entity_coded() {
        assert_eq!(
            mermaid_text("\"]\n%%{init}%% <b>&#x;"),
            "#quot;#93; #37;#37;#123;init#125;#37;#37; #lt;b#gt;#amp;#35;x#59;"
        );
        assert_eq!(mermaid_text("Plain: text, ok."), "Plain: text, ok.");
    }

    #[test]
    fn iri_components_keep_only_unreserved() {
        assert_eq!(iri_component("WP2:T1/a b", true), "WP2:T1%2Fa%20b");
        assert_eq!(iri_component("p:q", false), "p%3Aq");
        assert_eq!(iri_component("é", false), "%C3%A9");
    }
}
