"""Where the tests' real documents are: the sample notices in data/raw, the gold answers in tests/fixtures."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLD = FIXTURES / "eval" / "gold"
GOLD_TEXTS = sorted(RAW / f"{p.stem}.txt" for p in GOLD.glob("*.json"))
UNLABELED_TEXTS = sorted(RAW.glob("hd*.txt"))
PDFS = sorted(RAW.glob("pdf*.pdf"))
