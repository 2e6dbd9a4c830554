"""The package's surface: loading and its errors, each analysis, pickling, notebooks,
threads and the GIL, and the boundary that keeps panics out of Python."""

from __future__ import annotations

import json
import pickle
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import policygraph

from conftest import ROOT

REFERENCE = "examples/pompidou-2023-2025.yaml"
SMALL = """\
format: policygraph/v1
programme: {id: p, title: Programme, period: 2023-2025}
priorities:
  - id: P1
    title: Human rights
    actions: [{id: P1.1, title: Aligning policy responses}, {id: P1.2, title: Reducing stigma}]
activities:
  - id: A1
    title: Executive course
    timeframe: 2024-Q3
    addresses: [P1.1]
    deliverables: [{id: A1.D1, title: Course for 20 officials}]
"""


@pytest.fixture(scope="module")
def reference() -> policygraph.Programme:
    return policygraph.load(REFERENCE)


def test_version_schema_and_rules() -> None:
    assert policygraph.__version__.count(".") == 2
    schema = policygraph.schema()
    assert schema == json.loads((ROOT / "schema/policygraph.schema.json").read_text())
    rules = policygraph.rules()
    codes = [r.code for r in rules]
    assert codes == sorted(codes) and "PG702" in codes and "PG001" in codes
    pg702 = next(r for r in rules if r.code == "PG702")
    assert (pg702.name, pg702.group, pg702.rule) == ("uncovered-action", "coverage", True)


def test_load_takes_str_and_pathlike(reference: policygraph.Programme) -> None:
    for path in (REFERENCE, Path(REFERENCE), ROOT / REFERENCE):
        p = policygraph.load(path)
        assert p.id == reference.id == "pompidou-wp-2023-2025"
        assert p.format == "yaml"
    assert reference.summary.lines_of_action == 26
    assert reference.summary["activities"] == 11


def test_loads_takes_every_format_and_bytes() -> None:
    yaml_doc = policygraph.loads(SMALL)
    for fmt in ("json", "yaml", "toml"):
        text = yaml_doc.to_json(fmt)
        again = policygraph.loads(text, fmt)
        assert again.diff(yaml_doc).is_empty
        assert policygraph.loads(text.encode(), fmt).diff(yaml_doc).is_empty


def test_a_broken_document_raises_load_error_with_every_problem(cli: Any) -> None:
    path = "tests/structure/invalid/three-problems.yaml"
    with pytest.raises(policygraph.LoadError) as caught:
        policygraph.load(path)
    e = caught.value
    assert isinstance(e, ValueError)
    codes = [(p.code, p.pointer, p.location.line, p.location.column) for p in e.problems]
    assert ("PG002", "/programme/titel", 5, 3) in codes
    titel = next(p for p in e.problems if p.code == "PG002")
    assert titel.help == "did you mean `title`?"
    assert titel.location.file == path
    # the CLI says the same in its first line
    run = cli("check", path)
    assert run.returncode == 2
    assert f"`{path}` could not be read ({len(e.problems)} problems)" in run.stderr
    assert str(e).splitlines()[0] == f"`{path}` could not be read ({len(e.problems)} problems)"


