"""Where the tests' real documents are: the sample notices in data/raw, the gold answers in tests/fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.process import process
from schemas.notice import Notice

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLD = FIXTURES / "eval" / "gold"
GOLD_TEXTS = sorted(RAW / f"{p.stem}.txt" for p in GOLD.glob("*.json"))
UNLABELED_TEXTS = sorted(RAW.glob("hd*.txt"))
PDFS = sorted(RAW.glob("pdf*.pdf"))
SCORER = FIXTURES / "eval" / "score.py"
DISTRICT = FIXTURES / "cases" / "district"  # a constructed district plan, with its answers


def score(pred_dir: Path, gold: Path = GOLD) -> dict[str, Any]:
    """The team's scorer (tests/fixtures/eval/score.py) on a folder of notice JSON."""
    result = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred_dir), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    scores: dict[str, Any] = json.loads(result.stdout)
    return scores


@cache
def notices_of(path: Path) -> tuple[Notice, ...]:
    """The notices of a file, extracted once for all the tests that read them (records are frozen)."""
    return tuple(process(path))


def notice_of(path: Path, data: bytes | None = None) -> Notice:
    """The notice of a file that holds one (most do; a bundle of plans gives several)."""
    [notice] = process(path, data)
    return notice


def bundled_plans(folder: Path) -> Path:
    """A notice that bundles two plans: Qingpu's notice and plan, then Jinshan's plan, then the 版记."""
    qingpu = (RAW / "qingpu_2025_safety_plan.txt").read_text("utf-8").rstrip("\n").splitlines()
    jinshan = (RAW / "jinshan_2021_safety_resources_points.txt").read_text("utf-8").splitlines()
    second = jinshan[next(i for i, line in enumerate(jinshan) if line.strip().endswith("工作要点")) : -1]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bundle.txt"
    path.write_text("\n".join([*qingpu[:-1], *second, qingpu[-1]]) + "\n", "utf-8")
    return path
