"""Our time normaliser beside JioNLP's parse_time, on the deadline expressions of the gold files.

    pip install -e ".[bench]"         # JioNLP is a benchmark-only dependency
    python benchmarks/deadlines_vs_jionlp.py [--gold tests/fixtures/eval/gold]

Each gold deadline's written expression (6月底前, 年内, 4月份上线, 每两个月 …) is resolved by
both, against the gold notice's plan year and issue date, and compared with the gold value
as score.py compares them: the end date (and the start, where both give one), or the
recurrence.  Prints one line per expression and each normaliser's accuracy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from extractors.deadlines import TimeContext, find_deadlines
from extractors.nlp import make_doc

ROOT = Path(__file__).resolve().parent.parent
Value = tuple[str | None, str | None, str | None]  # start, end, recurrence

# JioNLP gives a recurring period as a delta; these are the deltas of our recurrences.
PERIODS: dict[tuple[tuple[str, int], ...], str] = {
    (("day", 1),): "daily",
    (("day", 7),): "weekly",
    (("month", 1),): "monthly",
    (("month", 2),): "bimonthly",
    (("month", 3),): "quarterly",
    (("month", 6),): "semiannual",
    (("year", 1),): "yearly",
}


def cases(gold_dir: Path) -> list[tuple[str, TimeContext, Value]]:
    found = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        meta = gold["meta"]
        issued = meta.get("issue_date")  # hd07 names no date of issue
        context = TimeContext(meta["plan_year"], dt.date.fromisoformat(issued) if issued else None)
        for task in gold["tasks"]:
            for deadline in task.get("deadlines", []):
                found.append((deadline["text"], context, (deadline["start"], deadline["end"], deadline["recurrence"])))
    return found


def same(gold: Value, got: Value | None) -> bool:
    """score.py's rule: the recurrence, or the end date and, where both give one, the start."""
    if got is None:
        return False
    if gold[2]:
        return got[2] == gold[2]
    return got[1] == gold[1] and (gold[0] is None or got[0] is None or got[0] == gold[0])


def ours(text: str, context: TimeContext) -> Value | None:
    found = find_deadlines(make_doc(text), context)
    if not found:
        return None
    first = found[0]
    start = first.start_date.isoformat() if first.start_date else None
    return start, first.end_date.isoformat() if first.end_date else None, first.recurrence


def theirs(parse_time: Any, text: str, context: TimeContext) -> Value | None:
    base = context.issue_date or dt.date(context.plan_year, 1, 1)
    try:
        parsed = parse_time(text, time_base={"year": base.year, "month": base.month, "day": base.day})
    except Exception:  # JioNLP raises ValueError on what it cannot read, and others on odd input
        return None
    if parsed["type"] == "time_period":
        delta = tuple(sorted((str(unit), int(n)) for unit, n in parsed["time"]["delta"].items()))
        return None, None, PERIODS.get(delta)
    start, end = parsed["time"]
    return (None if start == "-inf" else start[:10]), (None if end == "inf" else end[:10]), None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "fixtures" / "eval" / "gold")
    args = parser.parse_args(argv)
    try:
        from jionlp import parse_time
    except ImportError:
        print("JioNLP is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    rows = cases(args.gold)
    ours_right = theirs_right = 0
    print(f"{'expression':16} {'gold':24} {'gongwen':8} {'JioNLP':8}")
    for text, context, gold in rows:
        a, b = same(gold, ours(text, context)), same(gold, theirs(parse_time, text, context))
        ours_right += a
        theirs_right += b
        shown = gold[2] or f"{gold[0] or ''}..{gold[1]}"
        print(f"{text:16} {shown:24} {'ok' if a else 'MISS':8} {'ok' if b else 'MISS':8}")
    print(f"\naccuracy over {len(rows)} gold deadlines: gongwen {ours_right / len(rows):.3f}, "
          f"JioNLP parse_time {theirs_right / len(rows):.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
