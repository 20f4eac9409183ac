"""The review page: every span of the record highlighted where the record says, in a browser too."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from collections import defaultdict
from pathlib import Path
from typing import cast

import pytest
from lxml import html
from PIL import Image

from pipeline.cli import main
from pipeline.outputs.review import doubts, marks, review_html
from schemas.notice import Notice
from tests.corpus import GOLD_TEXTS, RAW, notice_of

QINGPU = RAW / "qingpu_2025_safety_plan.txt"


def _select(page: str, path: str) -> list[html.HtmlElement]:
    return cast(list[html.HtmlElement], html.fromstring(page).xpath(path))


def _classed(name: str) -> str:
    return f"//*[contains(concat(' ', @class, ' '), ' {name} ')]"


def _highlights(page: str) -> tuple[str, dict[str, str]]:
    """The page's text as shown (without the task numbers) and each record's highlighted text."""
    [body] = _select(page, '//*[@id="text"]')
    for number in body.xpath(f".{_classed('number')}"):
        number.drop_tree()
    found: dict[str, str] = defaultdict(str)
    for piece in body.xpath(f".{_classed('m')}"):
        for record in piece.get("data-ids", "").split():
            found[record] += piece.text_content()
    return body.text_content(), found


@pytest.mark.parametrize("path", GOLD_TEXTS, ids=lambda p: p.stem[:12])
def test_every_span_is_highlighted_where_the_record_says(path: Path) -> None:
    notice = notice_of(path)
    shown, found = _highlights(review_html(notice))
    assert shown == notice.text
    assert dict(found) == {m.id: notice.text[m.start : m.end] for m in marks(notice)}
    fields = {"deadline": any(t.deadlines for t in notice.tasks), "target": any(t.targets for t in notice.tasks)}
    assert {m.kind for m in marks(notice)} >= {"task", "lead"} | {kind for kind, present in fields.items() if present}


def test_the_page_carries_each_record_and_the_outline() -> None:
    notice = notice_of(QINGPU)
    page = review_html(notice)
    [data] = _select(page, '//*[@id="records"]')
    records = json.loads(data.text_content())
    first = notice.tasks[0]
    assert records[first.id]["text"] == first.text
    assert records[first.id]["where"] == f"第{first.span.page}页第{first.span.line}行"
    deadline = next(d for t in notice.tasks for d in t.deadlines if d.end)
    assert any(r.get("end") == str(deadline.end) and r["text"] == deadline.text for r in records.values())
    links = [str(a.get("href"))[1:] for a in _select(page, "//nav//a")]
    assert links == [s.id for s in notice.sections]
    assert all([a.tag for a in _select(page, f'//*[@id="{section_id}"]')] == ["a"] for section_id in links)
    assert "http" not in page  # nothing fetched from the network


def test_tasks_to_look_at_twice_stand_out() -> None:
    notice = notice_of(QINGPU)
    index, task = next((i, t) for i, t in enumerate(notice.tasks) if t.deadlines)
    early = task.deadlines[0].model_copy(update={"end": dt.date(2020, 6, 30)})
    unsure = task.model_copy(update={"deadlines": [early]})
    odd = notice.model_copy(update={"tasks": [*notice.tasks[:index], unsure, *notice.tasks[index + 1 :]]})
    assert doubts(odd)[unsure.id] == [f"时限“{early.text}”早于成文日期"]
    first_quarter = next(t for t in notice.tasks if t.text.startswith("一季度"))  # its 春节 was over when issued
    assert {key: reasons for key, reasons in doubts(notice).items() if reasons} == {
        first_quarter.id: ["时限““春节”节前”早于成文日期"]
    }
    report = notice_of(RAW / "hd08_guowuyuan_2023_zhengfu_gongzuo_baogao.txt")  # a report names no leads
    assert not any("牵头" in reason for reasons in doubts(report).values() for reason in reasons)
    lone = notice.tasks[0].model_copy(update={"parties": [], "implicit_lead": None})
    assert (
        "未找到牵头单位，而本文多数任务有"
        in doubts(notice.model_copy(update={"tasks": [lone, *notice.tasks[1:]]}))[lone.id]
    )
    flagged = {str(p.get("data-ids")).split()[0] for p in _select(review_html(odd), _classed("doubt"))}
    assert flagged == {unsure.id, first_quarter.id}


def test_review_command_writes_a_page_per_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(QINGPU), "-o", str(tmp_path / "page.html")]) == 0
    assert (tmp_path / "page.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert main(["review", str(tmp_path / "missing.txt")]) == 2  # a usage error: no such file
    assert "missing.txt" in capsys.readouterr().err


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; make test does)")
def test_in_chromium_the_highlights_match_the_record_and_a_click_shows_it(tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    notice = notice_of(QINGPU)
    page_path = tmp_path / "review.html"
    page_path.write_text(review_html(notice), "utf-8")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1500, "height": 950})
        page.goto(page_path.as_uri())
        pieces = page.eval_on_selector_all("#text .m", "els => els.map(e => [e.dataset.ids, e.textContent])")
        found: dict[str, str] = defaultdict(str)
        for ids, text in pieces:
            for record in ids.split():
                found[record] += text
        assert dict(found) == {m.id: notice.text[m.start : m.end] for m in marks(notice)}
        # a deadline clicked: the panel shows its dates as normalised and the task it belongs to
        task = next(t for t in notice.tasks if any(d.end for d in t.deadlines))
        number, deadline = next((i, d) for i, d in enumerate(task.deadlines) if d.end)
        page.locator(f'#text .m[data-ids$="{task.id}.d{number}"]').first.click()
        detail = page.inner_text("#detail")
        assert deadline.end is not None and deadline.end.isoformat() in detail and f"任务 {task.id}" in detail
        # the outline takes the reader to a heading further down
        last = notice.sections[-1]
        page.click(f'nav a[href="#{last.id}"]')
        assert page.evaluate(f"document.getElementById('{last.id}').getBoundingClientRect().top") < 950
        shot = page.screenshot(path=str(tmp_path / "review.png"))
        browser.close()
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    assert image.size == (1500, 950)
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000) or []}
    assert (0xFF, 0xF4, 0xC2) in colours  # the tasks' yellow is on screen


def test_a_plan_task_led_only_by_the_forwarding_office_is_a_doubt(tmp_path: Path) -> None:
    """An office forwards a plan whose drafter the notice does not name: its tasks' inferred lead
    is the office, which the analyst must check."""
    path = tmp_path / "forwarded.txt"
    path.write_text(
        "东江区人民政府办公室文件\n东府办〔2025〕3号\n关于印发《东江区安全生产专项整治方案》的通知\n各镇人民政府：\n"
        "现将《东江区安全生产专项整治方案》印发给你们，请认真贯彻落实。\n东江区人民政府办公室\n2025年3月1日\n"
        "东江区安全生产专项整治方案\n一、主要任务\n加强各类机构安全管理工作。\n各镇要开展隐患排查整治。\n",
        encoding="utf-8",
    )
    notice = notice_of(path)
    reasons = doubts(notice)
    assert reasons[notice.tasks[0].id] == ["牵头单位仅为推定的转发机关（区人民政府办公室），请核对计划的实际牵头单位"]
    assert reasons[notice.tasks[1].id] == []  # 各镇 lead it


HOSTILE = "<!--<script></script>"  # opens a comment inside a script element: the rest of the page would be script


def _hostile_notice() -> Notice:
    """Qingpu's notice with the text of its first task (in the page's data block) made hostile."""
    notice = notice_of(QINGPU)
    first = notice.tasks[0].model_copy(update={"text": f"修订{HOSTILE}{notice.tasks[0].text}"})
    return notice.model_copy(update={"tasks": [first, *notice.tasks[1:]]})


def test_document_text_cannot_change_how_the_page_parses() -> None:
    notice = _hostile_notice()
    [data] = _select(review_html(notice), '//*[@id="records"]')
    assert "<" not in data.text_content()  # every < is \u003c: no tag, comment or script can open
    assert json.loads(data.text_content())[notice.tasks[0].id]["text"] == notice.tasks[0].text


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; make test does)")
def test_in_chromium_a_page_with_hostile_text_still_works(tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    notice = _hostile_notice()
    page_path = tmp_path / "review.html"
    page_path.write_text(review_html(notice), "utf-8")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(page_path.as_uri())
        assert (
            page.evaluate("JSON.parse(document.getElementById('records').textContent)['T001'].text")
            == notice.tasks[0].text
        )
        page.locator('#text .m[data-ids^="T001"]').first.click()  # the page's script runs: the panel shows the task
        detail = page.inner_text("#detail")
        browser.close()
    assert "任务 T001" in detail and HOSTILE in detail
