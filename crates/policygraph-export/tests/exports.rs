//! The DOT, Mermaid, CSV and JSON-LD exports: snapshots on the reference programme, and
//! hostile titles (`tests/export/hostile.yaml`) that must come out as plain text in
//! every format.
//!
//! Review snapshot changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test
//! -p policygraph-export` and read the diff).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use policygraph::{Graph, Limits, NodeKind, model::Document};
use policygraph_export::chain::ResultsChain;
use policygraph_export::{csv, dot, escape, jsonld, mermaid};
use serde_json::Value;

const REFERENCE: &str = "examples/pompidou-2023-2025.yaml";
const HOSTILE: &str = "tests/export/hostile.yaml";

fn load(path: &str) -> Document {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    policygraph::load_path(&full, &Limits::default())
        .unwrap_or_else(|e| panic!("{path}: {:?}", e.diagnostics))
        .document
}

fn parse(text: &str) -> Document {
    policygraph::parse_str(text, policygraph::Format::Yaml).expect("a valid document")
}

// ---------------------------------------------------------------------------------
// snapshots of the reference programme
// ---------------------------------------------------------------------------------

#[test]
fn reference_dot() {
    let doc = load(REFERENCE);
    let graph = Graph::build(&doc);
    insta::assert_snapshot!("reference_dot", dot::render(&ResultsChain::of(&graph)));
}

#[test]
fn reference_mermaid() {
    let doc = load(REFERENCE);
    let graph = Graph::build(&doc);
    insta::assert_snapshot!(
        "reference_mermaid",
        mermaid::render(&ResultsChain::of(&graph))
    );
}

#[test]
fn reference_csv() {
    let doc = load(REFERENCE);
    let graph = Graph::build(&doc);
    let files = csv::tables(&graph);
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    insta::assert_snapshot!("reference_csv_files", names.join("\n"));
    for file in &files {
        // the snapshot shows `\n`; the records' `\r\n` is checked by the parser below
        let stem = file.name.trim_end_matches(".csv");
        insta::assert_snapshot!(
            format!("reference_csv_{stem}"),
            file.content.replace("\r\n", "\n")
        );
    }
}

#[test]
fn reference_jsonld() {
    let doc = load(REFERENCE);
    let graph = Graph::build(&doc);
    insta::assert_snapshot!("reference_jsonld", jsonld::render(&graph));
}

#[test]
fn exports_are_deterministic() {
    let doc = load(REFERENCE);
    let graph = Graph::build(&doc);
    let chain = ResultsChain::of(&graph);
    assert_eq!(dot::render(&chain), dot::render(&ResultsChain::of(&graph)));
    assert_eq!(mermaid::render(&chain), mermaid::render(&chain));
    assert_eq!(csv::tables(&graph), csv::tables(&graph));
    assert_eq!(jsonld::render(&graph), jsonld::render(&graph));
}

// ---------------------------------------------------------------------------------
// DOT
// ---------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum DotToken {
    Ident(String),
    /// A quoted string, its escapes (`\"`, `\\`) undone.
    Str(String),
    Arrow,
    Punct(char),
}

/// A lexer for the DOT language as Graphviz reads it: `//` comments, quoted strings with
/// backslash escapes, identifiers and numbers, `->`, punctuation.
fn dot_tokens(text: &str) -> Vec<DotToken> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                let c = *chars.get(i).expect("a closed string");
                i += 1;
                match c {
                    '"' => break,
                    '\\' => {
                        let next = *chars.get(i).expect("an escape");
                        i += 1;
                        match next {
                            '"' | '\\' => s.push(next),
                            'n' => s.push('\n'),
                            other => panic!("unexpected escape \\{other}"),
                        }
                    }
                    '\n' | '\r' => panic!("a line break in a string"),
                    c => s.push(c),
                }
            }
            out.push(DotToken::Str(s));
        } else if c == '-' && chars.get(i + 1) == Some(&'>') {
            out.push(DotToken::Arrow);
            i += 2;
        } else if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '_' | '.'))
            {
                i += 1;
            }
            out.push(DotToken::Ident(chars[start..i].iter().collect()));
        } else if "{}[];,=".contains(c) {
            out.push(DotToken::Punct(c));
            i += 1;
        } else {
            panic!("unexpected character {c:?} outside strings");
        }
    }
    out
}

