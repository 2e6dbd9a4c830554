"""The shared fixtures, through Python: the same files and sidecars the Rust tests read
(`crates/policygraph/tests/{conformance,structure,diff}.rs`), so the languages cannot
drift apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import policygraph

from conftest import ROOT

CONFORMANCE = sorted(p.name for p in (ROOT / "tests/conformance").glob("*.yaml"))
INVALID = sorted(
    p.name
    for p in (ROOT / "tests/structure/invalid").iterdir()
    if p.suffix in {".yaml", ".json", ".toml"} and not p.name.endswith(".expected.json")
)
VALID = sorted(p.name for p in (ROOT / "tests/structure/valid").iterdir())
DIFFS = sorted(
    p.name
    for p in (ROOT / "tests/diff").iterdir()
    if not p.name.endswith(".expected.json")
)
REFERENCE = "examples/pompidou-2023-2025.yaml"


def test_the_fixtures_are_there() -> None:
    assert len(CONFORMANCE) > 28
    assert len(INVALID) >= 8
    assert len(VALID) >= 4
    assert len(DIFFS) >= 5


@pytest.mark.parametrize("name", CONFORMANCE)
def test_conformance_fixture_reports_what_its_sidecar_expects(name: str) -> None:
    report = policygraph.load(f"tests/conformance/{name}").check()
    actual = {
        "findings": [
            {"code": f.code, "pointer": f.pointer, "severity": f.severity}
            for f in report.findings
        ]
    }
    sidecar = ROOT / "tests/conformance" / (name.removesuffix(".yaml") + ".expected.json")
    if name == "clean.yaml":
        assert not sidecar.exists()
        assert actual == {"findings": []}
        assert report.ok
        return
    expected = json.loads(sidecar.read_text())
    assert actual == expected
    # the table has the same findings, in the same order
    table = report.table()
    assert [r.code for r in table] == [f["code"] for f in expected["findings"]]


@pytest.mark.parametrize("name", INVALID)
def test_invalid_document_reports_what_its_sidecar_expects(name: str) -> None:
    path = f"tests/structure/invalid/{name}"
    with pytest.raises(policygraph.LoadError) as caught:
        policygraph.load(path)
    problems = caught.value.problems
    actual = {
        "diagnostics": [
            {
                "code": p.code,
                "pointer": p.pointer,
                "line": p.location.line,
                "column": p.location.column,
            }
            for p in problems
        ]
    }
    expected = json.loads((ROOT / f"{path}.expected.json").read_text())
    assert actual == expected
    # the message names the file and lists every problem with its place
    text = str(caught.value)
    assert text.startswith(f"`{path}` could not be read ({len(problems)} problem")
    for p in problems:
        assert f"{path}:{p.location.line}:{p.location.column}: error {p.code}/{p.name}" in text


@pytest.mark.parametrize("name", VALID)
def test_valid_document_loads_and_checks_as_the_cli_does(name: str, cli: Any) -> None:
    path = f"tests/structure/valid/{name}"
    programme = policygraph.load(path)
    report = programme.check()
    assert all(f.location is not None for f in report.findings)
    # the same findings and elements as the command line's machine formats give
    validated = json.loads(cli("validate", path, "--format", "json").stdout)
    [file] = validated["files"]
    assert report.to_dict()["diagnostics"] == file["diagnostics"]
    queried = json.loads(cli("query", path, "--format", "json").stdout)
    assert programme.elements().to_pylist() == queried


def _diff_view(old: str, new: str, d: dict[str, Any], equal: bool) -> dict[str, Any]:
    """What a diff sidecar states, from `Diff.to_dict()` (as `expected_view` in
    `crates/policygraph/tests/diff.rs` builds it from the Rust value)."""

    def element(e: dict[str, Any]) -> dict[str, Any]:
        v = {"kind": e["kind"], "id": e["id"]}
        if e.get("parent") is not None:
            v["parent"] = e["parent"]
        return v

    def place(p: dict[str, Any]) -> str:
        return f"{p['parent']}/{p['list']}" if p.get("parent") is not None else p["list"]

    def field(id: str | None, f: dict[str, Any]) -> dict[str, Any]:
        v: dict[str, Any] = {"id": id} if id is not None else {}
        v.update({"path": f["path"], "category": f["category"]})
        v["old"] = f.get("old")
        v["new"] = f.get("new")
        return v

    def share(s: dict[str, Any] | None) -> str | None:
        return None if s is None else f"{s['covered_lines']}/{s['lines']}"

    def plan(p: dict[str, Any] | None) -> dict[str, Any] | None:
        if p is None:
            return None
        return {"target": p.get("target"), "planned": p.get("planned"), "status": p["status"]["status"]}

    cov = d["coverage"]
    return {
        "old": old,
        "new": new,
        "equal": equal,
        "programme": [field(None, f) for f in d["programme"]],
        "added": [element(e) for e in d["added"]],
        "removed": [element(e) for e in d["removed"]],
        "renamed": [{"id": r["id"], "old": r["old"], "new": r["new"]} for r in d["renamed"]],
        "moved": [{"id": m["id"], "from": place(m["from"]), "to": place(m["to"])} for m in d["moved"]],
        "reordered": [{"list": place(r["place"]), "old": r["old"], "new": r["new"]} for r in d["reordered"]],
        "changed": [field(c["id"], f) for c in d["changed"] for f in c["fields"]],
        "links": [
            {"change": l["change"], "source": l["source"], "kind": l["kind"], "target": l["target"]}
            for l in d["links"]
        ],
        "deliverables": [
            {
                "activity": a["activity"],
                "added": [e["id"] for e in a["added"]],
                "removed": [e["id"] for e in a["removed"]],
            }
            for a in d["deliverables"]
        ],
        "coverage": {
            "lines": [
                {"id": l["id"], "before": l.get("before"), "after": l.get("after"), "activities": l["activities"]}
                for l in cov["lines"]
            ],
            "priorities": [
                {"id": p["id"], "before": share(p.get("before")), "after": share(p.get("after"))}
                for p in cov["priorities"]
            ],
            "indicators": [
                {"id": i["id"], "before": plan(i.get("before")), "after": plan(i.get("after"))}
                for i in cov["indicators"]
            ],
            "timeframes": [
                {"id": t["id"], "before": t.get("before"), "after": t.get("after")}
                for t in cov["timeframes"]
            ],
        },
    }


@pytest.mark.parametrize("name", DIFFS)
def test_diff_of_the_reference_reports_what_its_sidecar_expects(name: str) -> None:
    new_path = f"tests/diff/{name}"
    diff = policygraph.load(REFERENCE).diff(policygraph.load(new_path))
    actual = _diff_view(REFERENCE, new_path, diff.to_dict(), diff.is_empty)
    stem = Path(name).stem
    expected = json.loads((ROOT / "tests/diff" / f"{stem}.expected.json").read_text())
    assert actual == expected
    assert bool(diff) == (not expected["equal"])
    # one table row per change of each sort the sidecar lists
    rows = diff.table().to_pylist()
    for change in ("added", "removed", "renamed", "moved", "reordered", "changed"):
        assert sum(r["change"] == change for r in rows) == len(expected[change])
    links = [r for r in rows if r["change"].startswith("link_")]
    assert len(links) == len(expected["links"])
