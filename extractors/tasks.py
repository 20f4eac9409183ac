"""Sections and tasks: the heading tree, and the sentences of the body that direct action.

A task is one sentence (split at 。！？；, never inside brackets or quotes) of a plan's
numbered body, or a concrete instruction of the covering notice; an enumeration
(一季度：……；二季度：……) gives one task per item.  Not tasks: headings, preambles, the
forwarding formula (现将……印发你们，请……执行), sections of principles and background,
and sentences that describe rather than direct (past achievements, the situation).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

from rapidfuzz import fuzz

from extractors.nlp import tag_of
from extractors.parties import standing_assignment
from extractors.segment import segment
from extractors.structure import (
    assignment_bracket,
    assignment_sentence,
    column_roles,
    opens_bullet,
    units_sentence,
)
from extractors.vocab import notice_pattern, table
from extractors.vocab import words as word_list
from schemas.document import Block, Document
from schemas.notice import Section, Span

Origin = Literal["body", "notice"]


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its text and where it is in the normalised text."""

    column: str  # the column's header as written
    role: str  # what the column holds: task, detail, lead, co, deadline, group, number, other
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TaskDraft:
    """A task sentence before its fields are extracted."""

    text: str
    start: int  # offsets into the normalised text
    end: int
    section: Section | None
    path: list[str]  # the section's headings, and for a table row its group cells (一级指标 …)
    origin: Origin
    block: int  # index of the block (paragraph) it came from
    introducer: int | None = None  # for an enumeration item, the index of the task that introduces it
    lead_in: tuple[str, int] | None = None  # ... or the lead-in sentence that does, when it is no task (text, offset)
    assignments: tuple[tuple[str, int], ...] = ()  # the units assigned to its item (text, offset): （牵头单位：……）
    columns: dict[str, Cell] | None = None  # a table row's cells by column header


def span_of(doc: Document, start: int, end: int) -> Span:
    page, line = doc.text.locate(start)
    return Span(start=start, end=end, page=page, line=line)


# ---------------------------------------------------------------- sections


def extract_sections(doc: Document) -> dict[int, Section]:
    """The section each heading block opens, keyed by block index."""
    parts_with_headings = {b.part for b in doc.blocks if b.kind == "heading"}
    sections: dict[int, Section] = {}
    stack: list[tuple[int, Section]] = []  # (rank, section)
    counters: list[int] = []
    part = None
    for index, block in enumerate(doc.blocks):
        if block.kind != "heading" or block.heading is None:
            continue
        if block.part != part:
            stack, counters, part = [], [], block.part
        rank = block.heading.rank
        while stack and stack[-1][0] >= rank:
            stack.pop()
        counters = counters[: len(stack) + 1] + [0] * max(0, len(stack) + 1 - len(counters))
        counters[len(stack)] += 1
        number = ".".join(str(n) for n in counters[: len(stack) + 1])
        prefix = f"P{block.part}-" if len(parts_with_headings) > 1 else ""
        written = doc.text_of(block)
        parent = stack[-1][1] if stack else None
        section = Section(
            id=f"{prefix}S{number}",
            number=block.heading.number,
            title=block.heading.title,
            level=len(stack) + 1,
            path=[*(parent.path if parent else []), written],
            parent=parent.id if parent else None,
            span=span_of(doc, block.start, block.end),
        )
        stack.append((rank, section))
        sections[index] = section
    return sections


# ---------------------------------------------------------------- tasks


@cache
def _rules() -> dict[str, Any]:
    return table("tasks.toml")


