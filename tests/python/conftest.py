"""Fixtures shared by the tests in this directory (helpers live in `pgdocs`)."""

from __future__ import annotations

import copy
import functools
import os
import shutil
import subprocess
from typing import Any, Callable

import pytest
from jsonschema import Draft202012Validator

import pgdocs


@pytest.fixture(scope="session")
def schema() -> dict[str, Any]:
    return pgdocs.load_schema()


@pytest.fixture(scope="session")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return pgdocs.make_validator(schema)


@pytest.fixture(scope="session")
def _reference_document() -> Any:
    return pgdocs.load_path(pgdocs.REFERENCE_PROGRAMME)


@pytest.fixture
def reference_document(_reference_document: Any) -> Any:
    """A fresh copy of the reference programme, for a test to change."""
    return copy.deepcopy(_reference_document)


def _cargo() -> str:
    # `cargo xtask test` runs us under cargo, which sets $CARGO to itself
    cargo = os.environ.get("CARGO") or shutil.which("cargo")
    if not cargo:
        pytest.fail("cargo is needed to run the policygraph CLI and was not found")
    return cargo


@pytest.fixture(scope="session")
def cli() -> Callable[..., str]:
    """Runs the `policygraph` CLI (`cargo run`, reusing the debug build) from the
    repository root and returns its standard output; each command line runs once."""

    @functools.cache
    def run(*args: str) -> str:
        command = [_cargo(), "run", "--quiet", "-p", "policygraph-cli", "--", *args]
        done = subprocess.run(
            command,
            cwd=pgdocs.REPO_ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(
                f"`policygraph {' '.join(args)}` exited with {done.returncode}:\n{done.stderr}"
            )
        return done.stdout

    return run
