//! `cargo xtask`: the repository's own automation, in Rust so that it runs wherever
//! cargo does (the alias lives in `.cargo/config.toml`).
//!
//! - `cargo xtask test` runs every test suite, in order, stopping at the first failure.
//!   It is the one command CI runs (through `.ci/run`) on a fresh clone.
//! - `cargo xtask schema` regenerates `schema/policygraph.schema.json` from the model.
//! - `cargo xtask differential [N]` runs the loader-against-schema differential test on
//!   N generated documents (100,000 by default).
//! - `cargo xtask bindings` regenerates the Kotlin and Swift sources of the mobile
//!   binding (`bindings/uniffi/generated/`) from the built cdylib.
//! - `cargo xtask bench-kotlin` times loading and checking from Kotlin on the JVM
//!   against the command line.
//!
//! No dependencies on purpose: this crate must build in a second on a clean machine.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus};

type Result<T = (), E = String> = std::result::Result<T, E>;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test      run every test suite (Rust; the Python tests: the schema checks and the
            HTML report in headless Chromium; then the Python package, built with
            `pip install ./bindings/python`, and its tests; then the Kotlin binding:
            the cdylib, the generated sources checked fresh, and its JUnit tests on
            the JVM with Maven); the one CI command
  test-kotlin
            only the Kotlin binding's steps of `test`
  schema    regenerate schema/policygraph.schema.json from the model
  differential [N] [SEED]
            the differential test of the loader against the JSON Schema on N
            generated documents (default 100,000; `cargo test` runs 2,000), release
            build; prints the documents, the disagreements and the time
  bindings  regenerate the Kotlin and Swift sources of bindings/uniffi/generated/
            from the cdylib (uniffi, library mode)
  bench-kotlin
            time loading and checking the reference programme and a 10^5-element
            document from Kotlin on the JVM against `policygraph validate`
  bench     run the criterion benchmarks and the memory profile, and report the
            figures against the performance targets (takes about half an hour),
            then `bench-cli`
  bench-cli time the command line on large generated programmes: human output of
            `check` and `validate` against `validate --format json`, and `diff` of a
            programme against itself (time and peak memory); a few minutes
  bench-python
            the Python package's benchmark (bindings/python/bench/bench.py: load and
            check against the native pipeline, DataFrame conversions, validate_many
            on two workers, python-jsonschema beside), in .venv
  fuzz [SECONDS [TARGET...]]
            run each cargo-fuzz target of fuzz/ (or the ones named) for SECONDS
            (default 60) at the lowest priority, seeded from the files in tests/
            and examples/, and print the executions per target (needs nightly
            and cargo-fuzz; docs/robustness.md)
  help      print this message";

/// The oldest Python the tests run on (`tomllib` is 3.11).
const MIN_PYTHON: (u32, u32) = (3, 11);

/// The Python test requirements, pinned, relative to the repository root.
const TEST_REQUIREMENTS: &str = "tests/python/requirements.txt";

/// Where Debian's `chromium` package puts the browser the HTML report tests drive
/// (`tests/python/test_html_report.py` looks there first, then for `chromium` on PATH).
const CHROMIUM: &str = "/usr/bin/chromium";

