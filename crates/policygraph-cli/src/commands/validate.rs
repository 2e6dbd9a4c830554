//! `policygraph validate PATH...`: many files, in parallel, for people, machines and CI.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use policygraph::{Format, Limits, check_loaded};
use rayon::prelude::*;

use super::Threshold;
use crate::args::{ListArgs, RuleArgs, ValidateFormat};
use crate::exit::{CLEAN, FAILURE, FINDINGS, Failure, Outcome, io_reason, print};
use crate::findings::{self, Item, Layout};
use crate::output::paths::Base;
use crate::output::{self, Checked, LineIndex, Status, Totals};
use crate::progress;
use crate::render::{self, Style, count, counts};

/// Batches longer than this show a progress bar on a terminal.
const PROGRESS_AFTER: usize = 20;

pub fn run(
    paths: &[PathBuf],
    format: ValidateFormat,
    list: &ListArgs,
    rules: &RuleArgs,
    limits: &Limits,
    style: &Style,
) -> Outcome {
    let threshold = rules.threshold()?;
    let for_people = matches!(format, ValidateFormat::Human | ValidateFormat::Concise);
    if let (false, Some(flag)) = (for_people, list.given()) {
        return Err(Failure::new(format!(
            "`{flag}` applies to the `human` and `concise` formats only"
        )));
    }
    let (files, problems) = expand(paths);
    for p in &problems {
        crate::exit::eprint_safe(&format!("{}: {p}\n", style.error("error")));
    }
    if files.is_empty() {
        return Err(Failure::new("no programme documents to validate"));
    }

    let progress = if files.len() > PROGRESS_AFTER {
        progress::bar(files.len())
    } else {
        progress::stage(match files.as_slice() {
            [(one, _)] => format!("validating `{}`", one.display()),
            _ => format!("validating {} files", files.len()),
        });
        None
    };
    let base = Base::detect();
    let outcomes: Vec<Option<Checked>> = files
        .par_iter()
        .map(|(path, found)| {
            let r = validate_one(path, &base, format, &threshold, limits, style);
            let r = (!(*found && not_a_programme(&r))).then_some(r);
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            r
        })
        .collect();
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    // files found below a directory that are not programme documents at all (other
    // JSON, YAML or TOML files beside the programmes) are left out, and said so
    let skipped: Vec<&Path> = files
        .iter()
        .zip(&outcomes)
        .filter(|(_, r)| r.is_none())
        .map(|((path, _), _)| path.as_path())
        .collect();
    if !skipped.is_empty() {
        let mut names: Vec<String> = skipped
            .iter()
            .take(3)
            .map(|p| format!("`{}`", p.display()))
            .collect();
        if skipped.len() > names.len() {
            names.push(format!("{} more", skipped.len() - names.len()));
        }
        crate::exit::eprint_safe(&format!(
            "{}: left out {} with no top-level `format` field, which every programme document has: {}\n",
            style.warning("note"),
            count(
                skipped.len(),
                "file found below a directory",
                "files found below a directory"
            ),
            names.join(", ")
        ));
    }
    let results: Vec<Checked> = outcomes.into_iter().flatten().collect();
    if results.is_empty() {
        return Err(Failure::new("no programme documents to validate"));
    }

    let t = Totals::of(&results);
    let fails = threshold.fails(t.errors, t.warnings);
    let text = match format {
        ValidateFormat::Human => human(&results, Layout::Full, list, fails, style),
        ValidateFormat::Concise => human(&results, Layout::Concise, list, fails, style),
        ValidateFormat::Json => output::json::render(&results),
        ValidateFormat::Sarif => output::sarif::render(&results),
        ValidateFormat::Github => output::github::render(&results),
    };
    print(&text)?;

    Ok(if t.unreadable > 0 || !problems.is_empty() {
        FAILURE
    } else if fails {
        FINDINGS
    } else {
        CLEAN
    })
}

/// The files to validate: paths as given, and the documents below directories, sorted;
/// each once, with whether it was found below a directory. Also the paths that gave
/// nothing to validate.
fn expand(paths: &[PathBuf]) -> (Vec<(PathBuf, bool)>, Vec<String>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut problems);
            if found.is_empty() {
                problems.push(format!(
                    "`{}` holds no programme documents (`.yaml`, `.yml`, `.json` or `.toml` files)",
                    p.display()
                ));
            }
            found.sort();
            for f in found {
                if seen.insert(f.clone()) {
                    files.push((f, true));
                }
            }
        } else if seen.insert(p.clone()) {
            // a missing or unreadable file is reported as such when it is loaded
            files.push((p.clone(), false));
        }
    }
    (files, problems)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, problems: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(format!(
                "cannot read the directory `{}`: {}",
                dir.display(),
                io_reason(&e)
            ));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, found, problems);
        } else if Format::from_path(&path).is_some() {
            // a regular file, or a link to one; a link that leads nowhere (dangling or
            // looping) or to a pipe, and a pipe or device itself, is not skipped in
            // silence: loading reports it as unreadable
            let to_dir = kind.is_symlink() && path.is_dir();
            if !to_dir {
                found.push(path);
            }
        }
    }
}

