"""The Python examples of the documentation run.

Every ```python block of `docs/python.md` and of the top-level `README.md` is executed,
in order, from the repository root: the blocks of one file share one namespace (a later
block may use what an earlier one defined), each file starts from a fresh one. A block
that is not meant to run is fenced as ```text (or any other language). Tracebacks point
at the Markdown file's own lines.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
GUIDE = REPO_ROOT / "docs" / "python.md"
README = REPO_ROOT / "README.md"

# an opening fence (``` or ~~~, three or more, up to three spaces of indent) with its
# info string; CommonMark closes a block with a fence of the same character, at least as
# long, and nothing after it
_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # the 1-based line of the block's first line of code
    code: str

    def __str__(self) -> str:
        path = self.path.relative_to(REPO_ROOT) if self.path.is_relative_to(REPO_ROOT) else self.path
        return f"{path}:{self.line}"


def python_blocks(path: Path) -> list[Block]:
    """The ```python (or ```py) blocks of a Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _OPEN.match(lines[i])
        if not opening:
            i += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        language = opening["info"].split(maxsplit=1)[0].lower() if opening["info"].strip() else ""
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        start = i + 1
        end = start
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        if language in ("python", "py", "python3"):
            body = [line[indent:] if line[:indent].strip() == "" else line for line in lines[start:end]]
            blocks.append(Block(path, start + 1, textwrap.dedent("\n".join(body)) + "\n"))
        i = end + 1
    return blocks


def run_blocks(blocks: list[Block], path: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__main__", "__file__": str(path)}
    for block in blocks:
        # padded so that line numbers in a traceback are the Markdown file's
        source = "\n" * (block.line - 1) + block.code
        code = compile(source, str(block.path), "exec")
        try:
            exec(code, namespace)
        except Exception as e:
            raise AssertionError(f"the block at {block} failed: {type(e).__name__}: {e}") from e


def test_the_guide_has_examples() -> None:
    blocks = python_blocks(GUIDE)
    assert len(blocks) >= 10, f"docs/python.md has {len(blocks)} python blocks"
    # the recipe test_dask.py runs is among them
    assert any("def validate_corpus(" in b.code for b in blocks)


def test_the_block_reader(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "intro",
            "```python",
            "a = 1",
            "```",
            "```text",
            "not python",
            "```",
            "````py",
            "b = a + 1",
            "```",
            "still in the block",
            "````",
            "  ```python",
            "  c = 3",
            "  ```",
            "~~~python title=x",
            "d = 4",
            "~~~",
        ]
    )
    path = tmp_path / "check.md"
    path.write_text(text, encoding="utf-8")
    blocks = python_blocks(path)
    assert [(b.line, b.code) for b in blocks] == [
        (3, "a = 1\n"),
        (9, "b = a + 1\n```\nstill in the block\n"),
        (14, "c = 3\n"),
        (17, "d = 4\n"),
    ]


@pytest.mark.parametrize("path", [GUIDE, README], ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_python_blocks_run(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(path)
    if not blocks:
        # README.md may have no Python section (yet); docs/python.md must have blocks
        assert path != GUIDE, "docs/python.md has no python blocks"
        pytest.skip(f"{path.name} has no python blocks")
    monkeypatch.chdir(REPO_ROOT)
    run_blocks(blocks, path)