/// The committed JSON Schema, relative to the repository root.
const SCHEMA_FILE: &str = "schema/policygraph.schema.json";

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().skip(1).collect();
    let command = args.first().map(|a| a.to_string_lossy().into_owned());
    let result = match command.as_deref() {
        Some("test") if args.len() == 1 => return test(test_steps()),
        Some("test-kotlin") if args.len() == 1 => return test(kotlin_steps()),
        Some("schema") if args.len() == 1 => Context::new().and_then(|cx| schema(&cx)),
        Some("bench") if args.len() == 1 => Context::new().and_then(|cx| bench(&cx)),
        Some("bench-cli") if args.len() == 1 => Context::new().and_then(|cx| bench_cli(&cx)),
        Some("bench-python") => Context::new().and_then(|cx| bench_python(&cx, &args[1..])),
        Some("differential") if args.len() <= 3 => {
            Context::new().and_then(|cx| differential(&cx, &args[1..]))
        }
        Some("bindings") if args.len() == 1 => Context::new().and_then(|cx| bindings(&cx)),
        Some("bench-kotlin") if args.len() == 1 => Context::new().and_then(|cx| bench_kotlin(&cx)),
        Some("fuzz") => Context::new().and_then(|cx| {
            let rest: Vec<String> = args[1..]
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            fuzz(&cx, rest.first(), rest.get(1..).unwrap_or_default())
        }),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(
            name @ ("test" | "test-kotlin" | "schema" | "bench" | "bench-cli" | "bindings"
            | "bench-kotlin"),
        ) => Err(format!("`{name}` takes no arguments\n\n{USAGE}")),
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(format!("no command given\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What every step needs: where the repository is and which cargo runs it.
struct Context {
    /// The repository root (the workspace directory).
    root: PathBuf,
    /// The cargo that started us (`$CARGO`), so that the same toolchain runs the tests.
    cargo: OsString,
}

impl Context {
    fn new() -> Result<Context> {
        // xtask/ sits directly under the root
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir
            .parent()
            .ok_or_else(|| format!("`{}` has no parent directory", manifest_dir.display()))?
            .to_path_buf();
        if !root.join("Cargo.toml").is_file() {
            return Err(format!(
                "`{}` does not look like the repository root (no Cargo.toml)",
                root.display()
            ));
        }
        let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Ok(Context { root, cargo })
    }

    /// A `cargo` command run from the repository root.
    fn cargo(&self) -> Command {
        let mut cmd = Command::new(&self.cargo);
        cmd.current_dir(&self.root);
        cmd
    }

    /// The virtual environment the Python tests (and later the Python bindings) use.
    fn venv(&self) -> PathBuf {
        self.root.join(".venv")
    }

    /// The virtual environment's interpreter.
    fn venv_python(&self) -> PathBuf {
        if cfg!(windows) {
            self.venv().join("Scripts").join("python.exe")
        } else {
            self.venv().join("bin").join("python")
        }
    }

    /// A command run by the virtual environment's interpreter, from the repository root.
    fn python(&self) -> Command {
        let mut cmd = Command::new(self.venv_python());
        cmd.current_dir(&self.root);
        cmd
    }
}

/// One step of `cargo xtask test`.
struct Step {
    /// What it does, announced as `==> name`.
    name: &'static str,
    /// Runs it; an error says why it failed.
    run: fn(&Context) -> Result,
}

/// The steps of `cargo xtask test`, in the order they run. Adding a test suite is
/// adding a line here and the function it names.
fn test_steps() -> Vec<Step> {
    vec![
        Step {
            name: "cargo test --workspace --all-targets",
            run: rust_tests,
        },
        Step {
            name: "python venv (.venv) with tests/python/requirements.txt",
            run: python_env,
        },
        Step {
            name: "chromium (Debian's, for the HTML report tests)",
            run: chromium,
        },
        Step {
            name: "pytest tests/python (JSON Schema check, HTML report in Chromium)",
            run: python_tests,
        },
        Step {
            name: "python package: bindings/python/requirements-test.txt into .venv",
            run: python_package_env,
        },
        Step {
            name: "python package: pip install ./bindings/python (maturin, release build)",
            run: python_package_build,
        },
        Step {
            name: "pytest bindings/python/tests (fixtures, API, tables, stubs, docs, Dask)",
            run: python_package_tests,
        },
    ]
    .into_iter()
    .chain(kotlin_steps())
    .collect()
}

/// The Kotlin binding's steps (the last of `cargo xtask test`; alone with `cargo xtask
/// test-kotlin`).
fn kotlin_steps() -> Vec<Step> {
    vec![
        Step {
            name: "uniffi: cargo build --release -p policygraph-uniffi --lib (cdylib, staticlib), and its uniffi-bindgen",
            run: uniffi_build,
        },
        Step {
            name: "uniffi: the generated Kotlin and Swift in bindings/uniffi/generated are fresh",
            run: uniffi_generated_fresh,
        },
        Step {
            name: "kotlin: mvn test in bindings/uniffi/kotlin (JUnit on the JVM: fixtures, errors, threads, README)",
            run: kotlin_tests,
        },
    ]
}

/// `cargo xtask test`: every step in order, stopping at the first failure, then a
/// one-line summary.
fn test(steps: Vec<Step>) -> ExitCode {
    let cx = match Context::new() {
        Ok(cx) => cx,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            println!("xtask: 0 passed, 1 failed");
            return ExitCode::FAILURE;
        }
    };
    let mut passed = 0usize;
    let mut failed = 0usize;
    for step in &steps {
        println!("==> {}", step.name);
        let start = std::time::Instant::now();
        let result = (step.run)(&cx);
        println!("    ({:.1} s)", start.elapsed().as_secs_f64());
        match result {
            Ok(()) => passed += 1,
            Err(message) => {
                eprintln!("xtask: step `{}` failed: {message}", step.name);
                failed += 1;
                break;
            }
        }
    }
    let not_run = steps.len() - passed - failed;
    if not_run > 0 {
        println!(
            "xtask: {not_run} later step{} not run",
            if not_run == 1 { " was" } else { "s were" }
        );
    }
    println!("xtask: {passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The Rust tests of the whole workspace: unit and integration tests, binaries, examples.
fn rust_tests(cx: &Context) -> Result {
    run(cx.cargo().args(["test", "--workspace", "--all-targets"]))
}

/// Makes `.venv` (if missing or broken) and installs the pinned test requirements
/// (unless the same requirements are already installed).
fn python_env(cx: &Context) -> Result {
    ensure_venv(cx)?;
    pip_install(cx, TEST_REQUIREMENTS)
}

/// The Python tests, with the venv's pytest: the independent JSON Schema check, and
/// the HTML report opened in headless Chromium.
fn python_tests(cx: &Context) -> Result {
    pytest(cx, "tests/python")
}

/// The pinned test requirements of the Python package (pandas, polars, pyarrow, Dask,
/// mypy), relative to the repository root.
const PACKAGE_REQUIREMENTS: &str = "bindings/python/requirements-test.txt";

/// The Python package's test requirements, into the same venv.
fn python_package_env(cx: &Context) -> Result {
    ensure_venv(cx)?;
    pip_install(cx, PACKAGE_REQUIREMENTS)
}

/// Builds and installs the Python package exactly as the README tells users to: pip
/// fetches the pinned maturin of `bindings/python/pyproject.toml` into an isolated build
/// environment, and maturin builds the release extension (in the workspace's `target/`,
/// so later runs rebuild only what changed).
fn python_package_build(cx: &Context) -> Result {
    run(cx.python().args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "--force-reinstall",
        "--no-deps",
        "./bindings/python",
    ]))
}

/// The Python package's tests.
fn python_package_tests(cx: &Context) -> Result {
    pytest(cx, "bindings/python/tests")
}

/// The mobile binding's crate, relative to the repository root.
const UNIFFI_CRATE: &str = "bindings/uniffi";

/// Where its generated sources are checked in, relative to the repository root.
const UNIFFI_GENERATED: &str = "bindings/uniffi/generated";

/// The Maven project of the Kotlin binding, relative to the repository root.
const KOTLIN_PROJECT: &str = "bindings/uniffi/kotlin";

/// The release cdylib of the mobile binding (what JNA loads on the JVM).
fn uniffi_cdylib(cx: &Context) -> PathBuf {
    let name = if cfg!(target_os = "macos") {
        "libpolicygraph_uniffi.dylib"
    } else if cfg!(windows) {
        "policygraph_uniffi.dll"
    } else {
        "libpolicygraph_uniffi.so"
    };
    cx.root.join("target").join("release").join(name)
}

/// The cdylib and the staticlib, in release (what the JVM tests load), and the
/// `uniffi-bindgen` binary in the dev profile (it only reads the cdylib's metadata, and
/// the dev profile reuses what `cargo test` built).
fn uniffi_build(cx: &Context) -> Result {
    run(cx.cargo().args([
        "build",
        "--quiet",
        "--release",
        "-p",
        "policygraph-uniffi",
        "--lib",
    ]))?;
    run(cx.cargo().args([
        "build",
        "--quiet",
        "-p",
        "policygraph-uniffi",
        "--features",
        "cli",
        "--bin",
        "uniffi-bindgen",
    ]))
}

/// Generates the Kotlin and Swift sources from the built cdylib into `out`
/// (`out/kotlin/org/policygraph/policygraph.kt`, `out/swift/policygraph.swift`, the
/// header and the modulemap), unformatted so that every machine writes the same bytes.
fn uniffi_generate(cx: &Context, out: &Path) -> Result {
    let cdylib = uniffi_cdylib(cx);
    if !cdylib.is_file() {
        return Err(format!(
            "`{}` is missing: build it with `cargo build --release -p policygraph-uniffi --lib`",
            cdylib.display()
        ));
    }
    let bindgen = cx
        .root
        .join("target")
        .join("debug")
        .join(format!("uniffi-bindgen{}", env::consts::EXE_SUFFIX));
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("cannot remove `{}`: {e}", out.display()))?;
    }
    for language in ["kotlin", "swift"] {
        run(Command::new(&bindgen)
            .current_dir(cx.root.join(UNIFFI_CRATE))
            .args([
                "generate",
                "--no-format",
                "--language",
                language,
                "--out-dir",
            ])
            .arg(out.join(language))
            .arg("--library")
            .arg(&cdylib))?;
    }
    Ok(())
}