@cache
def _compiled() -> dict[str, re.Pattern[str]]:
    rules = _rules()
    return {
        "non_task": re.compile(rules["sections"]["non_task_titles"]),
        "item_label": re.compile(rules["enumeration"]["item_label"]),
        "ordinal": re.compile(rules["enumeration"]["ordinal"]),
        "deadline": re.compile(rules["descriptive"]["deadline"]),
        "copula": re.compile(rules["descriptive"]["copula"]),
        "past_year": re.compile(rules["descriptive"]["past_year"]),
        "assignment": assignment_bracket(),
        "assignment_sentence": assignment_sentence(),
        "vocative": re.compile(rules["address"]["vocative"]),
        "closing": re.compile(rules["closing"]["pattern"]),
        "convention": re.compile(rules["convention"]["pattern"]),
        "label": re.compile(rules["labels"]["pattern"]),
        "caption": re.compile(rules["labels"]["caption"]),
        "lead_in": re.compile(rules["lead_ins"]["pattern"]),
        "lead_in_item": re.compile(rules["lead_ins"]["before_item"]),
        "telling": re.compile(rules["reports"]["telling_titles"]),
        "forecast": re.compile(rules["descriptive"]["forecast"]),
        "observation": re.compile(rules["descriptive"]["observation"]),
        "forwarding": notice_pattern("forwarding"),
        "carry_out": notice_pattern("carry_out"),
    }


@dataclass(frozen=True, slots=True)
class _SentenceFilter:
    """Which sentences of a block are tasks."""

    origin: Origin
    plan_year: int | None

    def keeps(self, sentence: str) -> bool:
        if self.origin == "notice" and _is_forwarding(sentence):
            return False
        patterns = _compiled()
        if any(patterns[name].search(sentence) for name in ("vocative", "closing", "convention", "label")):
            return False
        if patterns["lead_in"].search(sentence) and not _directs_before_lead_in(sentence):
            return False
        return _states_an_action(sentence) and not _captions(sentence) and not _describes(sentence, self.plan_year)


def _directs_before_lead_in(sentence: str) -> bool:
    """各街道办事处要组织企业参加竞赛，具体安排如下： directs before it announces its list (为此，提出以下
    几点意见： does not)."""
    before = sentence[: sentence.rfind("，")] if "，" in sentence else ""
    return bool(set(segment(before)) & set(_rules()["descriptive"]["directive"]))


def _captions(sentence: str) -> bool:
    """重点任务分工表 on a line of its own: a caption, not 全面实施跨境服务贸易负面清单 or 各单位要修订
    安全生产责任清单, which direct (a verb opens it, a directive or action word is in it)."""
    if _compiled()["caption"].match(sentence) is None:
        return False
    words = segment(sentence)
    directing = set(_rules()["descriptive"]["directive"]) | set(word_list("action_verbs.txt"))
    return tag_of(words[0]) != "v" and not directing & set(words)


def _states_an_action(sentence: str) -> bool:
    """A task says what to do or reach: a verb, an adverb before one, an adjective of the result
    (筑牢), an idiom (进一步提高), or a quantity bound (居民消费价格涨幅3%左右); an enumeration's
    item may name its work by a noun (二季度：防汛防台).  A date, a place or a list of who attends
    (a meeting notice's 时间, 地点, 参会人员) says none."""
    if any(mark in sentence for mark in (*_rules()["actions"]["quantity_bounds"], "：", ":")):
        return True
    return any(tag_of(word)[:1] in ("v", "a", "d", "i") for word in segment(sentence))


def extract_tasks(doc: Document, sections: dict[int, Section], plan_year: int | None) -> list[TaskDraft]:
    drafts: list[TaskDraft] = []
    current: Section | None = None
    header: list[str] = []
    previous_row: list[Cell] = []
    findings = False  # in an attached list of problems found: no tasks
    listed_findings = False  # in such a list set inside the plan, under its label line
    report = False  # in a report, which tells before it proposes
    units = _Assignments(drafts)
    for index, block in enumerate(doc.blocks):
        if index in sections:
            current = sections[index]
            units.restart(current, _heading_assignment(doc, block))
        elif block.kind in ("plan_title", "title", "signature"):
            current, header = None, []
            findings = block.kind == "plan_title" and _lists_findings(doc.text_of(block))
            report = block.kind != "signature" and doc.text_of(block).endswith(_rules()["reports"]["title_end"])
            units.restart()
        if findings:
            continue
        if block.kind == "body" and listed_findings:
            listed_findings = _item_text(doc, index)
            if listed_findings:
                continue  # 1.部分乡镇应急物资储备不足: a finding of the list above
        if block.kind == "body" and _opens_findings(doc.text_of(block)):
            listed_findings = True
        if block.kind == "body" and not _in_non_task_section(current) and not (report and _tells(current)):
            _block_tasks(doc, block, index, current, _SentenceFilter("body", plan_year), units)
        elif block.kind == "notice":
            _block_tasks(doc, block, index, None, _SentenceFilter("notice", plan_year), units)
        elif block.kind == "table_header":
            header, previous_row = [cell.strip() for cell in doc.text_of(block).split("\t")], []
        elif block.kind == "table_row" and header:
            previous_row = _row_cells(doc, block, header, previous_row)
            drafts += _row_tasks(doc, previous_row, current, index)
    return _without_restated_rows(drafts)


