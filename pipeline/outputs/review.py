"""Stage 5c: `Notice` → `<stem>.review.html`, a page to check the extraction against the source.

One self-contained file (no network, no fonts or scripts fetched): the normalised text with
every task, deadline, party and target highlighted in its own colour, the section tree as an
outline, and, on hover or click, the record behind a highlight.  Fields overlap (a target
may hold a unit's name), so the text is cut at every span boundary and each piece lists the
records that cover it (`data-ids`); a record's highlight is the pieces that name it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter, deque
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from extractors.parties import is_issuer, issuer_forms
from pipeline.files import write_atomically
from pipeline.outputs.task_workbook import RECURRENCE
from schemas.notice import Notice, Task

KINDS = {"task": "任务", "deadline": "时限", "lead": "牵头单位", "co": "配合单位", "other": "相关单位",
         "target": "量化目标"}  # fmt: skip
LONG_TASK = 300  # characters: a task this long has likely swallowed the paragraph after it
SHORT_TASK = 8
FORWARDING_OFFICES = ("办公室", "办公厅", "办")  # an office that issues others' plans
DATE_SLACK_YEARS = 5  # a deadline this far from the plan's year was likely misread
LEADS_USUAL = 0.5  # share of a notice's tasks with a lead above which a task without one stands out


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlighted span: a task or one of its fields."""

    id: str  # T003 for a task, T003.d0 / T003.p1 / T003.g0 for its deadlines, parties, targets
    kind: str  # a key of KINDS
    start: int
    end: int


def marks(notice: Notice) -> list[Mark]:
    found = []
    for task in notice.tasks:
        found.append(Mark(task.id, "task", task.span.start, task.span.end))
        found += [Mark(f"{task.id}.d{i}", "deadline", d.span.start, d.span.end) for i, d in enumerate(task.deadlines)]
        found += [Mark(f"{task.id}.p{i}", p.role, p.span.start, p.span.end) for i, p in enumerate(task.parties)]
        found += [Mark(f"{task.id}.g{i}", "target", t.span.start, t.span.end) for i, t in enumerate(task.targets)]
    return [m for m in found if m.end > m.start]


def doubts(notice: Notice) -> dict[str, list[str]]:
    """Why an analyst should look twice at each task: signs the extractor may have got it wrong."""
    with_lead = sum(1 for task in notice.tasks if task.units("lead") or task.implicit_lead)
    leads_usual = with_lead >= LEADS_USUAL * len(notice.tasks)  # a report names no leads at all
    forwarding = _forwarding_office(notice)
    return {task.id: _task_doubts(task, notice, leads_usual, forwarding) for task in notice.tasks}


def _task_doubts(task: Task, notice: Notice, leads_usual: bool, forwarding: frozenset[str]) -> list[str]:
    found = []
    if leads_usual and not task.units("lead") and not task.implicit_lead:
        found.append("未找到牵头单位，而本文多数任务有")
    if _led_only_by(task, forwarding):
        found.append(f"牵头单位仅为推定的转发机关（{task.implicit_lead}），请核对计划的实际牵头单位")
    if len(task.text) > LONG_TASK:
        found.append(f"任务文字长达{len(task.text)}字，可能并入了下一段")
    if len(task.text) < SHORT_TASK:
        found.append("任务文字过短，可能只取到半句")
    year = notice.meta.plan_year
    for deadline in task.deadlines:
        end = deadline.end or deadline.start
        if end and notice.meta.issue_date and end < notice.meta.issue_date:
            found.append(f"时限“{deadline.text}”早于成文日期")
        elif end and year and abs(end.year - year) > DATE_SLACK_YEARS:
            found.append(f"时限“{deadline.text}”距计划年度{year}年较远")
    if task.span.page in notice.source.ocr_pages:
        found.append("所在页面经OCR识别，请核对文字")
    return found


