from typing import Any

class Record(dict[str, Any]):
    def __getattr__(self, name: str) -> Any: ...
    def __setattr__(self, name: str, value: Any) -> None: ...
    def __dir__(self) -> list[str]: ...

class Location(Record):
    file: str | None
    line: int
    column: int
    offset: int
    length: int

class Related(Record):
    message: str
    pointer: str
    location: Location | None

class Diagnostic(Record):
    code: str
    name: str
    severity: str
    message: str
    elements: list[str]
    pointer: str
    location: Location | None
    related: list[Related]
    help: str | None
    @property
    def line(self) -> int | None: ...
    @property
    def column(self) -> int | None: ...
    @property
    def file(self) -> str | None: ...

class Summary(Record):
    priorities: int
    lines_of_action: int
    activities: int
    sub_activities: int
    deliverables: int
    milestones: int
    outputs: int
    outcomes: int
    indicators: int
    funding_sources: int
    partners: int
    networks: int
    themes: int
    evaluation: int

class ElementInfo(Record):
    id: str
    kind: str
    title: str
    pointer: str

class TraceStep(Record):
    element: ElementInfo
    via: str
    depth: int
    dependency: str | None

class Trace(Record):
    element: ElementInfo
    upstream: list[TraceStep]
    downstream: list[TraceStep]
    priorities: list[str]
    indicators: list[str]
    outcomes: list[str]
    links: list[TraceStep]

class BrokenReference(Record):
    via: str
    target: str

class Impact(Record):
    element: ElementInfo | None
    removed: list[ElementInfo]
    uncovered_lines: list[ElementInfo]
    indicators_without_contributors: list[ElementInfo]
    orphaned: list[ElementInfo]
    broken_references: list[BrokenReference]

class DiffSummary(Record):
    programme: int
    added: int
    removed: int
    renamed: int
    moved: int
    reordered: int
    changed: int
    fields: int
    links_added: int
    links_removed: int
    coverage: int

class QueryRow(Record):
    id: str
    kind: str
    title: str
    parent: str | None
    timeframe: str | None
    start: str | None
    end: str | None
    status: str | None
    funding: list[str]
    pointer: str

class FindingRow(Record):
    code: str
    name: str
    severity: str
    message: str
    pointer: str
    file: str | None
    line: int | None
    column: int | None
    help: str | None
    elements: list[str]
    related: list[str]

class RuleRow(Record):
    code: str
    name: str
    group: str
    severity: str
    rule: bool
    summary: str
    what: str
    why: str
    example: str
