"""Shared helpers of the Python package's tests. Every test runs from the repository
root, so that fixture paths (and the file names in locations) read as in the Rust tests."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


# every path in these tests is relative to the repository root, as in the Rust tests
os.chdir(ROOT)


@functools.cache
def _cli_program() -> list[str]:
    cargo = os.environ.get("CARGO") or shutil.which("cargo")
    if not cargo:
        pytest.fail("cargo is needed to run the policygraph CLI and was not found")
    return [cargo, "run", "--quiet", "-p", "policygraph-cli", "--"]


@pytest.fixture(scope="session")
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Runs the `policygraph` CLI from the repository root (standard output, standard
    error and exit code), so that tests compare the package's wording with the CLI's."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_cli_program(), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )

    return run
