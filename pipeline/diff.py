"""Year-on-year diff: two plans of one issuer, `Notice` × `Notice` → `PlanDiff`.

names  = one canonical name per unit across both notices  (区卫健委 = 区卫生健康委员会)
pairs  = align(old tasks, new tasks)     # one to one: text and section similarity, optimal assignment
each   → the fields that changed, compared as fields (10家 → 15家 is 94 % the same text)
rest   → added (only in the new plan) or removed (only in the old one)

Deadlines are compared relative to each plan's year: 2024年6月底前 in the 2024 plan and
2025年6月底前 in the 2025 plan are the same deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from itertools import accumulate
from typing import get_args

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from scipy.optimize import linear_sum_assignment

from extractors.parties import canonical_names
from extractors.segment import segment
from schemas.diff import FieldChange, PlanDiff, PlanRef, TaskClass, TaskPair, TaskRef, Unpaired
from schemas.notice import Deadline, Notice, Role, Target, Task

TEXT_WEIGHT = 0.85  # the rest is the similarity of the section titles
MIN_SIMILARITY = 0.5  # two task texts less alike than this are two tasks, not one reworded
MIN_SHARED = 5  # … or sharing fewer characters, in order
SAME_OBJECT = 0.5  # target objects this alike are one target
SAME_SERIES = 0.6  # two plans' titles this alike, years aside, are two years of one plan
RELATED = 0.3  # an unpaired task names the most alike task of the other version from this likeness
QUOTED = 24  # characters of a changed passage quoted in a description
BRIDGED = 2  # characters of unchanged text between two edits that make them one
SHOWN_EDITS = 3  # changed passages quoted in a description; the rest are counted
ROLE_LABELS: dict[Role, str] = {"lead": "牵头单位", "co": "配合单位", "other": "其他相关单位"}
CLASSES: tuple[TaskClass, ...] = get_args(TaskClass)

PlanYears = tuple[int | None, int | None]  # the old plan's year and the new one's
Edit = tuple[str, int, int, int, int]  # replace|delete|insert, old start, old end, new start, new end
_TITLE_YEARS = re.compile(r"[0-9０-９]+年?|[〇○零一二三四五六七八九十]{4}年|关于印发|的通知")
_MASKS = re.compile("□(?:[、，,和及与]*□)*")
_YEAR = re.compile(r"(?<![0-9])[12][0-9]{3}(?=年)")


def diff(old: Notice, new: Notice) -> PlanDiff:
    names = canonical_names(_names(old) + _names(new))
    old_refs = [_ref(old, number, task, names) for number, task in enumerate(old.tasks, start=1)]
    new_refs = [_ref(new, number, task, names) for number, task in enumerate(new.tasks, start=1)]
    old_titles, new_titles = _section_titles(old), _section_titles(new)
    text = similarities([t.text for t in old.tasks], [t.text for t in new.tasks])
    section = similarities(old_titles, new_titles)
    matched = align(text, section)
    years = (old.meta.plan_year, new.meta.plan_year)
    sections = corresponding_sections(old, new, matched, section)
    pairs = []
    for i, j in sorted(matched, key=lambda m: m[1]):
        old_task, new_task = old.tasks[i], new.tasks[j]
        found = edits(old_task.text, new_task.text, years)
        changes = compare(old_task, new_task, old_refs[i], new_refs[j], years, found)
        if sections.get(old_task.section_id) != new_task.section_id:
            changes.insert(0, _change("section", "所属章节", _where(old_refs[i]), _where(new_refs[j])))
        pairs.append(
            TaskPair(
                status="changed" if changes else "unchanged",
                similarity=round(float(text[i, j]), 3),
                moved=old_refs[i].section != new_refs[j].section,
                old=old_refs[i],
                new=new_refs[j],
                changes=changes,
                old_marks=[(a0, a1) for _, a0, a1, _, _ in found if a1 > a0],
                new_marks=[(b0, b1) for _, _, _, b0, b1 in found if b1 > b0],
            )
        )
    paired_old, paired_new = {i for i, _ in matched}, {j for _, j in matched}
    added = [_unpaired(ref, text[:, j], old_refs) for j, ref in enumerate(new_refs) if j not in paired_new]
    gone = [i for i in range(len(old_refs)) if i not in paired_old]
    removed = [_unpaired(old_refs[i], text[i], new_refs) for i in gone]
    top_titles = {s.id: s.path[0] for s in new.sections}  # a removed task counts under its section's counterpart
    classed: list[tuple[TaskClass, TaskRef, str | None]] = [(p.status, p.new, None) for p in pairs]
    classed += [("added", u.task, None) for u in added]
    classed += [("removed", old_refs[i], top_titles.get(sections.get(old.tasks[i].section_id) or "")) for i in gone]
    return PlanDiff(
        old=_plan(old),
        new=_plan(new),
        pairs=pairs,
        added=added,
        removed=removed,
        counts=_counts(status for status, _, _ in classed),
        by_section=_grouped((under or _top_section(ref), status) for status, ref, under in classed),
        by_unit=_grouped((unit, status) for status, ref, _ in classed for unit in _units(ref)),
    )


def latest_of_a_series(plans: Sequence[tuple[str, int | None]]) -> tuple[int, int] | None:
    """Among plans (title, plan year) newest first, the latest plan with an earlier one of the
    same series, and that earlier one: (its index, the earlier one's index). Two plans are of
    one series when their titles are alike once their years are gone (2025年青浦区…工作计划,
    二〇二四年青浦区…工作计划); of the newest year's plans, the one most alike to an earlier
    plan wins. An issuer sends plans of many kinds: its two latest need not be one plan's two
    years."""
    plain = [_TITLE_YEARS.sub("", title) for title, _ in plans]
    found: list[tuple[float, int, int]] = []
    for newer, (_, year) in enumerate(plans):
        if found and year != plans[found[0][1]][1]:
            break  # the newest year with a series is done
        for older in range(newer + 1, len(plans)):
            earlier = plans[older][1]
            likeness = fuzz.ratio(plain[newer], plain[older]) / 100
            if likeness >= SAME_SERIES and (year is None or earlier is None or earlier < year):
                found.append((likeness, newer, older))
    if not found:
        return None
    _, newer, older = max(found, key=lambda f: (f[0], -f[1], -f[2]))
    return newer, older


# ---------------------------------------------------------------- alignment


def similarities(old: Sequence[str], new: Sequence[str]) -> np.ndarray:
    """How alike each old text is to each new one (0–1): the characters they share in order,
    over their mean length. Texts that share fewer than MIN_SHARED characters score 0, however
    short they are: 深化全民国防教育 and 深化全民阅读活动 are two tasks."""
    if not old or not new:
        return np.zeros((len(old), len(new)), dtype=np.float32)
    ratio = cdist(old, new, scorer=fuzz.ratio, dtype=np.float32, workers=-1) / 100
    lengths = np.array([len(t) for t in old], dtype=np.float32)[:, None] + np.array([len(t) for t in new])[None, :]
    shared = ratio * lengths / 2
    return np.where(shared >= MIN_SHARED - 0.01, ratio, 0).astype(np.float32)


def align(text: np.ndarray, section: np.ndarray) -> list[tuple[int, int]]:
    """One-to-one pairs (old index, new index) that maximise the summed similarity of text and
    section; pairs whose texts are less alike than MIN_SIMILARITY are left apart (the tasks
    were added and removed, not changed)."""
    if not text.size:
        return []
    score = np.where(text >= MIN_SIMILARITY, TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * section, 0)
    rows, columns = linear_sum_assignment(score, maximize=True)  # a pair too unlike to count takes no one's place
    return [(int(i), int(j)) for i, j in zip(rows, columns, strict=True) if text[i, j] >= MIN_SIMILARITY]


def corresponding_sections(
    old: Notice, new: Notice, matched: Iterable[tuple[int, int]], section: np.ndarray
) -> dict[str | None, str | None]:
    """Each old section's counterpart in the new plan: the section most of its paired tasks went
    to (ties to the more alike title). A renamed or renumbered section is the same section; a
    task is in another section only when it left its section's counterpart."""
    votes: dict[str | None, Counter[tuple[str | None, float]]] = {}
    for i, j in matched:
        votes.setdefault(old.tasks[i].section_id, Counter())[(new.tasks[j].section_id, float(section[i, j]))] += 1
    return {
        source: max(counter.items(), key=lambda item: (item[1], item[0][1]))[0][0] for source, counter in votes.items()
    }


def _section_titles(notice: Notice) -> list[str]:
    """Each task's section as its titles from the top, without their numbering: a renumbered
    section is still alike."""
    sections = {s.id: s for s in notice.sections}

    def titles(section_id: str | None) -> list[str]:
        section = sections.get(section_id or "")
        return [*titles(section.parent), section.title] if section else []

    return [" / ".join(titles(task.section_id)) for task in notice.tasks]


# ---------------------------------------------------------------- fields


def compare(
    old_task: Task, new_task: Task, old_ref: TaskRef, new_ref: TaskRef, plan_years: PlanYears, found: list[Edit]
) -> list[FieldChange]:
    """What changed between two versions of a task, field by field, in words; `found`, the
    edits between their texts."""
    changes = [*_deadline_changes(old_task, new_task, plan_years), *_target_changes(old_task, new_task)]
    for role, label in ROLE_LABELS.items():
        before, after = getattr(old_ref, role), getattr(new_ref, role)
        if set(before) != set(after):
            changes.append(_role_change(role, label, before, after))
    if _masked(old_task, plan_years[0]) != _masked(new_task, plan_years[1]):
        changes.insert(0, _wording_change(old_task.text, new_task.text, found))
    return changes


def _deadline_changes(old: Task, new: Task, plan_years: PlanYears) -> list[FieldChange]:
    old_year, new_year = plan_years
    if Counter(_relative(d, old_year) for d in old.deadlines) == Counter(_relative(d, new_year) for d in new.deadlines):
        return []
    # the same words, years told from the plan's, are the same deadline: 春节前 falls on another day each year
    if Counter(_plan_relative(d.text, old_year) for d in old.deadlines) == Counter(
        _plan_relative(d.text, new_year) for d in new.deadlines
    ):
        return []
    return [_change("deadline", "完成时限", old.when() or "（无）", new.when() or "（无）")]


def _relative(deadline: Deadline, plan_year: int | None) -> tuple[object, ...]:
    """A deadline as a key that ignores which year the plan is for."""

    def shifted(date: dt.date | None) -> object:
        if plan_year is None or date is None:
            return date
        return (date.year - plan_year, date.month, date.day)

    return (deadline.kind, deadline.recurrence, shifted(deadline.start), shifted(deadline.end))


def _target_changes(old_task: Task, new_task: Task) -> list[FieldChange]:
    left, changes = list(old_task.targets), []
    for target in new_task.targets:
        match = max(left, key=lambda t: _target_likeness(t, target), default=None)
        if match is None or _target_likeness(match, target) == 0:
            changes.append(_change("target", "目标", "（无）", target.text, f"目标：新增 {target.text}"))
            continue
        left.remove(match)
        if (match.value, match.comparator, match.text if match.value is None else "") != (
            target.value, target.comparator, target.text if target.value is None else ""
        ):  # fmt: skip
            changes.append(_change("target", "目标", match.text, target.text, _target_words(match, target)))
    for target in left:
        changes.append(_change("target", "目标", target.text, "（无）", f"目标：删去 {target.text}"))
    return changes


def _target_likeness(old: Target, new: Target) -> float:
    """How surely two targets are one: same unit and a like object, or like text when qualitative."""
    if old.value is None or new.value is None:
        likeness = fuzz.ratio(old.text, new.text) / 100
        return likeness if old.value is None and new.value is None and likeness >= SAME_OBJECT else 0.0
    if old.unit != new.unit:
        return 0.0
    if not old.object or not new.object:
        return 0.5 if old.object == new.object else 0.25
    likeness = fuzz.ratio(old.object, new.object) / 100
    return likeness if likeness >= SAME_OBJECT else 0.0


def _target_words(old: Target, new: Target) -> str:
    """目标（社区卫生服务中心）：12家 → 18家, where the object stayed; else the two texts."""
    if old.object and old.object == new.object:
        return f"目标（{old.object}）：{old.text.replace(old.object, '')} → {new.text.replace(new.object, '')}"
    return f"目标：{old.text} → {new.text}"


def _role_change(role: Role, label: str, before: list[str], after: list[str]) -> FieldChange:
    gained = [u for u in after if u not in before]
    lost = [u for u in before if u not in after]
    if role == "lead" and before and after:
        words = f"{label}：{'、'.join(before)} → {'、'.join(after)}"
    else:
        parts = ([f"新增 {'、'.join(gained)}"] if gained else []) + ([f"删去 {'、'.join(lost)}"] if lost else [])
        words = f"{label}：" + "；".join(parts)
    return _change(role, label, "、".join(before) or "（无）", "、".join(after) or "（无）", words)


def _masked(task: Task, plan_year: int | None) -> str:
    """The task's text with its fields blanked and its years told from the plan's (2024年 in
    the 2025 plan reads 〈-1〉年): what is left is its wording."""
    chars = list(task.text)
    for span in [*(d.span for d in task.deadlines), *(t.span for t in task.targets), *(p.span for p in task.parties)]:
        for offset in range(span.start - task.span.start, span.end - task.span.start):
            if 0 <= offset < len(chars):
                chars[offset] = "□"
    masked = _MASKS.sub("□", "".join(chars))  # a unit added to a list is not a change of wording
    return _plan_relative(masked, plan_year)


def _plan_relative(text: str, plan_year: int | None) -> str:
    """Years (2024年) written relative to the plan's (〈-1〉年 in the 2025 plan)."""
    return text if plan_year is None else _YEAR.sub(lambda year: f"〈{int(year[0]) - plan_year:+d}〉", text)


def edits(old: str, new: str, plan_years: PlanYears = (None, None)) -> list[Edit]:
    """Word by word (jieba, the project's dictionary), the passages that differ between two
    texts: (replace|delete|insert, old start, old end, new start, new end) in characters.
    Two edits apart by one short word are one (根据自身情况 → 结合自身实际, not two); a year
    that moved with the plan's (2024年 → 2025年 from the 2025 to the 2026 plan) is no edit."""
    old_words, new_words = segment(old), segment(new)
    old_at, new_at = _offsets(old_words), _offsets(new_words)
    merged: list[list[int]] = []
    for op, a0, a1, b0, b1 in SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if merged and a0 - merged[-1][1] <= 1 and old_at[a0] - old_at[merged[-1][1]] <= BRIDGED:
            merged[-1][1], merged[-1][3] = a1, b1
        else:
            merged.append([a0, a1, b0, b1])
    found = [(old_at[a0], old_at[a1], new_at[b0], new_at[b1]) for a0, a1, b0, b1 in merged]
    return [
        (_kind(a0, a1, b0, b1), a0, a1, b0, b1)
        for a0, a1, b0, b1 in found
        if _plan_relative(old[a0:a1] + "年", plan_years[0]) != _plan_relative(new[b0:b1] + "年", plan_years[1])
    ]


def _kind(a0: int, a1: int, b0: int, b1: int) -> str:
    return "replace" if a1 > a0 and b1 > b0 else "delete" if a1 > a0 else "insert"


def _offsets(words: Sequence[str]) -> list[int]:
    return [0, *accumulate(len(word) for word in words)]


def _wording_change(old: str, new: str, found: list[Edit]) -> FieldChange:
    words = []
    for op, a0, a1, b0, b1 in found:
        removed, inserted = old[a0:a1][:QUOTED], new[b0:b1][:QUOTED]
        words.append(
            {"replace": f"“{removed}”→“{inserted}”", "delete": f"删去“{removed}”"}.get(op, f"加入“{inserted}”")
        )
    shown = "；".join(words[:SHOWN_EDITS]) + (f"等{len(words)}处" if len(words) > SHOWN_EDITS else "")
    return FieldChange(field="wording", old=old, new=new, description=f"文字：{shown}")


def _change(field: str, label: str, old: str, new: str, description: str | None = None) -> FieldChange:
    return FieldChange(field=field, old=old, new=new, description=description or f"{label}：{old} → {new}")


# ---------------------------------------------------------------- references and counts


def _names(notice: Notice) -> list[str]:
    implicit = [name for task in notice.tasks if (name := task.implicit_lead)]
    return [p.name for t in notice.tasks for p in t.parties] + implicit + notice.meta.issuers


def _ref(notice: Notice, number: int, task: Task, names: dict[str, str]) -> TaskRef:
    def units(role: Role) -> list[str]:
        return list(dict.fromkeys(names.get(p.name, p.canonical) for p in task.parties if p.role == role))

    lead = units("lead") or ([names.get(task.implicit_lead, task.implicit_lead)] if task.implicit_lead else [])
    return TaskRef(
        id=task.id, number=number, text=task.text, section=task.section, page=task.span.page, line=task.span.line,
        lead=lead, co=units("co"), other=units("other"), deadline=task.when(), targets=[t.text for t in task.targets],
    )  # fmt: skip


def _unpaired(ref: TaskRef, alike: np.ndarray, others: Sequence[TaskRef]) -> Unpaired:
    nearest = int(alike.argmax()) if alike.size else -1
    if nearest < 0 or alike[nearest] < RELATED:
        return Unpaired(task=ref, nearest=None)
    return Unpaired(task=ref, nearest=others[nearest], similarity=round(float(alike[nearest]), 3))


def _plan(notice: Notice) -> PlanRef:
    meta = notice.meta
    return PlanRef(source=notice.source.name, title=meta.plan_title or meta.title, doc_number=meta.doc_number,
                   issuer=meta.issuer, plan_year=meta.plan_year, tasks=len(notice.tasks))  # fmt: skip


def _where(ref: TaskRef) -> str:
    return " / ".join(ref.section) or "（通知正文）"


def _top_section(ref: TaskRef) -> str:
    return ref.section[0] if ref.section else "（通知正文）"


def _units(ref: TaskRef) -> list[str]:
    return list(dict.fromkeys([*ref.lead, *ref.co, *ref.other]))


def _counts(statuses: Iterable[TaskClass]) -> dict[TaskClass, int]:
    found = Counter(statuses)
    return {status: found[status] for status in CLASSES}


def _grouped(items: Iterable[tuple[str, TaskClass]]) -> dict[str, dict[TaskClass, int]]:
    groups: dict[str, list[TaskClass]] = {}
    for key, status in items:
        groups.setdefault(key, []).append(status)
    return {key: _counts(statuses) for key, statuses in groups.items()}
