"""Stage 3: `NormText` → `Document`, the notice cut into its parts.

An official notice has a fixed anatomy (GB/T 9704): a header (份号, 密级, the red 发文机关
标志 "……文件", the 发文字号), a title (关于……的通知), the addressees (主送机关), the
covering text, a signature (署名) and date (成文日期), then any attachment (附件: a plan
with its own title, preamble and numbered sections), and the 版记 (抄送, 印发).  A plan or
report may also stand alone, with no covering notice.  Each paragraph is first tagged by
the patterns of `notice.toml` that identify it on its own; the rest is placed by where it
stands relative to the title, the addressees and the signature.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from extractors.vocab import alternation, heading_style, notice_pattern, notice_search, table, words
from schemas.document import Block, BlockKind, Document, Heading
from schemas.source import NormText

SENTENCE_MARKS = "。！？；"
TITLE_SEARCH_LIMIT = 15  # paragraphs from the top where a notice's title may stand
SHORT_LINE = 60  # a signature, a title line: at most this many characters


@dataclass(slots=True)
class _Para:
    start: int
    end: int
    text: str
    kind: BlockKind | None  # what the paragraph's own form says it is, if anything
    item: bool = False  # a numbered paragraph whose text is a task, not a heading's title


def parse_structure(text: NormText) -> Document:
    paras = [_Para(p.start, p.end, text.text[p.start : p.end], None) for p in text.paragraphs]
    for para in paras:
        para.kind = _fixed_kind(para.text)
    _attach_printer(paras)
    _mark_items(paras)
    title = _title_range(paras)
    blocks: list[Block] = []
    if title is None:
        cursor = 0
    else:
        first, last = title
        blocks += _header_blocks(paras[:first])
        title_start = _title_start(paras[first])
        if title_start > paras[first].start:  # the 发文字号 the title line opens with
            number = notice_pattern("doc_number").search(paras[first].text)
            assert number is not None
            blocks.append(Block("doc_number", paras[first].start, paras[first].start + number.end()))
        blocks.append(Block("title", title_start, _title_end(paras[last])))
        cursor = last + 1
    cursor, front = _after_title(paras, cursor)
    blocks += front
    closing = _closing(paras, cursor)
    if closing is None:
        blocks += _plan_blocks(paras[cursor:], part=0, attachments=True)
    else:
        signature_start, date_index = closing
        notice = paras[cursor:signature_start]
        if any(p.kind == "heading" for p in notice):
            blocks += _plan_blocks(notice, part=0, attachments=False)
        else:
            blocks += [Block(p.kind or "notice", p.start, p.end) for p in notice]
        blocks += [Block("signature", p.start, p.end) for p in paras[signature_start:date_index]]
        blocks.append(Block("date", paras[date_index].start, paras[date_index].end))
        blocks += _plan_blocks(paras[date_index + 1 :], part=0, attachments=True)
    return Document(text=text, blocks=tuple(blocks))


# ---------------------------------------------------------------- one paragraph on its own

_FIXED: tuple[tuple[str, BlockKind], ...] = (
    ("toc_entry", "toc"),
    ("printed", "printed"),
    ("cc", "cc"),
    ("editorial_note", "note"),
    ("attachment", "attachment"),
)


def _fixed_kind(text: str) -> BlockKind | None:
    if "\t" in text:
        return "table_header" if is_table_header(text.split("\t")) else "table_row"
    for name, kind in _FIXED:
        if notice_search(name, text):
            return kind
    if any(notice_pattern(name).fullmatch(text) for name in ("urgency", "secrecy", "copy_number")):
        return "header_mark"
    if notice_pattern("date").fullmatch(text):
        return "date"
    if len(text) <= SHORT_LINE and notice_search("openness", text):
        return "openness"
    if len(text) <= 80 and notice_pattern("contact").match(text):
        return "contact"
    if is_doc_number_line(text):
        return "doc_number"
    if len(text) <= SHORT_LINE and notice_pattern("issuer_mark").match(text) and _no_sentence(text):
        return "issuer_mark"
    if heading_style(text):
        return "heading"
    return None


def _attach_printer(paras: list[_Para]) -> None:
    """An 印发 line broken before its date (by a page break) keeps its printer's name."""
    for above, para in pairwise(paras):
        printed = notice_search("printed", para.text)
        if printed and not printed["org"] and above.kind is None and is_org_line(above.text):
            above.kind = "printed"


