"""Metadata: the real variants of each field, then every notice of the corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractors.metadata import normalise_doc_number, parse_date, plan_year_of, split_joint, split_list
from tests.corpus import RAW, notice_of, notices_of


@pytest.mark.parametrize(
    "written, number",
    [
        ("青卫健办〔2025〕7 号", "青卫健办〔2025〕7号"),
        ("安委会[2024]2号", "安委会〔2024〕2号"),
        ("鲁安发【2024】1 号", "鲁安发〔2024〕1号"),
        ("国办发［2019］3号", "国办发〔2019〕3号"),
        ("国办发(2019)3号", "国办发〔2019〕3号"),
        ("国办发（2019）3号", "国办发〔2019〕3号"),
        ("安委办﹝2024﹞1号", "安委办〔2024〕1号"),
        ("国能综通安全 〔2021〕 108号", "国能综通安全〔2021〕108号"),
        ("西应急字[2025]第8号", "西应急字〔2025〕第8号"),
        ("关于印发工作计划的通知", None),
    ],
)
def test_doc_number_brackets(written: str, number: str | None) -> None:
    assert normalise_doc_number(written) == number


@pytest.mark.parametrize(
    "written, date",
    [
        ("2025年3月3日", dt.date(2025, 3, 3)),
        ("2021年3月30日", dt.date(2021, 3, 30)),
        ("一九九六年二月五日", dt.date(1996, 2, 5)),
        ("一九九六年一月二十五日", dt.date(1996, 1, 25)),
        ("二○二四年一月二十一日", dt.date(2024, 1, 21)),
        ("二〇二四年十二月三十一日", dt.date(2024, 12, 31)),
        ("二零二五年十月十日", dt.date(2025, 10, 10)),
        ("2024年2月30日", None),
        # written with dots, dashes or slashes under a signature
        ("2025.3.5", dt.date(2025, 3, 5)),
        ("2025.03.05", dt.date(2025, 3, 5)),
        ("2025-03-05", dt.date(2025, 3, 5)),
        ("2025/3/5", dt.date(2025, 3, 5)),
        ("2025.3-5", None),
        ("2024-2026", None),
    ],
)
def test_dates_in_arabic_and_chinese_numerals(written: str, date: dt.date | None) -> None:
    assert parse_date(written) == date


@pytest.mark.parametrize(
    "written, names",
    [
        (
            "山东省人民政府安全生产委员会山东省人民政府消防安全委员会",
            ["山东省人民政府安全生产委员会", "山东省人民政府消防安全委员会"],
        ),
        ("国务院安全生产委员会", ["国务院安全生产委员会"]),
        ("中共泰安市委泰安市人民政府安全生产委员会办公室", ["中共泰安市委泰安市人民政府安全生产委员会办公室"]),
        ("教育部 财政部", ["教育部", "财政部"]),
    ],
)
def test_joint_issuers(written: str, names: list[str]) -> None:
    assert split_joint(written) == names


def test_lists_split_outside_brackets() -> None:
    assert split_list("各省（自治区、直辖市）能源局，北京市城市管理委") == [
        "各省（自治区、直辖市）能源局",
        "北京市城市管理委",
    ]
    assert split_list("各医疗卫生单位、机关各科室（中心）") == ["各医疗卫生单位", "机关各科室（中心）"]


# title, 发文字号, issuer, 成文日期, plan year, plan title — read off each document by hand
CORPUS_META = {
    "qingpu_2025_safety_plan.txt": (
        "关于印发《2025年青浦区卫生健康系统安全生产工作计划》的通知", "青卫健办〔2025〕7号",
        "上海市青浦区卫生健康委员会", "2025-03-03", 2025, "2025年青浦区卫生健康系统安全生产工作计划"),
    "jinshan_2021_safety_resources_points.txt": (
        "关于下发《金山区卫健委2021年安全生产和资源保障工作要点》的通知", "金卫健资源〔2021〕8号",
        "上海市金山区卫生健康委员会", "2021-03-30", 2021, "金山区卫健委2021年安全生产和资源保障工作要点"),
    "hd01_guowuyuan_anwei_2024_zhiben.txt": (
        "国务院安全生产委员会关于《安全生产治本攻坚三年行动方案（2024-2026）》的通知", "安委会〔2024〕2号",
        "国务院安全生产委员会", "2024-01-21", 2024, "安全生产治本攻坚三年行动方案（2024-2026）"),
    "hd02_nea_2021_dongchun_huozai.txt": (
        "国家能源局综合司关于做好今冬明春电力行业火灾防控工作的通知", "国能综通安全〔2021〕108号",
        "国家能源局综合司", "2021-12-06", 2021, None),
    "hd05_shandong_2024_luanfa1_xiaofang.txt": (
        "山东省人民政府安全生产委员会山东省人民政府消防安全委员会关于切实做好消防安全防控工作的紧急通知",
        "鲁安发〔2024〕1号", "山东省人民政府安全生产委员会、山东省人民政府消防安全委员会", "2024-01-21", 2024, None),
    "hd06_taian_lvkaiqu_2024_yinhuan.txt": (
        "泰安旅游经济开发区关于深入学习宣传和贯彻实施重大事故隐患判定标准的通知", None,
        "泰安旅游经济开发区安全生产委员会办公室", "2024-03-08", 2024, None),
    "hd07_nhc_2024_weijian_zhiben.txt": (
        "卫生健康系统安全生产治本攻坚三年行动方案（2024—2026年）", None, "国家卫生健康委", None, 2024, None),
    "hd08_guowuyuan_2023_zhengfu_gongzuo_baogao.txt": ("政府工作报告", None, "国务院", "2023-03-05", 2023, None),
    "hd10_guobanfa_2018_126_chuangxin_tuiguang_table.txt": (
        "国务院办公厅关于推广第二批支持创新相关改革举措的通知", "国办发〔2018〕126号", "国务院办公厅",
        "2018-12-23", 2018, "第二批支持创新相关改革举措推广清单"),
    "hd13_guobanfa_2018_128_wufei_chengshi.txt": (
        "国务院办公厅关于印发“无废城市”建设试点工作方案的通知", "国办发〔2018〕128号", "国务院办公厅",
        "2018-12-29", 2018, "“无废城市”建设试点工作方案"),
    "hd14_guobanfa_1996_2_dizhenju_fangzhen_jianzai.txt": (
        "国务院办公厅转发国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见报告的通知",
        "国办发〔1996〕2号", "国务院办公厅", "1996-02-05", 1996,
        "关于我国地震重点监视防御区的确定和加强防震减灾工作意见的报告"),
    "pdf01_shandong_luanfa_2024_1_xiaofang.pdf": (
        "山东省人民政府安全生产委员会山东省人民政府消防安全委员会关于切实做好消防安全防控工作的紧急通知",
        "鲁安发〔2024〕1号", "山东省人民政府安全生产委员会、山东省人民政府消防安全委员会", "2024-01-21", 2024, None),
    "pdf02_anweiban_2024_1_zhiben_zifangan.pdf": (
        "国务院安委会办公室关于印发《安全生产治本攻坚三年行动方案（2024－2026年）》子方案的通知",
        "安委办〔2024〕1号", "国务院安全生产委员会办公室", "2024-01-23", 2024,
        "教育系统安全生产治本攻坚三年行动方案（2024—2026年）"),  # the first of its 31 plans
    "pdf04_taian_anweiban_2024_zhenggai.pdf": (  # the red header names the issuer; the title starts at 关于
        "关于举一反三抓好国务院安委会明查暗访发现问题整改工作的通知", None, "中共泰安市委泰安市人民政府安全生产委员会办公室", "2024-03-24", 2024,
        "国务院安委会明查暗访发现共性问题清单"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CORPUS_META))
def test_corpus_metadata(name: str) -> None:
    title, number, issuer, date, year, plan = CORPUS_META[name]
    meta = notices_of(RAW / name)[0].meta
    assert (meta.title, meta.doc_number, meta.issuer) == (title, number, issuer)
    assert (str(meta.issue_date) if meta.issue_date else None, meta.plan_year, meta.plan_title) == (date, year, plan)


def test_version_block_and_addressees() -> None:
    qingpu = notice_of(RAW / "qingpu_2025_safety_plan.txt").meta
    assert (qingpu.printed_by, qingpu.printed_date) == ("青浦区卫生健康委员会办公室", dt.date(2025, 3, 28))
    assert qingpu.addressees == ["各医疗卫生单位"]
    jinshan = notice_of(RAW / "jinshan_2021_safety_resources_points.txt").meta
    assert jinshan.addressees == ["各医疗卫生单位", "机关各科室（中心）"]
    assert jinshan.openness == "主动公开"
    pdf02 = notices_of(next(RAW.glob("pdf02*.pdf")))[-1].meta
    assert pdf02.openness == "依申请公开"
    assert (pdf02.printed_by, pdf02.printed_date) == ("国务院安委会办公室", dt.date(2024, 1, 25))


def test_a_title_line_opening_with_its_doc_number(tmp_path: Path) -> None:
    """河阳府办〔2025〕22号 关于印发……的通知 on one line: the number is the 发文字号, not the title's."""
    path = tmp_path / "notice.txt"
    path.write_text(
        "河阳区人民政府办公室\n河阳府办〔2025〕22号 关于印发《河阳区2025年城市管理工作要点》的通知\n各街道办事处：\n"
        "现将《河阳区2025年城市管理工作要点》印发给你们，请认真执行。\n河阳区人民政府办公室\n2025年5月6日\n"
        "河阳区2025年城市管理工作要点\n一、市容环境整治\n各街道要开展占道经营整治。\n",
        encoding="utf-8",
    )
    meta = notice_of(path).meta
    assert (meta.doc_number, meta.title) == ("河阳府办〔2025〕22号", "关于印发《河阳区2025年城市管理工作要点》的通知")


