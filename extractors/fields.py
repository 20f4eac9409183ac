"""Stage 4b: the fields of each task — deadlines, responsible parties, targets — as records.

Each task sentence becomes a spaCy `Doc`; each field extractor reads it and returns spans
of it, turned here into records whose `Span` places them in the notice's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from spacy.tokens import Doc as SentenceDoc

from extractors.deadlines import TimeContext, find_deadlines
from extractors.parties import Assigned, FoundParty, assignment_parties, column_parties, find_parties
from extractors.targets import find_targets
from extractors.tasks import TaskDraft, span_of
from schemas.document import Document
from schemas.notice import Deadline, Party, Target


def task_deadlines(doc: Document, draft: TaskDraft, sentence: SentenceDoc, context: TimeContext) -> list[Deadline]:
    return [
        Deadline(
            text=found.text,
            kind=found.kind,
            start=found.start_date,
            end=found.end_date,
            recurrence=found.recurrence,
            span=span_of(doc, draft.start + found.start, draft.start + found.end),
        )
        for found in find_deadlines(sentence, context)
    ]


def task_targets(doc: Document, draft: TaskDraft, sentence: SentenceDoc) -> list[Target]:
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


def found_parties(draft: TaskDraft, sentence: SentenceDoc, issuer_forms: frozenset[str]) -> list[FoundParty]:
    """A task's units, with offsets into the notice's text: from its sentence, its item's
    bracketed assignment, and a table row's unit columns.  A unit the sentence names keeps the
    role the sentence gives it (区卫健委会同区市场监管局…… under （牵头单位：区市场监管局）)."""
    found = [
        FoundParty(p.name, draft.start + p.start, draft.start + p.end, p.role)
        for p in find_parties(sentence, issuer_forms)
    ]
    assigned: list[FoundParty] = []
    if draft.assignment:
        text, offset = draft.assignment
        assigned += [FoundParty(p.name, offset + p.start, offset + p.end, p.role) for p in assignment_parties(text)]
    for cell in (draft.columns or {}).values():
        if cell.role in ("lead", "co", "listed"):
            assigned += column_parties(cell.text, cell.start, cast(Assigned, cell.role))
    named = {p.name for p in found}
    return found + [p for p in assigned if p.name not in named]


def task_parties(doc: Document, found: list[FoundParty], canonical: dict[str, str]) -> list[Party]:
    return [
        Party(name=p.name, canonical=canonical.get(p.name, p.name), role=p.role, span=span_of(doc, p.start, p.end))
        for p in found
    ]


def implicit_leads(drafts: list[TaskDraft], found: list[list[FoundParty]], issuer: Owners) -> list[str | None]:
    """Who leads a task that names no lead.  A Chinese sentence without a subject continues the
    one before it: in a paragraph, the lead of the task before it; an enumeration item, the lead
    of the task that introduces it; the first task of a paragraph, whoever the document speaks
    for there — `issuer` gives it for the covering notice and for the plan's body."""
    carried: list[str | None] = []  # each task's lead, named or implicit
    leads: list[str | None] = []
    for index, (draft, parties) in enumerate(zip(drafts, found, strict=True)):
        named = [p.name for p in parties if p.role == "lead"]
        previous = index - 1
        if named:
            lead = None
        elif draft.introducer is not None and draft.introducer < index:
            lead = carried[draft.introducer]
        elif previous >= 0 and drafts[previous].block == draft.block and not draft.columns:
            lead = carried[previous]
        else:
            lead = issuer.notice if draft.origin == "notice" else issuer.body
        leads.append(lead)
        carried.append("、".join(dict.fromkeys(named)) or lead)
    return leads


@dataclass(frozen=True, slots=True)
class Owners:
    """Whom a notice speaks for: its issuer in its covering text, the plan's drafter in the plan."""

    notice: str | None
    body: str | None
