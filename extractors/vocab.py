"""Loads the language data in `extractors/lexicon/` once per process.

Word lists are UTF-8 text, one entry per line, `#` starting a comment; rules and tables
are TOML. Code asks for them by file name and never embeds the vocabulary itself.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from extractors.cues import required_chars

LEXICON = resources.files("extractors") / "lexicon"


def lexicon_path(name: str) -> Path:
    return Path(str(LEXICON / name))


@cache
def words(name: str) -> tuple[str, ...]:
    """Entries of a word list, in file order, without comments or blank lines."""
    entries = []
    for raw in (LEXICON / name).read_text(encoding="utf-8").splitlines():
        entry = raw.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return tuple(entries)


@cache
def table(name: str) -> dict[str, Any]:
    """A TOML file of rules or tables."""
    return tomllib.loads((LEXICON / name).read_text(encoding="utf-8"))


def alternation(entries: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of literal entries, longest first so the longest one wins."""
    return "|".join(re.escape(e) for e in sorted(set(entries), key=len, reverse=True))


@cache
def notice_pattern(name: str) -> re.Pattern[str]:
    """A compiled pattern from `notice.toml` (doc_number, date, printed, cc, …)."""
    return re.compile(table("notice.toml")["patterns"][name])


@cache
def _notice_cues(name: str) -> re.Pattern[str] | None:
    """A class of the characters every match of a notice pattern holds one of, or None."""
    cues = required_chars(notice_pattern(name))
    return None if cues is None else re.compile("[" + re.escape("".join(sorted(cues))) + "]")


def notice_search(name: str, text: str) -> re.Match[str] | None:
    """`notice_pattern(name).search(text)`, not run over a text that holds none of the characters
    every match holds (a 发文字号 needs 号, an 印发 line 年: most lines have neither); looking for
    them is one scan, where the 发文字号 pattern tries a match at each character."""
    cues = _notice_cues(name)
    if cues is not None and cues.search(text) is None:
        return None
    return notice_pattern(name).search(text)


@cache
def heading_styles() -> tuple[tuple[str, int, re.Pattern[str]], ...]:
    """(name, rank, pattern) of each heading numbering style, from `headings.toml`."""
    return tuple((s["name"], s["rank"], re.compile(s["pattern"])) for s in table("headings.toml")["style"])


@lru_cache(maxsize=1024)  # asked of each line several times, by the stages that join and parse lines
def heading_style(text: str) -> tuple[str, int, re.Match[str]] | None:
    """The numbering style a line starts with, if any."""
    for name, rank, pattern in heading_styles():
        match = pattern.match(text)
        if match:
            return name, rank, match
    return None