/// Checks a DOT text against the chain it draws: only generated node ids, one node
/// statement per element, one edge statement per link, labels that read back as the
/// titles.
fn check_dot(text: &str, chain: &ResultsChain) {
    const WORDS: &[&str] = &[
        "digraph",
        "subgraph",
        "graph",
        "node",
        "edge",
        "results_chain",
        "rankdir",
        "LR",
        "newrank",
        "true",
        "nodesep",
        "ranksep",
        "fontname",
        "shape",
        "style",
        "fontsize",
        "color",
        "label",
        "rank",
        "same",
        "fillcolor",
        "tooltip",
        "fontcolor",
        "arrowhead",
        "empty",
        "box",
        "note",
        "component",
        "hexagon",
        "ellipse",
        "bold",
        "dashed",
        "dotted",
        "solid",
    ];
    let tokens = dot_tokens(text);
    let node_id = |s: &str| {
        s.strip_prefix('n')
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n < chain.nodes.len())
    };
    let mut defined = Vec::new();
    let mut edges = Vec::new();
    let mut labels: HashMap<usize, String> = HashMap::new();
    for (k, t) in tokens.iter().enumerate() {
        let DotToken::Ident(word) = t else { continue };
        let is_number = word.parse::<f64>().is_ok();
        let is_cluster = word
            .strip_prefix("cluster_")
            .is_some_and(|n| n.parse::<usize>().is_ok());
        if WORDS.contains(&word.as_str()) || is_number || is_cluster {
            continue;
        }
        let n = node_id(word).unwrap_or_else(|| panic!("unexpected identifier `{word}`"));
        match (tokens.get(k + 1), tokens.get(k.wrapping_sub(1))) {
            (Some(DotToken::Arrow), _) => {
                let Some(DotToken::Ident(to)) = tokens.get(k + 2) else {
                    panic!("an edge without a target")
                };
                edges.push((n, node_id(to).expect("a generated target")));
            }
            (_, Some(DotToken::Arrow)) => {}
            (Some(DotToken::Punct('[')), _) => {
                defined.push(n);
                assert_eq!(tokens[k + 2], DotToken::Ident("label".into()));
                let DotToken::Str(label) = &tokens[k + 4] else {
                    panic!("a quoted label")
                };
                labels.insert(n, label.clone());
            }
            other => panic!("`{word}` in an unexpected place: {other:?}"),
        }
    }
    let arrows = tokens.iter().filter(|t| **t == DotToken::Arrow).count();
    assert_eq!(arrows, chain.edges.len(), "one `->` per link");
    assert_eq!(edges.len(), chain.edges.len());
    let expected: Vec<(usize, usize)> = chain.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(edges, expected, "the links, in order");
    let mut sorted = defined.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..chain.nodes.len()).collect::<Vec<_>>());
    for (i, node) in chain.nodes.iter().enumerate() {
        let label = &labels[&i];
        let (id, title) = label.split_once('\n').expect("id, then title");
        assert_eq!(id, escape::one_line(&node.id));
        let words: Vec<String> = escape::one_line(&node.title)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        assert_eq!(
            title.replace('\n', " "),
            words.join(" "),
            "label of {}",
            node.id
        );
    }
    // no HTML-like label anywhere: the lexer refuses `<` outside quoted strings
}

