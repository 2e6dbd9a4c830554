//! Reading documents: valid fixtures load, invalid fixtures report every problem with
//! its code, JSON Pointer, line and column, and untrusted input stays within bounds.
//!
//! Each invalid fixture `tests/structure/invalid/NAME.EXT` has a sidecar
//! `NAME.EXT.expected.json` listing the diagnostics expected, readable from any language.
//! `POLICYGRAPH_BLESS=1 cargo test -p policygraph --test structure` rewrites the sidecars
//! (review the diff before committing).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use policygraph::{Code, Format, Limits, load_path};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            Format::from_path(p).is_some() && !p.to_string_lossy().ends_with(".expected.json")
        })
        .collect();
    out.sort();
    out
}

#[test]
fn valid_fixtures_and_examples_load() {
    let mut paths = fixtures("tests/structure/valid");
    paths.extend(fixtures("examples"));
    assert!(paths.len() >= 5, "expected fixtures, found {paths:?}");
    for path in paths {
        if let Err(e) = load_path(&path, &Limits::default()) {
            panic!("{} should load: {e}", path.display());
        }
    }
}

fn summarise(path: &Path) -> Value {
    let err = load_path(path, &Limits::default()).expect_err("an invalid fixture must not load");
    let diagnostics: Vec<Value> = err
        .diagnostics
        .iter()
        .map(|d| {
            let loc = d
                .location
                .as_ref()
                .expect("every diagnostic of a file is located");
            json!({"code": d.code, "pointer": d.pointer, "line": loc.line, "column": loc.column})
        })
        .collect();
    json!({ "diagnostics": diagnostics })
}

#[test]
fn invalid_fixtures_report_what_their_sidecars_expect() {
    let paths = fixtures("tests/structure/invalid");
    assert!(paths.len() >= 8);
    let bless = std::env::var_os("POLICYGRAPH_BLESS").is_some();
    for path in paths {
        let actual = summarise(&path);
        let sidecar = PathBuf::from(format!("{}.expected.json", path.display()));
        if bless {
            std::fs::write(
                &sidecar,
                serde_json::to_string_pretty(&actual).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(&sidecar)
                .unwrap_or_else(|_| panic!("missing sidecar {}", sidecar.display())),
        )
        .unwrap();
        assert_eq!(actual, expected, "diagnostics of {}", path.display());
    }
}

#[test]
fn three_problems_are_reported_in_one_run_in_every_format() {
    for ext in ["yaml", "json", "toml"] {
        let path = root().join(format!("tests/structure/invalid/three-problems.{ext}"));
        let err = load_path(&path, &Limits::default()).unwrap_err();
        let codes: Vec<(Code, &str)> = err
            .diagnostics
            .iter()
            .map(|d| (d.code, d.pointer.as_str()))
            .collect();
        assert!(
            codes.contains(&(Code::UnknownField, "/programme/titel")),
            "{ext}: {codes:?}"
        );
        assert!(
            codes.contains(&(Code::WrongType, "/activities/0/funding")),
            "{ext}: {codes:?}"
        );
        assert!(
            codes.contains(&(Code::InvalidValue, "/programme/adopted")),
            "{ext}: {codes:?}"
        );
        let misspelt = err
            .diagnostics
            .iter()
            .find(|d| d.code == Code::UnknownField)
            .unwrap();
        assert_eq!(misspelt.help.as_deref(), Some("did you mean `title`?"));
        for d in &err.diagnostics {
            let loc = d.location.as_ref().unwrap();
            assert!(loc.line > 1 && loc.column >= 1, "{ext}: {d}");
            assert!(loc.file.as_deref().unwrap().ends_with(ext));
            assert!(
                !d.message.ends_with('.') && !d.message.chars().next().unwrap().is_uppercase(),
                "{d}"
            );
        }
    }
}

fn limit_error(path: &Path) -> policygraph::Diagnostic {
    let err = load_path(path, &Limits::default()).expect_err("must be refused");
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    let d = err.diagnostics.into_iter().next().unwrap();
    assert_eq!(d.code, Code::LimitExceeded, "{d}");
    assert!(d.location.is_some());
    d
}

#[test]
fn nesting_ten_thousand_deep_is_refused_in_every_format() {
    let dir = tempdir();
    let dir = dir.path();
    let open = "[".repeat(10_000);
    let close = "]".repeat(10_000);
    let cases = [
        (
            "deep.yaml",
            format!("format: policygraph/v1\nprogramme: {open}{close}\n"),
        ),
        (
            "deep.json",
            format!("{{\"format\": \"policygraph/v1\", \"programme\": {open}{close}}}\n"),
        ),
        (
            "deep.toml",
            format!("format = \"policygraph/v1\"\nprogramme = {open}{close}\n"),
        ),
        (
            "deep-block.yaml",
            (0..10_000).fold(
                "format: policygraph/v1\nprogramme:\n".to_owned(),
                |mut s, i| {
                    s.push_str(&" ".repeat(i + 2));
                    s.push_str("a:\n");
                    s
                },
            ),
        ),
    ];
    for (name, text) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let d = limit_error(&path);
        assert!(d.message.contains("nests deeper"), "{name}: {d}");
    }
}

#[test]
fn an_alias_bomb_is_refused() {
    let d = limit_error(&root().join("tests/structure/invalid/alias-bomb.yaml"));
    assert!(d.message.contains("aliases"), "{d}");
}

#[test]
fn a_100_mb_file_is_refused_before_it_is_read() {
    let dir = tempdir();
    let path = dir.path().join("huge.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let d = limit_error(&path);
    assert!(d.message.contains("larger than the limit"), "{d}");
    // in-memory text is bounded the same way
    let text = " ".repeat(65 * 1024 * 1024);
    let err = policygraph::parse_str(&text, Format::Yaml).unwrap_err();
    assert_eq!(err.diagnostics[0].code, Code::LimitExceeded);
}

#[test]
fn missing_files_and_unknown_extensions_are_located_errors() {
    let err = load_path(Path::new("no/such/file.yaml"), &Limits::default()).unwrap_err();
    assert_eq!(err.diagnostics[0].code, Code::Unreadable);
    assert!(err.diagnostics[0].message.contains("no/such/file.yaml"));
    let err = load_path(Path::new("programme.docx"), &Limits::default()).unwrap_err();
    assert!(err.diagnostics[0].message.contains("extension"));
}

/// A fresh directory, removed (with what the test wrote in it) when dropped.
fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("policygraph-structure-")
        .tempdir()
        .unwrap()
}
