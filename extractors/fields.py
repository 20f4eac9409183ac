"""Stage 4b: the fields of each task — deadlines, responsible parties, targets — as records.

Each task sentence becomes a `Sentence` (its words and their tags); each field extractor reads
it and returns offsets into it, turned here into records whose `Span` places them in the
notice's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import cast

from extractors.deadlines import FoundDeadline, TimeContext, find_deadlines
from extractors.nlp import Sentence, make_doc
from extractors.parties import (
    Assigned,
    FoundParty,
    assigned_time,
    assignment_parties,
    column_parties,
    find_parties,
    is_self_reference,
)
from extractors.targets import find_targets
from extractors.tasks import TaskDraft, span_of
from schemas.document import Document
from schemas.notice import Deadline, Party, Section, Target


def task_deadlines(
    doc: Document, draft: TaskDraft, sentence: Sentence, context: TimeContext, inherited: dict[str, list[Deadline]]
) -> list[Deadline]:
    """A task's deadlines: those its sentence names, else its table row's 完成时限 cell's or its
    item's bracket's (完成时限：9月底前), else those of the nearest heading above it that names a
    time (`inherited`, by section id)."""
    own = _deadlines(doc, find_deadlines(sentence, context), draft.start)
    for cell in (draft.columns or {}).values():
        if not own and cell.role == "deadline" and cell.text:
            own = _deadlines(doc, _due_by(find_deadlines(make_doc(cell.text), context)), cell.start)
    for text, offset in draft.assignments:
        time = None if own else assigned_time(text)  # （责任单位：……；完成时限：9月底前）
        if time:
            own = _deadlines(doc, _due_by(find_deadlines(make_doc(time[0]), context)), offset + time[1])
    if own or draft.section is None:
        return own
    return inherited.get(draft.section.id, [])


def heading_deadlines(doc: Document, sections: Iterable[Section], context: TimeContext) -> dict[str, list[Deadline]]:
    """The deadlines each section passes to its tasks that name no time of their own (GUIDELINE,
    "Times in headings"): its heading's (（一）部署发动（2021年12月10日前）, 第二阶段：2024年4月—9月),
    else its parent's. A heading's span of a longer programme the plan belongs to, holding the
    whole plan year (三年行动（2024年-2026年） in a 2025 plan), is no deadline of its tasks.

    `sections` parents first, as `extract_sections` gives them; keyed by section id."""
    passed: dict[str, list[Deadline]] = {}
    for section in sections:
        heading = doc.text.text[section.span.start : section.span.end]
        found = [d for d in find_deadlines(make_doc(heading), context) if not _programme(d, context.plan_year)]
        parents = passed.get(section.parent, []) if section.parent else []
        passed[section.id] = _deadlines(doc, found, section.span.start) or parents
    return passed


def _programme(found: FoundDeadline, plan_year: int) -> bool:
    """A span of more than a year that holds the whole plan year: the programme, not a stage of it."""
    start, end = found.start_date, found.end_date
    return (
        found.kind == "within"
        and start is not None
        and end is not None
        and start.year < end.year
        and start <= dt.date(plan_year, 1, 1)
        and end >= dt.date(plan_year, 12, 31)
    )


def _due_by(found: list[FoundDeadline]) -> list[FoundDeadline]:
    """A day a 完成时限 names (2025年5月31日) is the day the task is due by, not a day it runs on."""
    return [
        replace(d, kind="by", start_date=None) if d.kind == "within" and d.start_date == d.end_date else d
        for d in found
    ]


def _deadlines(doc: Document, found: list[FoundDeadline], offset: int) -> list[Deadline]:
    """Records of the deadlines found in a text that starts at `offset` in the notice's text."""
    deadlines = []
    for deadline in found:
        rrule, dtstart = deadline.rule or (None, None)
        deadlines.append(
            Deadline(
                text=deadline.text,
                kind=deadline.kind,
                start=deadline.start_date,
                end=deadline.end_date,
                recurrence=deadline.recurrence,
                rrule=rrule,
                dtstart=dtstart,
                span=span_of(doc, offset + deadline.start, offset + deadline.end),
            )
        )
    return deadlines