#[test]
fn dot_of_hostile_titles_has_only_generated_statements() {
    let doc = load(HOSTILE);
    let graph = Graph::build(&doc);
    let chain = ResultsChain::of(&graph);
    let text = dot::render(&chain);
    check_dot(&text, &chain);
    // the injected statement is only ever text inside a label
    assert!(!text.lines().any(|l| l.trim_start().starts_with("evil")));
    assert!(text.contains(r#"\"]; evil -> injected; [label=\""#));
    insta::assert_snapshot!("hostile_dot", text);
}

#[test]
fn dot_of_the_reference_reads_back() {
    let doc = load(REFERENCE);
    let graph = Graph::build(&doc);
    let chain = ResultsChain::of(&graph);
    check_dot(&dot::render(&chain), &chain);
}

#[test]
fn dot_is_accepted_by_graphviz_when_installed() {
    let doc = load(HOSTILE);
    let graph = Graph::build(&doc);
    let text = dot::render(&ResultsChain::of(&graph));
    let child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("graphviz is not installed: DOT syntax not checked by `dot`");
        return;
    };
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "dot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("<img"));
}

// ---------------------------------------------------------------------------------
// Mermaid
// ---------------------------------------------------------------------------------

/// Undoes Mermaid entity codes (`#quot;`, `#35;`).
fn mermaid_decode(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let end = tail.find(';').expect("an entity ends with `;`");
        let name = &tail[..end];
        out.push(match name {
            "quot" => '"',
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            n => char::from_u32(n.parse().expect("a decimal code")).expect("a character"),
        });
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// `n<digits>` below `count`.
fn generated(s: &str, count: usize) -> Option<usize> {
    s.strip_prefix('n')?
        .parse::<usize>()
        .ok()
        .filter(|n| *n < count)
}

/// Checks a Mermaid text against the chain it draws: every line is one of the statements
/// the renderer writes, with generated ids only, and labels read back as the titles.
fn check_mermaid(text: &str, chain: &ResultsChain) {
    let n = chain.nodes.len();
    let mut edges = Vec::new();
    let mut labels = HashMap::new();
    for (k, line) in text.lines().enumerate() {
        let t = line.trim();
        assert!(!t.starts_with("click"), "line {k}: {line}");
        assert!(!line.contains("%%{"), "line {k}: {line}");
        assert!(!line.contains('<'), "line {k}: {line}");
        if let Some(comment) = t.strip_prefix("%%") {
            assert!(k < 4, "comments only in the header: {line}");
            assert!(comment.starts_with(' '));
            continue;
        }
        if t == "flowchart LR" || t == "direction TB" || t == "end" {
            continue;
        }
        if let Some(rest) = t.strip_prefix("subgraph layer") {
            let (digit, label) = rest.split_at(1);
            assert!(digit.parse::<usize>().is_ok());
            let inner = label
                .strip_prefix("[\"")
                .and_then(|l| l.strip_suffix("\"]"))
                .unwrap();
            assert!(!inner.contains('"'));
            continue;
        }
        if let Some(rest) = t.strip_prefix("classDef ") {
            let (name, style) = rest.split_once(' ').unwrap();
            assert!(NodeKind::parse(name).is_some(), "{line}");
            assert!(
                style
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ":#,".contains(c))
            );
            continue;
        }
        if let Some(rest) = t.strip_prefix("class ") {
            let (ids, name) = rest.split_once(' ').unwrap();
            assert!(ids.split(',').all(|i| generated(i, n).is_some()), "{line}");
            assert!(NodeKind::parse(name).is_some(), "{line}");
            continue;
        }
        if let Some(rest) = t.strip_prefix("linkStyle ") {
            let (positions, style) = rest.split_once(' ').unwrap();
            assert!(
                positions
                    .split(',')
                    .all(|p| p.parse::<usize>().unwrap() < chain.edges.len())
            );
            assert!(style.starts_with("stroke:#") && style.len() == 14, "{line}");
            continue;
        }
        if let Some(open) = t.find("[\"") {
            let i = generated(&t[..open], n).unwrap_or_else(|| panic!("{line}"));
            let inner = t[open + 2..].strip_suffix("\"]").unwrap();
            assert!(!inner.contains('"'), "{line}");
            // outside entity codes (`#name;`, `#123;`), no character Mermaid reads
            let mut bare = String::new();
            let mut rest = inner;
            while let Some(at) = rest.find('#') {
                bare.push_str(&rest[..at]);
                let end = rest[at..].find(';').expect("an entity code") + at;
                assert!(rest[at + 1..end].chars().all(|c| c.is_ascii_alphanumeric()));
                rest = &rest[end + 1..];
            }
            bare.push_str(rest);
            assert!(
                !bare.contains([
                    '[', ']', '(', ')', '{', '}', '|', ';', '%', '`', '<', '>', '&', '\\'
                ]),
                "{line}"
            );
            labels.insert(i, mermaid_decode(inner));
            continue;
        }
        let parts: Vec<&str> = t.split(' ').collect();
        let (from, to) = (parts[0], parts[parts.len() - 1]);
        let arrow = parts[1..parts.len() - 1].join(" ");
        let known = arrow == "-->"
            || ["-->|", "==>|", "-.->|"].iter().any(|a| {
                arrow
                    .strip_prefix(a)
                    .and_then(|r| r.strip_suffix('|'))
                    .is_some_and(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == ' '))
            });
        assert!(known, "line {k}: {line}");
        edges.push((
            generated(from, n).unwrap_or_else(|| panic!("{line}")),
            generated(to, n).unwrap_or_else(|| panic!("{line}")),
        ));
    }
    let expected: Vec<(usize, usize)> = chain.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(edges, expected);
    assert_eq!(labels.len(), n);
    for (i, node) in chain.nodes.iter().enumerate() {
        assert_eq!(
            labels[&i],
            format!("{}: {}", node.id, escape::one_line(&node.title))
        );
    }
}

