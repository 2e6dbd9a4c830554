"""Fixtures shared by the tests in this directory (helpers live in `pgdocs`)."""

from __future__ import annotations

import copy
import functools
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable, Iterator

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


# ---------------------------------------------------------------------------------
# Headless Chromium (the HTML report tests)
# ---------------------------------------------------------------------------------

# Where Debian's `chromium` package puts the browser; `cargo xtask test` installs it.
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")

# Headless, as root, on a machine with no network: without the background-networking
# switches Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_executable() -> Path:
    if DEBIAN_CHROMIUM.is_file():
        return DEBIAN_CHROMIUM
    found = shutil.which("chromium")
    if found:
        return Path(found)
    pytest.fail(
        f"Chromium is needed and was not found (no {DEBIAN_CHROMIUM}, no `chromium` on "
        "PATH); `cargo xtask test` installs Debian's, or `apt-get install -y chromium`"
    )


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium driven by Playwright: Debian's browser, never one that
    Playwright downloads. Yields a `playwright.sync_api.Browser`."""
    # nothing here may fetch a browser: the machines have no network but the registries
    os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    from playwright.sync_api import sync_playwright

    executable = _chromium_executable()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            timeout=30_000,
        )
        try:
            yield browser
        finally:
            browser.close()