def _heading_assignment(doc: Document, block: Block) -> tuple[str, int] | None:
    """The units a heading assigns to every task under it, and their offset: （一）推进挥发性有机物
    综合治理（牵头单位：区生态环境局；配合单位：区经委、各街镇）."""
    text = doc.text.text
    end = block.start + len(text[block.start : block.end].rstrip("。 \u3000"))
    found = _compiled()["assignment"].search(text, block.start, end)
    return (found.group(), found.start()) if found and found.end() == end else None  # after the title, not inside it


class _Assignments:
    """The tasks an assignment of units covers: those since the one before it in the same item
    (section).  Assignments one after the other (牵头单位：……。配合单位：……。) cover the same tasks.
    One that comes before any task of its section, in its heading or on a line under it, covers
    the tasks that follow in the section and the sections below it, unless a task has its own."""

    def __init__(self, drafts: list[TaskDraft]) -> None:
        self.drafts = drafts
        self.open: list[int] = []  # tasks no assignment covers yet
        self.covered: list[int] = []  # the tasks the last assignment covered, while no task follows it
        self.standing: tuple[str, int] | None = None  # units every assignment from here on covers
        self.enumeration = _Enumeration()  # the enumeration the section's items continue, line after line
        self.list_head: int | None = None  # the task announcing the numbered list being read
        self.path: tuple[str, ...] = ()  # the section being read
        self.ahead: dict[tuple[str, ...], tuple[tuple[str, int], ...]] = {}  # by section: units for tasks to come

    def restart(self, section: Section | None = None, assigned: tuple[str, int] | None = None) -> None:
        """A new section (its heading's units `assigned`), or none: a title, a signature."""
        self.open, self.covered = [], []
        self.path = tuple(section.path) if section else ()
        # only the sections above this one keep what they assigned ahead (not an earlier one of the same path)
        self.ahead = {path: units for path, units in self.ahead.items() if self.path[: len(path)] == path != self.path}
        if assigned is not None:
            self.ahead[self.path] = (assigned,)
        self.enumeration = _Enumeration(carried=self._announcing(section))

    def _inherited(self) -> tuple[tuple[str, int], ...]:
        """The units assigned ahead to the section being read or the nearest one above it."""
        return next(
            (self.ahead[self.path[:n]] for n in range(len(self.path), 0, -1) if self.path[:n] in self.ahead), ()
        )

    def _announcing(self, section: Section | None) -> int | None:
        """The task that announces the numbered list a new section below it is an item of (各街道要
        组织……，具体安排如下： / 1.4月份完成初赛 / 2.……): the list's items continue it."""
        if self.list_head is None and self.drafts and self.drafts[-1].text.endswith(("：", ":")):
            self.list_head = len(self.drafts) - 1
        if self.list_head is None or section is None:
            return None
        above = self.drafts[self.list_head].path
        if len(section.path) > len(above) and section.path[: len(above)] == above:
            return self.list_head
        self.list_head = None
        return None

    def task(self, draft: TaskDraft) -> None:
        inherited = self._inherited()
        self.drafts.append(replace(draft, assignments=(*draft.assignments, *inherited)) if inherited else draft)
        self.open.append(len(self.drafts) - 1)
        self.covered = []

    def assign(self, assignment: tuple[str, int], block: int) -> None:
        """`assignment` (its text and offset), found in block `block`."""
        self.standing = standing_assignment(*assignment) or self.standing
        if not self.covered and not self.open and self.path:  # before any task: for those to come
            self.ahead[self.path] = (*self.ahead.get(self.path, ()), assignment)  # 牵头单位：…… / 配合单位：……
            return
        if not self.covered and self.open and units_sentence().fullmatch(assignment[0]):  # 区水务局负责
            blocks = [self.drafts[member].block for member in self.open]  # its paragraph's tasks, or, alone
            paragraph = block if block in blocks else blocks[-1]  # on its line, those of the paragraph above
            self.covered = [member for member in self.open if self.drafts[member].block == paragraph]
        self.covered = self.covered or self.open
        inherited = self._inherited()
        for member in self.covered:
            draft = self.drafts[member]
            added = [assignment]
            if self.standing is not None and self.standing not in draft.assignments:
                added.append(self.standing)
            own = tuple(a for a in draft.assignments if a not in inherited)  # a task's own units, not its section's
            self.drafts[member] = replace(draft, assignments=(*own, *added))
        self.open = []