def test_a_split_printed_line_keeps_its_printer(tmp_path: Path) -> None:
    """hd05: a page break falls between the printer and its 印发 date."""
    meta = notice_of(RAW / "hd05_shandong_2024_luanfa1_xiaofang.txt").meta
    assert (meta.printed_by, meta.printed_date) == ("山东省人民政府安全生产委员会办公室", dt.date(2024, 1, 21))


@pytest.mark.parametrize(
    "speaker, issuer",
    [
        ("国务院总理", "国务院"),
        ("上海市市长", "上海市人民政府"),
        ("青浦区区长", "青浦区人民政府"),
        ("广东省代理省长", "广东省人民政府"),
    ],
)
def test_a_government_report_is_issued_by_the_government_its_head_speaks_for(
    tmp_path: Path, speaker: str, issuer: str
) -> None:
    """政府工作报告 has no red header: its head delivers it on the government's behalf."""
    path = tmp_path / "report.txt"
    path.write_text(
        f"政府工作报告\n——2025年1月15日在人民代表大会上\n{speaker}\n张三\n各位代表：\n一、今年的主要任务\n完成18家养护院改造。\n",
        "utf-8",
    )
    assert notice_of(path).meta.issuer == issuer


@pytest.mark.parametrize(
    "title, year",
    [
        ("关于2024年安全生产工作情况和2025年工作计划的报告", 2025),  # the year it plans, not the one it reports
        ("2025年青浦区卫生健康系统安全生产工作计划", 2025),
        ("安全生产治本攻坚三年行动方案（2024-2026年）", 2024),
    ],
)
def test_the_plan_year_is_the_year_planned(title: str, year: int) -> None:
    assert plan_year_of(title, None, None, None) == year


def test_an_issue_date_written_with_dots_anchors_from_today(tmp_path: Path) -> None:
    """成文日期 2025.3.5: the issue date, the day 从即日起 and 印发之日起30日内 count from."""
    path = tmp_path / "dots.txt"
    path.write_text(
        "东江区卫生健康委员会文件\n东卫健〔2025〕12号\n关于印发《2025年东江区卫生健康工作要点》的通知\n各医疗卫生单位：\n"
        "现将《2025年东江区卫生健康工作要点》印发给你们，请认真贯彻执行。\n东江区卫生健康委员会\n2025.3.5\n"
        "2025年东江区卫生健康工作要点\n一、加强安全生产\n从即日起，各单位要开展隐患排查。"
        "各单位要在本通知印发之日起30日内报送方案。\n",
        encoding="utf-8",
    )
    notice = notice_of(path)
    assert (notice.meta.issue_date, notice.meta.issuer) == (dt.date(2025, 3, 5), "东江区卫生健康委员会")
    assert [[(d.start, d.end) for d in t.deadlines] for t in notice.tasks] == [
        [(dt.date(2025, 3, 5), None)],
        [(dt.date(2025, 3, 5), dt.date(2025, 4, 4))],
    ]