def _forwarding_office(notice: Notice) -> frozenset[str]:
    """The forms of the name of the office that forwards a plan, when it issued the notice and
    who drafted the plan was not found; else none."""
    meta = notice.meta
    offices = [name for name in meta.issuers if name.endswith(FORWARDING_OFFICES)]
    if meta.drafter or not offices or meta.plan_title is None:
        return frozenset()
    forms, _ = issuer_forms(offices, "")
    return forms


def _led_only_by(task: Task, forwarding: frozenset[str]) -> bool:
    """A plan's task whose only lead is inferred, and is the `forwarding` office (its forms), not
    its drafter: the analyst must say who leads."""
    if not forwarding or task.origin != "body" or task.units("lead") or not task.implicit_lead:
        return False
    return is_issuer(task.implicit_lead, forwarding)


def review_html(notice: Notice) -> str:
    found = marks(notice)
    unsure = doubts(notice)
    records = {task.id: _task_record(task, unsure[task.id]) for task in notice.tasks}
    records.update(_field_records(notice))
    counts = Counter(mark.kind for mark in found)
    title = notice.meta.plan_title or notice.meta.title or notice.source.name
    return PAGE.format(
        title=html.escape(title),
        head=_head(notice, sum(1 for reasons in unsure.values() if reasons)),
        legend="".join(
            f'<label class="key {kind}"><input type="checkbox" checked data-kind="{kind}">'
            f'<span class="swatch {kind}">{label}</span> {counts.get(kind, 0)}</label>'
            for kind, label in KINDS.items()
        ),
        outline=_outline(notice),
        text=_text(notice, found, {task_id for task_id, reasons in unsure.items() if reasons}),
        records=_script_data(records),
        style=STYLE,
        script=SCRIPT,
    )


def _script_data(records: dict[str, dict[str, Any]]) -> str:
    """The records as JSON to sit in a <script> element: every `<` written as \\u003c (JSON reads
    it back the same), so no document text (`</script>`, `<!--<script>`) changes how the page parses."""
    return json.dumps(records, ensure_ascii=False, default=str).replace("<", "\\u003c")


def write_review(notice: Notice, out_dir: Path) -> Path:
    target = out_dir / f"{notice.source.stem}.review.html"
    write_atomically(target, review_html(notice).encode("utf-8"))
    return target


def _head(notice: Notice, unsure: int) -> str:
    meta, source = notice.meta, notice.source
    rows = [
        ("标题", meta.title), ("发文字号", meta.doc_number), ("发文机关", "、".join(meta.issuers) or meta.issuer),
        ("成文日期", meta.issue_date), ("计划", meta.plan_title), ("计划年度", meta.plan_year),
        ("源文件", f"{source.name}（{source.format}，{source.pages}页）"),
        ("方案", f"第{source.plan}个，共{source.plans}个" if source.plan else None),
        ("任务", f"{len(notice.tasks)}项，其中存疑{unsure}项"),
    ]  # fmt: skip
    cells = "".join(f"<dt>{name}</dt><dd>{html.escape(str(value))}</dd>" for name, value in rows if value)
    return f"<dl>{cells}</dl>"


def _outline(notice: Notice) -> str:
    """The section tree as links to the headings, each with the number of tasks under it."""
    parents = {section.id: section.parent for section in notice.sections}
    counts: Counter[str] = Counter()
    for task in notice.tasks:
        current = task.section_id
        while current is not None:
            counts[current] += 1
            current = parents.get(current)
    items = (
        f'<li class="level{min(section.level, 4)}"><a href="#{section.id}">'
        f"{html.escape(section.number + section.title)}</a> <small>{counts[section.id]}</small></li>"
        for section in notice.sections
    )
    return "<ul>" + "".join(items) + "</ul>"