def _mark_items(paras: list[_Para]) -> None:
    """Which numbered paragraphs are items — a number, then the task it states — not headings.

    A numbered paragraph is a heading when the text after its number opens with a title: a
    short phrase, not a sentence, alone or running on into the item's text (一、压实安全责任,
    （二）压实安全生产责任，健全责任体系。各街镇要……).  It is an item when that text reads as a
    sentence (5.各镇要建立……), when units are assigned to it in brackets (3.完成……。（责任单位：
    ……）), when it ends as a sentence and nothing stands under it before the next number of its
    rank or above (1.开展……。 2.推进……。), or when its numbering style numbers items almost
    everywhere else (hd01's 1.–20., one of which opens with a short sentence).
    """
    styles: dict[str, list[_Para]] = {}
    for index, para in enumerate(paras):
        found = heading_style(para.text) if para.kind == "heading" else None
        if found is None:
            continue
        styles.setdefault(found[0], []).append(para)
        rest = para.text[found[2].end() :]
        title = _title_of(rest)
        if title is None:
            para.item = True
        elif _only_assignments(rest[title[1] :]):  # the title is all there is
            ends_sentence = time_bracket().sub("", rest).rstrip().endswith(tuple(SENTENCE_MARKS))
            assigned = assignment_bracket().search(rest) is not None or bool(
                time_bracket().sub("", rest[title[1] :]).strip()
            )
            para.item = (assigned or ends_sentence) and _nothing_under(paras, index, found[1])
    share = table("headings.toml")["limits"]["item_style_share"]
    for numbered in styles.values():
        if sum(para.item for para in numbered) >= share * len(numbered):
            for para in numbered:
                para.item = True


def is_assignment_line(text: str) -> bool:
    """A line of nothing but units assigned and the time they are due: 责任单位：区住建委、区绿化市容局
    (not a goal's bullet, ——建成区级应急指挥中心)."""
    if not _assignment_cue().search(text) or opens_bullet(text):
        return False  # most lines: no label, bracket or role word to assign with (asked of every line)
    return _only_assignments(text)


def opens_bullet(text: str) -> bool:
    """A paragraph that opens with a dash is a goal's bullet (——建成区级应急指挥中心), not units signed."""
    return text.lstrip().startswith(("—", "－", "-"))


@cache
def _assignment_cue() -> re.Pattern[str]:
    return re.compile(rf"[：:（(【]|{alternation(table('tasks.toml')['bracket_assignment']['units_verbs'])}")


def _only_assignments(text: str) -> bool:
    """Nothing but units assigned, in brackets or written out (牵头单位：市供水集团；配合单位：……),
    and the time they are due (（9月底前）)."""
    rest = time_bracket().sub("", assignment_bracket().sub("", text))
    return all(assignment_sentence().fullmatch(part.strip()) for part in re.split(r"[。；;]", rest) if part.strip())


def _nothing_under(paras: list[_Para], index: int, rank: int) -> bool:
    """No text and no lower heading between a numbered paragraph and the next of its rank or above
    (or the signature, or the next plan's title)."""
    following = paras[index + 1] if index + 1 < len(paras) else None
    if following is None or following.kind in _CLOSING:
        return True
    if following.kind != "heading":  # a signature, a closing formula or the next plan's title ends the part
        return following.kind is None and (
            is_org_line(following.text)
            or assignment_bracket().fullmatch(following.text.strip()) is not None  # its units, on a line of their own
            or is_assignment_line(following.text)  # 责任单位：区生态环境局
            or _rule("tasks.toml", "closing", "pattern").match(following.text) is not None
            or (_titleish(following) and ends_with_doc_type(_title_text(following.text)))
        )
    found = heading_style(following.text)
    return found is not None and found[1] <= rank


_CLOSING: frozenset[BlockKind | None] = frozenset(
    {"attachment", "date", "printed", "cc", "contact", "openness", "note", "toc"}
)


@cache
def _rule(file: str, section: str, key: str) -> re.Pattern[str]:
    """A pattern of another stage's rules that the structure reads too (a closing formula, an
    assignment written out, a heading's time), compiled once."""
    return re.compile(table(file)[section][key])


@cache
def assignment_bracket() -> re.Pattern[str]:
    """A bracket that assigns units to an item: （牵头单位：……；配合单位：……）, （……按职责分工负责）,
    or one of nothing but units' names (（市公安局交警支队、市交通运输局、市住建局））."""
    rules = table("tasks.toml")["bracket_assignment"]
    remark, time, listed = alternation(rules["remark_openers"]), rules["time"], _unit_list()
    units = rf"[（(](?!{remark})(?:(?:{time})[，,；;\s])?{listed}(?:[，,；;\s](?:{time}))?[）)]"
    return re.compile(f"{rules['pattern']}|{units}")