#[test]
fn mermaid_of_hostile_titles_has_only_generated_statements() {
    let doc = load(HOSTILE);
    let graph = Graph::build(&doc);
    let chain = ResultsChain::of(&graph);
    let text = mermaid::render(&chain);
    check_mermaid(&text, &chain);
    insta::assert_snapshot!("hostile_mermaid", text);
}

#[test]
fn mermaid_of_the_reference_reads_back() {
    let doc = load(REFERENCE);
    let graph = Graph::build(&doc);
    let chain = ResultsChain::of(&graph);
    check_mermaid(&mermaid::render(&chain), &chain);
}

// ---------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------

/// A strict RFC 4180 reader: records end with CRLF (line breaks inside quoted fields
/// are data), a quote inside a quoted field is doubled, no quote appears in an unquoted
/// field.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    assert!(
                        matches!(chars.peek(), Some(',' | '\r') | None),
                        "a closing quote ends its field"
                    );
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => {
                assert!(at_start, "a quote inside an unquoted field");
                quoted = true;
                at_start = false;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "records end with CRLF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_start = true;
            }
            '\n' => panic!("a bare line feed outside quotes"),
            c => {
                field.push(c);
                at_start = false;
            }
        }
    }
    assert!(!quoted, "an unclosed quote");
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record ends with CRLF"
    );
    records
}

/// The tables by name, parsed, each checked to have a header and rows as wide as it.
fn read_tables(graph: &Graph<'_>) -> BTreeMap<String, Vec<Vec<String>>> {
    let mut out = BTreeMap::new();
    for file in csv::tables(graph) {
        let records = read_csv(&file.content);
        let width = records[0].len();
        for (i, r) in records.iter().enumerate() {
            assert_eq!(r.len(), width, "{} record {i}", file.name);
        }
        out.insert(file.name, records);
    }
    out
}