def _text(notice: Notice, found: list[Mark], unsure: set[str]) -> str:
    """The text cut at every span boundary; each piece a span naming the records over it."""
    anchors = {section.span.start: section.id for section in notice.sections}
    numbers = {task.span.start: number for number, task in enumerate(notice.tasks, 1)}
    headings = sorted((section.span.start, section.span.end) for section in notice.sections)
    ends = {end for _, end in headings}
    cuts = sorted({0, len(notice.text), *anchors, *ends, *(m.start for m in found), *(m.end for m in found)})
    waiting = deque(sorted(found, key=lambda m: m.start))
    active: list[Mark] = []
    heading_ends = deque(headings)  # a piece lies in a heading when it starts in one: its end is a cut
    heading_end = -1
    pieces = []
    for start, end in pairwise(cuts):
        if start in anchors:
            pieces.append(f'<a class="anchor" id="{anchors[start]}"></a>')
        if start in numbers:  # the task's 序号 in the workbook, before its first character
            pieces.append(f'<sup class="number">{numbers[start]}</sup>')
        while waiting and waiting[0].start <= start:
            active.append(waiting.popleft())
        while heading_ends and heading_ends[0][0] <= start:
            heading_end = max(heading_end, heading_ends.popleft()[1])
        active = [m for m in active if m.end > start]
        text = html.escape(notice.text[start:end])
        if not active:
            pieces.append(f"<b>{text}</b>" if start < heading_end else text)
            continue
        kinds = " ".join(dict.fromkeys(m.kind for m in active))
        doubt = " doubt" if any(m.kind == "task" and m.id in unsure for m in active) else ""
        ids = " ".join(m.id for m in active)
        pieces.append(f'<span class="m {kinds}{doubt}" data-ids="{ids}">{text}</span>')
    return "".join(pieces)


def _task_record(task: Task, reasons: list[str]) -> dict[str, Any]:
    return {
        "kind": "任务", "id": task.id, "text": task.text, "section": " › ".join(task.section),
        "where": f"第{task.span.page}页第{task.span.line}行", "lead": "、".join(task.units("lead")),
        "implicit_lead": task.implicit_lead, "co": "、".join(task.units("co")), "other": "、".join(task.units("other")),
        "deadline": task.when(), "targets": "；".join(t.text for t in task.targets), "doubts": reasons,
    }  # fmt: skip


def _field_records(notice: Notice) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for task in notice.tasks:
        for i, d in enumerate(task.deadlines):
            records[f"{task.id}.d{i}"] = {
                "kind": "时限", "text": d.text, "type": {"by": "截止", "within": "期间", "recurring": "周期"}[d.kind],
                "start": _date(d.start), "end": _date(d.end), "recurrence": RECURRENCE.get(d.recurrence or ""),
            }  # fmt: skip
        for i, p in enumerate(task.parties):
            records[f"{task.id}.p{i}"] = {"kind": KINDS[p.role], "text": p.name, "canonical": p.canonical}
        for i, t in enumerate(task.targets):
            records[f"{task.id}.g{i}"] = {
                "kind": "量化目标", "text": t.text, "value": t.value, "unit": t.unit, "object": t.object,
                "comparator": t.comparator,
            }  # fmt: skip
    return records


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


