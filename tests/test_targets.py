"""Targets: quantities with units, objects and comparators; qualitative results; what is not a target."""

from __future__ import annotations

import pytest

from extractors.nlp import make_doc
from extractors.targets import find_goals, find_targets


def targets(sentence: str) -> list[tuple[float | None, str | None, str | None, str | None]]:
    return [(t.value, t.unit, t.object, t.comparator) for t in find_targets(make_doc(sentence))]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("完成10家村卫生室标准化改造", [(10, "家", "村卫生室标准化改造", None)]),
        ("年内推进建设3项重大工程和2项实事项目", [(3, "项", "重大工程", None), (2, "项", "实事项目", None)]),
        ("更新公务车及专业技术车12辆，提升车辆保障水平", [(12, "辆", "公务车及专业技术车", None)]),
        ("完成区精神卫生中心迁建项目总工程量50%", [(50, "%", "区精神卫生中心迁建项目总工程量", None)]),
        ("推进12家社区卫生服务中心、5家规模以上社会办综合医院以及18家养护院完成消防安全标准化建设",
         [(12, "家", "社区卫生服务中心", None), (5, "家", "规模以上社会办综合医院", None), (18, "家", "养护院", None)]),
        ("培训基层干部320万名", [(3_200_000, "名", "基层干部", None)]),
        ("安排专项资金500万元", [(5_000_000, "元", "专项资金", None)]),
        ("拟安排地方政府专项债券3.8万亿元", [(3_800_000_000_000, "元", "地方政府专项债券", None)]),
        ("秸秆综合利用率达到百分之八十五", [(85, "%", "秸秆综合利用率", "达到")]),
        ("城镇新增就业1200万人左右", [(12_000_000, "人", None, "左右")]),
        ("秸秆综合利用率达到85%以上", [(85, "%", "秸秆综合利用率", "达到")]),
        ("每年培训不少于200人次", [(200, "人次", None, "不少于")]),
        ("年内完成十家医院改造", [(10, "家", "医院改造", None)]),
        ("每年至少组织一次应急预案演练", [(1, "次", "应急预案演练", "至少")]),
    ],
)  # fmt: skip
def test_quantities(sentence: str, expected: list[tuple[float, str, str | None, str | None]]) -> None:
    assert targets(sentence) == expected


@pytest.mark.parametrize(
    "sentence, text",
    [
        ("推动学习教育全覆盖，开设专题专栏", "学习教育全覆盖"),
        ("确保安全生产监管全覆盖", "安全生产监管全覆盖"),
        ("综合医院创建成安全生产标准化二级达标单位", "二级达标"),
        ("通过设备设施改造，达到污水排放达标", "污水排放达标"),
        ("垃圾分类测评结果处于公共机构中上水平", "中上水平"),
        ("完成年度节能减碳目标", "年度节能减碳目标"),
        ("确保不发生有人员伤亡和重大财产损失的安全生产责任事故", "不发生有人员伤亡和重大财产损失的安全生产责任事故"),
        ("非法转移倾倒固体废物事件零发生", "事件零发生"),
    ],
)
def test_qualitative_results_have_no_value(sentence: str, text: str) -> None:
    found = find_targets(make_doc(sentence))
    assert [(t.text, t.value, t.unit) for t in found] == [(text, None, None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "完成区精神卫生中心迁建（1号楼主体结构完成）",
        "全面开展安全生产治本攻坚三年行动",
        "深入学习贯彻党的二十大精神",
        "开展11.9消防安全周防火疏散演练",
        "2025年开展医疗机构重大事故隐患判定清单讲解",
        "推广第一批支持创新相关改革举措",
        "细化为若千条具体措施",
        "落实“两个清单”和“五个必学”",
        "按照《城市居住区规划设计标准》（GB 50180）建设",
        "在二级以上医院消防安全标准化建设全覆盖的基础上",
        "对安全生产培训机构进行一轮全覆盖条件复核",
        "与相关达标评比或者绩效评价挂钩",
        "加强二次污染管控",
        "培育世界一流企业",
        "每百张病床药师人数",
        "由医疗质量、运营效率等4个方面的指标构成",
    ],
)
def test_not_targets(sentence: str) -> None:
    assert targets(sentence) == []


def test_goals_of_a_preamble() -> None:
    preamble = (
        "牢固树立安全底线思维，确保不发生有人员伤亡和重大财产损失的安全生产责任事故。确保卫生健康事业高质量发展。"
    )
    assert find_goals(preamble) == ["确保不发生有人员伤亡和重大财产损失的安全生产责任事故"]
