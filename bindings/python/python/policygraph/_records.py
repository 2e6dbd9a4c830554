"""Records: what the core returns, as dicts whose keys are also attributes.

Each struct of the core becomes an instance of the class of the same name below (or of
`Record` itself), filled field for field by the native module: a field added to the core
is a new key here with no change to this file. The classes exist so that type checkers
know the fields (see `__init__.pyi`); at run time they are all `Record`s.
"""

from __future__ import annotations

from typing import Any


class Record(dict):  # type: ignore[type-arg]
    """A dict whose keys are also read-only attributes (`finding.code`)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"`{type(self).__name__}` has no field `{name}` (its fields are {', '.join(map(repr, self)) or 'none'})"
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"`{type(self).__name__}` is read-only")

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | {k for k in self if isinstance(k, str)})

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.items())
        return f"{type(self).__name__}({fields})"


class Diagnostic(Record):
    """One finding: code, name, severity, message, pointer, location, help, related.

    `line`, `column` and `file` read the location (None when the finding has none).
    """

    __slots__ = ()

    @property
    def line(self) -> int | None:
        """The line of the location, from 1."""
        location = self.get("location")
        return None if location is None else location["line"]

    @property
    def column(self) -> int | None:
        """The column of the location, from 1, in characters."""
        location = self.get("location")
        return None if location is None else location["column"]

    @property
    def file(self) -> str | None:
        """The file of the location, when the document came from one."""
        location = self.get("location")
        return None if location is None else location.get("file")


class Location(Record):
    """A place in the source text: file, line, column, offset, length."""

    __slots__ = ()


class Related(Record):
    """Another place a finding concerns."""

    __slots__ = ()


class Summary(Record):
    """How many elements of each kind a programme holds."""

    __slots__ = ()


class ElementInfo(Record):
    """An element as traces name it: id, kind, title."""

    __slots__ = ()


class Trace(Record):
    """An element traced up to the priorities and forward to the results."""

    __slots__ = ()


class TraceStep(Record):
    """One step of a trace."""

    __slots__ = ()


class Impact(Record):
    """What dropping an element would leave uncovered, orphaned or broken."""

    __slots__ = ()


class BrokenReference(Record):
    """A reference that dropping an element would break."""

    __slots__ = ()


class DiffSummary(Record):
    """How many changes of each sort a diff holds."""

    __slots__ = ()


class QueryRow(Record):
    """One element of a table of elements."""

    __slots__ = ()


class FindingRow(Record):
    """One row of a findings table."""

    __slots__ = ()


class RuleRow(Record):
    """One row of the rule table."""

    __slots__ = ()