#[test]
fn csv_tables_have_their_documented_columns_and_every_element() {
    let doc = load(REFERENCE);
    let graph = Graph::build(&doc);
    let tables = read_tables(&graph);
    for kind in NodeKind::ALL {
        let count = graph.nodes_of_kind(kind).len();
        let name = format!("{}.csv", kind.as_str());
        match tables.get(&name) {
            None => assert_eq!(count, 0, "{name} missing"),
            Some(t) => {
                assert_eq!(t[0], csv::header(kind), "{name}");
                assert_eq!(t.len() - 1, count, "{name}");
                let ids: Vec<&str> = t[1..].iter().map(|r| r[0].as_str()).collect();
                let expected: Vec<&str> = graph.nodes_of_kind(kind).map(|n| n.id()).collect();
                assert_eq!(ids, expected);
            }
        }
    }
    let links = &tables["links.csv"];
    assert_eq!(links[0], csv::LINKS_HEADER);
    assert_eq!(links.len() - 1, graph.edge_count());
    let expected: Vec<Vec<String>> = graph
        .edges()
        .map(|(s, k, t)| vec![s.id().to_owned(), k.as_str().to_owned(), t.id().to_owned()])
        .collect();
    assert_eq!(&links[1..], &expected[..]);
}

#[test]
fn csv_neutralises_formulas_in_hostile_titles() {
    let doc = load(HOSTILE);
    let graph = Graph::build(&doc);
    let tables = read_tables(&graph);
    let title = |table: &str, id: &str| -> String {
        let t = &tables[table];
        let column = t[0].iter().position(|h| h == "title").unwrap();
        t.iter().find(|r| r[0] == id).unwrap()[column].clone()
    };
    assert_eq!(
        title("line_of_action.csv", "L1"),
        "'=HYPERLINK(\"http://evil.invalid\",\"click\")"
    );
    assert_eq!(
        title("line_of_action.csv", "L2"),
        "'+1+2 and -3 and @SUM(A1) line"
    );
    // a full-width `＝`, and a formula after leading white space, are formulas too
    assert_eq!(
        title("line_of_action.csv", "L3"),
        "'\u{ff1d}HYPERLINK(\"http://evil.invalid\",\"full-width\")"
    );
    assert_eq!(
        title("line_of_action.csv", "L4"),
        "' \t\n=1+2 after white space"
    );
    assert_eq!(title("indicator.csv", "I1"), "'-cmd|' /C calc'!A0");
    assert_eq!(
        title("funding_source.csv", "OB"),
        "'@import url(http://evil.invalid/x.css);"
    );
    assert_eq!(
        title("activity.csv", "A2"),
        "'\ttab-led title with \r carriage return"
    );
    // titles that are not formulas stay exactly as written, line breaks included
    assert_eq!(
        title("deliverable.csv", "D1"),
        "end\n  click D1 call alert(1)\n%%{init: {'theme':'dark'}}%%"
    );
    assert_eq!(
        title("activity.csv", "A1"),
        "\"]; evil -> injected; [label=\""
    );
    // no cell of any table starts a formula
    for (name, t) in &tables {
        for r in t {
            for c in r {
                let first = c.trim_start_matches([' ', '\t', '\r', '\n']).chars().next();
                assert!(
                    !c.starts_with(['\t', '\r'])
                        && !first
                            .is_some_and(|f| "=+-@\u{ff1d}\u{ff0b}\u{ff0d}\u{ff20}".contains(f)),
                    "{name}: {c:?}"
                );
            }
        }
    }
    // the numeric target is a number
    let indicators = &tables["indicator.csv"];
    let target = indicators[0].iter().position(|h| h == "target").unwrap();
    assert_eq!(indicators[1][target], "2");
    insta::assert_snapshot!(
        "hostile_csv",
        csv::tables(&graph)
            .iter()
            .map(|f| format!("# file: {}\n{}", f.name, f.content.replace("\r\n", "\n")))
            .collect::<String>()
    );
}

