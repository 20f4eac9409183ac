"""Year-on-year diff: the Qingpu 2025 plan against a 2026 version made from it with known edits
(a target raised, a deadline moved, a sentence reworded, a unit added, a task added, one
removed, two sections swapped); every class and field is checked exactly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock

from pipeline.batch.runner import run_batch
from pipeline.batch.settings import STORE_NAME, Settings
from pipeline.cli import main
from pipeline.diff import diff, edits, latest_of_a_series, similarities
from pipeline.errors import InputError
from pipeline.process import read_notice
from schemas.diff import PlanDiff, TaskPair
from schemas.notice import Notice
from tests.corpus import RAW, bundled_plans, notice_of

QINGPU = RAW / "qingpu_2025_safety_plan.txt"
ADDED = "各医疗卫生单位于10月底前完成电动自行车集中充电场所消防安全检查。"
SWAPPED_SECTIONS = ("（三）重大节日期间安全隐患排查", "（四）安全防范及应急能力提升培训")


def _edited(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _swap_last_sections(text: str) -> str:
    """（三）X …（四）Y … → （三）Y …（四）X …: the two sections reordered and renumbered."""
    third, fourth = SWAPPED_SECTIONS
    head, rest = text.split(third + "\n")
    x_body, rest = rest.split(fourth + "\n")
    y_body, tail = rest.split("\n", 1)
    return f"{head}（三）{fourth[3:]}\n{y_body}\n（四）{third[3:]}\n{x_body}{tail}"


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Notice, Notice]:
    base = notice_of(QINGPU)
    removed = next(t.text for t in base.tasks if t.text.startswith("研究完善医疗机构病房")) + "。"
    old_text = _edited(base.text, ("修订本区卫生健康委", "6月底前修订本区卫生健康委"))
    new_text = _edited(
        old_text.replace("2025", "2026"),
        ("6月底前修订本区卫生健康委", "9月底前修订本区卫生健康委"),
        ("在2024年消防安全标准", "在2025年消防安全标准"),
        ("继续推进12家社区卫生服务中心", "继续推进18家社区卫生服务中心"),
        ("各单位应根据自身情况", "各单位应结合自身实际"),
        ("会同市卫生后勤管理协会，", "会同市卫生后勤管理协会、区应急管理局，"),
        (removed, ""),
        ("积极落实整改。", "积极落实整改。" + ADDED),
    )
    folder = tmp_path_factory.mktemp("plans")
    (folder / "qingpu_2025.txt").write_text(old_text, encoding="utf-8")
    (folder / "qingpu_2026.txt").write_text(_swap_last_sections(new_text), encoding="utf-8")
    return notice_of(folder / "qingpu_2025.txt"), notice_of(folder / "qingpu_2026.txt")


@pytest.fixture(scope="module")
def result(plans: tuple[Notice, Notice]) -> PlanDiff:
    return diff(*plans)


def _pair(result: PlanDiff, start: str) -> TaskPair:
    (pair,) = [p for p in result.pairs if p.new.text.startswith(start)]
    return pair


def test_the_plans_are_what_the_edits_made(plans: tuple[Notice, Notice]) -> None:
    old, new = plans
    assert (old.meta.plan_year, new.meta.plan_year) == (2025, 2026)
    assert (len(old.tasks), len(new.tasks)) == (20, 20)


def test_every_task_is_classed(result: PlanDiff) -> None:
    assert result.counts == {"unchanged": 15, "changed": 4, "added": 1, "removed": 1}
    assert [u.task.text + "。" for u in result.added] == [ADDED]
    assert [u.task.text[:10] for u in result.removed] == ["研究完善医疗机构病房"]
    changed = {p.new.text[:8]: [(c.field, c.description) for c in p.changes] for p in result.pairs if p.changes}
    assert changed == {
        "根据国家卫生健康": [("deadline", "完成时限：6月底前 → 9月底前")],
        "会同市卫生后勤管": [("co", "配合单位：新增 区应急管理局")],
        "会同区消防救援支": [("target", "目标（社区卫生服务中心）：12家 → 18家")],
        "在日常工作基础上": [("wording", "文字：“根据自身情况”→“结合自身实际”")],
    }


def test_the_plan_year_moves_with_the_plan(result: PlanDiff) -> None:
    """2025年 in the 2025 plan and 2026年 in the 2026 plan are the same year: no change."""
    pair = _pair(result, "为保障医务人员")
    assert "2025年将组织" in pair.old.text and "2026年将组织" in pair.new.text
    assert pair.status == "unchanged"


def test_a_reordered_section_moves_its_tasks_without_changing_them(result: PlanDiff) -> None:
    moved = [p for p in result.pairs if p.moved]
    assert [p.new.section[-1] for p in moved] == ["（三）安全防范及应急能力提升培训", "（四）重大节日期间安全隐患排查"]
    assert [p.old.section[-1] for p in moved] == ["（四）安全防范及应急能力提升培训", "（三）重大节日期间安全隐患排查"]
    assert all(p.status == "unchanged" and p.similarity > 0.95 for p in moved)  # 2025年 → 2026年
    assert [p.new.number for p in result.pairs] == sorted(p.new.number for p in result.pairs)


def test_changed_words_are_marked_in_both_texts(result: PlanDiff) -> None:
    pair = _pair(result, "在日常工作基础")
    assert [pair.old.text[a:b] for a, b in pair.old_marks] == ["根据自身情况"]
    assert [pair.new.text[a:b] for a, b in pair.new_marks] == ["结合自身实际"]
    target = _pair(result, "会同区消防救援支队，在2025年")
    assert [target.new.text[a:b] for a, b in target.new_marks] == ["18"]
    assert 0.95 < target.similarity < 1


def test_counts_by_section_and_unit_add_up(result: PlanDiff) -> None:
    assert sum(sum(c.values()) for c in result.by_section.values()) == 21
    assert result.by_section["三、持续推进安全生产、消防安全标准化建设"] == {
        "unchanged": 2, "changed": 2, "added": 1, "removed": 0,
    }  # fmt: skip
    assert result.by_section["二、全面开展安全生产治本攻坚三年行动（2024年-2026年）"]["removed"] == 1
    assert result.by_unit["区应急管理局"] == {"unchanged": 0, "changed": 1, "added": 0, "removed": 0}


def test_short_texts_need_enough_in_common_to_pair() -> None:
    scores = similarities(["深化全民国防教育", "完成10家改造任务"], ["深化全民阅读活动", "完成15家改造任务"])
    assert scores[0, 0] == 0  # 4 characters in common: two tasks
    assert scores[1, 1] > 0.8


def test_edits_are_whole_words() -> None:
    assert edits("组织开展防汛演练", "组织开展消防演练") == [("replace", 4, 6, 4, 6)]  # 防汛 → 消防, not 防 → 消
    assert edits("各地要抓紧完成", "各地区要抓紧完成") == [("replace", 0, 2, 0, 3)]  # 各地 → 各地区
    assert edits("2025年底前完成", "2026年底前完成", (2025, 2026)) == []  # the year moved with the plan
    assert edits("做好工作", "做好工作") == []


def test_a_task_moved_to_another_section_is_named(plans: tuple[Notice, Notice], tmp_path: Path) -> None:
    old, _ = plans
    first = "修订安全生产领导小组职责和工作规范。"
    text = _edited(
        old.text,
        (first, ""),
        ("防寒保暖，11.9消防安全周防火疏散演练等。", "防寒保暖，11.9消防安全周防火疏散演练等。" + first),
    )
    (tmp_path / "moved.txt").write_text(text, encoding="utf-8")
    pair = _pair(diff(old, notice_of(tmp_path / "moved.txt")), "修订安全生产领导小组职责和工作规范")
    assert [(c.field, c.old, c.new) for c in pair.changes] == [
        ("section", "一、进一步压实安全生产责任", "四、扎实做好安全生产日常管理工作 / （二）明确季度工作重点"),
        ("lead", "上海市青浦区卫生健康委员会", "医疗卫生单位"),  # it now continues a paragraph led by them
    ]


def test_an_issuers_latest_plan_is_diffed_against_the_last_of_its_series() -> None:
    plans = [
        ("2026年青浦区卫生健康系统消防安全工作要点", 2026),  # newest, and like the 安全生产 plans, but less
        ("2026年青浦区卫生健康系统安全生产工作计划", 2026),
        ("关于开展2025年度院感防控督查的通知", 2025),
        ("2025年青浦区卫生健康系统安全生产工作计划", 2025),
        ("二〇二四年青浦区卫生健康系统安全生产工作计划", 2024),
    ]
    assert latest_of_a_series(plans) == (1, 3)
    assert latest_of_a_series(plans[:3]) is None
    assert latest_of_a_series([plans[1], plans[4]]) == (0, 1)


def test_cli_writes_the_workbook_and_prints_json(
    plans: tuple[Notice, Notice], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for notice in plans:
        paths.append(tmp_path / f"{Path(notice.source.name).stem}.json")
        paths[-1].write_text(notice.model_dump_json(), encoding="utf-8")
    target = tmp_path / "diff.xlsx"
    assert main(["diff", *map(str, paths), "-o", str(target), "--json"]) == 0
    printed = PlanDiff.model_validate_json(capsys.readouterr().out)
    assert printed == diff(*plans)
    book = load_workbook(target, rich_text=True)
    assert book.sheetnames == ["概览", "变化对照", "新增任务", "删除任务"]
    pairs = list(book["变化对照"].iter_rows(values_only=True))
    assert len(pairs) == 1 + 19
    header = pairs[0]
    reworded = next(row for row in pairs if str(row[header.index("新版任务")]).startswith("在日常工作基础"))
    assert reworded[header.index("状态")] == "有变化"
    assert reworded[header.index("变化字段")] == "文字"
    runs = reworded[header.index("新版任务")]
    assert isinstance(runs, CellRichText)
    assert [run.text for run in runs if isinstance(run, TextBlock) and run.font.b] == ["结合自身实际"]
    assert [row[2] for row in book["新增任务"].iter_rows(min_row=2, values_only=True)] == [ADDED[:-1]]
    overview = {row[0]: row[1:] for row in book["概览"].iter_rows(values_only=True)}
    assert overview["全部"][:4] == (15, 4, 1, 1)
    assert overview["计划年度"][:2] == (2025, 2026)


def test_cli_diffs_an_issuers_two_latest_plans_from_the_store(
    plans: tuple[Notice, Notice], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for notice in plans:
        (raw / notice.source.name).write_text(notice.text, encoding="utf-8")
    shutil.copy(RAW / "hd12_guobanfa_2019_3_youeryuan_zhili.txt", raw)  # another issuer's
    run_batch(Settings(input=raw, out_dir=out, workers=1))
    store = out / STORE_NAME
    issuer = plans[0].meta.issuer
    assert issuer
    assert main(["diff", "--issuer", issuer, "--store", str(store), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["old"]["plan_year"], printed["new"]["plan_year"]) == (2025, 2026)
    assert (out / "qingpu_2025-vs-qingpu_2026.diff.xlsx").exists()

    assert main(["diff", "--issuer", "某某区教育局", "--store", str(store)]) == 2
    error = capsys.readouterr().err
    assert "no plan from 某某区教育局" in error and issuer in error
    assert main(["diff", "--issuer", issuer, "--store", str(tmp_path / "none.duckdb")]) == 2
    assert (
        capsys.readouterr().err
        == f"gongwen diff: {tmp_path / 'none.duckdb'}: no store there (gongwen run writes it; --store names it)\n"
    )

    # an issuer by the short form the notices use for it
    assert main(["diff", "--issuer", "青浦区卫健委", "--store", str(store), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["new"]["plan_year"] == 2026


def test_cli_writes_the_diff_beside_the_new_plan(plans: tuple[Notice, Notice], tmp_path: Path) -> None:
    old, new = (tmp_path / "old" / "qingpu_2025.json", tmp_path / "new" / "qingpu_2026.json")
    for path, notice in zip((old, new), plans, strict=True):
        path.parent.mkdir()
        path.write_text(notice.model_dump_json(), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 0
    assert (new.parent / "qingpu_2025-vs-qingpu_2026.diff.xlsx").exists()


def test_cli_names_a_missing_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "plan.txt"
    shutil.copy(RAW / "qingpu_2025_safety_plan.txt", existing)
    assert main(["diff", str(existing), str(tmp_path / "missing.txt")]) == 2
    assert capsys.readouterr().err == f"gongwen diff: {tmp_path / 'missing.txt'}: no such file\n"


def test_a_bundle_of_plans_is_no_one_plan_to_compare(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="bundles 2 plans"):
        read_notice(bundled_plans(tmp_path))


def test_a_short_issuer_name_keeps_its_place() -> None:
    from pipeline.cli import _issuer_in

    issuers = {"上海市金山区卫生健康委员会": 2, "上海市青浦区卫生健康委员会": 2}
    assert _issuer_in(issuers, "青浦区卫健委") == "上海市青浦区卫生健康委员会"
    assert _issuer_in(issuers, "金山区卫生健康委员会") == "上海市金山区卫生健康委员会"
    assert _issuer_in({"上海市青浦区卫生健康委员会": 2}, "区卫健委") == "上海市青浦区卫生健康委员会"
    with pytest.raises(
        LookupError, match="区卫健委 may be any of 上海市金山区卫生健康委员会、上海市青浦区卫生健康委员会"
    ):
        _issuer_in(issuers, "区卫健委")  # two match: the user must say which
    assert _issuer_in(issuers, "某某区教育局") == "某某区教育局"  # none: the store says what it has
