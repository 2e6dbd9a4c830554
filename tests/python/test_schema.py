"""The independent check of the committed JSON Schema, with Python's `jsonschema`.

The Rust crate validates documents with its own schema machinery; these tests check
the same schema and fixtures with an unrelated implementation, so that the schema we
publish means to others what it means to us.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest
from jsonschema import Draft202012Validator

import pgdocs

VALID = pgdocs.documents_under(
    "examples", "tests/structure/valid", "tests/conformance", "tests/analysis"
)
INVALID = pgdocs.documents_under("tests/structure/invalid")

# Codes of the Rust reader whose problems are in the text itself (syntax, duplicate
# keys, safety bounds): the Python loaders must refuse such a document before the
# schema is consulted. The other codes are the schema's to find.
LOAD_CODES = {"PG001", "PG006", "PG007", "PG008"}

# Invalid documents that only the Rust reader can refuse, for a reason the schema
# cannot state: docs/robustness.md lists them as the differential test's exceptions.
SCHEMA_CANNOT_SAY = {
    "reversed-ranges.yaml": "a range's ends in the wrong order (exception 1)",
}


def errors_of(validator: Draft202012Validator, document: Any) -> list[str]:
    """Every error, as `pointer: message`, for a readable assertion failure."""
    return [
        f"{'/' + '/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def pointers_of(validator: Draft202012Validator, document: Any) -> set[str]:
    return set().union(*(pgdocs.problem_pointers(e) for e in validator.iter_errors(document)))


# ---------------------------------------------------------------------------------
# The schema itself
# ---------------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    assert isinstance(schema.get("$id"), str) and schema["$id"]
    assert isinstance(schema.get("title"), str) and schema["title"]


def test_every_definition_is_documented(schema: dict[str, Any]) -> None:
    defs = schema.get("$defs")
    assert isinstance(defs, dict) and defs, "the schema has no $defs"
    undocumented = sorted(
        name for name, d in defs.items() if not (d.get("description") or d.get("title"))
    )
    assert not undocumented, f"$defs without a description or title: {undocumented}"


def test_fixtures_were_found() -> None:
    # a glob that silently matches nothing must not make the parametrized tests vanish
    assert len(VALID) >= 5, VALID
    assert len(INVALID) >= 8, INVALID


# ---------------------------------------------------------------------------------
# Fixtures and examples
# ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=pgdocs.fixture_id)
def test_valid_document_is_accepted(path: Path, validator: Draft202012Validator) -> None:
    document = pgdocs.load_path(path)
    assert errors_of(validator, document) == []


def _rejection(path: Path, validator: Draft202012Validator) -> tuple[str, set[str]]:
    """How a document is rejected: ("load", {}) when it does not load, ("schema",
    pointers) when the schema finds problems, ("accepted", {}) when neither."""
    try:
        document = pgdocs.load_path(path)
    except pgdocs.DocumentError:
        return "load", set()
    pointers = pointers_of(validator, document)
    return ("schema", pointers) if pointers else ("accepted", set())


@pytest.mark.parametrize("path", INVALID, ids=pgdocs.fixture_id)
def test_invalid_document_is_rejected(path: Path, validator: Draft202012Validator) -> None:
    how, _ = _rejection(path, validator)
    if path.name in SCHEMA_CANNOT_SAY:
        # the schema accepts it, as documented; the Rust reader's refusal is in its
        # sidecar, which the Rust, Python and Kotlin fixture tests hold it to
        assert how == "accepted", f"{pgdocs.fixture_id(path)}: the schema now says it ({how})"
        sidecar = path.with_name(path.name + pgdocs.SIDECAR_SUFFIX)
        assert json.loads(sidecar.read_text(encoding="utf-8"))["diagnostics"]
        return
    assert how != "accepted", f"{pgdocs.fixture_id(path)} was accepted"


@pytest.mark.parametrize("path", INVALID, ids=pgdocs.fixture_id)
def test_invalid_document_is_rejected_where_the_rust_reader_says(
    path: Path, validator: Draft202012Validator
) -> None:
    """Both readers reject it for the same reasons: at load time when the Rust
    diagnostics are about the text, otherwise at the same JSON Pointers."""
    sidecar = path.with_name(path.name + pgdocs.SIDECAR_SUFFIX)
    if not sidecar.is_file():
        pytest.skip(f"no sidecar {sidecar.name}")
    if path.name in SCHEMA_CANNOT_SAY:
        pytest.skip(f"the schema cannot say it: {SCHEMA_CANNOT_SAY[path.name]}")
    expected = json.loads(sidecar.read_text(encoding="utf-8"))["diagnostics"]
    codes = {d["code"] for d in expected}
    how, pointers = _rejection(path, validator)
    if codes & LOAD_CODES:
        assert how == "load", f"the Rust reader reports {sorted(codes)}; Python: {how}"
    else:
        assert how == "schema", f"the Rust reader reports {sorted(codes)}; Python: {how}"
        # the same places: the schema stops at the value that matches none of its forms
        # (a timeframe mapping), where the Rust reader may name the key or value inside
        # it that is at fault (`/timeframe/within`)
        rust = {d["pointer"] for d in expected}

        def at_or_below(inner: str, outer: str) -> bool:
            return inner == outer or inner.startswith(outer + "/")

        assert all(any(at_or_below(r, s) for s in pointers) for r in rust), (rust, pointers)
        assert all(any(at_or_below(r, s) for r in rust) for s in pointers), (rust, pointers)


# ---------------------------------------------------------------------------------
# What the CLI writes
# ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
def test_cli_conversion_of_the_reference_programme_validates(
    fmt: str, cli: Callable[..., str], validator: Draft202012Validator
) -> None:
    text = cli("convert", "examples/pompidou-2023-2025.yaml", "--to", fmt)
    document = pgdocs.load_text(text, f".{fmt}")
    assert errors_of(validator, document) == []


def test_cli_json_is_the_reference_programme(
    cli: Callable[..., str], reference_document: Any
) -> None:
    # the conversion is lossless, so it must hold what the YAML holds
    converted = pgdocs.load_json(cli("convert", "examples/pompidou-2023-2025.yaml", "--to", "json"))
    assert _without_nulls(converted) == _without_nulls(reference_document)


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


# ---------------------------------------------------------------------------------
# Mutations of the reference programme: each one change, each one caught
# ---------------------------------------------------------------------------------


def _activities(activities: list[dict[str, Any]], at: str = "/activities"):
    for i, activity in enumerate(activities):
        here = f"{at}/{i}"
        yield here, activity
        yield from _activities(activity.get("activities", []), f"{here}/activities")


def _first_activity_with(doc: dict[str, Any], field: str) -> tuple[str, dict[str, Any]]:
    for pointer, activity in _activities(doc["activities"]):
        if activity.get(field):
            return pointer, activity
    raise AssertionError(f"the reference programme has no activity with `{field}`")


def unknown_field_on_an_activity(doc: dict[str, Any]) -> str:
    doc["activities"][0]["colour"] = "blue"
    return "/activities/0/colour"


def funding_of_the_wrong_type(doc: dict[str, Any]) -> str:
    doc["activities"][0]["funding"] = "OB"
    return "/activities/0/funding"


def impossible_date(doc: dict[str, Any]) -> str:
    doc["programme"]["dated"] = "2023-02-30"
    return "/programme/dated"


def malformed_timeframe(doc: dict[str, Any]) -> str:
    pointer, activity = _first_activity_with(doc, "timeframe")
    activity["timeframe"] = "sometime"
    return f"{pointer}/timeframe"


def unknown_deliverable_kind(doc: dict[str, Any]) -> str:
    pointer, activity = _first_activity_with(doc, "deliverables")
    activity["deliverables"][0]["kind"] = "pamflet"
    return f"{pointer}/deliverables/0/kind"


def priority_without_a_title(doc: dict[str, Any]) -> str:
    del doc["priorities"][0]["title"]
    return "/priorities/0"


def id_with_a_space(doc: dict[str, Any]) -> str:
    doc["activities"][0]["id"] = "has space"
    return "/activities/0/id"


MUTATIONS = [
    unknown_field_on_an_activity,
    funding_of_the_wrong_type,
    impossible_date,
    malformed_timeframe,
    unknown_deliverable_kind,
    priority_without_a_title,
    id_with_a_space,
]


def test_unchanged_reference_programme_is_accepted(
    reference_document: Any, validator: Draft202012Validator
) -> None:
    assert errors_of(validator, reference_document) == []


@pytest.mark.parametrize("mutate", MUTATIONS, ids=lambda m: m.__name__)
def test_mutated_reference_programme_is_rejected(
    mutate: Callable[[dict[str, Any]], str],
    reference_document: Any,
    validator: Draft202012Validator,
) -> None:
    before = copy.deepcopy(reference_document)
    pointer = mutate(reference_document)
    assert reference_document != before, "the mutation changed nothing"
    pointers = pointers_of(validator, reference_document)
    assert pointers == {pointer}, f"expected one problem at {pointer}, found {pointers}"


# ---------------------------------------------------------------------------------
# The loaders read YAML by the 1.2 core schema, as the Rust reader does (checked
# against it for these cases), and refuse what the safe reader refuses
# ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("d: 2025-06-30", {"d": "2025-06-30"}),
        ("b: yes\nc: off", {"b": "yes", "c": "off"}),
        ("t: true\nf: FALSE", {"t": True, "f": False}),
        ("n: 010\no: 0o10\nx: 0x10", {"n": 10, "o": 8, "x": 16}),
        ("s: 1:20", {"s": "1:20"}),
        ("e: \nt: ~\nn: null", {"e": None, "t": None, "n": None}),
        ("f: 1.5\ng: -.inf", {"f": 1.5, "g": float("-inf")}),
    ],
)
def test_yaml_scalars_resolve_by_the_core_schema(text: str, expected: Any) -> None:
    assert pgdocs.load_yaml(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x",
        "a: &x 1",
        "a: 1\na: 2",
        "a: [1,",
    ],
    ids=["alias", "anchor", "duplicate-key", "syntax"],
)
def test_yaml_loader_refuses(text: str) -> None:
    with pytest.raises(pgdocs.DocumentError):
        pgdocs.load_yaml(text)


@pytest.mark.parametrize(
    "text", ['{"a": 1, "a": 2}', '{"a": NaN}', '{"a": 1,}'], ids=["duplicate", "nan", "syntax"]
)
def test_json_loader_refuses(text: str) -> None:
    with pytest.raises(pgdocs.DocumentError):
        pgdocs.load_json(text)


def test_toml_dates_become_strings() -> None:
    assert pgdocs.load_toml("d = 2024-01-15\n[t]\nw = 2024-01-15T10:00:00") == {
        "d": "2024-01-15",
        "t": {"w": "2024-01-15T10:00:00"},
    }