@cache
def assignment_sentence() -> re.Pattern[str]:
    """Units assigned in a sentence of their own, after the item they belong to: 牵头单位：区应急局,
    完成时限：2025年6月30日, 区住建委、区城管执法局按职责分工负责, 人事科、区教育学院负责,
    由区政务服务办牵头，区大数据中心、区司法局配合, ——区文旅局，11月底前."""
    return re.compile(rf"{table('tasks.toml')['bracket_assignment']['sentence']}|{units_sentence().pattern}")


@cache
def units_sentence() -> re.Pattern[str]:
    """Units and their roles written out with no label, which assign them to the tasks of their
    paragraph: 区水务局负责, 由区政务服务办牵头，区大数据中心配合, ——区文旅局，11月底前 (a dash
    that opens a paragraph is a goal's bullet: ——建成区级应急指挥中心).  Each name opens with a
    level (区, 各) or is short (人事科): not a sentence's subject phrase (全区……工作由区消防救援支队负责,
    鼓励为老服务社会组织参与)."""
    rules = table("tasks.toml")["bracket_assignment"]
    names = _unit_list(strict=True)
    part = rf"由?{names}(?:{alternation(rules['units_verbs'])})"
    signed = rf"[—－-]{{1,2}}{names}(?:[，,；;\s](?:{rules['time']}))?"  # ……的80%。——区规划资源局
    return re.compile(rf"{part}(?:[，,；;]{part})*|{signed}")


@cache
def _unit_list(strict: bool = False) -> str:
    """A pattern of a list of units' names (each ending as a body's name does); `strict`, each
    opening with a level or 各, or of a few characters only."""
    suffixes = alternation(words("org_suffixes.txt"))
    name = rf"(?:[^（）()、，,；;：:。！？\s]|[（(][^（）()]{{1,8}}[）)]){{1,30}}?(?:{suffixes})"  # 各县（区）人民政府
    if strict:
        plain = r"[^（）()、，,；;：:。！？\s由的]"
        levels = alternation(table("roles.toml")["issuer"]["levels"] + ["各"])
        # the two forms exclusive: a name both could read would double the ways to read a list
        name = rf"(?:(?:{levels}){plain}{{0,20}}?|(?!{levels}){plain}{{1,5}}?)(?:{suffixes})"
    return rf"{name}(?:[、，,；;]{name}){{0,{table('tasks.toml')['bracket_assignment']['max_units'] - 1}}}"


@cache
def time_bracket() -> re.Pattern[str]:
    """A bracket of nothing but the time an item is due: （9月底前）, （2025年12月底前完成）."""
    return re.compile(rf"[（(](?:{table('tasks.toml')['bracket_assignment']['time']})[）)]")


@cache
def column_roles() -> dict[str, str]:
    """Header word → what its column holds (task, lead, deadline …), from `tables.toml`."""
    return {word: role for role, names in table("tables.toml")["columns"].items() for word in names}


def is_table_header(cells: list[str]) -> bool:
    filled = [cell.strip() for cell in cells if cell.strip()]
    known = sum(1 for cell in filled if cell in column_roles())
    return len(filled) >= 2 and known / len(filled) >= table("tables.toml")["header"]["min_share"]


def is_doc_number_line(text: str) -> bool:
    """A line that is a 发文字号, perhaps with a few words around it (签发人, a date); not a
    sentence that cites another document's number."""
    match = notice_search("doc_number", text)
    return match is not None and len(text) - (match.end() - match.start()) <= 12


def _no_sentence(text: str) -> bool:
    """No sentence punctuation outside brackets: a title, a name, a signature."""
    outside = re.sub(r"（[^（）]*）|\([^()]*\)|《[^《》]*》|“[^“”]*”", "", text)
    return not any(mark in outside for mark in "。，；：！？,;:")


@cache
def _doc_type_ending() -> re.Pattern[str]:
    types = "|".join(sorted(words("doc_types.txt"), key=len, reverse=True))
    return re.compile(rf"(?:{types})(?:[（(][^（）()]*[）)])?$")


@cache
def _doc_type_word() -> re.Pattern[str]:
    return re.compile("|".join(sorted(words("doc_types.txt"), key=len, reverse=True)))


