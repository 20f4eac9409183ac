"""Stage 4b: the fields of each task — deadlines, responsible parties, targets — as records.

Each task sentence becomes a spaCy `Doc`; each field extractor reads it and returns spans
of it, turned here into records whose `Span` places them in the notice's text.
"""

from __future__ import annotations

from spacy.tokens import Doc as SentenceDoc

from extractors.deadlines import TimeContext, find_deadlines
from extractors.targets import find_targets
from extractors.tasks import TaskDraft, span_of
from schemas.document import Document
from schemas.notice import Deadline, Target


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
