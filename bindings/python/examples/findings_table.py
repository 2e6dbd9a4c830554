"""Findings of many programmes as one polars DataFrame, counted per rule.

    python bindings/python/examples/findings_table.py tests/conformance/*.yaml
"""

from __future__ import annotations

import sys

import polars as pl

import policygraph


def findings(paths: list[str]) -> pl.DataFrame:
    frames = []
    for report in policygraph.validate_many(paths):
        frame = report.to_polars()
        frames.append(frame.with_columns(pl.lit(report.path).alias("path")))
    return pl.concat(frames) if frames else pl.DataFrame()


if __name__ == "__main__":
    table = findings(sys.argv[1:])
    print(table.group_by("code").len().sort("len", descending=True))