@dataclass(slots=True)
class _Enumeration:
    """What introduces the enumeration items (一季度：……) that follow, on its line or the next ones:
    the task before them, or a lead-in that is no task (各乡镇要按以下节点推进工作：)."""

    introducer: int | None = None
    lead_in: tuple[str, int] | None = None
    previous: int | None = None  # the last task
    carried: int | None = None  # the task announcing the numbered list this section's item belongs to

    def sentence(self, sentence: str, start: int, kept: bool) -> None:
        """Note a sentence of the section, kept as a task or not."""
        if kept and self.carried is not None:
            self.introducer, self.carried = self.carried, None  # the item's first sentence
        elif kept and _compiled()["item_label"].match(sentence):
            if self.introducer is None and self.lead_in is None:
                self.introducer = self.previous
        elif kept:
            self.introducer, self.lead_in = None, None
        else:
            self.introducer = None
            self.lead_in = (sentence, start) if _compiled()["lead_in"].search(sentence) else None


def _without_restated_rows(drafts: list[TaskDraft]) -> list[TaskDraft]:
    """A table that restates the body (an annexed 清单 whose rows sum up its sentences) adds no
    tasks: a row's cells — its units, its 完成时限 — go to the sentence it restates, and only a
    row that restates nothing stays a task of its own.  A row restates the sentence that holds
    (nearly) all of its task text, the best such pair first."""
    rows = [i for i, d in enumerate(drafts) if d.columns]
    sentences = [i for i, d in enumerate(drafts) if not d.columns]
    limit, shortest = _rules()["restated"]["min_similarity"], _rules()["restated"]["min_chars"]
    pairs = sorted(
        (
            (fuzz.partial_ratio(drafts[r].text, drafts[b].text), r, b)
            for r in rows
            if len(drafts[r].text) >= shortest
            for b in sentences
        ),
        reverse=True,
    )
    restated: dict[int, int] = {}  # row → the sentence it restates
    for similarity, row, sentence in pairs:
        if similarity < limit:
            break
        if row not in restated and sentence not in restated.values():
            restated[row] = sentence
    if not restated:
        return drafts
    merged = list(drafts)
    for row, sentence in restated.items():
        merged[sentence] = replace(drafts[sentence], columns=drafts[row].columns)
    kept = [i for i in range(len(drafts)) if i not in restated]
    moved = {old: new for new, old in enumerate(kept)}

    def renumbered(draft: TaskDraft) -> TaskDraft:
        return draft if draft.introducer is None else replace(draft, introducer=moved.get(draft.introducer))

    return [renumbered(merged[i]) for i in kept]


def _row_cells(doc: Document, block: Block, header: list[str], above: list[Cell]) -> list[Cell]:
    """A row's cells under their headers; a short row's missing leading cells are merged
    cells, carried down from the row above."""
    roles = column_roles()
    cells, offset = [], block.start
    for raw in doc.text_of(block).split("\t"):
        cells.append((raw, offset, offset + len(raw)))
        offset += len(raw) + 1
    missing = len(header) - len(cells)
    result = list(above[:missing]) if 0 < missing <= len(above) else []
    for column, (raw, start, _) in zip(header[len(result) :], cells, strict=False):
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        result.append(Cell(column, roles.get(column, "other"), text, start + lead, start + lead + len(text)))
    return result


