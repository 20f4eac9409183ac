"""Text files → `SourceText`.  The encoding is read from the bytes: UTF-8 (with or without
BOM), UTF-16 (with or without BOM), GB18030 (which covers GBK and GB2312).  A file with a few
damaged bytes is read all the same, each damaged sequence replaced by U+FFFD and the damage
said in one warning.  A form feed or a page number line ends a page."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from extractors.vocab import table
from pipeline.errors import InputError
from pipeline.inputs.budget import check_text
from schemas.source import LineZone, SourceLine, SourceText


def load_text(path: Path, data: bytes) -> SourceText:
    text, encoding, damaged = decode(data)
    if not text.strip():
        raise InputError("empty file")
    check_text(len(text))  # before its lines are made
    lines = list(_text_lines(text))
    return SourceText(
        path=path,
        format="txt",
        text=text,
        lines=tuple(lines),
        page_count=lines[-1].page if lines else 1,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        warnings=(_damage_warning(text, encoding, damaged),) if damaged else (),
    )


class Decoded(NamedTuple):
    text: str
    encoding: str
    damaged: int = 0  # byte sequences that are not text in the encoding, each decoded as U+FFFD


def decode(data: bytes) -> Decoded:
    """Decode text bytes, detecting the encoding; raises `InputError` for binary data.  Bytes
    that are text but for a few damaged sequences are decoded all the same (in the encoding
    that leaves the fewest), each damaged sequence as U+FFFD; refused when most of the file is
    damaged or what decodes is not text."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _with_damage(data.decode(encoding, errors="replace"), encoding)
    if b"\x00" in data:  # UTF-16 without a BOM: every line break (and ASCII) holds a NUL byte
        decoded = [(data.decode(encoding, errors="replace"), encoding) for encoding in ("utf-16-le", "utf-16-be")]
        text, encoding = max(decoded, key=lambda found: _plausibility(found[0]))
        if _plausibility(text) < 0.9:
            raise InputError("binary file, not text")
        return Decoded(text, encoding, text.count(REPLACEMENT))
    for encoding in ("utf-8", "gb18030"):
        try:
            return Decoded(_checked(data.decode(encoding), encoding), encoding)
        except UnicodeDecodeError:
            continue
    # UTF-8 resynchronises after a damaged byte, GB18030 after a pair: the right encoding
    # replaces a few sequences, the wrong one most of the Chinese text
    text, encoding = min(
        ((data.decode(encoding, errors="replace"), encoding) for encoding in ("utf-8", "gb18030")),
        key=lambda found: found[0].count(REPLACEMENT),
    )
    return _with_damage(text, encoding)


def _with_damage(text: str, encoding: str) -> Decoded:
    """Text decoded with its damaged sequences replaced; refused when they are most of it."""
    damaged = text.count(REPLACEMENT)
    if damaged > len(text) / 2:
        raise InputError("not text: the bytes are neither UTF-8, UTF-16 nor GB18030/GBK")
    return Decoded(_checked(text, encoding, damaged=True), encoding, damaged)


REPLACEMENT = "\ufffd"  # what a damaged byte sequence is decoded as


def _damage_warning(text: str, encoding: str, damaged: int) -> str:
    first = text[: text.index(REPLACEMENT)].count("\n") + 1
    return (
        f"damaged text: {damaged} byte sequence{'s' if damaged > 1 else ''} not {encoding.upper()} replaced by "
        f"U+FFFD (first on line {first})"
    )


def _plausibility(text: str) -> float:
    """Share of characters a Chinese notice is made of: CJK, ASCII, CJK punctuation, line breaks."""
    sample = text[:20000]
    plausible = sum(
        1
        for ch in sample
        if ch in "\n\r\t\f“”‘’—…·" or " " <= ch <= "~" or 0x3000 <= ord(ch) <= 0x9FFF or 0xFF00 <= ord(ch) <= 0xFFEF
    )
    return plausible / len(sample) if sample else 0.0


def _checked(text: str, encoding: str, damaged: bool = False) -> str:
    """Reject decoded text that is mostly control or unassigned characters: binary data (the
    U+FFFD of `damaged` bytes apart)."""
    sample = text[:20000]
    odd = sum(
        1
        for ch in sample
        if (ch not in "\n\r\t\f" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"))
        or (ch == REPLACEMENT and not damaged)
    )
    if sample and odd / len(sample) > 0.02:
        raise InputError(f"binary file, not text (decoded as {encoding}, {odd} unreadable characters)")
    return text


@cache
def _furniture_patterns() -> tuple[list[re.Pattern[str]], re.Pattern[str], re.Pattern[str]]:
    rules = table("layout.toml")["page_number"]
    return (
        [re.compile(p) for p in rules["patterns"]],
        re.compile(rules["dash_only"]),
        re.compile(rules["bare_number"]),
    )


def is_page_number(line: str) -> bool:
    patterns, _, _ = _furniture_patterns()
    stripped = line.strip()
    return any(p.match(stripped) for p in patterns)


def _text_lines(text: str) -> Iterator[SourceLine]:
    """Lines of a text file; a form feed or a page number (however many lines it takes) ends a page."""
    spans = _line_spans(text)
    furniture = _page_number_lines(text, spans)
    nonblank = [i for i, (s, e) in enumerate(spans) if text[s:e].strip()]
    next_nonblank = dict(zip(nonblank, [*nonblank[1:], None], strict=True))
    page = 1
    for index, (start, end) in enumerate(spans):
        if start > 0 and text[start - 1] == "\f":
            page += 1
        zone: LineZone = "page_number" if index in furniture else "body"
        yield SourceLine(start=start, end=end, page=page, zone=zone)
        following = next_nonblank.get(index)
        if zone == "page_number" and following is not None and following not in furniture:
            page += 1


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, whatever the line break (\n, \r\n, \r, \f)."""
    spans = []
    start = 0
    for match in re.finditer(r"\r\n|[\n\r\f]", text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _page_number_lines(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Indexes of lines that are page numbers, including the three-line "—", "81", "—" form."""
    _, dash_only, bare_number = _furniture_patterns()
    found = {i for i, (s, e) in enumerate(spans) if is_page_number(text[s:e])}
    nonblank = [i for i, (s, e) in enumerate(spans) if text[s:e].strip()]
    for a, b, c in zip(nonblank, nonblank[1:], nonblank[2:], strict=False):
        line = [text[spans[k][0] : spans[k][1]].strip() for k in (a, b, c)]
        if dash_only.match(line[0]) and bare_number.match(line[1]) and dash_only.match(line[2]):
            found.update((a, b, c))
    return found
