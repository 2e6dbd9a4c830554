"""The HTML report, opened as a person would: in headless Chromium (issue #5).

`policygraph export FILE --to html` promises one self-contained file: no script, inline
CSS, a Content Security Policy, nothing fetched from the network, and every title from
the document shown as plain text however hostile. These tests export the reference
programme and `tests/export/hostile.yaml`, open each report from `file://` in Debian's
Chromium (through Playwright, which never downloads a browser here) and check what the
page did and shows. A full-page screenshot of each lands in `target/test-artifacts/`
for people to look at.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from PIL import Image, ImageStat

import pgdocs

HOSTILE = pgdocs.REPO_ROOT / "tests" / "export" / "hostile.yaml"
DOCUMENTS = {"pompidou": pgdocs.REFERENCE_PROGRAMME, "hostile": HOSTILE}
ARTIFACTS = pgdocs.REPO_ROOT / "target" / "test-artifacts"

# The sections the report has, by id, in any order.
SECTION_IDS = ["summary", "findings", "coverage", "targets", "timeline", "diagram"]

# The only URL schemes a self-contained report may load from.
LOCAL_SCHEMES = ("file:", "data:", "about:")

VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000


@dataclasses.dataclass
class OpenedReport:
    """One exported report, open in a Chromium page, with what the page did."""

    name: str
    document: Any
    html_path: Path
    page: Any  # playwright.sync_api.Page
    console: list[str]
    page_errors: list[str]
    remote_requests: list[str]


def normalise(text: str) -> str:
    """Runs of whitespace (newlines, tabs, carriage returns) as one space."""
    return " ".join(text.split())


def titles_of(node: Any) -> list[str]:
    """Every element's `title` and `label`, wherever it is in the document."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "label") and isinstance(value, str):
                found.append(value)
            else:
                found.extend(titles_of(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(titles_of(item))
    return found


def forbids_scripts(policy: str) -> bool:
    """Whether a Content Security Policy lets no script run: `script-src 'none'` (or
    `default-src 'none'` and no `script-src`), and no `script-src-elem` or
    `script-src-attr` that allows more."""
    directives: dict[str, list[str]] = {}
    for directive in policy.split(";"):
        name, *values = directive.split() or [""]
        if name:
            # the first of a repeated directive is the one that counts
            directives.setdefault(name.lower(), values)
    none = ["'none'"]
    governing = directives.get("script-src", directives.get("default-src"))
    return governing == none and all(
        directives.get(finer, none) == none for finer in ("script-src-elem", "script-src-attr")
    )


def open_page(browser: Any, url: str) -> tuple[Any, list[str], list[str], list[str]]:
    """A new page at `url`, recording console errors and warnings, uncaught errors, and
    every request to a non-local URL (which is aborted, so nothing leaves the machine)."""
    # script stays enabled, so that markup which slipped through unescaped would run
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    console: list[str] = []
    page_errors: list[str] = []
    remote: list[str] = []

    def on_console(message: Any) -> None:
        if message.type in ("error", "warning"):
            console.append(f"{message.type}: {message.text}")

    def on_request(request: Any) -> None:
        if not request.url.startswith(LOCAL_SCHEMES) and request.url not in remote:
            remote.append(request.url)

    def route(route: Any) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            if route.request.url not in remote:
                remote.append(route.request.url)
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.on("request", on_request)
    page.on("websocket", lambda ws: remote.append(ws.url))
    context.route("**/*", route)
    page.goto(url, wait_until="load")
    return page, console, page_errors, remote


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("html-report")


@pytest.fixture(scope="module", params=sorted(DOCUMENTS), ids=str)
def report(
    request: pytest.FixtureRequest,
    cli: Callable[..., str],
    chromium: Any,
    export_dir: Path,
) -> Iterator[OpenedReport]:
    name: str = request.param
    source = DOCUMENTS[name]
    html_path = export_dir / f"{name}.html"
    cli("export", str(source), "--to", "html", "-o", str(html_path))
    assert html_path.is_file(), f"`policygraph export --to html -o {html_path}` wrote nothing"
    page, console, page_errors, remote = open_page(chromium, html_path.as_uri())
    try:
        yield OpenedReport(
            name=name,
            document=pgdocs.load_path(source),
            html_path=html_path,
            page=page,
            console=console,
            page_errors=page_errors,
            remote_requests=remote,
        )
    finally:
        page.context.close()


# ---------------------------------------------------------------------------------
# Nothing runs, nothing is fetched
# ---------------------------------------------------------------------------------


def test_no_console_errors_or_warnings(report: OpenedReport) -> None:
    # a script the Content Security Policy blocked is reported here
    assert report.console == []


def test_no_page_errors(report: OpenedReport) -> None:
    assert report.page_errors == []


def test_no_network_requests(report: OpenedReport) -> None:
    assert report.remote_requests == [], "a self-contained report fetched these"


def test_no_script_element_and_nothing_ran(report: OpenedReport) -> None:
    page = report.page
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_content_security_policy_forbids_scripts(report: OpenedReport) -> None:
    policies = report.page.evaluate(
        """Array.from(document.head.querySelectorAll('meta[http-equiv]'))
             .filter(m => m.httpEquiv.toLowerCase() === 'content-security-policy')
             .map(m => m.content)"""
    )
    assert policies, "no <meta http-equiv=Content-Security-Policy> in <head>"
    assert any(forbids_scripts(policy) for policy in policies), policies


# ---------------------------------------------------------------------------------
# What the page shows
# ---------------------------------------------------------------------------------


def test_heading_is_the_programme_title_verbatim(report: OpenedReport) -> None:
    expected = report.document["programme"]["title"]
    headings = report.page.locator("h1")
    assert headings.count() == 1
    assert headings.first.inner_text() == expected


def test_body_is_visible(report: OpenedReport) -> None:
    # the hostile `<style>body{display:none}</style>` title must not apply
    page = report.page
    style = page.evaluate(
        """(() => { const s = getComputedStyle(document.body);
                    return {display: s.display, visibility: s.visibility,
                            opacity: s.opacity}; })()"""
    )
    assert style["display"] != "none"
    assert style["visibility"] == "visible"
    assert float(style["opacity"]) > 0
    assert page.locator("h1").is_visible()
    box = page.locator("body").bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0


def test_every_section_is_there(report: OpenedReport) -> None:
    missing = [
        section
        for section in SECTION_IDS
        if not report.page.evaluate("id => document.getElementById(id) !== null", section)
    ]
    assert missing == []


def test_results_chain_diagram_is_drawn(report: OpenedReport) -> None:
    diagram = report.page.locator("#diagram svg.results-chain")
    assert diagram.count() >= 1, "no <svg class=results-chain> in #diagram"
    box = diagram.first.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0, box


@pytest.mark.parametrize("report", ["hostile"], indirect=True)
def test_hostile_titles_read_back_verbatim(report: OpenedReport) -> None:
    text = normalise(report.page.evaluate("document.body.innerText"))
    titles = titles_of(report.document)
    assert len(titles) >= 12, titles  # the fixture's titles were all found
    missing = [title for title in titles if normalise(title) not in text]
    assert missing == [], "shown altered, or not at all"


def test_screenshot_is_not_blank(report: OpenedReport) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"html-report-{report.name}.png"
    png = report.page.screenshot(full_page=True, path=str(path))
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        rgb = image.convert("RGB")
    width, height = rgb.size
    assert width >= 800 and height >= 600, (width, height)
    colours = rgb.getcolors(maxcolors=width * height) or []
    assert len(colours) > 16, f"{len(colours)} colours in {path}"
    spread = ImageStat.Stat(rgb.convert("L")).stddev[0]
    assert spread > 8, f"grey-level standard deviation {spread:.1f} in {path}"


# ---------------------------------------------------------------------------------
# The harness itself: the checks above must be able to fail
# ---------------------------------------------------------------------------------


def test_harness_sees_blocked_scripts_and_network(chromium: Any, tmp_path: Path) -> None:
    page_file = tmp_path / "bad.html"
    page_file.write_text(
        "<!doctype html><html><head><meta charset=utf-8>"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">"
        "</head><body><h1>bad</h1><script>window.__pwned = 1</script>"
        '<img src="http://evil.invalid/x.png" alt=""></body></html>',
        encoding="utf-8",
    )
    page, console, page_errors, remote = open_page(chromium, page_file.as_uri())
    try:
        assert page.evaluate("document.scripts.length") == 1
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert any(re.search(r"Content Security Policy", line) for line in console), console
        assert remote == ["http://evil.invalid/x.png"]
        assert page_errors == []
    finally:
        page.context.close()
