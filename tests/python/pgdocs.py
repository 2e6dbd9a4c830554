"""Reading programme documents the way the Rust reader does, and validating them.

Shared by the tests in this directory. The loaders here are deliberately strict so
that they agree with `policygraph`'s reader on what a document *is* (YAML 1.2 core
schema, no anchors or aliases, no duplicate keys, TOML dates as date strings); the
JSON Schema then decides whether it is a valid programme.
"""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from pathlib import Path
from typing import Any, Iterable

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO_ROOT / "schema" / "policygraph.schema.json"
REFERENCE_PROGRAMME = REPO_ROOT / "examples" / "pompidou-2023-2025.yaml"

DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json", ".toml")
SIDECAR_SUFFIX = ".expected.json"


class DocumentError(ValueError):
    """The text is not a document: it does not parse, or the safe loader refuses it."""


# ---------------------------------------------------------------------------------
# YAML: PyYAML's SafeLoader speaks YAML 1.1; this one resolves plain scalars by the
# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution) as the Rust
# reader does: no timestamps (`2025-06-30` stays a string), no `yes`/`no`/`on`/`off`
# booleans, no sexagesimal or `017`-is-octal integers. Anchors, aliases and duplicate
# keys are refused outright. (Known differences, on no fixture: the Rust reader also
# takes `<<` merge keys and `1_000` digit separators, which the core schema has not.)
# ---------------------------------------------------------------------------------

_CORE_RESOLVERS = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (
        "tag:yaml.org,2002:int",
        r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
        list("-+0123456789"),
    ),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]


class StrictYamlLoader(yaml.SafeLoader):
    """A SafeLoader with YAML 1.2 core-schema resolution, no anchors or aliases and no
    duplicate keys."""

    # a fresh table, so that SafeLoader's YAML 1.1 resolvers (timestamp, merge, value,
    # 1.1 bools and ints) are left behind rather than mutated
    yaml_implicit_resolvers: dict = {}

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"aliases are not allowed (*{event.anchor})", event.start_mark
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.composer.ComposerError(
                None, None, f"anchors are not allowed (&{anchor})", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError as e:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found an unhashable key ({e})",
                        key_node.start_mark,
                    ) from e
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key {key!r}",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):  # type: ignore[override]
        text = self.construct_scalar(node)
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)  # `017` is seventeen in YAML 1.2


for _tag, _pattern, _first in _CORE_RESOLVERS:
    StrictYamlLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)
StrictYamlLoader.add_constructor("tag:yaml.org,2002:int", StrictYamlLoader.construct_yaml_int)


def load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=StrictYamlLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as e:
        raise DocumentError(f"YAML: {e}") from e


# ---------------------------------------------------------------------------------
# JSON and TOML
# ---------------------------------------------------------------------------------


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DocumentError(f"JSON: duplicate key {key!r}")
        out[key] = value
    return out


def _refuse_constant(name: str) -> Any:
    raise DocumentError(f"JSON: {name} is not JSON")


def load_json(text: str) -> Any:
    try:
        return json.loads(
            text, object_pairs_hook=_refuse_duplicates, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as e:
        raise DocumentError(f"JSON: {e}") from e


def dates_as_strings(value: Any) -> Any:
    """TOML's dates and times as ISO strings (the Rust reader takes a bare TOML date
    as a date string)."""
    if isinstance(value, (datetime.date, datetime.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        return {k: dates_as_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [dates_as_strings(v) for v in value]
    return value


def load_toml(text: str) -> Any:
    try:
        return dates_as_strings(tomllib.loads(text))
    except tomllib.TOMLDecodeError as e:
        raise DocumentError(f"TOML: {e}") from e


LOADERS = {
    ".yaml": load_yaml,
    ".yml": load_yaml,
    ".json": load_json,
    ".toml": load_toml,
}


def load_text(text: str, suffix: str) -> Any:
    """A document from its text, read as the format `suffix` (`.yaml`, `.json`, ...)."""
    return LOADERS[suffix](text)


def load_path(path: Path) -> Any:
    """A document from a file, by its extension; DocumentError if it is not one."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise DocumentError(f"not UTF-8: {e}") from e
    return load_text(text, path.suffix)


# ---------------------------------------------------------------------------------
# Fixtures and validation
# ---------------------------------------------------------------------------------


def documents_under(*dirs: str) -> list[Path]:
    """The documents under the given directories (relative to the repository root),
    sidecars left out, sorted."""
    out = []
    for d in dirs:
        for path in (REPO_ROOT / d).rglob("*"):
            if (
                path.is_file()
                and path.suffix in DOCUMENT_SUFFIXES
                and not path.name.endswith(SIDECAR_SUFFIX)
            ):
                out.append(path)
    return sorted(out)


def fixture_id(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def make_validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _pointer(path: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def problem_pointers(error: ValidationError) -> set[str]:
    """The JSON Pointers of the values an error is about, the way the Rust reader
    places its diagnostics: an unknown field at the field itself, a missing one at the
    object lacking it, anything else at the value. Where an `anyOf`/`oneOf` has a
    single branch of the right type, the pointers come from inside that branch."""
    here = _pointer(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            return {f"{here}/{_pointer([k])[1:]}" for k in extra}
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        fitting = [
            errs
            for errs in branches.values()
            if not any(e.validator == "type" and not e.relative_path for e in errs)
        ]
        if len(fitting) == 1:
            return set().union(*(problem_pointers(e) for e in fitting[0]))
    return {here}
