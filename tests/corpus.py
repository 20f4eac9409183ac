"""Where the tests' real documents are: the sample notices in data/raw, the gold answers in tests/fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLD = FIXTURES / "eval" / "gold"
GOLD_TEXTS = sorted(RAW / f"{p.stem}.txt" for p in GOLD.glob("*.json"))
UNLABELED_TEXTS = sorted(RAW.glob("hd*.txt"))
PDFS = sorted(RAW.glob("pdf*.pdf"))
SCORER = FIXTURES / "eval" / "score.py"


def score(pred_dir: Path) -> dict[str, Any]:
    """The team's scorer (tests/fixtures/eval/score.py) on a folder of notice JSON."""
    result = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(pred_dir), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    scores: dict[str, Any] = json.loads(result.stdout)
    return scores