/// Every file below `dir`, by its path relative to `dir`, with its bytes.
fn files_below(dir: &Path) -> Result<std::collections::BTreeMap<PathBuf, Vec<u8>>> {
    let mut out = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("cannot read `{}`: {e}", d.display())),
        };
        for entry in entries {
            let path = entry
                .map_err(|e| format!("cannot read `{}`: {e}", d.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = fs::read(&path)
                    .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
                let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
                out.insert(relative, bytes);
            }
        }
    }
    Ok(out)
}

/// `cargo xtask bindings`: builds the cdylib and writes the generated Kotlin and Swift
/// to `bindings/uniffi/generated/` (checked in; the test run fails when they are stale).
fn bindings(cx: &Context) -> Result {
    uniffi_build(cx)?;
    let fresh = cx.root.join("target").join("uniffi-generated");
    uniffi_generate(cx, &fresh)?;
    let committed = cx.root.join(UNIFFI_GENERATED);
    if files_below(&fresh)? == files_below(&committed)? {
        println!("{UNIFFI_GENERATED}: already up to date");
        return Ok(());
    }
    if committed.exists() {
        fs::remove_dir_all(&committed)
            .map_err(|e| format!("cannot remove `{}`: {e}", committed.display()))?;
    }
    for (relative, bytes) in files_below(&fresh)? {
        let path = committed.join(&relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        fs::write(&path, bytes).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        println!("{UNIFFI_GENERATED}/{}: written", relative.display());
    }
    Ok(())
}

/// The generated sources from the cdylib just built, against those checked in.
fn uniffi_generated_fresh(cx: &Context) -> Result {
    let fresh = cx.root.join("target").join("uniffi-generated");
    uniffi_generate(cx, &fresh)?;
    let (fresh, committed) = (
        files_below(&fresh)?,
        files_below(&cx.root.join(UNIFFI_GENERATED))?,
    );
    if fresh == committed {
        return Ok(());
    }
    let differing: Vec<String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|k| fresh.get(*k) != committed.get(*k))
        .map(|k| format!("`{UNIFFI_GENERATED}/{}`", k.display()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    Err(format!(
        "the generated bindings are stale: {} {} from what the crate generates; run `cargo xtask bindings` and commit the result",
        differing.join(", "),
        if differing.len() == 1 {
            "differs"
        } else {
            "differ"
        }
    ))
}

/// Maven, with the repository's own local repository (`target/m2`), so that runs after
/// the first need no network, and a clean checkout fetches what it needs.
fn maven(cx: &Context) -> Result<Command> {
    let Some(mvn) = find_on_path("mvn") else {
        return Err(
            "Maven (`mvn`) is needed for the Kotlin tests and is not on PATH; install it \
             (Debian: `apt-get install maven`) and a JDK 17 or newer"
                .to_string(),
        );
    };
    let mut cmd = Command::new(mvn);
    cmd.current_dir(cx.root.join(KOTLIN_PROJECT));
    cmd.arg("-B")
        .arg("-q")
        .arg(format!(
            "-Dmaven.repo.local={}",
            cx.root.join("target").join("m2").display()
        ))
        .arg(format!(
            "-Dpolicygraph.lib.dir={}",
            cx.root.join("target").join("release").display()
        ));
    Ok(cmd)
}

/// The Kotlin binding's JUnit tests on the JVM, against the release cdylib.
fn kotlin_tests(cx: &Context) -> Result {
    let reports = cx
        .root
        .join(KOTLIN_PROJECT)
        .join("target")
        .join("surefire-reports");
    // reports of an earlier run (the benchmark's, say) must not count
    if reports.exists() {
        fs::remove_dir_all(&reports)
            .map_err(|e| format!("cannot remove `{}`: {e}", reports.display()))?;
    }
    let mut cmd = maven(cx)?;
    cmd.arg("test");
    run(&mut cmd)?;
    // a run that ran no test must not pass silently
    let (mut tests, mut failed) = (0u64, 0u64);
    for (name, bytes) in files_below(&reports)? {
        if name.extension().is_some_and(|e| e == "xml") {
            let text = String::from_utf8_lossy(&bytes);
            let attribute = |key: &str| -> u64 {
                text.find(&format!(" {key}=\""))
                    .and_then(|at| {
                        let rest = &text[at + key.len() + 3..];
                        rest[..rest.find('"')?].parse().ok()
                    })
                    .unwrap_or(0)
            };
            tests += attribute("tests");
            failed += attribute("failures") + attribute("errors");
        }
    }
    if tests == 0 {
        return Err(format!(
            "`mvn test` in `{KOTLIN_PROJECT}` ran no tests (no reports in `{}`)",
            reports.display()
        ));
    }
    println!("    {tests} Kotlin tests, {failed} failed");
    Ok(())
}

/// `cargo xtask bench-kotlin`: loading and checking from Kotlin on the JVM (FFI and
/// records included) against the command line's `validate --format json`, on the
/// reference programme and on a generated 10^5-element JSON document.
fn bench_kotlin(cx: &Context) -> Result {
    uniffi_build(cx)?;
    run(cx
        .cargo()
        .args(["build", "--quiet", "--release", "-p", "policygraph-cli"]))?;
    let big = cx.root.join("target").join("big.json");
    if !big.is_file() {
        run(cx
            .cargo()
            .args(["run", "--quiet", "--release", "-p", "policygraph-cli", "--"])
            .args(["generate", "100000", "-o"])
            .arg(&big))?;
    }
    let cli = cx
        .root
        .join("target")
        .join("release")
        .join(format!("policygraph{}", env::consts::EXE_SUFFIX));
    let figures = cx.root.join("target").join("bench-kotlin.txt");
    let _ = fs::remove_file(&figures);
    // the JVM times both sides, one run of each a round, so that both see the same load
    let mut cmd = maven(cx)?;
    cmd.args([
        "test",
        "-Dgroups=bench",
        "-DexcludedGroups=none",
        "-Dsurefire.failIfNoSpecifiedTests=false",
    ])
    .arg(format!("-Dpolicygraph.bench.big={}", big.display()))
    .arg(format!("-Dpolicygraph.bench.cli={}", cli.display()))
    .arg(format!("-Dpolicygraph.bench.out={}", figures.display()));
    run(&mut cmd)?;
    let text = fs::read_to_string(&figures).map_err(|e| {
        format!(
            "the Kotlin benchmark wrote no figures to `{}`: {e}",
            figures.display()
        )
    })?;
    println!("\n==> medians of rounds that run each side once, in alternation");
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        if let [label, native, kotlin] = fields[..]
            && let (Ok(n), Ok(k)) = (native.parse::<f64>(), kotlin.parse::<f64>())
        {
            println!(
                "{label}: native {:.1} ms, Kotlin {:.1} ms = {:.2}x the native pipeline (target <= 1.5x)",
                n * 1e3,
                k * 1e3,
                k / n
            );
        }
    }
    Ok(())
}

/// Makes sure a Chromium is installed for the HTML report tests (Playwright drives it;
/// it never downloads a browser of its own): [`CHROMIUM`] or `chromium` on PATH, or
/// else Debian's package, installed with `apt-get` (through `sudo` when we are not root).
fn chromium(_cx: &Context) -> Result {
    if let Some(found) = find_chromium() {
        println!("    {}: already installed", found.display());
        return chromium_runs(&found);
    }
    let Some(apt_get) = find_on_path("apt-get") else {
        return Err(format!(
            "Chromium is needed for the HTML report tests and is not installed \
             (no `{CHROMIUM}`, no `chromium` on PATH), and there is no `apt-get` \
             to install it with; install Chromium so that `chromium` is on PATH"
        ));
    };
    // root runs apt-get itself; anyone else goes through sudo, which asks for a
    // password only where someone can type one
    let sudo = if is_root() {
        None
    } else if let Some(sudo) = find_on_path("sudo") {
        Some(sudo)
    } else {
        return Err(
            "Chromium is needed for the HTML report tests and is not installed, \
             and installing it needs root (there is no `sudo`); run as root: \
             `apt-get update && apt-get install -y chromium`"
                .to_string(),
        );
    };
    let apt = |args: &[&str]| {
        let mut cmd = match &sudo {
            Some(sudo) => {
                let mut cmd = Command::new(sudo);
                if !io::stdin().is_terminal() {
                    // no one to type a password: fail at once instead of waiting
                    cmd.arg("--non-interactive");
                }
                // `env`, because sudo's env_reset would drop the variable
                cmd.arg("env")
                    .arg("DEBIAN_FRONTEND=noninteractive")
                    .arg(&apt_get);
                cmd
            }
            None => {
                let mut cmd = Command::new(&apt_get);
                cmd.env("DEBIAN_FRONTEND", "noninteractive");
                cmd
            }
        };
        cmd.args(args);
        run(&mut cmd)
    };
    println!("    installing Debian's chromium");
    apt(&["update"])
        .and_then(|()| apt(&["install", "-y", "chromium"]))
        .map_err(|e| {
            format!(
                "{e}; Chromium is needed for the HTML report tests: install Debian's \
                 `chromium` package (`apt-get update && apt-get install -y chromium`, as root)"
            )
        })?;
    let found = find_chromium().ok_or_else(|| {
        format!(
            "`apt-get install -y chromium` succeeded but there is still no `{CHROMIUM}` \
             nor `chromium` on PATH"
        )
    })?;
    chromium_runs(&found)
}

/// The Chromium to use: [`CHROMIUM`], else the first `chromium` on PATH.
fn find_chromium() -> Option<PathBuf> {
    let debian = Path::new(CHROMIUM);
    if debian.is_file() {
        Some(debian.to_path_buf())
    } else {
        find_on_path("chromium")
    }
}

/// The first executable file called `name` in a directory of PATH.
fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Whether we run as root (effective uid 0), from `id -u`: no libc binding needed.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.status.success() && out.stdout.trim_ascii() == b"0")
}

