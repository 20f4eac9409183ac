"""Stage 4: `Document` → `Notice`, the validated record of one notice."""

from __future__ import annotations

import datetime as dt

from extractors.deadlines import TimeContext
from extractors.fields import (
    Owners,
    found_parties,
    heading_deadlines,
    implicit_leads,
    task_deadlines,
    task_parties,
    task_targets,
)
from extractors.metadata import extract_meta, titled_year
from extractors.nlp import make_doc
from extractors.parties import canonical_names, issuer_forms
from extractors.targets import find_goals
from extractors.tasks import extract_sections, extract_tasks, span_of
from schemas.document import Document
from schemas.notice import Notice, SourceInfo, Task, gongwen_version


def extract(doc: Document) -> Notice:
    source = doc.text.source
    meta = extract_meta(doc)
    preamble = "".join(doc.text_of(b) for b in doc.of_kind("preamble"))
    meta = meta.model_copy(update={"goals": find_goals(preamble)})
    sections = extract_sections(doc)
    drafts = extract_tasks(doc, sections, meta.plan_year)
    year_named = titled_year(meta.plan_title, meta.title) is not None
    time = TimeContext(
        plan_year=meta.plan_year or dt.date.today().year, issue_date=meta.issue_date, year_named=year_named
    )
    inherited = heading_deadlines(doc, sections.values(), time)
    body = "".join(doc.text_of(b) for b in doc.of_kind("body", "notice", "preamble", "addressees", "heading"))
    forms, issuer = issuer_forms(meta.issuers, body)
    drafter = issuer_forms([meta.drafter], body)[1] if meta.drafter else None  # 区应急局, as the text calls it
    owners = Owners(notice=issuer, body=drafter or issuer)
    sentences = [make_doc(draft.text) for draft in drafts]
    parties = [
        found_parties(draft, sentence, forms, owners.notice if draft.origin == "notice" else owners.body)
        for draft, sentence in zip(drafts, sentences, strict=True)
    ]
    named = [(p.name, p.written or p.name) for found in parties for p in found]
    canonical = canonical_names([*(name for name, _ in named), *meta.issuers], named)
    leads = implicit_leads(drafts, parties, owners, forms)
    tasks = [
        Task(
            id=f"T{number:03d}",
            text=draft.text,
            section=draft.path,
            section_id=draft.section.id if draft.section else None,
            origin=draft.origin,
            span=span_of(doc, draft.start, draft.end),
            columns={column: cell.text for column, cell in (draft.columns or {}).items()},
            deadlines=task_deadlines(doc, draft, sentence, time, inherited),
            parties=task_parties(doc, found, canonical),
            implicit_lead=lead,
            targets=task_targets(doc, draft, sentence),
        )
        for number, (draft, sentence, found, lead) in enumerate(zip(drafts, sentences, parties, leads, strict=True), 1)
    ]
    return Notice(
        gongwen_version=gongwen_version(),
        extracted_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        source=SourceInfo(
            path=str(source.path),
            name=source.path.name,
            format=source.format,
            sha256=source.sha256,
            encoding=source.encoding,
            pages=source.page_count,
            ocr_pages=list(source.ocr_pages),
            ocr_confidence=source.ocr_confidence,
            plan=doc.plan,
            plans=doc.plans,
            warnings=list(source.warnings),
        ),
        meta=meta,
        sections=list(sections.values()),
        tasks=tasks,
        text=doc.text.text,
    )
