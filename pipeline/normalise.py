"""Stage 2: `SourceText` → `NormText`, the text as a reader sees it, mapped back to the source.

Page numbers and running headers go; lines broken by the page width are joined into
paragraphs (from the PDF's layout where there is one, else from the line widths); spaces
inside Chinese text and between digits and Chinese go (`2025 年` → `2025年`); full-width
digits become ASCII, the ASCII punctuation some PDF fonts emit for Chinese punctuation
becomes full-width again, and the Kangxi radicals and compatibility ideographs other fonts
emit for ordinary characters (⽣ for 生) become those characters.  Every character keeps the
offset it came from.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from extractors.structure import is_assignment_line, is_doc_number_line, is_org_line
from extractors.vocab import heading_style, notice_pattern, notice_search, table, words
from pipeline.textwidth import ems, is_wide
from schemas.source import NormText, Paragraph, SourceLine, SourceText

TAB = "\t"  # separates the cells of a table row in a text file; kept
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")  # a row of a table drawn with pipes, its cells become TAB-separated
_PIPE_RULE = re.compile(r"[\s|:\-–—]+")
# a date broken across lines: ……，1 / 1.9消防安全周
_DATE_BROKEN_BEFORE = re.compile(r"[^\s.…·\d]\d{1,3}$")
_DATE_BROKEN_AFTER = re.compile(r"\d{1,2}[.．]\d")
_TRAILING_REMARK = re.compile(
    r"[（(](?:[^（）()]|[（(][^（）()]*[）)])*[）)]$"
)  # （责任单位：各县（区）住建局） holds a bracket too
_TITLE_REMARK = re.compile(r"[（(][^（）()]*[）)]$")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


@dataclass(slots=True)
class _Line:
    """A cleaned line: its characters and, for each, the source offset."""

    chars: list[str]
    offsets: Sequence[int]  # a range until spaces are dropped or lines merged
    source: SourceLine

    @property
    def text(self) -> str:
        return "".join(self.chars)


def normalise(source: SourceText) -> NormText:
    parts = (part for src in source.lines if src.zone == "body" for part in _split_run_in_title(source.text, src))
    lines = [line for line in (_clean_line(source.text, part) for part in parts) if line.chars]
    _restore_cjk_punctuation(lines)
    lines = _merge_stray_punctuation(lines)
    full_width = _hard_wrap_width(lines) if source.format == "txt" else None
    chars: list[str] = []
    offsets = array("l")
    paragraphs: list[Paragraph] = []
    start = 0
    previous_opens = True  # whether the previous line was the first of its paragraph
    for index, line in enumerate(lines):
        so_far = "".join(chars[max(start, len(chars) - TITLE_TAIL) :])  # a title may end on a line of its own: 知
        joined = index > 0 and _continues(lines[index - 1], line, full_width, previous_opens, so_far)
        previous_opens = not joined
        if index and not joined:
            paragraphs.append(Paragraph(start, len(chars)))
            chars.append("\n")
            offsets.append(lines[index - 1].offsets[-1] + 1)
            start = len(chars)
        elif index and _needs_space(chars[-1], line.chars[0]):
            chars.append(" ")
            offsets.append(line.offsets[0])
        chars.extend(line.chars)
        offsets.extend(line.offsets)
    if lines:
        paragraphs.append(Paragraph(start, len(chars)))
        offsets.append(lines[-1].offsets[-1] + 1)
    else:
        offsets.append(0)
    return NormText(source=source, text="".join(chars), to_source=offsets, paragraphs=tuple(paragraphs))


# ---------------------------------------------------------------- characters


@cache
def _char_rules() -> tuple[dict[str, str], dict[str, str], str]:
    rules = table("normalise.toml")["chars"]
    return rules["map"], rules["cjk_context"], rules["full_stop"]


def is_cjk(ch: str) -> bool:
    """A Chinese character (ideograph), not punctuation; False for the empty string."""
    if not ch:
        return False
    code = ord(ch)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF


@cache
def _translation() -> dict[int, str]:
    """One table for `str.translate`: full-width digits and letters to ASCII, the `map` of
    normalise.toml, every kind of space but TAB to a plain space, and radicals and
    compatibility ideographs to the ideographs they stand for."""
    mapping = _char_rules()[0]
    if any(len(replacement) != 1 for replacement in mapping.values()):
        raise ValueError("normalise.toml: [chars] map must map one character to one character")
    table: dict[int, str] = {}
    candidates = [*range(0xFF01, 0xFF5F), *map(ord, mapping), *range(0x3001)]  # no space is above U+3000
    for code in candidates:
        ch = chr(code - 0xFEE0) if 0xFF01 <= code <= 0xFF5E and chr(code).isalnum() else chr(code)
        ch = mapping.get(ch, ch)
        if ch.isspace() and ch != TAB:
            ch = " "
        if ch != chr(code):
            table[code] = ch
    table.update(_unified_ideographs())
    return table


def _unified_ideographs() -> dict[int, str]:
    """Kangxi radical or compatibility ideograph → the unified ideograph (normalise.toml's
    [ideographs]: whole blocks by NFKC, the radicals supplement by its table)."""
    rules = table("normalise.toml")["ideographs"]
    blocks = [range(first, last + 1) for first, last in rules["nfkc_blocks"]]
    found = {code: unicodedata.normalize("NFKC", chr(code)) for block in blocks for code in block}
    found.update((ord(pair[0]), pair[1]) for pair in rules["radicals"].split())
    return {code: ch for code, ch in found.items() if len(ch) == 1 and ch != chr(code)}


def _split_run_in_title(text: str, source: SourceLine) -> tuple[SourceLine, ...]:
    """A heading line whose title a wide space, not a full stop, ends before its first sentence
    （三）抓好包保责任制落实　各企业要…… is two lines: the space would be gone once removed."""
    raw = text[source.start : source.end]
    gap = _join_rules().title_gap.search(raw) if TAB not in raw else None  # not a table's row
    if gap is None or not raw[gap.end() :].strip():
        return (source,)
    found = heading_style(raw[: gap.start()].strip())
    title = raw[: gap.start()].strip()[found[2].end() :] if found else ""
    if not title or len(title) > TITLE_MAX or any(mark in title for mark in _join_rules().sentence_end):
        return (source,)
    head = replace(source, end=source.start + gap.start(), ends_paragraph=True, reaches_margin=False)
    return head, replace(source, start=source.start + gap.end(), indented=True)


def _clean_line(text: str, source: SourceLine) -> _Line:
    cleaned = text[source.start : source.end].translate(_translation())  # one character for one
    offsets = range(source.start, source.end)
    if _PIPE_ROW.match(cleaned) and cleaned.count("|") >= 3:  # | 序号 | 任务内容 |: a table drawn with pipes
        if _PIPE_RULE.fullmatch(cleaned):
            return _Line([], [], source)  # |---|---|: its rule under the header
        first, last = cleaned.index("|"), cleaned.rindex("|")
        cleaned = cleaned[:first] + " " + cleaned[first + 1 : last].replace("|", TAB) + " " + cleaned[last + 1 :]
    if " " not in cleaned:
        return _Line(list(cleaned), offsets, source)
    return _drop_spaces(list(cleaned), offsets, source)


def _merge_stray_punctuation(lines: list[_Line]) -> list[_Line]:
    """A line that starts with closing punctuation (。 ， ） …) is the end of the line above.

    Text extraction sometimes breaks a line just before such a mark; put back together, the
    physical line has its real width, which the wrap rules need.
    """
    starts = _join_rules().continuing_start
    merged: list[_Line] = []
    for line in lines:
        if merged and line.chars[0] in starts:
            above = merged[-1]
            source = replace(above.source, end=line.source.end, reaches_margin=line.source.reaches_margin)
            merged[-1] = _Line(above.chars + line.chars, [*above.offsets, *line.offsets], source)
        else:
            merged.append(line)
    return merged


def _restore_cjk_punctuation(lines: list[_Line]) -> None:
    """ASCII punctuation beside Chinese text becomes full-width; a line's neighbours count."""
    _, cjk_context, full_stop = _char_rules()
    for index, line in enumerate(lines):
        chars = line.chars
        line_before = lines[index - 1].chars[-1] if index else ""
        line_after = lines[index + 1].chars[0] if index + 1 < len(lines) else ""
        for i, ch in enumerate(chars):
            if ch not in cjk_context and ch != ".":
                continue
            before = chars[i - 1] if i else line_before
            if ch == ".":
                after = chars[i + 1] if i + 1 < len(chars) else ""
                if (is_cjk(before) or before in "”）》") and (after == "" or is_wide(after)):
                    chars[i] = full_stop
            elif is_cjk(before) or is_cjk(chars[i + 1] if i + 1 < len(chars) else line_after):
                chars[i] = cjk_context[ch]