/// `chromium --version`: a browser that is installed but cannot start (a missing
/// shared library, say) fails here, with its own message, rather than as a timeout in
/// the tests.
fn chromium_runs(chromium: &Path) -> Result {
    let mut cmd = Command::new(chromium);
    cmd.arg("--version");
    let shown = describe(&cmd);
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", chromium.display()))?;
    if !output.status.success() {
        return Err(format!(
            "`{shown}` failed ({}): {}; reinstalling Debian's package may help \
             (`apt-get install --reinstall -y chromium`)",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    println!("    {}", String::from_utf8_lossy(&output.stdout).trim());
    Ok(())
}

/// Creates the virtual environment with the system `python3` unless one that works
/// (and is recent enough) is already there.
fn ensure_venv(cx: &Context) -> Result {
    let venv = cx.venv();
    if cx.venv_python().exists() && python_is_recent(&mut cx.python()).unwrap_or(false) {
        return Ok(());
    }
    let mut system = Command::new("python3");
    match python_is_recent(&mut system) {
        Ok(true) => {}
        Ok(false) => {
            return Err(format!(
                "`python3` is older than Python {}.{}; install a newer one",
                MIN_PYTHON.0, MIN_PYTHON.1
            ));
        }
        Err(e) => {
            return Err(format!(
                "cannot run `python3` ({e}); install Python {}.{} or newer with venv \
                 support (Debian: `apt-get install python3-venv`)",
                MIN_PYTHON.0, MIN_PYTHON.1
            ));
        }
    }
    println!("    creating {}", venv.display());
    // `--clear` throws away a broken or outdated environment; it is ours to throw away
    run(Command::new("python3")
        .current_dir(&cx.root)
        .args(["-m", "venv", "--clear"])
        .arg(&venv))
    .map_err(|e| {
        format!(
            "{e}; on Debian or Ubuntu, venv support is a separate package: \
             `apt-get install python3-venv`"
        )
    })
}

/// Whether `python` runs and is at least [`MIN_PYTHON`].
fn python_is_recent(python: &mut Command) -> io::Result<bool> {
    let check = format!(
        "import sys; sys.exit(0 if sys.version_info >= ({}, {}) else 1)",
        MIN_PYTHON.0, MIN_PYTHON.1
    );
    Ok(python.args(["-c", &check]).status()?.success())
}

/// `pip install -r requirements` into the venv, skipped when a stamp in the venv shows
/// that exactly these requirements were installed already. The stamp lives inside
/// `.venv`, so a new environment always gets a fresh install.
fn pip_install(cx: &Context, requirements: &str) -> Result {
    let path = cx.root.join(requirements);
    let wanted =
        fs::read_to_string(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let stamp = cx.venv().join(format!(
        ".xtask-installed-{}",
        requirements.replace(['/', '\\'], "-")
    ));
    if fs::read_to_string(&stamp).is_ok_and(|installed| installed == wanted) {
        println!("    {requirements}: already installed");
        return Ok(());
    }
    println!("    installing {requirements}");
    run(cx.python().args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "--requirement",
        requirements,
    ]))?;
    fs::write(&stamp, &wanted).map_err(|e| format!("cannot write `{}`: {e}", stamp.display()))
}

/// The venv's pytest on `dir`; a run that collects no tests is a failure too.
fn pytest(cx: &Context, dir: &str) -> Result {
    let mut cmd = cx.python();
    cmd.args(["-m", "pytest", dir, "-q"]);
    let shown = describe(&cmd);
    let status = status_of(&mut cmd, &shown)?;
    match status.code() {
        Some(0) => Ok(()),
        // pytest's exit code 5: nothing collected, which must not pass silently
        Some(5) => Err(format!("`{shown}` collected no tests")),
        _ => Err(format!("`{shown}` failed ({status})")),
    }
}

/// `cargo xtask schema`: writes the schema the model generates to the committed file.
fn schema(cx: &Context) -> Result {
    let mut cmd = cx.cargo();
    cmd.args(["run", "--quiet", "-p", "policygraph-cli", "--", "schema"]);
    let shown = describe(&cmd);
    let output = cmd
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if !output.status.success() {
        return Err(format!("`{shown}` failed ({})", output.status));
    }
    if output.stdout.is_empty() {
        return Err(format!("`{shown}` printed nothing"));
    }
    let path = cx.root.join(SCHEMA_FILE);
    if fs::read(&path).is_ok_and(|committed| committed == output.stdout) {
        println!("{SCHEMA_FILE}: already up to date");
        return Ok(());
    }
    fs::write(&path, &output.stdout)
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    println!("{SCHEMA_FILE}: regenerated");
    Ok(())
}

/// `cargo xtask differential [N] [SEED]`: the ignored differential test, in a release
/// build (the generator, both YAML writers and the schema validator are slow unoptimised).
fn differential(cx: &Context, args: &[OsString]) -> Result {
    let mut cmd = cx.cargo();
    cmd.args([
        "test",
        "--release",
        "-p",
        "policygraph",
        "--test",
        "differential",
        "--",
        "--ignored",
        "--exact",
        "differential_many",
        "--nocapture",
    ]);
    let number = |i: usize, name: &str| -> Result<Option<u64>> {
        args.get(i)
            .map(|a| {
                a.to_string_lossy()
                    .replace('_', "")
                    .parse::<u64>()
                    .map_err(|_| {
                        format!(
                            "{name} must be a whole number, not `{}`",
                            a.to_string_lossy()
                        )
                    })
            })
            .transpose()
    };
    if let Some(n) = number(0, "N")? {
        cmd.env("POLICYGRAPH_DIFFERENTIAL_N", n.to_string());
    }
    if let Some(seed) = number(1, "SEED")? {
        cmd.env("POLICYGRAPH_DIFFERENTIAL_SEED", seed.to_string());
    }
    let start = std::time::Instant::now();
    let result = run(&mut cmd);
    println!(
        "differential: {:.1} s in all (build included)",
        start.elapsed().as_secs_f64()
    );
    result
}

/// Runs a command with its output streaming through; an error unless it succeeds.
fn run(cmd: &mut Command) -> Result {
    let shown = describe(cmd);
    let status = status_of(cmd, &shown)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

fn status_of(cmd: &mut Command, shown: &str) -> Result<ExitStatus> {
    cmd.status()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))
}

/// The command line, for messages: the program by its name (or from `.venv` on).
fn describe(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program());
    let components: Vec<_> = program.components().collect();
    let from = components
        .iter()
        .rposition(|c| c.as_os_str() == ".venv")
        .unwrap_or(components.len().saturating_sub(1));
    let mut shown = components
        .get(from..)
        .unwrap_or_default()
        .iter()
        .collect::<PathBuf>()
        .to_string_lossy()
        .into_owned();
    for arg in cmd.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}

