#!/usr/bin/env python3
"""Benchmarks of the Python package against its targets (a script, not a test).

    python bindings/python/bench/bench.py                 # builds, then every measurement
    python bindings/python/bench/bench.py --no-build      # the release builds are already there
    python bindings/python/bench/bench.py --sizes 10000,100000 --json figures.json

Run it from the repository's virtual environment (`source .venv/bin/activate`). It first
builds what it measures, in release mode: the extension (`maturin develop --release` in
`bindings/python`), the command line and the `pipeline_profile` example
(`cargo build --release`). A debug build of the extension is several times slower, so
with `--no-build` it checks that the installed one looks like a release build.

Documents (made once, kept in `--work`, default `target/bench-python/`): JSON programmes
of 10^4, 10^5 and 10^6 elements made by `policygraph generate N -o FILE`, and 2,000 small
ones (60 to 300 elements) made by `policygraph.generate(n, seed=i).to_json()`.

What is measured (wall time, the best of `--repeat` runs, so that a busy host's noise
counts as little as it can):

  (a) `policygraph.load(path, max_bytes=...).check()` in this process against the native
      pipeline on the same file (`target/release/policygraph validate FILE --format json
      --max-bytes ...`, a process of its own, output discarded); target: ratio <= 1.2.
      `pipeline_profile FILE located` is printed beside it for reference.
  (b) `report.to_pandas()` on the report of the largest document (about 10^4 findings at
      10^6 elements); target <= 50 ms.
  (c) `programme.elements().to_polars()` at the largest size; target <= 1 s.
  (d) `policygraph.validate_many` over the 2,000 small documents, `workers=1` against
      `workers=2` (runs alternated); target: speed-up >= 1.7.
  (e) python-jsonschema (`Draft202012Validator` over `schema/policygraph.schema.json`,
      structure only: `json.loads` then `iter_errors`) on the 10^4 and 10^5 documents,
      against (a)'s `load().check()`: no target, a comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[3]
PACKAGE = REPO / "bindings" / "python"
CLI = REPO / "target" / "release" / "policygraph"
PROFILE = REPO / "target" / "release" / "examples" / "pipeline_profile"
SCHEMA = REPO / "schema" / "policygraph.schema.json"

TARGETS = {
    "ratio": 1.2,  # (a) Python load+check / native validate
    "to_pandas_s": 0.050,  # (b)
    "to_polars_s": 1.0,  # (c)
    "speedup": 1.7,  # (d)
}


def say(*args: Any) -> None:
    print(*args, flush=True)


def run(command: list[str], cwd: Path = REPO, env: dict[str, str] | None = None) -> None:
    say("$", " ".join(command))
    subprocess.run(command, cwd=cwd, env=env, check=True)


def build() -> None:
    """The release extension into this interpreter's environment, the release CLI and
    the profiling example."""
    env = dict(os.environ)
    if sys.prefix != sys.base_prefix:  # maturin develop installs into $VIRTUAL_ENV
        env["VIRTUAL_ENV"] = sys.prefix
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    maturin = shutil.which("maturin", path=env.get("PATH"))
    if maturin is None:
        sys.exit("bench: maturin is needed to build the extension (`pip install maturin`), or pass --no-build")
    run([maturin, "develop", "--release"], cwd=PACKAGE, env=env)
    cargo = os.environ.get("CARGO") or shutil.which("cargo") or "cargo"
    run([cargo, "build", "--release", "-p", "policygraph-cli", "-p", "policygraph", "--example", "pipeline_profile"])


def check_release_build() -> None:
    import policygraph

    native = Path(policygraph.__file__).with_name("_policygraph.abi3.so")
    matches = sorted(Path(policygraph.__file__).parent.glob("_policygraph*.so"))
    if matches:
        native = matches[0]
    size = native.stat().st_size
    if size > 100 * 2**20:
        sys.exit(
            f"bench: {native} is {size / 2**20:.0f} MB, a debug build: "
            "run `maturin develop --release` in bindings/python (or drop --no-build)"
        )
    for binary in (CLI, PROFILE):
        if not binary.exists():
            sys.exit(f"bench: {binary} is missing: `cargo build --release -p policygraph-cli -p policygraph --example pipeline_profile` (or drop --no-build)")


def best(f: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The fastest of `repeat` runs of `f`, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        result = None  # the previous result is freed before the next run
        t = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - t)
    return min(times), result


def max_bytes_for(path: Path) -> int:
    return max(64 * 2**20, 2 * path.stat().st_size)


def documents(work: Path, sizes: list[int]) -> dict[int, Path]:
    out = {}
    for n in sizes:
        path = work / f"generated-{n}.json"
        if not path.exists():
            run([str(CLI), "generate", str(n), "-o", str(path)])
        out[n] = path
    return out


def small_documents(work: Path, count: int) -> list[Path]:
    import policygraph

    folder = work / f"small-{count}"
    paths = [folder / f"doc-{i:04d}.json" for i in range(count)]
    if not all(p.exists() for p in paths):
        folder.mkdir(parents=True, exist_ok=True)
        say(f"writing {count} small documents to {folder}")
        for i, path in enumerate(paths):
            path.write_text(policygraph.generate(60 + (i * 37) % 241, seed=i + 1).to_json(), encoding="utf-8")
    return paths


def native_validate(path: Path, repeat: int) -> float:
    command = [str(CLI), "validate", str(path), "--format", "json", "--max-bytes", str(max_bytes_for(path))]

    def once() -> None:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode not in (0, 1):  # 1: findings at or above the threshold
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode()}")

    return best(once, repeat)[0]


def pipeline_profile(path: Path) -> str:
    done = subprocess.run([str(PROFILE), str(path), "located"], capture_output=True, text=True)
    return (done.stdout or done.stderr).strip()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    import policygraph

    figures: dict[str, Any] = {"sizes": {}}
    docs = documents(args.work, args.sizes)
    largest = max(args.sizes)
    kept: dict[str, Any] = {}

    # (a), and what (b) and (c) need
    for n, path in docs.items():
        limit = max_bytes_for(path)
        say(f"\n(a) {n} elements: {path.name}, {path.stat().st_size / 1e6:.1f} MB")
        t_load, programme = best(lambda: policygraph.load(path, max_bytes=limit), args.repeat)
        t_check, report = best(lambda: programme.check(), args.repeat)
        del programme
        t_py, _ = best(lambda: policygraph.load(path, max_bytes=limit).check(), args.repeat)
        t_native = native_validate(path, args.repeat)
        row = {
            "elements": n,
            "bytes": path.stat().st_size,
            "findings": len(report),
            "python_load_s": t_load,
            "python_check_s": t_check,
            "python_load_check_s": t_py,
            "native_validate_s": t_native,
            "ratio": t_py / t_native,
            "pipeline_profile": pipeline_profile(path),
        }
        figures["sizes"][n] = row
        say(
            f"    Python load+check {t_py * 1e3:.1f} ms (load {t_load * 1e3:.1f}, check {t_check * 1e3:.1f}); "
            f"native validate {t_native * 1e3:.1f} ms; ratio {row['ratio']:.2f}; {len(report)} findings"
        )
        say(f"    pipeline_profile located: {row['pipeline_profile']}")
        if n == largest:
            kept["report"] = report
            kept["path"] = path

    # (b)
    report = kept["report"]
    report.to_pandas()  # the first call imports pandas and pyarrow
    t, frame = best(report.to_pandas, max(args.repeat, 5))
    figures["to_pandas"] = {"elements": largest, "findings": len(frame), "seconds": t}
    say(f"\n(b) report.to_pandas(): {len(frame)} findings in {t * 1e3:.1f} ms")
    del frame, report, kept["report"]

    # (c)
    programme = policygraph.load(kept["path"], max_bytes=max_bytes_for(kept["path"]))
    programme.elements().to_polars()  # imports polars
    t_elements, table = best(programme.elements, args.repeat)
    del table
    t, frame = best(lambda: programme.elements().to_polars(), args.repeat)
    figures["to_polars"] = {"elements": largest, "rows": frame.height, "seconds": t, "elements_s": t_elements}
    say(f"(c) programme.elements().to_polars(): {frame.height} rows in {t:.3f} s (elements() alone {t_elements:.3f} s)")
    del frame, programme

    # (d)
    paths = small_documents(args.work, args.small)
    policygraph.validate_many(paths[:50], workers=1)  # warm the page cache
    one: list[float] = []
    two: list[float] = []
    for _ in range(args.repeat):
        for workers, times in ((1, one), (2, two)):
            t = time.perf_counter()
            reports = policygraph.validate_many(paths, workers=workers)
            times.append(time.perf_counter() - t)
            assert len(reports) == len(paths)
    figures["validate_many"] = {
        "documents": len(paths),
        "findings": sum(len(r) for r in reports),
        "workers1_s": min(one),
        "workers2_s": min(two),
        "speedup": min(one) / min(two),
    }
    say(
        f"\n(d) validate_many over {len(paths)} documents: workers=1 {min(one):.3f} s, "
        f"workers=2 {min(two):.3f} s, speed-up {min(one) / min(two):.2f}"
    )

    # (e)
    if not args.no_jsonschema:
        from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        figures["jsonschema"] = {}
        for n, path in docs.items():
            if n > args.jsonschema_max:
                continue
            text = path.read_text(encoding="utf-8")

            def structure() -> int:
                return sum(1 for _ in validator.iter_errors(json.loads(text)))

            repeat = args.repeat if n <= 10_000 else 1
            t, errors = best(structure, repeat)
            ours = figures["sizes"][n]["python_load_check_s"]
            figures["jsonschema"][n] = {"seconds": t, "errors": errors, "policygraph_s": ours, "times_slower": t / ours}
            say(
                f"(e) jsonschema on {n} elements: {t:.2f} s ({errors} schema errors, best of {repeat}); "
                f"policygraph load+check {ours:.3f} s: jsonschema is {t / ours:.0f}x slower"
            )
    return figures


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def table(figures: dict[str, Any]) -> str:
    rows = [("measurement", "measured", "target", "")]
    for n, r in figures["sizes"].items():
        rows.append(
            (
                f"(a) load+check, {n:,} elements: Python / native validate",
                f"{r['python_load_check_s'] * 1e3:,.1f} ms / {r['native_validate_s'] * 1e3:,.1f} ms = {r['ratio']:.2f}x",
                f"<= {TARGETS['ratio']}x",
                verdict(r["ratio"] <= TARGETS["ratio"]),
            )
        )
    b = figures["to_pandas"]
    rows.append(
        (
            f"(b) report.to_pandas(), {b['findings']:,} findings",
            f"{b['seconds'] * 1e3:.1f} ms",
            f"<= {TARGETS['to_pandas_s'] * 1e3:.0f} ms",
            verdict(b["seconds"] <= TARGETS["to_pandas_s"]),
        )
    )
    c = figures["to_polars"]
    rows.append(
        (
            f"(c) elements().to_polars(), {c['rows']:,} rows",
            f"{c['seconds']:.3f} s",
            f"<= {TARGETS['to_polars_s']:.0f} s",
            verdict(c["seconds"] <= TARGETS["to_polars_s"]),
        )
    )
    d = figures["validate_many"]
    rows.append(
        (
            f"(d) validate_many, {d['documents']:,} documents: workers=1 / workers=2",
            f"{d['workers1_s']:.2f} s / {d['workers2_s']:.2f} s = {d['speedup']:.2f}x",
            f">= {TARGETS['speedup']}x",
            verdict(d["speedup"] >= TARGETS["speedup"]),
        )
    )
    for n, e in figures.get("jsonschema", {}).items():
        rows.append(
            (
                f"(e) jsonschema structure check, {n:,} elements",
                f"{e['seconds']:.2f} s ({e['times_slower']:.0f}x policygraph load+check)",
                "comparison",
                "",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-build", action="store_true", help="use the release builds already there")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="elements of the generated documents")
    parser.add_argument("--small", type=int, default=2000, help="documents for validate_many (d)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts")
    parser.add_argument("--no-jsonschema", action="store_true", help="leave out (e)")
    parser.add_argument("--jsonschema-max", type=int, default=100_000, help="largest document (e) checks")
    parser.add_argument("--work", type=Path, default=REPO / "target" / "bench-python", help="where documents are kept")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    args.sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    args.work.mkdir(parents=True, exist_ok=True)

    if not args.no_build:
        build()
    check_release_build()
    import policygraph

    say(
        f"policygraph {policygraph.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    figures = measure(args)
    figures["machine"] = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_after": os.getloadavg(),
    }
    say("\n" + table(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
        say(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