/// Whether a file that could not be read is no programme document at all: a mapping
/// without the `format` field every programme document starts with (as the sidecar
/// files of expected findings beside test fixtures are). Files named on the command
/// line are always reported; only files found below a directory are left out.
fn not_a_programme(r: &Checked) -> bool {
    r.status == Status::Unreadable
        && r.diagnostics.iter().any(|d| {
            d.code == policygraph::Code::MissingField
                && d.pointer.is_empty()
                && d.message == "missing field `format`"
        })
}

fn validate_one(
    path: &Path,
    base: &Base,
    format: ValidateFormat,
    threshold: &Threshold,
    limits: &Limits,
    style: &Style,
) -> Checked {
    let shown = path.display().to_string();
    let repo_path = base.relative(path);
    let doc_format = Format::from_path(path);
    let wants_text = matches!(format, ValidateFormat::Sarif | ValidateFormat::Github);
    let for_people = for_people(format);
    match super::read_input(path, limits) {
        Ok(loaded) => {
            let doc_format = Some(loaded.source.format);
            let report = check_loaded(&loaded, &threshold.options, limits);
            let status = if report.diagnostics.is_empty() {
                Status::Ok
            } else {
                Status::Findings
            };
            let rendered = if format == ValidateFormat::Human {
                let text = Some(loaded.source.text.as_str());
                let render = |d| render::diagnostic(d, text, style);
                report.diagnostics.iter().map(render).collect()
            } else {
                Vec::new()
            };
            let lines = (wants_text && !report.diagnostics.is_empty())
                .then(|| LineIndex::new(loaded.source.text));
            Checked {
                shown,
                repo_path,
                format: doc_format,
                status,
                diagnostics: report.diagnostics,
                lines,
                rendered,
                note: None,
            }
        }
        Err((diagnostics, stdin_text)) => {
            let needs_text = !matches!(format, ValidateFormat::Json | ValidateFormat::Concise)
                && super::one_line(&diagnostics).is_none();
            let text = stdin_text.or_else(|| {
                needs_text
                    .then(|| std::fs::read_to_string(path).ok())
                    .flatten()
            });
            let mut rendered = Vec::new();
            let mut note = None;
            match super::one_line(&diagnostics) {
                Some(line) if format == ValidateFormat::Human => {
                    rendered.push(format!("{}: {line}\n\n", style.error("error")));
                }
                Some(_) => {}
                None if for_people => {
                    if format == ValidateFormat::Human {
                        let render = |d| render::diagnostic(d, text.as_deref(), style);
                        rendered = diagnostics.iter().map(render).collect();
                    }
                    note = Some(format!(
                        "{}: `{shown}` could not be read ({})",
                        style.error("error"),
                        count(diagnostics.len(), "problem", "problems")
                    ));
                }
                None => {}
            }
            Checked {
                shown,
                repo_path,
                format: doc_format,
                status: Status::Unreadable,
                diagnostics,
                lines: if wants_text {
                    text.map(LineIndex::new)
                } else {
                    None
                },
                rendered,
                note,
            }
        }
    }
}

fn for_people(format: ValidateFormat) -> bool {
    matches!(format, ValidateFormat::Human | ValidateFormat::Concise)
}

/// The findings of every file for people, then the summary line (first as well when
/// the findings take more than a screen).
fn human(
    results: &[Checked],
    layout: Layout,
    list: &ListArgs,
    fails: bool,
    style: &Style,
) -> String {
    let items = results
        .iter()
        .enumerate()
        .flat_map(|(file_index, r)| {
            r.diagnostics
                .iter()
                .enumerate()
                .map(move |(index, diagnostic)| Item {
                    file: &r.shown,
                    file_index,
                    index,
                    diagnostic,
                })
        })
        .collect();
    // each finding of a file is rendered in the same order as its diagnostics
    let full = |item: &Item<'_>| {
        let rendered = results.get(item.file_index).map(|r| &r.rendered);
        rendered
            .and_then(|r| r.get(item.index))
            .cloned()
            .unwrap_or_default()
    };
    let note = |file_index: usize| results.get(file_index).and_then(|r| r.note.clone());
    let (listing, long) = findings::list(items, layout, list, style, &full, &note);

    let t = Totals::of(results);
    let label = if t.unreadable > 0 || fails {
        style.error("failed")
    } else if t.warnings + t.infos > 0 {
        style.warning("checked")
    } else {
        style.good("ok")
    };
    let status = format!(
        "{label}: {} validated: {} ok, {} with findings, {} unreadable; {}\n",
        count(t.files, "file", "files"),
        t.ok,
        t.findings,
        t.unreadable,
        counts(t.errors, t.warnings, t.infos)
    );
    let mut out = String::new();
    if long {
        out.push_str(&status);
        out.push('\n');
    }
    out.push_str(&listing);
    out.push_str(&status);
    out
}
