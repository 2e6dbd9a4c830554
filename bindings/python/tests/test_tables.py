"""Tables: column names and types of every table, in pyarrow, polars and pandas, checked
against the JSON Schema of the report (`schema/report.schema.json`) and of the rows."""

from __future__ import annotations

import datetime
import json
import sys
from typing import Any

import pyarrow as pa
import polars as pl
import pandas as pd
import pytest

import policygraph

from conftest import ROOT

REFERENCE = "examples/pompidou-2023-2025.yaml"


@pytest.fixture(scope="module")
def reference() -> policygraph.Programme:
    return policygraph.load(REFERENCE)


def test_findings_columns_follow_the_report_schema(reference: policygraph.Programme) -> None:
    schema = json.loads((ROOT / "schema/report.schema.json").read_text())
    diagnostic = schema["$defs"]["Diagnostic"]["properties"]
    location = schema["$defs"]["Location"]["properties"]
    table = reference.check().to_arrow()
    # every field of a diagnostic is a column; its location is spread into file, line
    # and column; related places are their pointers
    expected = [k for k in diagnostic if k != "location"]
    assert set(expected) <= set(table.column_names)
    assert {"file", "line", "column"} <= set(table.column_names) & set(location)
    types = {f.name: f.type for f in table.schema}
    for name, prop in diagnostic.items():
        if name == "location":
            continue
        if prop.get("type") == "array" or name in ("elements", "related"):
            assert pa.types.is_list(types[name]), name
        else:
            assert types[name] == pa.string(), name
    assert types["line"] == pa.int64() and types["column"] == pa.int64()
    assert table.num_rows == len(reference.check().findings) == 20


def test_every_table_has_typed_columns(reference: policygraph.Programme) -> None:
    coverage = reference.coverage()
    elements = reference.elements().to_arrow()
    t = {f.name: f.type for f in elements.schema}
    assert t["start"] == pa.date32() and t["end"] == pa.date32()
    assert t["id"] == pa.string() and t["kind"] == pa.string()
    assert pa.types.is_list(t["funding"])
    a1 = next(r for r in reference.elements("activity") if r.id == "A1")
    assert a1.start == "2023-01-01" and a1.end == "2025-12-31"
    row = elements.filter(pa.compute.equal(elements["id"], "A1")).to_pylist()[0]
    assert row["start"] == datetime.date(2023, 1, 1)
    years = coverage.years.to_arrow()
    assert years.schema.field("year").type == pa.int64()
    assert years.column("year").to_pylist() == [2023, 2024, 2025]
    lines = coverage.lines.to_arrow()
    assert lines.schema.field("covered").type == pa.bool_()
    assert lines.num_rows == 26
    indicators = coverage.indicators.to_arrow()
    for name in ("target", "planned", "gap"):
        assert indicators.schema.field(name).type == pa.float64()
    priorities = coverage.priorities.to_arrow()
    assert priorities.schema.field("share").type == pa.float64()
    assert priorities.schema.field("lines").type == pa.int64()
    rules = policygraph.rules().to_arrow()
    assert rules.schema.field("rule").type == pa.bool_()
    diff = reference.diff(policygraph.load("tests/diff/target-raised.yaml")).to_arrow()
    assert diff.column_names == ["change", "id", "kind", "title", "field", "category", "old", "new"]
    for name in ("partners", "funding_sources", "networks", "themes"):
        table = getattr(coverage, name)
        assert table.name == name and table.columns[:2] == ["id", "title"]


def test_polars_and_pandas_get_the_same_columns(reference: policygraph.Programme) -> None:
    report = reference.check()
    frame = report.to_polars()
    assert frame.schema["line"] == pl.Int64 and frame.schema["code"] == pl.String
    assert frame.schema["elements"] == pl.List(pl.String)
    assert frame.height == 20
    df = report.to_pandas()
    assert list(df.columns) == frame.columns
    assert str(df["line"].dtype) == "int64[pyarrow]"
    assert str(df["code"].dtype) == "string[pyarrow]"
    elements = reference.elements().to_pandas()
    assert str(elements["start"].dtype) == "date32[day][pyarrow]"
    assert pl.DataFrame(reference.elements()).schema["start"] == pl.Date
    # the PyCapsule interface: any Arrow consumer reads a table directly
    assert pa.table(reference.coverage().lines).num_rows == 26
    assert pl.from_arrow(reference.coverage().lines.to_arrow()).height == 26  # type: ignore[union-attr]


def test_tables_are_sequences_of_records(reference: policygraph.Programme) -> None:
    lines = reference.coverage().lines
    assert len(lines) == 26 and lines[0].id == "P1.1" and lines[-1].id == lines.to_pylist()[-1].id
    assert [r.id for r in lines] == lines.to_arrow().column("id").to_pylist()
    with pytest.raises(IndexError, match="out of range"):
        lines[26]
    assert repr(lines).startswith("<policygraph.Table lines (26 rows: id, title, priority")
    empty = policygraph.loads("format: policygraph/v1\nprogramme: {id: p, title: P}\n")
    table = empty.check().to_arrow()
    assert table.num_rows == 0 and "code" in table.column_names
    assert empty.elements("activity").to_polars().height == 0


@pytest.mark.parametrize(("module", "method"), [("polars", "to_polars"), ("pyarrow", "to_arrow"), ("pandas", "to_pandas"), ("pyarrow", "to_pandas")])
def test_a_missing_dataframe_library_is_named(
    reference: policygraph.Programme, monkeypatch: pytest.MonkeyPatch, module: str, method: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=f"`{method}` needs {module}: install it with `pip install {module}`"):
        getattr(reference.check(), method)()


def test_many_findings_convert_in_one_call() -> None:
    # about 10^4 findings from a generated programme: the columns are built in Rust
    big = policygraph.generate(1_000_000 // 100 * 10, seed=3)
    report = big.check()
    frame: Any = report.to_pandas()
    assert len(frame) == len(report) > 500
    assert frame["code"].tolist() == [f.code for f in report.findings]