def _neighbour(chars: list[str], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(chars) and chars[j] == " ":
        j += step
    return chars[j] if 0 <= j < len(chars) else ""


def _drop_spaces(chars: list[str], offsets: Sequence[int], source: SourceLine) -> _Line:
    """Spaces go, except one between two ASCII letters or digits (`WS 308`); tabs stay."""
    kept_chars: list[str] = []
    kept_offsets: list[int] = []
    for i, ch in enumerate(chars):
        if ch == " ":
            before = kept_chars[-1] if kept_chars else ""
            after = _neighbour(chars, i, 1)
            if not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()):
                continue
            if kept_chars[-1] == " ":
                continue
        kept_chars.append(ch)
        kept_offsets.append(offsets[i])
    return _Line(kept_chars, kept_offsets, source)


def _needs_space(before: str, after: str) -> bool:
    return before.isascii() and before.isalpha() and after.isascii() and after.isalpha()


# ---------------------------------------------------------------- joining lines


@dataclass(frozen=True, slots=True)
class _JoinRules:
    dangling_end: tuple[str, ...]
    leader_line: re.Pattern[str]
    continuing_start: str
    sentence_end: str
    header_end: str
    heading_time: re.Pattern[str]
    title_gap: re.Pattern[str]
    soft_wrap_min_width: float
    hard_wrap_share: float
    full_slack: float


