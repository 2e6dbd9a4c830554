//! What the CLI's tests share: the repository root, the binary, the fixtures.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The reference programme, relative to the repository root.
pub const REFERENCE: &str = "examples/pompidou-2023-2025.yaml";

/// The repository root (commands run from it, so paths in outputs are repo-relative).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `policygraph` binary, run from the repository root without colour.
pub fn cli() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_policygraph"));
    c.current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RUST_BACKTRACE");
    c
}

/// Runs a command and returns its output, asserting it did not panic.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "the command panicked: {stderr}"
    );
    out
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Repository-relative paths of the files in a fixture directory with this extension,
/// sorted (the `*.expected.json` companions are never included).
pub fn fixtures(dir: &str, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join(dir))
        .expect("fixture directory")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(&format!(".{ext}")) && !n.ends_with(".expected.json"))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    v.sort();
    v
}

/// The conformance fixtures (`tests/conformance/*.yaml`).
pub fn conformance() -> Vec<String> {
    fixtures("tests/conformance", "yaml")
}

/// The structure fixtures: valid and invalid documents in every format.
pub fn structure() -> Vec<String> {
    let mut v = Vec::new();
    for dir in ["tests/structure/valid", "tests/structure/invalid"] {
        for ext in ["yaml", "json", "toml"] {
            v.extend(fixtures(dir, ext));
        }
    }
    v
}

/// Parses JSON output.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON output")
}