/// `cargo xtask bench-python [ARGS]`: the Python package's benchmark in `.venv` (made
/// and filled as `cargo xtask test` does); ARGS go to the script.
fn bench_python(cx: &Context, args: &[OsString]) -> Result {
    ensure_venv(cx)?;
    pip_install(cx, TEST_REQUIREMENTS)?;
    pip_install(cx, PACKAGE_REQUIREMENTS)?;
    run(cx
        .python()
        .arg("bindings/python/bench/bench.py")
        .args(args)
        .env("PATH", venv_path(cx)))
}

/// `PATH` with the venv's `bin` first, so that the script's `maturin` is the venv's.
fn venv_path(cx: &Context) -> OsString {
    let bin = cx
        .venv()
        .join(if cfg!(windows) { "Scripts" } else { "bin" });
    let rest = env::var_os("PATH").unwrap_or_default();
    env::join_paths(std::iter::once(bin).chain(env::split_paths(&rest))).unwrap_or(rest)
}

/// `cargo xtask bench`: the benchmarks, then the figures against the targets.
fn bench(cx: &Context) -> Result {
    run(cx
        .cargo()
        .args(["bench", "-p", "policygraph", "--bench", "pipeline"]))?;
    let criterion = cx.root.join("target").join("criterion");
    let mean = |group: &str, id: &str, n: u64| -> Option<f64> {
        let path = criterion
            .join(group)
            .join(id)
            .join(n.to_string())
            .join("new")
            .join("estimates.json");
        let text = fs::read_to_string(path).ok()?;
        let after = &text[text.find("\"mean\"")?..];
        let rest = &after[after.find("\"point_estimate\":")? + "\"point_estimate\":".len()..];
        let end = rest.find([',', '}'])?;
        rest[..end].trim().parse::<f64>().ok()
    };
    println!("\n==> figures (mean time per run, criterion)");
    for n in [1_000u64, 10_000, 100_000, 1_000_000] {
        let (Some(base), Some(pipe)) = (
            mean("baseline", "json_value", n),
            mean("pipeline", "json", n),
        ) else {
            continue;
        };
        println!(
            "{n:>9} elements: parse-only baseline {:>9.1} ms, whole pipeline {:>9.1} ms = {:.2}x the baseline (target <= 2x)",
            base / 1e6,
            pipe / 1e6,
            pipe / base
        );
    }
    if let (Some(small), Some(large)) = (
        mean("pipeline", "json", 10_000),
        mean("pipeline", "json", 1_000_000),
    ) {
        // the generator gives about 0.99 elements per element asked for, at every size
        println!(
            "time per element: {:.2} us at 10^4, {:.2} us at 10^6 = {:.2}x (target <= 1.5x)",
            small / 1e4 / 1e3,
            large / 1e6 / 1e3,
            (large / 1e6) / (small / 1e4)
        );
    }
    println!(
        "\n==> peak memory of the whole pipeline on the 10^6-element JSON document (three runs with mimalloc, one with the system allocator)"
    );
    let file = cx.root.join("target").join("bench-1000000.json");
    let file_arg = file.to_string_lossy().into_owned();
    // `envs` are set for the run (`PG_MIN` for the fastest of the stage runs)
    let profile_with = |features: &[&str], extra: &[&str], envs: &[(&str, &str)]| {
        let mut cmd = cx.cargo();
        cmd.args(["run", "--quiet", "--release", "-p", "policygraph"]);
        cmd.args(features);
        cmd.args(["--example", "pipeline_profile", "--"]);
        cmd.args(extra);
        cmd.envs(envs.iter().copied());
        run(&mut cmd)
    };
    let profile = |extra: &[&str]| profile_with(&[], extra, &[]);
    profile(&["--generate", "1000000", &file_arg])?;
    profile(&[&file_arg, "baseline"])?;
    for _ in 0..3 {
        profile(&[&file_arg])?;
    }
    profile_with(&["--features", "bench-system-allocator"], &[&file_arg], &[])?;
    println!(
        "\n==> for information: each stage apart (fastest of 41 runs at 10^4, of 3 at 10^6), with mimalloc (the allocator of the command line and of the benchmarks) and with the system allocator"
    );
    let small = cx.root.join("target").join("bench-10000.json");
    let small_arg = small.to_string_lossy().into_owned();
    profile(&["--generate", "10000", &small_arg])?;
    let stages = |features: &[&str], file: &str, runs: &str| {
        profile_with(features, &[file, "stages", runs], &[("PG_MIN", "1")])
    };
    for features in [&[][..], &["--features", "bench-system-allocator"][..]] {
        stages(features, &small_arg, "41")?;
        stages(features, &file_arg, "3")?;
    }
    println!(
        "\n==> for information: time per element at 10^6 against 10^4, the two measured in alternation (steadier on a shared machine than means taken minutes apart)"
    );
    profile(&[&small_arg, "interleaved", &file_arg, "9"])?;
    println!("\n==> for information: what `policygraph check` does (text kept, findings located)");
    profile(&[&file_arg, "located"])?;
    bench_cli(cx)
}

