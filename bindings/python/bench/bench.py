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

What is measured (the best of `--repeat` runs, wall time and CPU time: on a busy host
other work lengthens a run's wall time but hardly its CPU time, so the table judges both):

  (a) `policygraph.load(path, max_bytes=...).check()` in this process against the native
      pipeline on the same file (`target/release/policygraph validate FILE --format json
      --max-bytes ...`, a process of its own, output discarded), runs alternated (ten
      times as many at 10^4 elements); target: ratio <= 1.2.
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
import resource
import shutil
import subprocess
import sys
import time
import zipfile
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


def build(isolated: Path | None) -> None:
    """The release extension into this interpreter's environment (or, `isolated`, a
    wheel unpacked there), the release CLI and the profiling example."""
    env = dict(os.environ)
    if sys.prefix != sys.base_prefix:  # maturin develop installs into $VIRTUAL_ENV
        env["VIRTUAL_ENV"] = sys.prefix
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    maturin = shutil.which("maturin", path=env.get("PATH"))
    if maturin is None:
        sys.exit("bench: maturin is needed to build the extension (`pip install maturin`), or pass --no-build")
    if isolated is None:
        run([maturin, "develop", "--release"], cwd=PACKAGE, env=env)
    else:
        wheels = isolated.parent / "wheels"
        shutil.rmtree(wheels, ignore_errors=True)
        run([maturin, "build", "--release", "--out", str(wheels)], cwd=PACKAGE, env=env)
        (wheel,) = wheels.glob("policygraph-*.whl")
        shutil.rmtree(isolated, ignore_errors=True)
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(isolated)
    cargo = os.environ.get("CARGO") or shutil.which("cargo") or "cargo"
    run([cargo, "build", "--release", "-p", "policygraph-cli", "-p", "policygraph", "--bins", "--example", "pipeline_profile"])


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
            sys.exit(f"bench: {binary} is missing: `cargo build --release -p policygraph-cli -p policygraph --bins --example pipeline_profile` (or drop --no-build)")


class Timing:
    """The best of several runs: wall time, and the CPU time (user + system, every
    thread; of the child for a subprocess) of the run with the least CPU time. On a shared
    host the CPU time is the steadier figure: other work there lengthens the wall time of
    a run but not the CPU time it takes."""

    def __init__(self) -> None:
        self.walls: list[float] = []
        self.cpus: list[float] = []

    def add(self, wall: float, cpu: float) -> None:
        self.walls.append(wall)
        self.cpus.append(cpu)

    @property
    def wall(self) -> float:
        return min(self.walls)

    @property
    def cpu(self) -> float:
        return min(self.cpus)

    def ms(self) -> str:
        return f"{self.wall * 1e3:,.1f} ms wall, {self.cpu * 1e3:,.1f} ms CPU"


def best(f: Callable[[], Any], repeat: int) -> tuple[Timing, Any]:
    """`repeat` runs of `f` in this process, and the last result."""
    timing = Timing()
    result = None
    for _ in range(repeat):
        result = None  # the previous result is freed before the next run
        c, t = time.process_time(), time.perf_counter()
        result = f()
        timing.add(time.perf_counter() - t, time.process_time() - c)
    return timing, result


def max_bytes_for(path: Path) -> int:
    return max(64 * 2**20, 2 * path.stat().st_size)


def documents(work: Path, sizes: list[int]) -> dict[int, Path]:
    """`policygraph generate N -o FILE` for each size (or, without the release CLI,
    `policygraph.generate(N).to_json()`), made once."""
    import policygraph

    out = {}
    for n in sizes:
        path = work / f"generated-{n}.json"
        if not path.exists():
            if CLI.exists():
                run([str(CLI), "generate", str(n), "-o", str(path)])
            else:
                say(f"writing {path} with policygraph.generate({n})")
                path.write_text(policygraph.generate(n).to_json(), encoding="utf-8")
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


def native_validate(path: Path, repeat: int) -> Timing:
    command = [str(CLI), "validate", str(path), "--format", "json", "--max-bytes", str(max_bytes_for(path))]
    timing = Timing()
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):  # 1: findings at or above the threshold
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode()}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        timing.add(wall, cpu)
    return timing


