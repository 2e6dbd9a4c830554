"""The Dask recipe of `docs/python.md` ("Corpora bigger than one machine") gives what one
serial `validate_many` gives.

The recipe is taken from the guide itself (the block that defines `validate_corpus`), so
the code that is tested is the code readers copy. It runs on a local cluster of two worker
processes over 200 generated documents of varied size (so their findings differ) and one
that cannot be read, and its findings DataFrame must equal the serial run's, row for row.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

import policygraph  # noqa: E402

HERE = Path(__file__).resolve().parent
DOCUMENTS = 200


def _docs_helpers() -> Any:
    """test_docs.py (its Markdown reader), imported by path whatever pytest's import mode."""
    name = "_policygraph_test_docs"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / "test_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def recipe() -> Callable[..., Any]:
    """`validate_corpus` as docs/python.md defines it."""
    docs = _docs_helpers()
    blocks = [b for b in docs.python_blocks(docs.GUIDE) if "def validate_corpus(" in b.code]
    assert len(blocks) == 1, "docs/python.md should define `validate_corpus` in one block"
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile("\n" * (blocks[0].line - 1) + blocks[0].code, str(docs.GUIDE), "exec"), namespace)
    validate_corpus: Callable[..., Any] = namespace["validate_corpus"]
    return validate_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("corpus")
    paths = []
    for i in range(DOCUMENTS):
        n = 60 + (i * 37) % 241  # 60 to 300 elements
        path = root / f"doc-{i:03d}.json"
        path.write_text(policygraph.generate(n, seed=i + 1).to_json(), encoding="utf-8")
        paths.append(path)
    broken = root / "doc-broken.yaml"
    broken.write_text("format: policygraph/v1\nprogramme: [\n", encoding="utf-8")
    paths.insert(DOCUMENTS // 2, broken)
    return paths


def serial_findings(paths: list[Path]) -> Any:
    frames = []
    for report in policygraph.validate_many(paths):
        frame = report.to_pandas()
        frame.insert(0, "path", pd.Series([report.path] * len(frame), dtype=pd.ArrowDtype(pa.string())))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def sorted_rows(frame: Any) -> Any:
    order = ["path", "line", "code", "column", "message"]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def test_the_dask_recipe_equals_the_serial_run(corpus: list[Path]) -> None:
    validate_corpus = recipe()
    serial = serial_findings(corpus)

    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    try:
        with distributed.get_task_stream(client) as stream:
            findings = validate_corpus(client, corpus, npartitions=8)
        workers = {task["worker"] for task in stream.data}
    finally:
        client.close()
        cluster.close()

    # both worker processes took part
    assert len(workers) == 2, workers

    # the corpus is varied: files with and without findings, several codes, an unreadable one
    per_file = serial.groupby("path").size()
    assert per_file.nunique() > 3
    assert len(per_file) < len(corpus)  # some files have no finding at all
    assert serial.code.nunique() >= 3
    assert "PG001" in set(serial.code)

    assert list(findings.columns) == list(serial.columns)
    assert findings.dtypes.to_dict() == serial.dtypes.to_dict()
    pd.testing.assert_frame_equal(sorted_rows(findings), sorted_rows(serial))
    # and the recipe keeps the order of the paths, so it is the serial run as it comes
    pd.testing.assert_frame_equal(findings, serial)
