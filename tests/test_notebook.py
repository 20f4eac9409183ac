"""The analyst's notebook runs top to bottom on the sample notices, and says what the store says."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import nbformat
import pytest
from nbclient import NotebookClient

from tests.corpus import RAW, ROOT

NOTEBOOK = ROOT / "notebooks" / "analyst_walkthrough.ipynb"
FIGURES = ("lead_units.png", "deadlines_per_month.png", "target_units.png", "plan_diff.png")


def _streams(notebook: nbformat.NotebookNode, name: str) -> str:
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == name
    )


def test_the_notebook_runs_on_the_samples_and_plots_with_chinese_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("GONGWEN_RAW", str(RAW))
    monkeypatch.setenv("GONGWEN_OUT", str(out))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "matplotlib"))  # an empty font cache, as on a new machine
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()

    printed, warnings = _streams(notebook, "stdout"), _streams(notebook, "stderr")
    assert "missing from" not in warnings and "findfont" not in warnings, warnings  # every glyph had a font
    # the font the package ships, registered from its file: not a system font (Debian's WenQuanYi)
    assert re.search(r"CJK font: Noto Sans CJK SC from \S*site-packages/mpl_font/\S*\.otf", printed), printed
    images = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) == len(FIGURES)
    assert all((out / "figures" / name).stat().st_size > 10_000 for name in FIGURES)

    notices = sorted(p for p in RAW.iterdir() if p.suffix in (".txt", ".pdf"))
    assert f"找到 {len(notices)} 个文件：本次处理 {len(notices)}，未变 0，失败 0" in printed
    with duckdb.connect(str(out / "gongwen.duckdb"), read_only=True) as store:
        [(records, tasks)] = store.execute(
            "SELECT (SELECT count(*) FROM notices), count(*) FROM tasks WHERE origin = 'body' OR plan = 1"
        ).fetchall()
    assert f"{len(notices)} 个文件，{records} 份通知/方案，{tasks} 项任务" in printed
    assert records == len(notices) + 30  # pdf02's 31 plans
    pair = re.search(r"国务院办公厅：(\d{4})年《(.+)》→ (\d{4})年《(.+)》", printed)
    assert pair is not None and (pair[1], pair[3]) == ("1996", "1997")  # the 地震 reports, a year apart