def pipeline_profile(path: Path) -> str:
    done = subprocess.run([str(PROFILE), str(path), "located"], capture_output=True, text=True)
    return "; ".join(line.strip() for line in (done.stdout or done.stderr).splitlines() if line.strip())


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
        # Python and the command line alternated, so that both see the same machine; more
        # runs for small documents, whose times are short and noisier
        rounds = args.repeat * min(10, max(1, 100_000 // n))
        t_py, t_native = Timing(), Timing()
        for _ in range(rounds):
            one, _ = best(lambda: policygraph.load(path, max_bytes=limit).check(), 1)
            t_py.add(one.wall, one.cpu)
            one = native_validate(path, 1)
            t_native.add(one.wall, one.cpu)
        row = {
            "elements": n,
            "bytes": path.stat().st_size,
            "findings": len(report),
            "python_load_s": t_load.wall,
            "python_check_s": t_check.wall,
            "python_load_check_s": t_py.wall,
            "python_load_check_cpu_s": t_py.cpu,
            "native_validate_s": t_native.wall,
            "native_validate_cpu_s": t_native.cpu,
            "ratio": t_py.wall / t_native.wall,
            "ratio_cpu": t_py.cpu / t_native.cpu,
            "pipeline_profile": pipeline_profile(path),
        }
        figures["sizes"][n] = row
        say(
            f"    Python load+check {t_py.ms()} (load {t_load.wall * 1e3:,.1f} ms, check {t_check.wall * 1e3:,.1f} ms); "
            f"native validate {t_native.ms()}; ratio {row['ratio']:.2f} wall, {row['ratio_cpu']:.2f} CPU; "
            f"{len(report)} findings; best of {rounds} alternated runs"
        )
        say(f"    pipeline_profile located: {row['pipeline_profile']}")
        if n == largest:
            kept["report"] = report
            kept["path"] = path

    # (b)
    report = kept["report"]
    report.to_pandas()  # the first call imports pandas and pyarrow
    t, frame = best(report.to_pandas, max(args.repeat, 5))
    figures["to_pandas"] = {"elements": largest, "findings": len(frame), "seconds": t.wall, "cpu_s": t.cpu}
    say(f"\n(b) report.to_pandas(): {len(frame)} findings in {t.ms()}")
    del frame, report, kept["report"]

    # (c)
    programme = policygraph.load(kept["path"], max_bytes=max_bytes_for(kept["path"]))
    programme.elements().to_polars()  # imports polars
    t_elements, table = best(programme.elements, args.repeat)
    del table
    t, frame = best(lambda: programme.elements().to_polars(), args.repeat)
    figures["to_polars"] = {
        "elements": largest,
        "rows": frame.height,
        "seconds": t.wall,
        "cpu_s": t.cpu,
        "elements_s": t_elements.wall,
        "elements_cpu_s": t_elements.cpu,
    }
    say(f"(c) programme.elements().to_polars(): {frame.height} rows in {t.ms()} (elements() alone {t_elements.ms()})")
    del frame, programme

    # (d)
    paths = small_documents(args.work, args.small)
    policygraph.validate_many(paths[:50], workers=1)  # warm the page cache
    one, two = Timing(), Timing()
    for _ in range(args.repeat):
        for workers, timing in ((1, one), (2, two)):
            c, start = time.process_time(), time.perf_counter()
            reports = policygraph.validate_many(paths, workers=workers)
            timing.add(time.perf_counter() - start, time.process_time() - c)
            assert len(reports) == len(paths)
    figures["validate_many"] = {
        "documents": len(paths),
        "findings": sum(len(r) for r in reports),
        "workers1_s": one.wall,
        "workers2_s": two.wall,
        "workers1_cpu_s": one.cpu,
        "workers2_cpu_s": two.cpu,
        "speedup": one.wall / two.wall,
    }
    say(
        f"\n(d) validate_many over {len(paths)} documents: workers=1 {one.ms()}, "
        f"workers=2 {two.ms()}, speed-up {one.wall / two.wall:.2f}"
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
            ours = figures["sizes"][n]
            figures["jsonschema"][n] = {
                "seconds": t.wall,
                "cpu_s": t.cpu,
                "errors": errors,
                "policygraph_s": ours["python_load_check_s"],
                "times_slower": t.wall / ours["python_load_check_s"],
                "times_slower_cpu": t.cpu / ours["python_load_check_cpu_s"],
            }
            say(
                f"(e) jsonschema on {n} elements: {t.ms()} ({errors} schema errors, best of {repeat}); "
                f"policygraph load+check {ours['python_load_check_s'] * 1e3:,.1f} ms: "
                f"jsonschema is {t.wall / ours['python_load_check_s']:.0f}x slower"
            )
    return figures


def verdict(wall_ok: bool, cpu_ok: bool | None = None) -> str:
    def word(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    return word(wall_ok) if cpu_ok is None else f"{word(wall_ok)} / {word(cpu_ok)}"


def table(figures: dict[str, Any]) -> str:
    rows = [("measurement", "wall", "CPU", "target", "wall / CPU")]
    ratio = TARGETS["ratio"]
    for n, r in figures["sizes"].items():
        rows.append(
            (
                f"(a) load+check, {n:,} elements: Python / native",
                f"{r['python_load_check_s'] * 1e3:,.1f} / {r['native_validate_s'] * 1e3:,.1f} ms = {r['ratio']:.2f}x",
                f"{r['python_load_check_cpu_s'] * 1e3:,.1f} / {r['native_validate_cpu_s'] * 1e3:,.1f} ms = {r['ratio_cpu']:.2f}x",
                f"<= {ratio}x",
                verdict(r["ratio"] <= ratio, r["ratio_cpu"] <= ratio),
            )
        )
    b = figures["to_pandas"]
    limit = TARGETS["to_pandas_s"]
    rows.append(
        (
            f"(b) report.to_pandas(), {b['findings']:,} findings",
            f"{b['seconds'] * 1e3:.1f} ms",
            f"{b['cpu_s'] * 1e3:.1f} ms",
            f"<= {limit * 1e3:.0f} ms",
            verdict(b["seconds"] <= limit, b["cpu_s"] <= limit),
        )
    )
    c = figures["to_polars"]
    limit = TARGETS["to_polars_s"]
    rows.append(
        (
            f"(c) elements().to_polars(), {c['rows']:,} rows",
            f"{c['seconds']:.3f} s",
            f"{c['cpu_s']:.3f} s",
            f"<= {limit:.0f} s",
            verdict(c["seconds"] <= limit, c["cpu_s"] <= limit),
        )
    )
    d = figures["validate_many"]
    rows.append(
        (
            f"(d) validate_many, {d['documents']:,} documents: workers=1 / 2",
            f"{d['workers1_s']:.2f} / {d['workers2_s']:.2f} s = {d['speedup']:.2f}x",
            "",
            f">= {TARGETS['speedup']}x",
            verdict(d["speedup"] >= TARGETS["speedup"]),
        )
    )
    for n, e in figures.get("jsonschema", {}).items():
        rows.append(
            (
                f"(e) jsonschema structure only, {n:,} elements",
                f"{e['seconds']:.2f} s = {e['times_slower']:.0f}x ours",
                f"{e['cpu_s']:.2f} s = {e['times_slower_cpu']:.0f}x ours",
                "comparison",
                "",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
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
    parser.add_argument(
        "--isolated",
        action="store_true",
        help="build a release wheel and import the package from it, unpacked in WORK/site, "
        "instead of the editable install (which a debug `maturin develop` in the same tree replaces)",
    )
    args = parser.parse_args()
    args.sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)

    isolated = args.work / "site" if args.isolated else None
    if not args.no_build:
        build(isolated)
    if isolated is not None:
        if not (isolated / "policygraph").is_dir():
            sys.exit(f"bench: {isolated} holds no package: run without --no-build to build it")
        sys.path.insert(0, str(isolated))
    check_release_build()
    import policygraph

    say(f"policygraph from {Path(policygraph.__file__).parent}")
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
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    say(f"peak memory of this process: {figures['machine']['peak_rss_mb']:,.0f} MB")
    say("\n" + table(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
        say(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
