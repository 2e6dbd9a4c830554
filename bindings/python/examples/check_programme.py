"""Check a programme and summarise its findings and coverage with pandas.

    python bindings/python/examples/check_programme.py examples/pompidou-2023-2025.yaml
"""

from __future__ import annotations

import sys

import policygraph


def main(path: str) -> int:
    try:
        programme = policygraph.load(path)
    except policygraph.LoadError as e:
        print(e, file=sys.stderr)
        return 2
    report = programme.check()
    for finding in report.findings:
        place = f"{finding.location.line}:{finding.location.column}" if finding.location else finding.pointer
        print(f"{place}: {finding.severity} {finding.code} {finding.message}")
    coverage = programme.coverage()
    uncovered = ", ".join(coverage.uncovered_lines) or "none"
    print(f"{programme.title}: {len(report.errors)} errors, {len(report.warnings)} warnings")
    print(f"lines of action no activity addresses: {uncovered}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "examples/pompidou-2023-2025.yaml"))