def task_targets(doc: Document, draft: TaskDraft, sentence: Sentence) -> list[Target]:
    return [
        Target(
            text=found.text,
            value=found.value,
            unit=found.unit,
            object=found.object,
            comparator=found.comparator,
            span=span_of(doc, draft.start + found.start, draft.start + found.end),
        )
        for found in find_targets(sentence)
    ]


def found_parties(
    draft: TaskDraft, sentence: Sentence, issuer_forms: frozenset[str], speaker: str | None
) -> list[FoundParty]:
    """A task's units, with offsets into the notice's text: from its sentence, its item's
    bracketed assignment, and a table row's unit columns.  A unit the sentence names keeps the
    role the sentence gives it (区卫健委会同区市场监管局…… under （牵头单位：区市场监管局）); the
    author speaking of itself (我局) is `speaker`, whom the text speaks for there."""
    found = [
        replace(p.moved(draft.start), name=speaker, written=p.name)
        if is_self_reference(p.name) and speaker
        else p.moved(draft.start)
        for p in find_parties(sentence, issuer_forms)
        if speaker or not is_self_reference(p.name)
    ]
    assigned: list[FoundParty] = []
    for text, offset in draft.assignments:
        assigned += [p.moved(offset) for p in assignment_parties(text)]
    for cell in (draft.columns or {}).values():
        if cell.role in ("lead", "co", "listed"):
            assigned += column_parties(cell.text, cell.start, cast(Assigned, cell.role))
    named = {p.name for p in found}
    once = {p.name: p for p in reversed(assigned)}  # a unit two assignments name: the first's role
    return found + [p for p in assigned if p.name not in named and once[p.name] is p]


def _speaking(party: FoundParty, speaker: str | None) -> FoundParty:
    """我局 as who it is."""
    return replace(party, name=speaker, written=party.name) if speaker and is_self_reference(party.name) else party


def task_parties(doc: Document, found: list[FoundParty], canonical: dict[str, str]) -> list[Party]:
    """The records of a task's units; each unit's canonical name is the fullest the notice writes
    for it, a collective as written (各单位)."""
    return [
        Party(
            name=p.name,
            written=p.written or p.name,
            canonical=canonical.get(p.name, p.written or p.name),
            role=p.role,
            span=span_of(doc, p.start, p.end),
        )
        for p in found
    ]


def implicit_leads(
    drafts: list[TaskDraft], found: list[list[FoundParty]], issuer: Owners, issuer_forms: frozenset[str]
) -> list[str | None]:
    """Who leads a task that names no lead.  A Chinese sentence without a subject continues the
    one before it: in a paragraph, the lead of the task before it; an enumeration item, the lead
    of the task or the lead-in (各乡镇要按以下节点推进工作：) that introduces it; the first task of a
    paragraph, whoever the document speaks for there — `issuer` gives it for the covering notice
    and for the plan's body."""
    carried: list[str | None] = []  # each task's lead, named or implicit
    leads: list[str | None] = []
    for index, (draft, parties) in enumerate(zip(drafts, found, strict=True)):
        named = [p.name for p in parties if p.role == "lead"]
        previous = index - 1
        introducing = _lead_in_lead(draft.lead_in[0], issuer_forms) if draft.lead_in else None
        if named:
            lead = None
        elif introducing:
            lead = introducing
        elif draft.introducer is not None and draft.introducer < index:
            lead = carried[draft.introducer]
        elif previous >= 0 and drafts[previous].block == draft.block and not draft.columns:
            lead = carried[previous]
        else:
            lead = issuer.notice if draft.origin == "notice" else issuer.body
        leads.append(lead)
        carried.append("、".join(dict.fromkeys(named)) or lead)
    return leads


@lru_cache(maxsize=64)
def _lead_in_lead(lead_in: str, issuer_forms: frozenset[str]) -> str | None:
    """The units a lead-in names as leading (各乡镇要按以下节点推进工作： → 乡镇), joined with 、."""
    leads = [p.name for p in find_parties(make_doc(lead_in), issuer_forms) if p.role == "lead"]
    return "、".join(dict.fromkeys(leads)) or None


@dataclass(frozen=True, slots=True)
class Owners:
    """Whom a notice speaks for: its issuer in its covering text, the plan's drafter in the plan."""

    notice: str | None
    body: str | None