@cache
def _join_rules() -> _JoinRules:
    rules = dict(table("normalise.toml")["join"])
    rules["dangling_end"] = tuple(rules["dangling_end"])
    for name in ("leader_line", "heading_time", "title_gap"):
        rules[name] = re.compile(rules[name])
    return _JoinRules(**rules)


TITLE_TAIL = 24  # characters of a paragraph enough to see it end with a document type
TITLE_LAST_LINE = 8  # a centred line this short may end the title above it
TITLE_MAX = 30  # characters of a heading's title that a wide space may end
INDENT_CHARS = 2  # official documents indent a paragraph's first line by two characters
SIZE_CHANGE = 0.15  # lines whose type sizes differ by more than this belong to different paragraphs

# cheapest first; an 印发 line is `_complete`
_STANDALONE = ("cc", "attachment", "contact", "openness")


@lru_cache(maxsize=1024)  # a line is asked about as itself and as the line before the next
def _standalone(text: str) -> bool:
    """A line that starts a paragraph of its own: a document number, a date, a 版记 line …"""
    return any(notice_search(name, text) for name in _STANDALONE) or _ends_with_doc_number(text) or _complete(text)


def _ends_with_doc_number(text: str) -> bool:
    """A 发文字号 line, or a title with its 发文字号 after it (as web pages print them); not a
    sentence that cites a document (……应急预案的通知》（国办发〔1996〕54号）精神，……)."""
    match = notice_search("doc_number", text)
    return match is not None and (is_doc_number_line(text) or match.end() == len(text.rstrip()))


@lru_cache(maxsize=1024)
def _complete(text: str) -> bool:
    """A line that is whole in itself and never wraps on: a date, an 印发 line."""
    return notice_pattern("date").fullmatch(text) is not None or notice_search("printed", text) is not None


def _hard_wrap_width(lines: list[_Line]) -> float | None:
    """The width at which a text file's lines were broken, or None if lines are paragraphs."""
    rules = _join_rules()
    widths = [ems(line.text) for line in lines]
    long_lines = [w for w in widths if w >= 15]
    if len(long_lines) < 5:
        return None
    mode = Counter(round(w) for w in long_lines).most_common(1)[0][0]
    near = sum(1 for w in long_lines if abs(w - mode) <= rules.full_slack)
    if near / len(long_lines) < rules.hard_wrap_share:
        return None
    return mode - rules.full_slack


