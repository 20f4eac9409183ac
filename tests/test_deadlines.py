"""The time normaliser on every form the genre writes (issues #3 and #15), resolved against the plan year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr

from extractors.deadlines import TimeContext, find_deadlines, holiday
from extractors.nlp import make_doc
from schemas.notice import Deadline, Span
from tests.corpus import notice_of
from tests.markup import word_document

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
    assert resolved("“春节”节前检查，签订安全生产责任书") == [("by", None, D(2026, 2, 16), None)]
    # with no issue date, the holiday of the plan year: 元旦 2025 → 31 December 2024 (GUIDELINE)
    assert resolved("元旦前完成", TimeContext(plan_year=2025)) == [("by", None, D(2024, 12, 31), None)]


def test_a_holiday_inside_a_span_of_its_year_stays_in_that_year() -> None:
    """qingpu T14: the 一季度 item of a plan issued on 3 March: the 春节 of that quarter (29 January)."""
    assert resolved("一季度：制定年度工作计划，“春节”节前检查，签订安全生产责任书") == [
        ("within", D(2025, 1, 1), D(2025, 3, 31), None),
        ("by", None, D(2025, 1, 28), None),
    ]
    assert resolved("一季度：春节前后开展走访慰问") == [
        ("within", D(2025, 1, 1), D(2025, 3, 31), None),
        ("within", D(2025, 1, 29), D(2025, 1, 29), None),
    ]
    winter = TimeContext(plan_year=2021, issue_date=dt.date(2021, 12, 6))  # a span over by then holds nothing
    assert ("by", None, D(2022, 3, 1), None) in resolved("一季度：3月1日前完成验收", winter)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("在春节、国庆等重大节日前开展安全检查", [("by", None, D(2026, 2, 16), None), ("by", None, D(2025, 9, 30), None)]),
        ("元旦、春节前开展节前安全检查", [("by", None, D(2025, 12, 31), None), ("by", None, D(2026, 2, 16), None)]),
        ("元旦春节“两节”前开展走访慰问", [("by", None, D(2025, 12, 31), None), ("by", None, D(2026, 2, 16), None)]),
        ("中秋、国庆“双节”前完成检查", [("by", None, D(2025, 10, 5), None), ("by", None, D(2025, 9, 30), None)]),
        ("五一劳动节前完成检查", [("by", None, D(2025, 4, 30), None)]),
        (
            "在春节、元宵节、清明节、五一、端午节、中秋节和国庆节等重要节假日前开展专项检查",
            [
                ("by", None, D(2026, 2, 16), None),
                ("by", None, D(2026, 3, 2), None),
                ("by", None, D(2025, 4, 3), None),
                ("by", None, D(2025, 4, 30), None),
                ("by", None, D(2025, 5, 30), None),
                ("by", None, D(2025, 10, 5), None),
                ("by", None, D(2025, 9, 30), None),
            ],
        ),
    ],
)  # fmt: skip
def test_a_list_of_holidays_gives_each_its_eve(
    sentence: str, expected: list[tuple[str, object, object, object]]
) -> None:
    assert resolved(sentence) == expected


def test_a_list_of_holidays_in_a_notice_of_january() -> None:
    january = TimeContext(plan_year=2024, issue_date=dt.date(2024, 1, 21))
    assert resolved("在春节、国庆等重大节日前开展安全检查", january) == [
        ("by", None, D(2024, 2, 9), None),
        ("by", None, D(2024, 9, 30), None),
    ]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("3月前后开展春季消防检查", [("within", D(2025, 3, 1), D(2025, 3, 31), None)]),
        ("9月份前后完成中期评估", [("within", D(2025, 9, 1), D(2025, 9, 30), None)]),
        ("11月9日前后开展消防宣传", [("within", D(2025, 11, 9), D(2025, 11, 9), None)]),
        ("在国家扶贫日（10月17日）前后集中开展消费扶贫活动", [("within", D(2025, 10, 17), D(2025, 10, 17), None)]),
        ("春节前后加强值班值守", [("within", D(2026, 2, 17), D(2026, 2, 17), None)]),
        ("2026年前后建成智慧监管平台", [("within", D(2026, 1, 1), D(2026, 12, 31), None)]),
    ],
)
def test_around_a_time_is_within_it(sentence: str, expected: list[tuple[str, object, object, object]]) -> None:
    """前后 is around, not before: the month, the day or the holiday itself."""
    assert resolved(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [  # observance days of a fixed date, like holidays: by the eve, or around the day itself
        ("国家扶贫日前后组织开展消费扶贫活动", [("within", D(2025, 10, 17), D(2025, 10, 17), None)]),
        ("全国防灾减灾日前完成隐患排查", [("by", None, D(2025, 5, 11), None)]),
        ("教师节前走访慰问优秀教师", [("by", None, D(2025, 9, 9), None)]),
        ("重阳节前开展敬老慰问", [("by", None, D(2025, 10, 28), None)]),  # lunar 9-9
        ("国际禁毒日前后集中开展宣传", [("within", D(2025, 6, 26), D(2025, 6, 26), None)]),
    ],
)
def test_observance_days(sentence: str, expected: list[tuple[str, object, object, object]]) -> None:
    assert resolved(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    ["在重要节日前后加强值班值守", "在重大活动前后开展安全巡查"],
)
def test_around_a_day_without_a_date_is_no_deadline(sentence: str) -> None:
    assert resolved(sentence) == []


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
        "制定年度安全生产工作计划和年度“工作清单”",
        "深入学习《安全生产治本攻坚三年行动方案（2024—2026年）》",
        "按照国办发〔2019〕3号文件要求",
        "2022年北京冬奥会期间",
        # no date can be read (GUIDELINE): 适当时候, 尽快, 抓紧, 定期, 及时, 日常, 近期
        "在适当时候组织开展联合检查",
        "请各单位尽快报送整改方案",
        "要抓紧制定配套措施",
        "发现问题及时整改",
        "加强日常巡查",
        "近期将组织开展专项督查",
        # dates and counts inside names, campaigns named as things, baselines
        "开展“11·9”消防宣传活动",
        "编制“十四五”规划中期评估报告",
        "充分利用安全生产月、消防宣传月、安全宣传咨询日等活动",
        "通过开展“安全生产月”“119消防宣传月”“安康杯”竞赛等活动",
        "事故死亡人数相比“十三五”末下降8%",
        "对一年内发生2起较大事故的市实施约谈",
        "近三年内发生的事故要逐一复盘",
        "二、对今年政府工作的建议",
        "请于下月5日前报送",  # a month named relative to an unknown date
        "深入开展“2025年就业援助月”活动",  # the quoted name of a year's campaign
    ],
)
def test_not_deadlines(sentence: str) -> None:
    found = resolved(sentence)
    assert found == [] or found == [("within", D(2025, 10, 1), D(2025, 12, 31), None)]  # the 四季度 of the 11.9 case


@pytest.mark.parametrize(
    "sentence, expected",
    [  # a time in a clause that modifies a noun dates the noun, not the task
        ("2025年底前完成2020年前已鉴定的危房改造", [("by", None, D(2025, 12, 31), None)]),
        ("对2018年以前建成的老旧小区开展排查，6月底前完成", [("by", None, D(2025, 6, 30), None)]),
        ("对3月底前已排查的隐患逐项复核", []),
        ("各单位6月底前完成的整改情况要及时报送", [("by", None, D(2025, 6, 30), None)]),  # the plan's own year
        ("对离校2年内未就业的青年开展就业帮扶", []),  # who qualifies, not when
    ],
)
def test_a_time_that_dates_a_noun(sentence: str, expected: list[tuple[str, object, object, object]]) -> None:
    assert resolved(sentence) == expected


def test_a_year_named_before_applies_to_later_months() -> None:
    assert resolved("2026年3月底前完成评估，6月底前完成整改") == [
        ("by", None, D(2026, 3, 31), None),
        ("by", None, D(2026, 6, 30), None),
    ]


def test_a_date_before_the_notice_rolls_into_the_next_year() -> None:
    winter = TimeContext(plan_year=2021, issue_date=dt.date(2021, 12, 6))
    assert resolved("3月31日前报送", winter) == [("by", None, D(2022, 3, 31), None)]
    # ... unless the title names the plan's year: a 2025年工作要点 issued in April keeps its 3月前
    titled = TimeContext(plan_year=2025, issue_date=dt.date(2025, 4, 20), year_named=True)
    assert resolved("3月前完成排查", titled) == [("by", None, D(2025, 2, 28), None)]


def test_an_items_bracket_gives_its_tasks_their_time(tmp_path: Path) -> None:
    body = (
        "一、主要任务\n3.开展起重机械专项检查。（责任单位：区住建局；完成时限：9月底前）\n"
        "4.完成易涝点改造。（牵头单位：区水务局；完成时限：2025年5月31日）\n"
    )
    assert plan_tasks(tmp_path, body) == [
        ("开展起重机械专项检查", [("9月底前", None, D(2025, 9, 30))]),
        ("完成易涝点改造", [("2025年5月31日", None, D(2025, 5, 31))]),  # a day named as the time limit: by it
    ]


# ---------------------------------------------------------------- issue #15: durations, periods, starts


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # N years from the start of the plan year (or the year named), as the GUIDELINE counts them
        ("三年内实现乡村厨师培训全覆盖", [("within", D(2025, 1, 1), D(2027, 12, 31), None)]),
        ("三年内，对全国安全监管执法人员开展跟班培训", [("within", D(2025, 1, 1), D(2027, 12, 31), None)]),
        ("5年内完成老旧管网改造", [("within", D(2025, 1, 1), D(2029, 12, 31), None)]),
        ("通过三年治本攻坚，安全发展理念进一步强化", [("within", D(2025, 1, 1), D(2027, 12, 31), None)]),
        ("经过两年努力，基本建成监测网络", [("within", D(2025, 1, 1), D(2026, 12, 31), None)]),
        ("用两年左右时间完成改造", [("within", D(2025, 1, 1), D(2026, 12, 31), None)]),
        (
            "今后三年，每年培训骨干教师",
            [("within", D(2025, 1, 1), D(2027, 12, 31), None), ("recurring", None, None, "yearly")],
        ),
        ("2012年起5年内基本完成抗震加固", [("within", D(2012, 1, 1), D(2016, 12, 31), None)]),
        ("从2019年1月1日起，实施三年百万青年见习计划", [("within", D(2019, 1, 1), D(2021, 12, 31), None)]),
        # five-year-plan periods
        ("“九五”期间我国防震减灾工作的目标是", [("within", D(1996, 1, 1), D(2000, 12, 31), None)]),
        ("“十四五”时期，推进应急体系建设", [("within", D(2021, 1, 1), D(2025, 12, 31), None)]),
        ("到“十四五”末，全面建成智慧监管平台", [("by", None, D(2025, 12, 31), None)]),
        # named periods of the year
        ("安全生产月期间，组织开展应急演练", [("within", D(2025, 6, 1), D(2025, 6, 30), None)]),
        ("在“安全生产月”期间开展咨询日活动", [("within", D(2025, 6, 1), D(2025, 6, 30), None)]),
        ("消防宣传月期间开展疏散演练", [("within", D(2025, 11, 1), D(2025, 11, 30), None)]),
        (
            "二季度：五一节前检查、安全生产月生产安全演练、夏季防火",
            [
                ("within", D(2025, 4, 1), D(2025, 6, 30), None),
                ("by", None, D(2025, 4, 30), None),
                ("within", D(2025, 6, 1), D(2025, 6, 30), None),
            ],
        ),
        # 年中, a month without 底/末
        ("年中完成中期评估", [("by", None, D(2025, 6, 30), None)]),
        ("2026年年中前完成验收", [("by", None, D(2026, 6, 30), None)]),
        ("6月前实现规模以上食品生产企业全部接入", [("by", None, D(2025, 5, 31), None)]),
        ("9月份以前完成整改", [("by", None, D(2025, 8, 31), None)]),
        ("2026年3月前报送评估报告", [("by", None, D(2026, 2, 28), None)]),
        # counted from the issue date (the day itself not counted) or from a day named
        ("各省在本意见印发之日起30日内，制定出台具体实施办法", [("within", D(2025, 3, 3), D(2025, 4, 2), None)]),
        ("自即日起3个月内完成自查", [("within", D(2025, 3, 3), D(2025, 6, 3), None)]),
        ("自即日起10个工作日内报送名单", [("within", D(2025, 3, 3), D(2025, 3, 17), None)]),
        ("自2025年4月1日起15日内完成登记", [("within", D(2025, 4, 1), D(2025, 4, 16), None)]),
        ("在本意见下发后三个月内完成清理", [("within", D(2025, 3, 3), D(2025, 6, 3), None)]),
        # a start without an end
        ("自4月8日起，要组织开展专项执法检查", [("within", D(2025, 4, 8), None, None)]),
        ("从本通知印发之日起，各单位要开展自查", [("within", D(2025, 3, 3), None, None)]),
        ("从即日起，各单位要开展隐患排查", [("within", D(2025, 3, 3), None, None)]),
        ("从2019年1月1日起施行新的补贴标准", [("within", D(2019, 1, 1), None, None)]),
        ("2024年4月起，全面推行电子证照", [("within", D(2024, 4, 1), None, None)]),
        ("从今年开始，逐步扩大试点范围", [("within", D(2025, 1, 1), None, None)]),
        # stages, dates with dots, a year named by 今年
        ("第二阶段：2024年4月—9月", [("within", D(2024, 4, 1), D(2024, 9, 30), None)]),
        ("2024年4—9月开展集中整治", [("within", D(2024, 4, 1), D(2024, 9, 30), None)]),
        ("12月至次年3月开展冬季专项整治", [("within", D(2025, 12, 1), D(2026, 3, 31), None)]),
        ("2025.6.30前完成系统上线", [("by", None, D(2025, 6, 30), None)]),
        ("请于2025-04-15前报送", [("by", None, D(2025, 4, 15), None)]),
        ("今年要完成全部整改", [("by", None, D(2025, 12, 31), None)]),
        # a whole year beside a finer time of that year adds nothing
        ("年内建成标准化食品快检室8家，全年完成食品抽检不少于3000批次", [("by", None, D(2025, 12, 31), None)]),
        # month lists: one entry per month
        (
            "分别于3、6、9、12月开展专项检查",
            [
                ("within", D(2025, 3, 1), D(2025, 3, 31), None),
                ("within", D(2025, 6, 1), D(2025, 6, 30), None),
                ("within", D(2025, 9, 1), D(2025, 9, 30), None),
                ("within", D(2025, 12, 1), D(2025, 12, 31), None),
            ],
        ),
    ],
)
def test_durations_periods_and_starts(sentence: str, expected: list[tuple[str, object, object, object]]) -> None:
    assert resolved(sentence) == expected


def test_this_year_is_the_year_of_issue() -> None:
    """hd15: 建议今年适当时候……进行一次检查 — 今年 is a deadline, 适当时候 is not."""
    context = TimeContext(plan_year=1997, issue_date=dt.date(1997, 2, 4))
    assert resolved("建议今年适当时候，由国务院组织有关部门进行一次检查", context) == [
        ("by", None, D(1997, 12, 31), None)
    ]


# ---------------------------------------------------------------- recurrence rules (RFC 5545)


def rules(sentence: str, context: TimeContext = PLAN) -> list[tuple[str | None, str | None, dt.date | None]]:
    return [(d.recurrence, *(d.rule or (None, None))) for d in find_deadlines(make_doc(sentence), context) if d.recur]


@pytest.mark.parametrize(
    "sentence, recurrence, rule, first",
    [
        ("每月25日前报送工作进展", "monthly", "FREQ=MONTHLY;BYMONTHDAY=25", D(2025, 1, 25)),
        ("次月5日前报送上月情况", "monthly", "FREQ=MONTHLY;BYMONTHDAY=5", D(2025, 1, 5)),
        ("每月统计一次，次月5日前报送", "monthly", "FREQ=MONTHLY;BYMONTHDAY=5", D(2025, 1, 5)),
        ("每月底前报送台账", "monthly", "FREQ=MONTHLY;BYMONTHDAY=-1", D(2025, 1, 31)),
        ("每月上旬召开调度会", "monthly", "FREQ=MONTHLY;BYMONTHDAY=10", D(2025, 1, 10)),
        ("每月报送进展", "monthly", "FREQ=MONTHLY;BYMONTHDAY=-1", D(2025, 1, 31)),
        (
            "每季度末将工作进展报送区食品安全委员会办公室",
            "quarterly",
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1",
            D(2025, 3, 31),
        ),
        ("每季度召开委安全生产工作会", "quarterly", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", D(2025, 3, 31)),
        ("每季度结束后10日内报送统计表", "quarterly", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=10", D(2025, 1, 10)),
        ("每季度汇总一次，于次月10日前报送", "quarterly", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=10", D(2025, 1, 10)),
        ("每季度首月15日前报送上季度情况", "quarterly", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", D(2025, 1, 15)),
        ("每两个月召开工程推进会", "bimonthly", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1", D(2025, 2, 28)),
        ("每半年至少进行一次演练", "semiannual", "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1", D(2025, 6, 30)),
        ("每年12月底前报送年度总结", "yearly", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1", D(2025, 12, 31)),
        ("每年3月15日前报送上年度情况", "yearly", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15", D(2025, 3, 15)),
        ("每年年底前开展一次评估", "yearly", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1", D(2025, 12, 31)),
        ("每年至少组织一次应急预案演练", "yearly", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1", D(2025, 12, 31)),
        ("每周四12:00前报送", "weekly", "FREQ=WEEKLY;BYDAY=TH", D(2025, 1, 2)),
        ("每周报送一次舆情", "weekly", "FREQ=WEEKLY;BYDAY=FR", D(2025, 1, 3)),
        ("每天巡查", "daily", "FREQ=DAILY", D(2025, 1, 1)),
        ("每个工作日报送疫情数据", "daily", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", D(2025, 1, 1)),
    ],
)
def test_recurrences_keep_their_point_in_the_period(sentence: str, recurrence: str, rule: str, first: dt.date) -> None:
    assert rules(sentence) == [(recurrence, rule, first)]
    # the rule is RFC 5545 as dateutil reads it back, and DTSTART is its first occurrence
    parsed = rrulestr(rule, dtstart=dt.datetime.combine(first, dt.time()))
    assert parsed[0].date() == first
    assert str(parsed).splitlines()[1] == f"RRULE:{rule}"


def test_a_recurrence_starts_in_the_year_the_text_names() -> None:
    """hd11: 2020年起，每年2月底前…… — a start with no end, and a yearly rule from 2020 (a leap year)."""
    found = find_deadlines(make_doc("2020年起，每年2月底前各省份完成辖区内三级公立医院绩效考核工作"), PLAN)
    assert [(d.kind, d.start_date, d.end_date) for d in found if not d.recur] == [("within", D(2020, 1, 1), None)]
    assert rules("2020年起，每年2月底前各省份完成考核") == [
        ("yearly", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", D(2020, 2, 29))
    ]


def deadline(**fields: object) -> Deadline:
    return Deadline.model_validate({"text": "每季度末", "span": Span(start=0, end=4, page=1, line=1), **fields})


def test_quarter_ends_fall_due_in_march_june_september_and_december() -> None:
    quarterly = deadline(kind="recurring", recurrence="quarterly", rrule="FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1",
                         dtstart=D(2025, 3, 31))  # fmt: skip
    assert quarterly.occurrences(D(2025, 1, 1), D(2025, 12, 31)) == [
        D(2025, 3, 31), D(2025, 6, 30), D(2025, 9, 30), D(2025, 12, 31)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "recurring", "recurrence": "monthly", "rrule": "FREQ=MONTHLY;BYMONTHDAY=25"},  # no dtstart
        {"kind": "recurring", "recurrence": "monthly", "rrule": "FREQ=SOMETIMES", "dtstart": D(2025, 1, 25)},
        {"kind": "recurring", "recurrence": "monthly", "rrule": "FREQ=MONTHLY;BYMONTHDAY=25", "dtstart": D(2025, 1, 1)},
        {"kind": "within", "end": D(2025, 6, 30)},  # an end with no start
    ],
)
def test_a_deadline_record_refuses_a_bad_rule_or_span(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        deadline(**fields)


def test_a_start_without_an_end_is_a_valid_record() -> None:
    assert deadline(kind="within", start=D(2025, 4, 8)).end is None


# ---------------------------------------------------------------- times in headings and table columns


def plan_tasks(tmp_path: Path, body: str) -> list[tuple[str, list[tuple[str, dt.date | None, dt.date | None]]]]:
    """The tasks and deadlines of a 2025 plan with this body, as a Word document: one paragraph a
    line (a short text file's line breaks could be read as wraps), a line with tabs a table row."""
    text = (
        "某区卫生健康委员会文件\n某卫〔2025〕1号\n关于印发《2025年工作计划》的通知\n各单位：\n"
        "现将《2025年工作计划》印发你们，请认真贯彻执行。\n某区卫生健康委员会\n2025年3月3日\n"
        "2025年工作计划\n为做好全年工作，制定本计划。\n" + body
    )
    path = tmp_path / "notice.docx"
    path.write_bytes(word_document(text))
    notice = notice_of(path)
    for task in notice.tasks:
        for d in task.deadlines:  # each deadline's span holds its text: in the sentence, the cell or the heading
            assert notice.text[d.span.start : d.span.end] == d.text
    return [(t.text, [(d.text, d.start, d.end) for d in t.deadlines]) for t in notice.tasks]


def test_a_heading_time_is_the_deadline_of_the_tasks_under_it_that_name_none(tmp_path: Path) -> None:
    body = (
        "一、治本攻坚三年行动（2024年-2026年）\n"
        "各单位要统筹推进治本攻坚。\n"
        "（一）部署发动（2025年3月31日前）\n"
        "各单位要制定实施方案。各单位要在6月底前报送进展。\n"
        "（二）组织实施（2025年4月—9月）\n"
        "1.排查整治\n"
        "各单位要开展隐患排查整治。\n"
        "二、常态治理\n"
        "各单位要建立长效机制。\n"
    )
    assert plan_tasks(tmp_path, body) == [
        ("各单位要统筹推进治本攻坚", []),  # the programme's span, holding the plan year, is not repeated
        ("各单位要制定实施方案", [("2025年3月31日前", None, D(2025, 3, 31))]),
        ("各单位要在6月底前报送进展", [("6月底前", None, D(2025, 6, 30))]),  # its own time wins
        ("各单位要开展隐患排查整治", [("2025年4月—9月", D(2025, 4, 1), D(2025, 9, 30))]),  # the nearest heading's
        ("各单位要建立长效机制", []),
    ]


def test_a_heading_time_after_its_colon_is_the_headings(tmp_path: Path) -> None:
    """（三）巩固提升阶段：2025年10月-12月 on a line of its own is a heading with its time, not a
    heading running into the task below it."""
    body = "一、工作步骤\n（三）巩固提升阶段：2025年10月-12月\n镇规建办要总结经验做法，形成长效机制。\n"
    assert plan_tasks(tmp_path, body) == [
        ("镇规建办要总结经验做法，形成长效机制", [("2025年10月-12月", D(2025, 10, 1), D(2025, 12, 31))]),
    ]


def test_a_table_rows_deadline_column_is_its_deadline(tmp_path: Path) -> None:
    body = (
        "一、重点任务\n"
        "序号\t工作任务\t牵头单位\t完成时限\n"
        "1\t修订安全生产应急预案\t区卫生健康委\t6月底前\n"
        "2\t每季度开展一次联合检查\t区卫生健康委\t长期坚持\n"
    )
    tasks = plan_tasks(tmp_path, body)
    assert tasks == [
        ("修订安全生产应急预案", [("6月底前", None, D(2025, 6, 30))]),
        ("每季度开展一次联合检查", [("每季度", None, None)]),
    ]


def test_a_stage_heading_times_the_tasks_under_it() -> None:
    """第一阶段：动员部署（2025年3月） / 第二阶段：2025年4月—9月 are headings; their times are the
    deadlines of the tasks under them that name none."""
    notice = notice_of(Path(__file__).parent / "fixtures" / "stage_schedule.txt")
    assert [(t.section[-1], [(d.kind, str(d.start), str(d.end)) for d in t.deadlines]) for t in notice.tasks] == [
        ("第一阶段：动员部署（2025年3月）", [("within", "2025-03-01", "2025-03-31")]),
        ("第二阶段：2025年4月—9月", [("within", "2025-04-01", "2025-09-30")]),
        ("第二阶段：2025年4月—9月", [("within", "2025-04-01", "2025-09-30")]),
    ]