def ends_with_doc_type(text: str) -> bool:
    return _doc_type_ending().search(text) is not None


@cache
def _org_ending() -> re.Pattern[str]:
    suffixes = "|".join(sorted(words("org_suffixes.txt"), key=len, reverse=True))
    return re.compile(rf"(?:{suffixes})$")


def is_org_line(text: str) -> bool:
    """A line that only names one or more bodies: a header or a signature."""
    return (
        len(text) <= SHORT_LINE
        and _no_sentence(text)
        and _org_ending().search(text) is not None
        and not notice_search("title_start", text)
    )


def _titleish(para: _Para) -> bool:
    return para.kind is None and len(para.text) <= 120 and _no_sentence(_title_text(para.text))


def _title_text(text: str) -> str:
    start, end = _title_bounds(text)
    return text[start:end]


def _title_bounds(text: str) -> tuple[int, int]:
    """Where a title line's title starts and ends: without a 发文字号 printed before it on the
    same line (河阳府办〔2025〕22号 关于印发……的通知) or after it (as web pages do)."""
    number = notice_search("doc_number", text)
    if number is None:
        return 0, len(text)
    if number.start() == 0:
        rest = text[number.end() :]
        return (len(text) - len(rest.lstrip()), len(text)) if rest.strip() else (0, len(text))
    if text[number.end() :].strip():
        return 0, len(text)
    # with the space between them gone, the number's prefix runs into the title's last word:
    # the title ends at the last document type that leaves a prefix of two characters or more
    bracket = number.start("year") - 1
    cuts = [m.end() for m in _doc_type_word().finditer(text, 0, bracket) if bracket - m.end() >= 2]
    return 0, cuts[-1] if cuts else number.start()


def _title_start(para: _Para) -> int:
    return para.start + _title_bounds(para.text)[0]


def _title_end(para: _Para) -> int:
    return para.start + _title_bounds(para.text)[1]


# ---------------------------------------------------------------- header and title


def _title_range(paras: list[_Para]) -> tuple[int, int] | None:
    """First and last paragraph of the notice's title, or None when there is no title."""
    limit = next((i for i, p in enumerate(paras) if p.kind == "heading"), len(paras))
    limit = min(limit, TITLE_SEARCH_LIMIT)
    last = next(
        (i for i in range(limit) if _titleish(paras[i]) and ends_with_doc_type(_title_text(paras[i].text))),
        None,
    )
    if last is None:
        last = next((i for i in range(limit) if _titleish(paras[i]) and len(paras[i].text) <= 40), None)
        if last is None:
            return None
    first = last
    after_doc_number = any(p.kind == "doc_number" for p in paras[:last])
    while first > 0:
        above = paras[first - 1]
        if not _titleish(above) or len(above.text) > SHORT_LINE:
            break
        if is_org_line(above.text) and not after_doc_number:
            break  # an issuer's name above a title with no 发文字号 between: the red header
        first -= 1
    return first, last


def _header_blocks(paras: list[_Para]) -> list[Block]:
    return [Block(p.kind if p.kind in ("header_mark", "doc_number") else "issuer_mark", p.start, p.end) for p in paras]


def _after_title(paras: list[_Para], cursor: int) -> tuple[int, list[Block]]:
    """The 发文字号 a web page prints after the title, and the addressees."""
    blocks = []
    while cursor < len(paras) and paras[cursor].kind in ("doc_number", "header_mark"):
        blocks.append(Block(paras[cursor].kind or "doc_number", paras[cursor].start, paras[cursor].end))
        cursor += 1
    if cursor < len(paras) and _is_addressee_line(paras[cursor]):
        blocks.append(Block("addressees", paras[cursor].start, paras[cursor].end))
        cursor += 1
    return cursor, blocks


def _is_addressee_line(para: _Para) -> bool:
    text = para.text
    return (
        para.kind is None
        and len(text) <= 200
        and text.endswith(("：", ":"))
        and not any(mark in text for mark in "。；")
        and not text.startswith(("现将", "为", "根据"))
    )


# ---------------------------------------------------------------- signature and date


def _closing(paras: list[_Para], cursor: int) -> tuple[int, int] | None:
    """(first signature paragraph, date paragraph) that close the covering notice."""
    for index in range(cursor, len(paras)):
        if paras[index].kind != "date":
            continue
        start = index
        while start > cursor and index - start < 3 and _signature_line(paras[start - 1]):
            start -= 1
        if start < index or index > cursor:
            return start, index
    return None