def test_missing_files_wrong_types_and_bad_text() -> None:
    with pytest.raises(FileNotFoundError):
        policygraph.load("no/such/file.yaml")
    with pytest.raises(TypeError):
        policygraph.load(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        policygraph.load(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        policygraph.loads(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        policygraph.loads(SMALL, format=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`xml` is not a document format"):
        policygraph.loads(SMALL, "xml")
    with pytest.raises(policygraph.LoadError, match="not valid UTF-8"):
        policygraph.loads(b"format: policygraph/v1\nprogramme: {id: \xff}\n")
    with pytest.raises(policygraph.LoadError, match="unknown extension|cannot tell the format"):
        policygraph.load("README.md")
    with pytest.raises(TypeError):
        policygraph.validate_many(REFERENCE)
    with pytest.raises(OverflowError):
        policygraph.load(REFERENCE, max_bytes=10**30)
    with pytest.raises((OverflowError, TypeError)):
        policygraph.generate(-1)
    with pytest.raises(ValueError, match="more than the generator makes"):
        policygraph.generate(10**15)
    p = policygraph.loads(SMALL)
    with pytest.raises(OverflowError):
        p.query(year=10**20)
    with pytest.raises(TypeError):
        p.query(year="2024")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        p.trace(None)  # type: ignore[arg-type]


def test_input_limits_are_the_clis_and_can_be_raised() -> None:
    big = SMALL + "# " + "x" * 100 + "\n"
    with pytest.raises(policygraph.LoadError) as caught:
        policygraph.loads(big, max_bytes=100)
    assert caught.value.problems[0].code == "PG008" or "limit" in str(caught.value)
    assert policygraph.loads(big, max_bytes=10_000).id == "p"
    with pytest.raises(policygraph.LoadError, match="larger than the limit"):
        policygraph.load(REFERENCE, max_bytes=1000)
    with pytest.raises(policygraph.LoadError, match="alias"):
        policygraph.load("tests/structure/invalid/alias-bomb.yaml")


@pytest.mark.parametrize(
    "name",
    sorted(
        p.name
        for p in (ROOT / "tests/structure/invalid").iterdir()
        if not p.name.endswith(".expected.json")
    ),
)
def test_hostile_documents_raise_load_error_from_text_too(name: str) -> None:
    path = ROOT / "tests/structure/invalid" / name
    with pytest.raises(policygraph.LoadError) as caught:
        policygraph.loads(path.read_bytes(), path.suffix[1:])
    problems = caught.value.problems
    assert problems
    for p in problems:
        assert p.code.startswith("PG0") and p.message and not p.message[0].isupper()
        assert not p.message.endswith(".")
    # the same problems, at the same places, as when it is read from its file
    with pytest.raises(policygraph.LoadError) as from_file:
        policygraph.load(path)
    def place(p: Any) -> tuple[Any, ...]:
        loc = p.location
        return (p.code, p.pointer, p.message, loc and (loc.line, loc.column))
    assert [place(p) for p in problems] == [place(p) for p in from_file.value.problems]


def test_check_options_and_report(cli: Any) -> None:
    p = policygraph.loads(SMALL, name="small.yaml")
    report = p.check()
    assert [f.code for f in report.findings] == ["PG702"]
    assert report.ok and len(report.warnings) == 1 and not report.errors
    f = report.findings[0]
    assert (f.severity, f.location.line, f.elements) == ("warning", 6, ["P1.2"])
    assert (f.file, f.line, f.column) == ("small.yaml", f.location.line, f.location.column)
    assert "line" not in f  # read from the location, not a copy of it
    assert policygraph.loads(SMALL).check().findings[0].file is None
    assert not p.check(deny=["warnings"]).ok
    assert not p.check(deny=["PG702"]).ok
    assert p.check(deny=["uncovered-action"]).errors[0].code == "PG702"
    assert p.check(allow=["PG702"]).findings == []
    assert p.check(warn=["PG702"]).ok
    with pytest.raises(ValueError) as caught:
        p.check(allow=["PG7022"])
    assert str(caught.value) == "`PG7022` is not a rule (did you mean `PG702`?)"
    # the CLI words it the same way, with its flag
    run = cli("check", REFERENCE, "--allow", "PG7022")
    assert "`PG7022` is not a rule (did you mean `PG702`?)" in run.stderr
    with pytest.raises(ValueError, match="`PG001` \\(syntax-error\\) is a problem reading the document, which `deny=` cannot change"):
        p.check(deny=["PG001"])
    with pytest.raises(TypeError):
        p.check(deny="warnings")  # type: ignore[arg-type]


def test_kinds_are_spelled_one_way_and_the_older_spellings_read(reference: policygraph.Programme, cli: Any) -> None:
    lines = [e.id for e in reference.elements("line_of_action")]
    assert lines
    assert [e.id for e in reference.elements("line of action")] == lines
    assert [e.id for e in reference.elements("action")] == lines
    assert {e.kind for e in reference.elements("line of action")} == {"line_of_action"}
    new = cli("query", REFERENCE, "--kind", "line_of_action", "--format", "json").stdout
    assert new == cli("query", REFERENCE, "--kind", "line of action", "--format", "json").stdout
    assert '"kind": "line_of_action"' in new or '"kind":"line_of_action"' in new


def test_unknown_ids_and_kinds_raise_with_the_clis_wording(reference: policygraph.Programme, cli: Any) -> None:
    with pytest.raises(KeyError) as caught:
        reference.trace("A99")
    message = caught.value.args[0]
    assert message == "`A99` is not the id of any element (did you mean `A9`?)"
    assert message in cli("trace", REFERENCE, "A99").stderr
    with pytest.raises(KeyError):
        reference.impact("nothing-like-this")
    with pytest.raises(ValueError) as kind:
        reference.elements("activty")
    assert str(kind.value) == "`activty` is not a kind of element (did you mean `activity`?)"
    assert str(kind.value) in cli("query", REFERENCE, "--kind", "activty").stderr
    with pytest.raises(KeyError):
        reference.query(priority="P9")
    with pytest.raises(ValueError, match="is an activity, not a priority|not a priority"):
        reference.query(priority="A1")


def test_trace_gives_each_dependency_its_type(cli: Any) -> None:
    fixture = "tests/conformance/PG306-dependency-starts-early-types.yaml"
    links = policygraph.load(fixture).trace("WP2").links
    typed = {(step.via, step.element.id): step.dependency for step in links}
    assert typed[("depends_on", "WP1")] == "start_to_start"
    assert all(step.dependency is None for step in links if "depend" not in step.via and "inform" not in step.via)
    cli_links = json.loads(cli("trace", fixture, "WP2", "--format", "json").stdout)["links"]
    assert [s["dependency"] for s in cli_links] == [s.dependency for s in links]


def test_trace_impact_query_and_coverage(reference: policygraph.Programme, cli: Any) -> None:
    trace = reference.trace("A1.1")
    assert trace.element.id == "A1.1" and trace.priorities == ["P1"]
    assert json.loads(json.dumps(trace)) == json.loads(cli("trace", REFERENCE, "A1.1", "--format", "json").stdout)
    impact = reference.impact("A1")
    assert impact.element.id == "A1"
    assert json.loads(json.dumps(impact)) == json.loads(cli("impact", REFERENCE, "A1", "--format", "json").stdout)
    rows = reference.query(kind="activity", year=2024)
    cli_rows = json.loads(cli("query", REFERENCE, "--kind", "activity", "--year", "2024", "--format", "json").stdout)
    assert rows.to_pylist() == cli_rows
    coverage = reference.coverage()
    assert coverage.to_dict() == json.loads(cli("coverage", REFERENCE, "--format", "json").stdout)
    assert coverage.uncovered_lines == [l.id for l in coverage.lines if not l.covered and not l.cancelled]
    assert len(coverage.priorities) == 4


def test_diff_and_export(reference: policygraph.Programme, cli: Any) -> None:
    new = policygraph.load("tests/diff/target-raised.yaml")
    d = reference.diff(new)
    assert not d.is_empty and d
    assert d.summary.changed >= 1
    assert not reference.diff(policygraph.load("tests/diff/reformatted.json"))
    for fmt in ("html", "markdown", "dot", "mermaid", "jsonld"):
        text = reference.export(fmt)
        run = cli("export", REFERENCE, "--to", fmt)
        assert text == run.stdout, fmt
    with pytest.raises(ValueError, match="`pdf` is not an export format"):
        reference.export("pdf")
    with pytest.raises(ValueError, match="one table per kind"):
        reference.export("csv")
    assert reference.to_dict()["programme"]["id"] == reference.id
    assert json.loads(reference.to_json())["programme"]["id"] == reference.id


def test_records_are_dicts_with_attributes(reference: policygraph.Programme) -> None:
    f = reference.check().findings[0]
    assert isinstance(f, dict) and isinstance(f, policygraph.Record)
    assert type(f).__name__ == "Diagnostic"
    assert f.code == f["code"]
    with pytest.raises(AttributeError, match="has no field `nope`"):
        f.nope
    with pytest.raises(AttributeError):
        f.code = "x"
    assert "code" in dir(f)
    assert repr(f).startswith("Diagnostic(code='PG")
    assert pickle.loads(pickle.dumps(f)) == f


def test_programme_report_and_coverage_pickle(reference: policygraph.Programme) -> None:
    p = pickle.loads(pickle.dumps(reference))
    assert p.diff(reference).is_empty and p.path == reference.path
    r = reference.check(deny=["warnings"])
    r2 = pickle.loads(pickle.dumps(r))
    assert r2 == r and not r2.ok and r2.path == REFERENCE
    c = reference.coverage()
    assert pickle.loads(pickle.dumps(c)) == c
    assert c != policygraph.load("tests/diff/line-dropped.yaml").coverage()
    d = reference.diff(policygraph.load("tests/diff/line-dropped.yaml"))
    assert pickle.loads(pickle.dumps(d)) == d and d != reference.diff(reference)


def test_short_reprs_and_escaped_html() -> None:
    hostile = policygraph.load("tests/export/hostile.yaml")
    uncovered = policygraph.loads(
        SMALL.replace("Reducing stigma", "<img src=x onerror=alert(1)><script>alert(2)</script>"),
        name="hostile.yaml",
    )
    report = uncovered.check()
    assert "<script>" in report.findings[0].message
    for obj in (hostile, report, hostile.coverage(), uncovered.coverage()):
        html = obj._repr_html_()
        assert "<script" not in html.lower() and "<img" not in html.lower()
        assert len(repr(obj)) < 200
    assert "&lt;script&gt;" in report._repr_html_()
    assert "&lt;" in hostile._repr_html_()
    assert repr(report).startswith("<policygraph.Report `hostile.yaml` ok: 0 errors, 1 warnings")
    assert repr(policygraph.rules()).startswith("<policygraph.Table rules (")


def test_validate_many_keeps_input_order_and_reports_unreadable(tmp_path: Path) -> None:
    paths = [f"tests/conformance/{n}" for n in sorted(p.name for p in (ROOT / "tests/conformance").glob("*.yaml"))]
    paths.insert(3, "tests/structure/invalid/three-problems.yaml")
    paths.append(str(tmp_path / "missing.yaml"))
    reports = policygraph.validate_many(paths, workers=2)
    assert [r.path for r in reports] == paths
    serial = policygraph.validate_many(paths, workers=1)
    assert reports == serial
    bad = reports[3]
    assert not bad.readable and not bad.ok and bad.findings[0].code.startswith("PG0")
    assert not reports[-1].readable
    for path, r in zip(paths[:3], reports[:3]):
        assert r.findings == policygraph.load(path).check().findings
    with pytest.raises(ValueError, match="at least 1"):
        policygraph.validate_many(paths, workers=0)
    assert policygraph.validate_many([]) == []


def test_long_calls_release_the_gil() -> None:
    big = policygraph.generate(60_000)
    ticks = 0
    done = threading.Event()

    def work() -> None:
        big.check()
        big.coverage()
        done.set()

    thread = threading.Thread(target=work)
    start = time.perf_counter()
    thread.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    thread.join()
    # the main thread ran while the check did: with the GIL held it could not have
    assert ticks > 5, f"the main thread ran {ticks} times in {time.perf_counter() - start:.2f} s"


def test_one_programme_from_many_threads() -> None:
    p = policygraph.generate(2_000, seed=7)
    expected = p.check()
    results: list[policygraph.Report] = []
    threads = [threading.Thread(target=lambda: results.append(p.check())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and all(r == expected for r in results)


def test_a_panic_inside_becomes_internal_error() -> None:
    from policygraph import _policygraph

    with pytest.raises(policygraph.InternalError, match="a panic raised on purpose"):
        _policygraph._panic_for_tests()
    assert issubclass(policygraph.InternalError, RuntimeError)
    # and the interpreter goes on
    assert policygraph.loads(SMALL).id == "p"


def test_examples_typecheck_strictly() -> None:
    import subprocess

    examples = sorted(str(p) for p in (ROOT / "bindings/python/examples").glob("*.py"))
    assert examples
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *examples],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_stubs_match_the_module() -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "policygraph"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