#[test]
fn csv_numeric_columns_keep_negative_numbers() {
    let doc = parse(
        "format: policygraph/v1\nprogramme: {id: p, title: P, period: 2023-2025}\n\
         activities:\n  - {id: A1, title: \"-minus\", timeframe: 2023-24, funding: [F],\n     \
         budget: {total: -5, allocations: [{source: F, year: 2023, amount: \"-2.50\"}]}}\n\
         funding_sources: [{id: F, title: Fund, declared: [{amount: -7}, {year: 2024, amount: 3}]}]\n",
    );
    let graph = Graph::build(&doc);
    let tables = read_tables(&graph);
    let activity = &tables["activity.csv"];
    let col = |name: &str| activity[0].iter().position(|h| h == name).unwrap();
    let row = &activity[1];
    assert_eq!(row[col("title")], "'-minus");
    assert_eq!(row[col("budget_total")], "-5");
    assert_eq!(row[col("budget_allocations")], "F 2023=-2.5");
    assert_eq!(row[col("start_year")], "2023");
    assert_eq!(row[col("end_year")], "2024");
    assert_eq!(row[col("timeframe")], "2023-24");
    let funding = &tables["funding_source.csv"];
    let declared = funding[0].iter().position(|h| h == "declared").unwrap();
    // a composite column is text: neutralised when it starts with a sign
    assert_eq!(funding[1][declared], "'-7;2024=3");
}

// ---------------------------------------------------------------------------------
// JSON-LD
// ---------------------------------------------------------------------------------

/// Checks the JSON-LD of a graph: it parses, every element is one object of its class
/// with its exact title, every edge is a property of its source, every term is defined.
fn check_jsonld(graph: &Graph<'_>) -> Value {
    let text = jsonld::render(graph);
    assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let context = doc["@context"].as_object().unwrap();
    let objects = doc["@graph"].as_array().unwrap();
    let programme = graph.root().id();
    let mut by_iri: HashMap<&str, &Value> = HashMap::new();
    for o in objects {
        let id = o["@id"].as_str().unwrap();
        assert!(by_iri.insert(id, o).is_none(), "{id} appears twice");
    }
    let mut unique = 0;
    for node in graph.nodes() {
        if graph.node(node.id()) != Some(node) {
            continue; // a later duplicate
        }
        unique += 1;
        let o = by_iri[jsonld::iri(programme, node.id()).as_str()];
        let types: Vec<&str> = o["@type"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(types.contains(&jsonld::class(node.kind())), "{types:?}");
        assert_eq!(o["title"], node.title(), "{}", node.id());
        assert_eq!(o["identifier"], node.id());
    }
    assert_eq!(objects.len(), unique);
    for (source, kind, target) in graph.edges() {
        let o = by_iri[jsonld::iri(programme, source.id()).as_str()];
        let values = o[jsonld::edge_term(kind)]
            .as_array()
            .unwrap_or_else(|| panic!("{} has no {kind}", source.id()));
        assert!(
            values.contains(&Value::String(jsonld::iri(programme, target.id()))),
            "{} {kind} {}",
            source.id(),
            target.id()
        );
    }
    fn terms(v: &Value, context: &serde_json::Map<String, Value>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    assert!(
                        k.starts_with('@') || context.contains_key(k),
                        "undefined `{k}`"
                    );
                    if k == "@type" {
                        for t in v.as_array().cloned().unwrap_or_else(|| vec![v.clone()]) {
                            let t = t.as_str().unwrap();
                            let prefix = t.split_once(':').map_or(t, |(p, _)| p);
                            assert!(context.contains_key(prefix), "undefined type `{t}`");
                        }
                    } else {
                        terms(v, context);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| terms(v, context)),
            _ => {}
        }
    }
    for o in objects {
        terms(o, context);
    }
    doc
}

#[test]
fn jsonld_of_the_reference_holds_every_element_and_edge() {
    let doc = load(REFERENCE);
    let graph = Graph::build(&doc);
    let ld = check_jsonld(&graph);
    // partners are organisations, networks have their members
    let objects = ld["@graph"].as_array().unwrap();
    let is = |t: &str| {
        objects
            .iter()
            .filter(|o| o["@type"].as_array().unwrap().contains(&Value::from(t)))
            .count()
    };
    assert_eq!(is("org:Organization"), doc.partners.len());
    assert_eq!(is("org:OrganizationalCollaboration"), doc.networks.len());
    assert_eq!(is("skos:Concept"), doc.themes.len());
}

