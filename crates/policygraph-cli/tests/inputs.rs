//! Inputs that are not plain files: pipes, standard input, links that lead nowhere,
//! limits reported where they are exceeded (issue #14).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write as _;
use std::process::Stdio;
use std::time::Duration;

use common::{REFERENCE, cli, root, run, stderr, stdout};

/// Runs the CLI with `input` on its standard input; a watchdog kills it after 60 s so
/// that a hang fails the test instead of stalling the suite.
fn with_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = cli()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = wait_or_kill(child);
    writer.join().unwrap();
    out
}

fn wait_or_kill(child: std::process::Child) -> std::process::Output {
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        if rx.recv_timeout(Duration::from_secs(60)).is_err() {
            // the command hangs: end it (by its own id) so that the test fails
            let _ = std::process::Command::new("kill")
                .arg("-9")
                .arg(id.to_string())
                .status();
        }
    });
    let out = child.wait_with_output().unwrap();
    let _ = tx.send(());
    out
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("f.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let fifo = fifo.to_str().unwrap();
    let reference = root().join(REFERENCE);
    let reference = reference.to_str().unwrap();
    for args in [
        vec!["check", fifo],
        vec!["validate", fifo],
        vec!["validate", dir.path().to_str().unwrap()],
        vec!["diff", fifo, reference],
        vec!["diff", reference, fifo],
        vec!["coverage", fifo],
    ] {
        let child = cli()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = wait_or_kill(child);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            all.contains("is a pipe, socket or device, not a regular file"),
            "{args:?}: {all}"
        );
    }
}

#[test]
fn standard_input_is_read_in_every_command() {
    let reference = std::fs::read(root().join(REFERENCE)).unwrap();
    for args in [
        vec!["check", "-"],
        vec!["validate", "-"],
        vec!["coverage", "-"],
        vec!["diff", "-", REFERENCE],
        vec!["export", "-", "--to", "markdown"],
        vec!["convert", "-", "--to", "toml"],
        vec!["trace", "-", "P1"],
        vec!["impact", "-", "P1"],
        vec!["query", "-", "--kind", "activity"],
    ] {
        let out = with_stdin(&args, &reference);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    // the same programme in JSON and TOML, told apart by their text
    let doc = policygraph::parse_str(
        std::str::from_utf8(&reference).unwrap(),
        policygraph::Format::Yaml,
    )
    .unwrap();
    for format in [policygraph::Format::Json, policygraph::Format::Toml] {
        let text = policygraph::to_string(&doc, format).unwrap();
        let out = with_stdin(&["diff", "-", REFERENCE], text.as_bytes());
        assert_eq!(out.status.code(), Some(0), "{format:?}: {}", stderr(&out));
    }
    // problems in standard input are shown with their lines
    let out = with_stdin(
        &["validate", "-"],
        b"format: policygraph/v1\nprogramme:\n  id: p\n  title: t\n  bogus: 1\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let all = stdout(&out);
    assert!(
        all.contains("<stdin>:5:3") && all.contains("bogus: 1"),
        "{all}"
    );
    // bounded by the size limit
    let out = with_stdin(&["check", "-", "--max-bytes", "100"], &reference);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("larger than the limit of 100 bytes"),
        "{}",
        stderr(&out)
    );
    // and read once
    let out = with_stdin(&["diff", "-", "-"], &reference);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("can be read once"));
}

#[cfg(unix)]
#[test]
fn links_that_lead_nowhere_are_reported_as_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(REFERENCE), dir.path().join("ok.yaml")).unwrap();
    std::os::unix::fs::symlink("nowhere.yaml", dir.path().join("dangling.yaml")).unwrap();
    std::os::unix::fs::symlink("loop.yaml", dir.path().join("loop.yaml")).unwrap();
    let out = run(cli().args(["validate", "--format", "json", dir.path().to_str().unwrap()]));
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let statuses: Vec<(String, String)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_owned();
            (name, f["status"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("dangling.yaml".to_owned(), "unreadable".to_owned()),
            ("loop.yaml".to_owned(), "unreadable".to_owned()),
            ("ok.yaml".to_owned(), "findings".to_owned())
        ]
    );
}
