"""policygraph: work programmes as typed, queryable graphs, and the checks that find
where a programme is inconsistent or has gaps.

>>> import policygraph
>>> programme = policygraph.loads(
...     "format: policygraph/v1\\n"
...     "programme: {id: p, title: P, period: 2023-2025}\\n"
...     "priorities: [{id: P1, title: One, actions: [{id: P1.1, title: a}]}]\\n"
... )
>>> [f.code for f in programme.check().findings]
['PG702']
"""

from __future__ import annotations

from policygraph import _records
from policygraph._policygraph import (
    Coverage,
    Diff,
    InternalError,
    LoadError,
    Programme,
    Report,
    Table,
    __version__,
    generate,
    load,
    loads,
    rules,
    schema,
    validate_many,
)
from policygraph._records import Record

__all__ = [
    "Coverage",
    "Diff",
    "InternalError",
    "LoadError",
    "Programme",
    "Record",
    "Report",
    "Table",
    "__version__",
    "generate",
    "load",
    "loads",
    "rules",
    "schema",
    "validate_many",
]


def _restore_programme(text: str, format: str, name: str | None, max_bytes: int) -> Programme:
    """Unpickles a `Programme` (its text is read again)."""
    return loads(text, format, name=name, max_bytes=max_bytes)


def _restore_report(json: str, path: str | None, readable: bool, deny_warnings: bool) -> Report:
    """Unpickles a `Report`."""
    from policygraph._policygraph import _restore_report_inner

    return _restore_report_inner(json, path, readable, deny_warnings)


def _restore_diff(json: str) -> Diff:
    """Unpickles a `Diff`."""
    from policygraph._policygraph import _restore_diff_inner

    return _restore_diff_inner(json)


def _restore_coverage(json: str) -> Coverage:
    """Unpickles a `Coverage`."""
    from policygraph._policygraph import _restore_coverage_inner

    return _restore_coverage_inner(json)


del _records
