#!/usr/bin/env python3
"""How locating findings scales: times `policygraph validate --format json` on
documents whose findings all sit in one list, at doubling sizes, in each format.

    python3 scripts/locate_scaling.py [path/to/policygraph] [--quick]

Each case prints its size, the number of findings reported and the seconds taken; a
linear implementation roughly doubles the time when the size doubles. Not a test: a
measurement, as the figures in the report of issue #14 were made.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

BIN = next((a for a in sys.argv[1:] if not a.startswith("--")), "target/release/policygraph")
QUICK = "--quick" in sys.argv


def head():
    return {"format": "policygraph/v1", "programme": {"id": "p", "title": "t"}}


def no_timeframes(n):
    """n activities with neither timeframe nor deliverables: two findings each."""
    d = head()
    d["activities"] = [{"id": f"A{i}", "title": "a"} for i in range(n)]
    return d


def duplicate_ids(n):
    d = head()
    d["activities"] = [{"id": "A", "title": "a", "timeframe": "2024"} for _ in range(n)]
    return d


def cycle(n):
    d = head()
    d["activities"] = [
        {"id": f"A{i}", "title": "a", "timeframe": "2024", "depends_on": [f"A{(i + 1) % n}"]}
        for i in range(n)
    ]
    return d


def unknown_fields(n):
    """a broken document: n misspelt fields in one list (explained through the schema)."""
    d = head()
    d["activities"] = [{"id": f"A{i}", "title": "a", "timefrme": "2024"} for i in range(n)]
    return d


def write(doc, fmt, path):
    if fmt == "json":
        text = json.dumps(doc)
    elif fmt == "yaml":
        # JSON is YAML, but write block style as people do
        lines = ["format: policygraph/v1", "programme:", "  id: p", "  title: t", "activities:"]
        for a in doc["activities"]:
            first = True
            for k, v in a.items():
                v = json.dumps(v)
                lines.append(("  - " if first else "    ") + f"{k}: {v}")
                first = False
        text = "\n".join(lines) + "\n"
    else:
        lines = ['format = "policygraph/v1"', "[programme]", 'id = "p"', 'title = "t"']
        for a in doc["activities"]:
            lines.append("[[activities]]")
            for k, v in a.items():
                lines.append(f"{k} = {json.dumps(v)}")
        text = "\n".join(lines) + "\n"
    with open(path, "w") as f:
        f.write(text)


def run(path):
    t = time.perf_counter()
    p = subprocess.run([BIN, "validate", "--format", "json", path], capture_output=True)
    took = time.perf_counter() - t
    try:
        report = json.loads(p.stdout)
        files = report.get("files", [report]) if isinstance(report, dict) else report
        count = sum(len(f.get("diagnostics", f.get("findings", []))) for f in files)
    except Exception:
        count = f"? (exit {p.returncode})"
    return took, count


CASES = [
    ("no timeframes", no_timeframes, [20_000, 40_000, 80_000]),
    ("duplicate ids", duplicate_ids, [25_000, 50_000, 100_000]),
    ("dependency cycle", cycle, [2_500, 5_000, 10_000]),
    ("unknown fields", unknown_fields, [20_000, 40_000, 80_000]),
]

with tempfile.TemporaryDirectory() as tmp:
    for name, make, sizes in CASES:
        if QUICK:
            sizes = sizes[:2]
        for fmt in ["json", "yaml", "toml"]:
            for n in sizes:
                path = os.path.join(tmp, f"doc.{fmt}")
                write(make(n), fmt, path)
                took, count = run(path)
                print(f"{name:17} {fmt:4} n={n:>7} findings={count!s:>7} {took:7.2f} s", flush=True)