def _signature_line(para: _Para) -> bool:
    return para.kind in (None, "issuer_mark") and is_org_line(para.text)


# ---------------------------------------------------------------- plans and their sections


def _plan_blocks(paras: list[_Para], part: int, attachments: bool) -> list[Block]:
    """Blocks of a plan: its preamble, headings and body.

    In the `attachments` zone after the covering notice, a title line starts a new plan
    (its own title, an addressee line for a report, a preamble), so one PDF may carry many.
    """
    blocks: list[Block] = []
    in_body = False
    index = 0
    while index < len(paras):
        para = paras[index]
        title_end = _plan_title_end(paras, index) if attachments and para.kind is None else None
        if title_end is not None:
            part += 1
            blocks.append(Block("plan_title", para.start, paras[title_end].end, part=part))
            in_body = False
            index = title_end + 1
            continue
        if para.kind == "heading":
            blocks += _heading_blocks(para, part)
            in_body = True
        elif para.kind == "date":
            blocks.append(Block("date", para.start, para.end, part=part))
        elif para.kind is not None:
            blocks.append(Block(para.kind, para.start, para.end, part=part))
        elif _closes_attachment(paras, index):
            blocks.append(Block("signature", para.start, para.end, part=part))
        elif blocks and blocks[-1].kind == "plan_title" and _is_addressee_line(para):
            blocks.append(Block("addressees", para.start, para.end, part=part))
        else:
            blocks.append(Block("body" if in_body else "preamble", para.start, para.end, part=part))
        index += 1
    return blocks


def _plan_title_end(paras: list[_Para], index: int) -> int | None:
    """The last paragraph of a plan title starting at `index`, if one starts there."""
    end = index
    while end < len(paras) and _titleish(paras[end]) and len(paras[end].text) <= SHORT_LINE:
        if ends_with_doc_type(paras[end].text):
            return end
        end += 1
    return None


def _closes_attachment(paras: list[_Para], index: int) -> bool:
    """A signature line right before a date, closing an attached report."""
    following = paras[index + 1] if index + 1 < len(paras) else None
    return following is not None and following.kind == "date" and _signature_line(paras[index])


@cache
def _title_limits() -> tuple[int, re.Pattern[str]]:
    limits = table("headings.toml")["limits"]
    return int(limits["max_title_chars"]), re.compile(limits["sentence"])


def _title_of(rest: str) -> tuple[str, int] | None:
    """The heading title in the text after a number, and where the run-in text starts.

    None when the text reads as a sentence (a numbered item), not a title.
    """
    stop = _title_stop(rest)
    if (
        stop is not None
        and rest[stop] in "：:"
        and _rule("normalise.toml", "join", "heading_time").search(rest.rstrip())
    ):
        stop = None  # 巩固提升阶段：2025年10月-12月: the time is the heading's (not ……。完成时限：三季度末)
    title_end = stop if stop is not None else len(rest)
    max_chars, sentence = _title_limits()
    length = len(assignment_bracket().sub("", rest[:title_end]))  # a title's units are no part of its length
    if length > max_chars or title_end == 0 or sentence.search(rest[:title_end]):
        return None
    return rest[:title_end].strip(), title_end + (1 if stop is not None else 0)


def _title_stop(rest: str) -> int | None:
    """Where a title ends: the first 。 or colon outside brackets (not 修订预案（责任单位：……）'s)."""
    depth = 0
    for index, char in enumerate(rest):
        if char in "（(【":
            depth += 1
        elif char in "）)】":
            depth = max(0, depth - 1)
        elif char in "。：:" and depth == 0:
            return index
    return None


def _heading_blocks(para: _Para, part: int) -> Iterator[Block]:
    """A heading, and the text that runs on after it in the same paragraph; for an item, its
    number (a heading without a title, so the number stays in the section path) and its text."""
    found = heading_style(para.text)
    assert found is not None
    style, rank, number = found
    rest = para.text[number.end() :]
    title = None if para.item else _title_of(rest)
    words, body_offset = title if title else ("", 0)
    heading = Heading(number=number.group(), title=words, style=style, rank=rank)
    title_end = number.end() + len(rest[:body_offset].rstrip("。：:"))
    yield Block("heading", para.start, para.start + title_end, heading=heading, part=part)
    body = number.end() + body_offset
    body += len(para.text[body:]) - len(para.text[body:].lstrip())
    if body < len(para.text):
        yield Block("body", para.start + body, para.end, part=part)