STYLE = """
body { margin: 0; font: 15px/1.9 "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif;
       color: #222; display: grid; grid-template-columns: 260px 1fr 320px; height: 100vh; }
nav, aside { overflow-y: auto; padding: 12px; background: #f6f7f9; font-size: 13px; line-height: 1.6; }
nav ul { list-style: none; padding: 0; margin: 0; }
nav li { margin: 2px 0; } nav a { color: #1c4e80; text-decoration: none; } nav small { color: #888; }
nav .level2 { padding-left: 1em; } nav .level3 { padding-left: 2em; } nav .level4 { padding-left: 3em; }
main { overflow-y: auto; padding: 16px 28px; }
header dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 0 0 8px; font-size: 13px; }
header dt { color: #666; } header dd { margin: 0; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 13px; margin-bottom: 10px; }
.legend label { cursor: pointer; }
#text { white-space: pre-wrap; border-top: 1px solid #ddd; padding-top: 10px; }
.m { cursor: pointer; }
.task { background: #fff4c2; }
.deadline { background: #ffd8a8; box-shadow: inset 0 -2px #e8590c; }
.lead { background: #ffc9c9; box-shadow: inset 0 -2px #c92a2a; }
.co { background: #d0ebff; box-shadow: inset 0 -2px #1971c2; }
.other { background: #e5dbff; box-shadow: inset 0 -2px #6741d9; }
.target { background: #d3f9d8; box-shadow: inset 0 -2px #2b8a3e; }
.doubt.task { outline: 2px dashed #e03131; outline-offset: -1px; }
.sel { filter: brightness(0.85); }
.swatch { padding: 0 3px; }
sup.number { color: #a07400; font-size: 10px; margin: 0 1px; user-select: none; }
body.hide-task .m.task { background: none; } body.hide-deadline .m.deadline, body.hide-lead .m.lead,
body.hide-co .m.co, body.hide-other .m.other, body.hide-target .m.target { background: none; box-shadow: none; }
aside h3 { margin: 0 0 6px; font-size: 14px; } aside table { border-collapse: collapse; width: 100%; }
aside td { vertical-align: top; padding: 2px 4px; border-bottom: 1px solid #e3e3e3; }
aside td:first-child { color: #666; white-space: nowrap; } .warn { color: #c92a2a; }
"""

SCRIPT = """
const records = JSON.parse(document.getElementById('records').textContent);
const panel = document.getElementById('detail');
let pinned = null;
const esc = s => String(s).replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
const names = {text: '原文', id: '编号', section: '章节', where: '位置', lead: '牵头单位', implicit_lead: '推定牵头',
  co: '配合单位', other: '相关单位', deadline: '时限', targets: '量化目标', type: '类型', start: '起', end: '止',
  recurrence: '周期', canonical: '规范名称', value: '数值', unit: '单位', object: '对象', comparator: '比较'};
function table(record) {
  return '<table>' + Object.entries(record).filter(([k, v]) => k !== 'kind' && k !== 'doubts' && v !== null && v !== '')
    .map(([k, v]) => `<tr><td>${names[k] || k}</td><td>${esc(v)}</td></tr>`).join('') + '</table>';
}
function show(ids) {
  const field = ids.length > 1 ? ids[ids.length - 1] : null, task = records[ids[0]];
  let out = '';
  if (field) out += `<h3>${records[field].kind}</h3>` + table(records[field]);
  out += `<h3>任务 ${task.id}</h3>`;
  if (task.doubts.length) out += '<p class="warn">存疑：' + task.doubts.map(esc).join('；') + '</p>';
  panel.innerHTML = out + table(task);
  document.querySelectorAll('.sel').forEach(e => e.classList.remove('sel'));
  const id = field || ids[0];
  document.querySelectorAll('.m').forEach(e => { if (e.dataset.ids.split(' ').includes(id)) e.classList.add('sel'); });
}
const ids = e => { const m = e.target.closest('.m[data-ids]'); return m ? m.dataset.ids.split(' ') : null; };
const text = document.getElementById('text');
text.addEventListener('click', e => { const found = ids(e); pinned = found; if (found) show(found); });
text.addEventListener('mouseover', e => { const found = ids(e); if (found && !pinned) show(found); });
document.querySelectorAll('.legend input').forEach(box => box.addEventListener('change', () =>
  document.body.classList.toggle('hide-' + box.dataset.kind, !box.checked)));
"""

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="generator" content="gongwen">
<title>{title} · gongwen 核对</title><style>{style}</style></head>
<body>
<nav><h3>章节</h3>{outline}</nav>
<main><header>{head}<div class="legend">{legend}</div></header><div id="text">{text}</div></main>
<aside><div id="detail"><p>将鼠标移到高亮处查看抽取结果；点击可固定。红色虚线框为存疑任务。</p></div></aside>
<script type="application/json" id="records">{records}</script>
<script>{script}</script>
</body></html>
"""