/// How many times each command-line measurement runs, the commands compared taking
/// turns; the fastest counts (the development machine is shared, and the slower runs
/// measure its other work).
const CLI_RUNS: usize = 5;

/// `cargo xtask bench-cli`: the command line on generated programmes, against the
/// targets of issue 13.
fn bench_cli(cx: &Context) -> Result {
    println!(
        "\n==> the command line on large programmes (release build; fastest of {CLI_RUNS} runs, taking turns)"
    );
    run(cx
        .cargo()
        .args(["build", "--quiet", "--release", "-p", "policygraph-cli"]))?;
    let target = cx.root.join("target");
    let exe = target
        .join("release")
        .join(format!("policygraph{}", env::consts::EXE_SUFFIX));
    let cli = Cli {
        exe,
        time_v: Path::new("/usr/bin/time").is_file(),
    };
    if !cli.time_v {
        println!("(no /usr/bin/time: peak memory is not measured; `apt-get install time` adds it)");
    }
    let max_bytes = "2000000000";
    let generated = |n: &str| -> Result<PathBuf> {
        let file = target.join(format!("bench-cli-{n}.json"));
        if !file.is_file() {
            let shown = file.to_string_lossy().into_owned();
            cli.measure(&["generate", n, "-o", &shown])?;
        }
        Ok(file)
    };
    let large = generated("100000")?;
    let huge = generated("1000000")?;
    // directories: the 10^5-element document beside ten of 10^4 elements; the 10^6 one
    let dir = target.join("bench-cli-dir");
    let huge_dir = target.join("bench-cli-dir-1000000");
    for d in [&dir, &huge_dir] {
        fs::create_dir_all(d).map_err(|e| format!("cannot create `{}`: {e}", d.display()))?;
    }
    let copy = |from: &Path, to: &Path| -> Result {
        // a hard link where the file system has them (the 10^6 document is 318 MB)
        if !to.is_file() && fs::hard_link(from, to).is_err() {
            fs::copy(from, to).map_err(|e| format!("cannot copy to `{}`: {e}", to.display()))?;
        }
        Ok(())
    };
    copy(&large, &dir.join("large.json"))?;
    for seed in 0..10 {
        let file = dir.join(format!("small-{seed}.json"));
        if !file.is_file() {
            let shown = file.to_string_lossy().into_owned();
            cli.measure(&[
                "generate",
                "10000",
                "--seed",
                &seed.to_string(),
                "-o",
                &shown,
            ])?;
        }
    }
    copy(&huge, &huge_dir.join("huge.json"))?;
    let size = |p: &Path| fs::metadata(p).map(|m| m.len() as f64).unwrap_or(0.0);
    let (large, huge) = (large.to_string_lossy(), huge.to_string_lossy());
    let (dir, huge_dir) = (dir.to_string_lossy(), huge_dir.to_string_lossy());

    let [json, check, validate, concise, diff] = cli.fastest([
        &["validate", &large, "--format", "json"][..],
        &["check", &large],
        &["validate", &large],
        &["check", &large, "--format", "concise"],
        &["diff", &large, &large],
    ])?;
    println!(
        "10^5 elements ({:.1} MB):\n  validate --format json {json}\n  check {check} = {} (target <= 1.5x)\n  validate (human) {validate} = {}\n  check --format concise {concise}",
        size(Path::new(large.as_ref())) / 1e6,
        check.ratio(&json),
        validate.ratio(&json),
    );
    let [dir_json, dir_human] = cli.fastest([
        &["validate", &dir, "--format", "json"][..],
        &["validate", &dir],
    ])?;
    println!(
        "a directory (the 10^5 document and ten of 10^4):\n  validate --format json {dir_json}\n  validate (human) {dir_human} = {} (target <= 1.5x)",
        dir_human.ratio(&dir_json)
    );
    let huge_json = cli.once(&[
        "validate",
        &huge,
        "--format",
        "json",
        "--max-bytes",
        max_bytes,
    ])?;
    let huge_check = cli.once(&["check", &huge, "--max-bytes", max_bytes])?;
    let huge_dir_human = cli.once(&["validate", &huge_dir, "--max-bytes", max_bytes])?;
    println!(
        "10^6 elements ({:.1} MB, one run each):\n  validate --format json {huge_json}\n  check {huge_check} (target < 10 s)\n  validate (human) of its directory {huge_dir_human} (target < 10 s)",
        size(Path::new(huge.as_ref())) / 1e6
    );
    let two_files = 2.0 * size(Path::new(large.as_ref()));
    let memory = diff
        .peak
        .map(|kb| {
            format!(
                "{:.2}x the two files (target < 5x)",
                kb as f64 * 1024.0 / two_files
            )
        })
        .unwrap_or_else(|| "peak memory not measured".to_owned());
    println!(
        "diff of the 10^5 document against itself:\n  {diff} = {} one check (target < 3x); {memory}",
        diff.ratio(&check)
    );
    Ok(())
}