def _row_tasks(doc: Document, cells: list[Cell], section: Section | None, index: int) -> list[TaskDraft]:
    """The tasks a row states, from its task column (else its first long cell): one per sentence
    of the cell, each with the row's cells (GUIDELINE: a task cell of several sentences)."""
    task = next((c for c in cells if c.role == "task" and c.text), None)
    task = task or next((c for c in cells if c.role not in ("number", "group") and len(c.text) > 4), None)
    if task is None:
        return []
    groups = [c.text for c in cells if c.role == "group" and c.text]
    return [
        TaskDraft(
            text=doc.text.text[start:end],
            start=start,
            end=end,
            section=section,
            path=[*(section.path if section else []), *groups],
            origin="body",
            block=index,
            columns={cell.column: cell for cell in cells},
        )
        for start, end in split_sentences(doc.text.text, task.start, task.end)
    ]


def _lists_findings(title: str) -> bool:
    return any(word in title for word in _rules()["lists"]["problem_titles"])


def _opens_findings(text: str) -> bool:
    """附：2024年省级督查反馈问题清单, 检查发现的主要问题： — a list of findings inside the plan starts
    after this line."""
    lists = _rules()["lists"]
    labelled = re.match(lists["inline_list"], text) is not None and _lists_findings(text)
    return labelled or re.search(lists["findings_lead"], text) is not None


def _item_text(doc: Document, index: int) -> bool:
    """Whether body block `index` is a numbered item's own text, on the line of its number."""
    before = doc.blocks[index - 1] if index > 0 else None
    return (
        before is not None
        and before.kind == "heading"
        and "\n" not in doc.text.text[before.end : doc.blocks[index].start]
    )


def _tells(section: Section | None) -> bool:
    """A report's preamble, or a section that reports (一、1996年我国地震活动情况……): no tasks."""
    return section is None or any(_compiled()["telling"].search(title) for title in section.path)


def _in_non_task_section(section: Section | None) -> bool:
    pattern = _compiled()["non_task"]
    return section is not None and any(pattern.search(title) for title in section.path)


def _block_tasks(
    doc: Document, block: Block, index: int, section: Section | None, keep: _SentenceFilter, units: _Assignments
) -> None:
    text = doc.text.text
    enumeration = units.enumeration
    for start, end, assignment in _sentences_and_assignments(text, block):
        if assignment is not None:
            units.assign(assignment, index)
            continue
        ordinal = _compiled()["ordinal"].match(text[start:end])
        start += ordinal.end() if ordinal else 0
        sentence = text[start:end]
        kept = keep.keeps(sentence)
        enumeration.sentence(sentence, start, kept)
        if not kept:
            continue
        units.task(
            TaskDraft(
                text=sentence,
                start=start,
                end=end,
                section=section,
                path=section.path if section else [],
                origin=keep.origin,
                block=index,
                introducer=enumeration.introducer,
                lead_in=enumeration.lead_in,
            )
        )
        enumeration.previous = len(units.drafts) - 1


def _sentences_and_assignments(text: str, block: Block) -> Iterator[tuple[int, int, tuple[str, int] | None]]:
    """The block's sentences, with the unit assignments between them split off:
    ……统计方法。（生态环境部牵头，……参与）, ……示范企业。（工业和信息化部指导）以铅酸蓄电池为重点……, or
    one written out as a sentence of its own: 牵头单位：区应急局。 / 区住建委、区城管执法局按职责分工负责。"""
    pattern, written_out = _compiled()["assignment"], _compiled()["assignment_sentence"]
    for start, end in _split_lead_ins(text, _with_remarks(text, list(split_sentences(text, block.start, block.end)))):
        found = pattern.match(text, start, end) or written_out.fullmatch(text, start, end)
        if found and start == block.start and opens_bullet(text[start:end]):
            found = None
        if found:
            yield found.start(), found.end(), (found.group(), found.start())
            start = found.end()
        closing = _closing_assignment(text, start, end)
        if closing is not None and start < closing.start():
            yield start, closing.start(), None  # ……标准化建设（市交通运输局负责）: no full stop before it
            yield closing.start(), closing.end(), (closing.group(), closing.start())
        elif start < end:
            yield start, end, None