#[test]
fn jsonld_keeps_hostile_titles_as_exact_strings() {
    let doc = load(HOSTILE);
    let graph = Graph::build(&doc);
    check_jsonld(&graph);
    let text = jsonld::render(&graph);
    assert!(!text.to_ascii_lowercase().contains("</script"));
    insta::assert_snapshot!("hostile_jsonld", text);
}

#[test]
fn jsonld_iris_are_percent_encoded_and_unambiguous() {
    assert_eq!(jsonld::iri("p", "WP2:T1/a"), "urn:policygraph:p:WP2:T1%2Fa");
    assert_ne!(jsonld::iri("p:a", "b"), jsonld::iri("p", "a:b"));
    let doc = parse(
        "format: policygraph/v1\nprogramme: {id: \"nap/2024\", title: P}\n\
         partners: [{id: \"a/b:c\", title: \"A & B <org>\"}, {id: a.b, title: X}]\n\
         networks: [{id: N, title: Net, partners: [\"a/b:c\", a.b]}]\n",
    );
    let graph = Graph::build(&doc);
    let ld = check_jsonld(&graph);
    let objects = ld["@graph"].as_array().unwrap();
    let network = objects.iter().find(|o| o["identifier"] == "N").unwrap();
    assert_eq!(
        network["hasMember"],
        serde_json::json!([
            "urn:policygraph:nap%2F2024:a%2Fb:c",
            "urn:policygraph:nap%2F2024:a.b"
        ])
    );
}

#[test]
fn jsonld_exports_a_repeated_id_once() {
    let doc = parse(
        "format: policygraph/v1\nprogramme: {id: p, title: P}\n\
         themes: [{id: T, title: First}, {id: T, title: Second}]\n",
    );
    let graph = Graph::build(&doc);
    let ld = check_jsonld(&graph);
    let themes: Vec<&Value> = ld["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["identifier"] == "T")
        .collect();
    assert_eq!(themes.len(), 1);
    assert_eq!(themes[0]["title"], "First");
}

#[test]
fn csv_tables_hold_the_work_plan_fields_and_targets_as_numbers() {
    let doc = load("tests/structure/valid/eu-grant-work-plan.yaml");
    let graph = Graph::build(&doc);
    let tables = read_tables(&graph);
    let cell = |table: &str, id: &str, column: &str| -> String {
        let t = &tables[table];
        let c = t[0]
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("{table} has no column `{column}`"));
        t.iter().find(|r| r[0] == id).unwrap()[c].clone()
    };
    // the target column is a number: the bound's value, its comparator beside it
    assert_eq!(cell("indicator.csv", "KPI1", "target"), "1");
    assert_eq!(cell("indicator.csv", "KPI1", "comparator"), "at_least");
    assert_eq!(cell("milestone.csv", "MS1", "lead"), "COORD");
    assert_eq!(cell("milestone.csv", "MS1", "partners"), "LTP;NGO");
    assert_eq!(cell("milestone.csv", "MS1", "counts_toward"), "KPI1;KPI4");
    assert_eq!(cell("milestone.csv", "MS1", "also_in"), "WP2");
    assert_eq!(cell("milestone.csv", "MS1", "depends_on"), "WP1.T1");
    assert_eq!(
        cell("milestone.csv", "MS1", "measurement"),
        "evidence base adopted by the steering committee"
    );
    assert_eq!(cell("activity.csv", "WP2", "person_months"), "24");
    assert_eq!(cell("activity.csv", "WP2", "refers_to"), "WP1.T1");
    assert_eq!(cell("activity.csv", "WP2", "depends_on"), "WP1;MS1");
    assert_eq!(cell("partner.csv", "LTP", "linked_to"), "COORD");
    assert_eq!(cell("partner.csv", "COORD", "also_known_as"), "UEX");
    assert_eq!(cell("deliverable.csv", "D2.1", "dissemination"), "public");
    // the columns added last, after the ones scripts already read by position
    let header = csv::header(NodeKind::Indicator);
    assert_eq!(header.last(), Some(&"refers_to"));
    assert_eq!(
        &header[..6],
        ["id", "title", "parent", "unit", "baseline", "target"]
    );
}
