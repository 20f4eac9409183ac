"""Stage 4b: the fields of each task — deadlines, responsible parties, targets — as records.

Each task sentence becomes a spaCy `Doc`; each field extractor reads it and returns spans
of it, turned here into records whose `Span` places them in the notice's text.
"""

from __future__ import annotations

from extractors.deadlines import TimeContext, find_deadlines
from extractors.nlp import make_doc
from extractors.tasks import TaskDraft, span_of
from schemas.document import Document
from schemas.notice import Deadline


def task_deadlines(doc: Document, draft: TaskDraft, context: TimeContext) -> list[Deadline]:
    sentence = make_doc(draft.text)
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