def _continues(previous: _Line, line: _Line, full_width: float | None, previous_opens: bool, so_far: str) -> bool:
    """Whether `line` continues the paragraph `previous` belongs to.

    `previous_opens` says `previous` is the first line of its paragraph: in a hard-wrapped
    file that line is two characters short of full, the indent the text lost; `so_far` is the
    end of that paragraph's text up to and with `previous`.
    """
    rules = _join_rules()
    prev_text, text = previous.text, line.text
    if previous.source.ends_paragraph:
        return False  # Word and web pages say where a paragraph ends
    if TAB in prev_text or TAB in text:
        return False  # a table row is a line of its own
    if text[0] in rules.continuing_start or rules.leader_line.match(text):
        return True
    if _DATE_BROKEN_AFTER.match(text) and _DATE_BROKEN_BEFORE.search(prev_text) and not _complete(prev_text):
        return (
            True  # a date broken across lines (……，1 / 1.9消防安全周), not a heading's 1.9 (nor ……年） 36 / 7.住房……)
        )
    if heading_style(text) or _standalone(text):
        return False
    if _complete(prev_text):
        return False
    if prev_text.endswith(rules.dangling_end) or _unclosed(prev_text):
        return True
    if len(text) <= TITLE_LAST_LINE and _completes_title(so_far, text, rules):
        return True  # a title's last line, centred under it: ……工作的通 / 知
    if _standalone(prev_text):
        return False
    if _ends_sentence(prev_text, rules) and is_org_line(text):
        return False  # a signature after the notice's last sentence, however wide the lines
    heading = heading_style(prev_text) is not None and not _runs_in(prev_text, rules)
    open_ended = (
        not _ends_sentence(prev_text, rules)
        and not heading
        and not _ends_title(so_far, rules)
        and not is_assignment_line(prev_text)  # 责任单位：区住建委: a line of its own, unless full
    )
    width = ems(prev_text)
    if previous.source.reaches_margin is not None:  # PDF: the layout knows
        before, after = previous.source.size, line.source.size
        if before is not None and after is not None and abs(before - after) > SIZE_CHANGE:
            return False  # a title in a larger type than the text after it
        return not line.source.indented and (previous.source.reaches_margin or open_ended)
    if heading or _ends_title(so_far, rules):
        return False
    if full_width is not None:  # text with hard wraps
        indent = INDENT_CHARS - rules.full_slack + 0.5 if previous_opens else 0.0
        # a line short of full that stops mid-sentence was pushed down by a bracket or quote
        return width >= full_width - indent or (open_ended and width >= full_width / 2)
    return open_ended and width >= rules.soft_wrap_min_width


def _ends_sentence(text: str, rules: _JoinRules) -> bool:
    """The line ends a sentence, perhaps with a bracket after it: ……统计方法。（生态环境部牵头）"""
    text = _TRAILING_REMARK.sub("", text) if text.endswith(("）", ")")) else text
    return not text or text[-1] in rules.sentence_end


def _ends_title(text: str, rules: _JoinRules) -> bool:
    """A line ending with a document type (…的通知, …工作方案（2024—2026年）) ends a title."""
    text = _TITLE_REMARK.sub("", text)
    return text.endswith(rules.header_end) or text.endswith(words("doc_types.txt"))


def _completes_title(so_far: str, text: str, rules: _JoinRules) -> bool:
    return not _ends_sentence(so_far, rules) and not _ends_title(so_far, rules) and _ends_title(so_far + text, rules)


def _runs_in(heading: str, rules: _JoinRules) -> bool:
    """A heading line whose title ends on the line and whose first sentence follows it (not the
    colon of its number, 第三阶段：2025年7月至9月, nor the one before its time, ……阶段：2025年10月-12月)."""
    found = heading_style(heading)
    title = rules.heading_time.sub("", heading[found[2].end() :] if found else heading)
    title = _BRACKETED.sub("", title)[:-1]  # not the marks of ……治理（牵头单位：区生态环境局；配合单位：……）
    return any(mark in title for mark in rules.sentence_end)


# OCR and typists mix the shapes of brackets (东卫健【2025]12号, (2025〕): any of these closes any
# opened; book-title marks and quotes pair as written
_PAIRS = (("（(【〔[［﹝{｛〈「", "）)】〕]］﹞}｝〉」"), ("《", "》"), ("“", "”"))


_MARKS = re.compile("[" + re.escape("".join(opening + closing for opening, closing in _PAIRS)) + "]")


def _unclosed(text: str) -> bool:
    """A bracket or quote opened on this line and not closed: the line must continue."""
    marks = "".join(_MARKS.findall(text))  # four lines in five hold none: one scan, not a count per mark
    return bool(marks) and any(
        sum(map(marks.count, opening)) > sum(map(marks.count, closing)) for opening, closing in _PAIRS
    )