def _closing_assignment(text: str, start: int, end: int) -> re.Match[str] | None:
    """The assignment bracket a sentence ends with, if it ends with one."""
    if end <= start or text[end - 1] not in "）)】":
        return None
    depth, opening = 0, -1
    for index in range(end - 1, start - 1, -1):  # the bracket that closes last, with any inside it
        depth += (text[index] in "）)】") - (text[index] in "（(【")
        if depth == 0:
            opening = index
            break
    return _compiled()["assignment"].fullmatch(text, opening, end) if opening > start else None


def _split_lead_ins(text: str, sentences: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """要重点做好以下工作：一季度：……: the lead-in ends at its colon, where the first item begins."""
    lead_in = _compiled()["lead_in_item"]
    for start, end in sentences:
        found = lead_in.match(text, start, end)
        if found:
            yield start, found.end() - 1
            start = found.end()
        yield start, end


def _with_remarks(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A bracketed remark after a sentence's full stop belongs to it: ……损失。（重大隐患）"""
    assignment = _compiled()["assignment"]
    merged: list[tuple[int, int]] = []
    for start, end in sentences:
        remark = text[start] in "（(【" and text[end - 1] in "）)】" and not assignment.fullmatch(text, start, end)
        if merged and remark:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def split_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], without its closing mark or spaces."""
    rules = _rules()["split"]
    ends, opening, closing = rules["sentence_end"], rules["open"], rules["close"]
    depth, opened_at, sentence_start = 0, 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in opening:
            depth, opened_at = depth + 1, (i if depth == 0 else opened_at)
        elif ch in closing and depth:
            depth -= 1
        elif depth and i - opened_at > rules["max_bracket"]:
            depth = 0
        if ch in ends and depth == 0:
            yield from _trimmed(text, sentence_start, i, rules["min_chars"])
            sentence_start = i + 1
    yield from _trimmed(text, sentence_start, end, rules["min_chars"])


def _trimmed(text: str, start: int, end: int, min_chars: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start] in " \n\t":
        start += 1
    while end > start and text[end - 1] in " \n\t。；":
        end -= 1
    if end - start >= min_chars:
        yield start, end


def _is_forwarding(sentence: str) -> bool:
    """The covering notice's formula: 现将……印发你们 / 请……认真贯彻执行."""
    patterns = _compiled()
    if patterns["forwarding"].search(sentence):
        return True
    return bool(patterns["carry_out"].match(sentence)) and not patterns["deadline"].search(sentence)


def _describes(sentence: str, plan_year: int | None) -> bool:
    """Background, a forecast, an argument or past achievement: no word that directs (or, for a
    forecast or an argument, none that directs strongly) and no deadline."""
    rules = _rules()["descriptive"]
    patterns = _compiled()
    if patterns["deadline"].search(sentence):
        return False
    if patterns["observation"].match(sentence):
        return True  # 但也要看到，基层应急能力依然薄弱
    ordered = segment(sentence)
    words = set(ordered)
    directs = bool(words & set(rules["directive"]))
    if not directs and (sentence.startswith(tuple(rules["argument_openers"])) or patterns["forecast"].search(sentence)):
        return True
    if directs or words & set(rules["weak_directive"]):
        return False
    if patterns["copula"].search(sentence):
        return True
    opening_year = patterns["past_year"].match(sentence)
    if opening_year and plan_year and int(opening_year.group(1)) < plan_year:
        return True  # 1995年我国共发生5级以上地震48次: a year before the plan's

    markers = set(rules["past"]) | set(rules["state"])
    return any(word in markers and (word == "了" or not _in_modifier(ordered, i)) for i, word in enumerate(ordered))


def _in_modifier(words: Sequence[str], index: int) -> bool:
    """The word sits in a 的-phrase that modifies a noun (已开展试点的城市), not in the main clause.

    Not for 了, which follows its verb: 进行了深入的分析 is still past.
    """
    for word in words[index + 1 :]:
        if word in "，、；。：":
            return False
        if word == "的":
            return True
    return False
