"""The time normaliser on every form the genre writes (issue #3's list), resolved against the plan year."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.deadlines import TimeContext, find_deadlines, holiday
from extractors.nlp import make_doc

PLAN = TimeContext(plan_year=2025, issue_date=dt.date(2025, 3, 3))
D = dt.date


def resolved(
    sentence: str, context: TimeContext = PLAN
) -> list[tuple[str, dt.date | None, dt.date | None, str | None]]:
    return [(d.kind, d.start_date, d.end_date, d.recurrence) for d in find_deadlines(make_doc(sentence), context)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # by a date
        ("6月底前完成发热门诊标准化建设", [("by", None, D(2025, 6, 30), None)]),
        ("十一月底前完成示范性发热门诊项目建设", [("by", None, D(2025, 11, 30), None)]),
        ("3月末前报送", [("by", None, D(2025, 3, 31), None)]),
        ("6月中旬前完成", [("by", None, D(2025, 6, 20), None)]),
        ("9月上旬前报送", [("by", None, D(2025, 9, 10), None)]),
        ("4月15日前报送区卫健委", [("by", None, D(2025, 4, 15), None)]),
        ("于2024年2月2日前反馈", [("by", None, D(2024, 2, 2), None)]),
        ("年内推进建设3项重大工程", [("by", None, D(2025, 12, 31), None)]),
        ("年底前完成", [("by", None, D(2025, 12, 31), None)]),
        ("2026年底前形成常态化机制", [("by", None, D(2026, 12, 31), None)]),
        ("二〇二六年年底前完成", [("by", None, D(2026, 12, 31), None)]),
        ("到2020年，基本建立考核体系", [("by", None, D(2020, 12, 31), None)]),
        ("第三季度末前完成", [("by", None, D(2025, 9, 30), None)]),
        # within a span
        ("4月份上线防控物资管理系统", [("within", D(2025, 4, 1), D(2025, 4, 30), None)]),
        ("7月份开工并持续建设", [("within", D(2025, 7, 1), D(2025, 7, 31), None)]),
        ("9月中旬开展演练", [("within", D(2025, 9, 11), D(2025, 9, 20), None)]),
        ("上半年完成", [("within", D(2025, 1, 1), D(2025, 6, 30), None)]),
        ("下半年开展", [("within", D(2025, 7, 1), D(2025, 12, 31), None)]),
        ("一季度：制定年度工作计划", [("within", D(2025, 1, 1), D(2025, 3, 31), None)]),
        ("第二季度组织演练", [("within", D(2025, 4, 1), D(2025, 6, 30), None)]),
        ("四季度：冬季防火", [("within", D(2025, 10, 1), D(2025, 12, 31), None)]),
        ("完成全年目标任务", [("within", D(2025, 1, 1), D(2025, 12, 31), None)]),
        ("计划于2025年开展培训", [("within", D(2025, 1, 1), D(2025, 12, 31), None)]),
        ("全面开展治本攻坚三年行动（2024年-2026年）", [("within", D(2024, 1, 1), D(2026, 12, 31), None)]),
        ("行动时间为2024—2026年", [("within", D(2024, 1, 1), D(2026, 12, 31), None)]),
        ("时间：2024年1月1日至2026年12月31日", [("within", D(2024, 1, 1), D(2026, 12, 31), None)]),
        ("自即日起至4月8日，开展自查自改", [("within", D(2025, 3, 3), D(2025, 4, 8), None)]),
        ("组织实施（2021年12月11日至2022年3月25日）", [("within", D(2021, 12, 11), D(2022, 3, 25), None)]),
        ("12月11日至3月25日集中整治", [("within", D(2025, 12, 11), D(2026, 3, 25), None)]),  # a winter phase
        (
            "在重大节日节前（4月、9月、12月）开展检查",
            [
                ("within", D(2025, 4, 1), D(2025, 4, 30), None),
                ("within", D(2025, 9, 1), D(2025, 9, 30), None),
                ("within", D(2025, 12, 1), D(2025, 12, 31), None),
            ],
        ),
        # one deadline per year of a list
        (
            "请分别于2024年、2025年、2026年11月底前报送",
            [
                ("by", None, D(2024, 11, 30), None),
                ("by", None, D(2025, 11, 30), None),
                ("by", None, D(2026, 11, 30), None),
            ],
        ),
        # recurring
        ("每周四12:00前报送", [("recurring", None, None, "weekly")]),
        ("每月报送进展", [("recurring", None, None, "monthly")]),
        ("每季度召开委安全生产工作会", [("recurring", None, None, "quarterly")]),
        ("每两个月召开工程推进会", [("recurring", None, None, "bimonthly")]),
        ("每半年至少进行一次演练", [("recurring", None, None, "semiannual")]),
        (
            "组织开展半年度、年度及重要活动前的安全督查",
            [("recurring", None, None, "semiannual"), ("recurring", None, None, "yearly")],
        ),
        ("每年至少组织一次应急预案演练", [("recurring", None, None, "yearly")]),
        ("每天巡查", [("recurring", None, None, "daily")]),
    ],
)
def test_time_expressions(sentence: str, expected: list[tuple[str, object, object, object]]) -> None:
    assert resolved(sentence) == expected


def test_a_holiday_is_the_next_one_after_the_notice() -> None:
    january = TimeContext(plan_year=2024, issue_date=dt.date(2024, 1, 21))  # pdf01: 春节 on 10 February
    assert resolved("必须在春节前全部整改销号", january) == [("by", None, D(2024, 2, 9), None)]
    # issued on 3 March 2025, after that year's Spring Festival (29 January): the next one, 17 February 2026
    assert resolved("必须在春节前全部整改销号") == [("by", None, D(2026, 2, 16), None)]
    # with no issue date, the holiday of the plan year: 元旦 2025 → 31 December 2024 (GUIDELINE)
    assert resolved("元旦前完成", TimeContext(plan_year=2025)) == [("by", None, D(2024, 12, 31), None)]


@pytest.mark.parametrize(
    "sentence, end",
    [
        ("元旦节前完成", D(2025, 12, 31)),  # the next 元旦 after the notice
        ("五一节前完成检查", D(2025, 4, 30)),
        ("国庆节前完成", D(2025, 9, 30)),
        ("中秋节前完成", D(2025, 10, 5)),
    ],
)
def test_holidays_end_the_day_before(sentence: str, end: dt.date) -> None:
    assert resolved(sentence) == [("by", None, end, None)]


def test_holiday_dates() -> None:
    assert holiday("春节", 2024) == D(2024, 2, 10)
    assert holiday("端午", 2025) == D(2025, 5, 31)
    assert holiday("清明", 2024) == D(2024, 4, 4)
    assert holiday("清明", 2023) == D(2023, 4, 5)


@pytest.mark.parametrize(
    "sentence",
    [
        "定期开展安全生产检查",
        "不定期召开工程领导小组会议",
        "一旦发生各类安全事故，按规定第一时间上报",
        "四季度之外，11.9消防安全周防火疏散演练",
        "推进“十四五”建设项目规划落地，形成项目三年滚动库",
        "持续开展安全生产治本攻坚三年行动",
        "在2024年消防安全标准对标对表提升的基础上，继续推进",
        "基本消除2023年及以前排查发现的重大事故隐患存量",
        "“春节”节前检查，签订安全生产责任书",
        "制定年度安全生产工作计划和年度“工作清单”",
        "深入学习《安全生产治本攻坚三年行动方案（2024—2026年）》",
        "按照国办发〔2019〕3号文件要求",
        "2022年北京冬奥会期间",
        "三年内，对全国安全监管执法人员开展跟班培训",
    ],
)
def test_not_deadlines(sentence: str) -> None:
    found = resolved(sentence)
    assert found == [] or found == [("within", D(2025, 10, 1), D(2025, 12, 31), None)]  # the 四季度 of the 11.9 case


def test_a_year_named_before_applies_to_later_months() -> None:
    assert resolved("2026年3月底前完成评估，6月底前完成整改") == [
        ("by", None, D(2026, 3, 31), None),
        ("by", None, D(2026, 6, 30), None),
    ]


def test_a_date_before_the_notice_rolls_into_the_next_year() -> None:
    winter = TimeContext(plan_year=2021, issue_date=dt.date(2021, 12, 6))
    assert resolved("3月31日前报送", winter) == [("by", None, D(2022, 3, 31), None)]