/// The release command line, and whether `/usr/bin/time -v` can report peak memory.
struct Cli {
    exe: PathBuf,
    time_v: bool,
}

/// One measured run: wall-clock seconds and, when measured, user CPU seconds (steadier
/// than the wall clock on a shared machine) and peak resident memory (KiB).
#[derive(Clone, Copy)]
struct Measured {
    seconds: f64,
    user: Option<f64>,
    peak: Option<u64>,
}

impl Measured {
    /// `1.07x` of the wall clock, and of user time when measured.
    fn ratio(&self, base: &Measured) -> String {
        let mut text = format!("{:.2}x", self.seconds / base.seconds);
        if let (Some(u), Some(b)) = (self.user, base.user) {
            text.push_str(&format!(" ({:.2}x in user time)", u / b));
        }
        text
    }
}

impl std::fmt::Display for Measured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.2} s", self.seconds)?;
        if let Some(user) = self.user {
            write!(f, " ({user:.2} s user")?;
        }
        if let Some(kb) = self.peak {
            if self.user.is_none() {
                f.write_str(" (")?;
            } else {
                f.write_str(", ")?;
            }
            write!(f, "{:.0} MB", kb as f64 * 1024.0 / 1e6)?;
        }
        if self.user.is_some() || self.peak.is_some() {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl Cli {
    /// Runs the command line once, its output thrown away (exit codes 0 and 1 are
    /// success: findings are expected).
    fn measure(&self, args: &[&str]) -> Result<Measured> {
        let mut cmd = if self.time_v {
            let mut c = Command::new("/usr/bin/time");
            c.arg("-v").arg(&self.exe);
            c
        } else {
            Command::new(&self.exe)
        };
        cmd.args(args)
            .env_remove("CI")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        let shown = describe(&cmd);
        let start = std::time::Instant::now();
        let out = cmd
            .output()
            .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
        let seconds = start.elapsed().as_secs_f64();
        let code = out.status.code();
        if !matches!(code, Some(0 | 1)) {
            return Err(format!(
                "`{shown}` failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        let peak = stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
            .and_then(|v| v.trim().parse().ok());
        let user = stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("User time (seconds):"))
            .and_then(|v| v.trim().parse().ok());
        Ok(Measured {
            seconds,
            user,
            peak,
        })
    }

    fn once(&self, args: &[&str]) -> Result<Measured> {
        self.measure(args)
    }

    /// Each command's fastest of [`CLI_RUNS`] runs (with the largest peak memory seen),
    /// the commands taking turns so that they meet the same load.
    fn fastest<const N: usize>(&self, commands: [&[&str]; N]) -> Result<[Measured; N]> {
        let mut best = [Measured {
            seconds: f64::INFINITY,
            user: None,
            peak: None,
        }; N];
        for _ in 0..CLI_RUNS {
            for (args, b) in commands.iter().zip(&mut best) {
                let m = self.measure(args)?;
                b.seconds = b.seconds.min(m.seconds);
                b.user = match (b.user, m.user) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
                b.peak = b.peak.max(m.peak);
            }
        }
        Ok(best)
    }
}

/// The fuzz targets of `fuzz/`, in the order `cargo xtask fuzz` runs them.
const FUZZ_TARGETS: [&str; 8] = [
    "load_yaml",
    "load_json",
    "load_toml",
    "timeframe",
    "amount",
    "check_outputs",
    "diff",
    "export",
];

/// `cargo xtask fuzz [SECONDS [TARGET...]]`: each target (or those named) for SECONDS,
/// seeded from `tests/`.
fn fuzz(cx: &Context, seconds: Option<&String>, only: &[String]) -> Result {
    if let Some(unknown) = only.iter().find(|t| !FUZZ_TARGETS.contains(&t.as_str())) {
        return Err(format!(
            "there is no fuzz target `{unknown}`; the targets are {}",
            FUZZ_TARGETS.join(", ")
        ));
    }
    let seconds: u64 = match seconds {
        None => 60,
        Some(s) => s
            .parse()
            .map_err(|_| format!("`{s}` is not a number of seconds"))?,
    };
    let corpus_root = cx.root.join("fuzz/corpus");
    let seeds = fuzz_seeds(&cx.root)?;
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for target in FUZZ_TARGETS {
        if !only.is_empty() && !only.iter().any(|t| t == target) {
            continue;
        }
        let dir = corpus_root.join(target);
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        for (i, seed) in seeds.of(target).iter().enumerate() {
            let path = dir.join(format!("seed-{i:04}"));
            fs::write(&path, seed)
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        }
        println!("==> fuzz {target} for {seconds} s");
        let mut cmd = Command::new("nice");
        cmd.current_dir(&cx.root)
            // no sanitizer: the code under test is safe Rust, and what the targets hunt
            // (panics, hangs, runaway memory) libFuzzer catches by itself, several times
            // faster than under AddressSanitizer (docs/robustness.md)
            .args([
                "-n", "19", "cargo", "+nightly", "fuzz", "run", "-O", "-s", "none", target,
            ])
            .arg(&dir)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .args([
                "-print_final_stats=1",
                "-max_len=65536",
                "-timeout=20",
                "-rss_limit_mb=2048",
            ]);
        let shown = describe(&cmd);
        let out = cmd
            .output()
            .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
        let log = String::from_utf8_lossy(&out.stderr);
        let stat = |name: &str| {
            log.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim_start_matches(':').trim().parse::<u64>().ok())
        };
        let execs = stat("stat::number_of_executed_units").unwrap_or(0);
        let result = if out.status.success() {
            "ok".to_owned()
        } else {
            let artifact = log
                .lines()
                .find_map(|l| l.split("Test unit written to ").nth(1))
                .unwrap_or("no artifact");
            failed.push(target);
            eprintln!(
                "{}",
                log.lines()
                    .rev()
                    .take(40)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            format!("FAILED ({}): {artifact}", out.status)
        };
        // each target's figure as soon as it is known, so that a run cut short keeps them
        println!("<== {target}: {execs} executions, {result}");
        rows.push((target, execs, result));
    }
    println!("\n{:<14} {:>14}  result", "target", "executions");
    for (target, execs, result) in &rows {
        println!("{target:<14} {execs:>14}  {result}");
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzz targets failed: {}", failed.join(", ")))
    }
}

/// Seed inputs, built from the repository's test files.
struct Seeds {
    yaml: Vec<Vec<u8>>,
    json: Vec<Vec<u8>>,
    toml: Vec<Vec<u8>>,
    timeframes: Vec<Vec<u8>>,
    amounts: Vec<Vec<u8>>,
    diffs: Vec<Vec<u8>>,
}

impl Seeds {
    fn of(&self, target: &str) -> Vec<Vec<u8>> {
        // the document targets take a first byte that chooses the format (0 YAML, 1 JSON, 2 TOML)
        let tagged = || {
            let mut v = Vec::new();
            for (tag, docs) in [(0u8, &self.yaml), (1, &self.json), (2, &self.toml)] {
                v.extend(docs.iter().map(|d| [&[tag][..], d].concat()));
            }
            v
        };
        match target {
            "load_yaml" => self.yaml.clone(),
            "load_json" => self.json.clone(),
            "load_toml" => self.toml.clone(),
            "timeframe" => self.timeframes.clone(),
            "amount" => self.amounts.clone(),
            "diff" => self.diffs.clone(),
            _ => tagged(),
        }
    }
}

fn fuzz_seeds(root: &Path) -> Result<Seeds> {
    let mut files = Vec::new();
    let mut dirs = vec![root.join("tests"), root.join("examples")];
    while let Some(d) = dirs.pop() {
        let entries =
            fs::read_dir(&d).map_err(|e| format!("cannot read `{}`: {e}", d.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let read = |p: &Path| fs::read(p).map_err(|e| format!("cannot read `{}`: {e}", p.display()));
    let ext = |p: &Path, e: &str| p.extension().is_some_and(|x| x == e);
    let mut seeds = Seeds {
        yaml: Vec::new(),
        json: Vec::new(),
        toml: Vec::new(),
        timeframes: Vec::new(),
        amounts: Vec::new(),
        diffs: Vec::new(),
    };
    for f in &files {
        let bytes = read(f)?;
        // keep seeds below the fuzzers' -max_len
        if bytes.len() > 65536 {
            continue;
        }
        if ext(f, "yaml") {
            // the values of the timeframe and amount fields, as written
            for line in String::from_utf8_lossy(&bytes).lines() {
                let line = line.trim().trim_start_matches("- ");
                let Some((key, value)) = line.split_once(": ") else {
                    continue;
                };
                let value = value.trim().trim_matches('"').as_bytes().to_vec();
                match key.trim_start_matches('{').trim() {
                    "timeframe" | "due" | "period" | "participation" | "target_date"
                    | "recurrence" | "date" | "start" => seeds.timeframes.push(value),
                    "amount" | "total" | "quantity" | "target" | "baseline" | "person_months" => {
                        seeds.amounts.push(value)
                    }
                    _ => {}
                }
            }
            if f.starts_with(root.join("tests/diff")) {
                let base = read(&root.join("examples/pompidou-2023-2025.yaml"))?;
                seeds
                    .diffs
                    .push([&[0u8][..], &base, &[0u8], &bytes].concat());
            }
            seeds.diffs.push([&[0u8][..], &bytes].concat());
            seeds.yaml.push(bytes);
        } else if ext(f, "json") {
            seeds.json.push(bytes);
        } else if ext(f, "toml") {
            seeds.toml.push(bytes);
        }
    }
    for v in [&mut seeds.timeframes, &mut seeds.amounts] {
        v.sort();
        v.dedup();
    }
    Ok(seeds)
}
