"""Parties: names, roles from position and cue words, assignments, the issuer, canonical names."""

from __future__ import annotations

import pytest

from extractors.nlp import make_doc
from extractors.parties import assignment_parties, canonical_names, find_parties, issuer_forms
from tests.corpus import RAW, notice_of

ISSUER = frozenset({"区卫健委", "区卫生健康委", "区卫生健康委员会", "上海市金山区卫生健康委员会"})


def parties(sentence: str) -> list[tuple[str, str]]:
    return [(p.name, p.role) for p in find_parties(make_doc(sentence), ISSUER)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # the subject of a clause leads
        ("各级各类医疗卫生单位根据区政府年度安全工作要求，定期开展隐患排查", [("医疗卫生单位", "lead")]),
        ("医疗卫生单位主要负责人每季度带队对本单位重大事故隐患排查整治", [("医疗卫生单位主要负责人", "lead")]),
        ("规模以上社会办医及养护院根据安全生产标准化建设标准开展对标工作", [("规模以上社会办医", "lead"), ("养护院", "lead")]),
        ("综合医院创建成安全生产标准化二级达标单位，专科医院、社区卫生服务中心及有条件的其他单位开展达标创建活动",
         [("综合医院", "lead"), ("专科医院", "lead"), ("社区卫生服务中心", "lead"), ("有条件的其他单位", "lead")]),
        ("修订区卫健委相关制度，领导干部定期开展安全检查", [("领导干部", "lead")]),
        ("在日常工作基础上，各单位应根据自身情况，开展整改", [("单位", "lead")]),
        ("机构编制部门按程序做好幼儿园移交涉及的机构编制工作", [("机构编制部门", "lead")]),
        ("自然资源部门要根据国家和地方配建标准，统筹规划", [("自然资源部门", "lead")]),
        ("请各单位按照要求，有序开展防控工作", [("单位", "lead")]),
        ("由区应急管理局牵头，区消防救援支队配合开展检查", [("区应急管理局", "lead"), ("区消防救援支队", "co")]),
        # cue words give co and other
        ("会同区消防救援支队，进一步梳理医疗机构消防安全应急疏散预案", [("区消防救援支队", "co")]),
        ("与区公安分局共同开展专项整治", [("区公安分局", "co")]),
        ("指导督促各医疗卫生单位深入学习判定标准", [("医疗卫生单位", "other")]),
        ("继续推进复旦大学附属妇产科医院青浦分院、5家社区卫生服务中心以及1家规模以上社会办综合医院完成建设",
         [("复旦大学附属妇产科医院青浦分院", "other"), ("社区卫生服务中心", "other"), ("规模以上社会办综合医院", "other")]),
        ("对接各相关委办局、镇和单位，提升项目成熟度", [("相关委办局", "other"), ("镇", "other"), ("单位", "other")]),
        ("2025年将组织第三方机构专家在节前针对公立医疗机构和规模以上社会办医进行检查",
         [("第三方机构专家", "other"), ("公立医疗机构", "other"), ("规模以上社会办医", "other")]),
        ("压实医疗卫生单位主体责任", [("医疗卫生单位", "other")]),
        ("各地商务主管部门要加强督促指导", [("商务主管部门", "lead")]),
        ("15.提升企业安全管理水平，物业服务企业要落实主体责任", [("物业服务企业", "lead")]),
        ("落实单位主体责任，同步推进项目进度", [("单位", "other")]),
    ],
)  # fmt: skip
def test_roles(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert parties(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "区血站、区救护站（总部）、区卫健党群服务中心等单位项目开工建设",  # names that modify a noun
        "完成金山医院新建住院楼和张堰镇社区卫生服务中心迁建项目并投入使用",
        "开展单位负责人、安全管理人员分层培训",
        "根据国家卫生健康委和市卫生健康委下发的安全生产委员会工作规则，修订工作规则",  # a source, not an actor
        "治理工作联合办公室设在教育部",  # 联合办公室 is a noun
        "推进区卫健委“十四五”建设项目规划落地",  # the issuer itself
        "进一步提高各单位的安全生产管理能力",
        "启动枫泾镇和山阳镇社区卫生服务中心迁建前期工作",
        "6月底前完成吕巷镇和漕泾镇社区卫生服务中心发热门诊标准化建设",
        "高质量实施区疾控中心迁建项目，7月份开工",
        "部署重要安全生产工作和协调解决安全生产重大问题",
        # verbs and adverbs jieba reads as nouns do not open a name
        "充分发挥专家作用，提高检查质量",
        "严格医疗机构设置要求",
        "联系政府有关部门开展调研",
        "总结民政服务机构的经验做法",
        "推动安全宣传进企业、进农村、进社区",
        "对涉嫌犯罪的，严肃查处",
        "充分考虑境外政局变化",
        "组织一次面向全体工作人员的培训",
        "住院收入占医疗收入比例",
    ],
)
def test_not_parties(sentence: str) -> None:
    assert parties(sentence) == []


@pytest.mark.parametrize(
    "bracket, expected",
    [
        ("（牵头单位：区应急局；配合单位：区消防救援支队、区公安分局）",
         [("区应急局", "lead"), ("区消防救援支队", "co"), ("区公安分局", "co")]),
        ("（生态环境部牵头，国家发展改革委、工业和信息化部、国家统计局参与）",
         [("生态环境部", "lead"), ("国家发展改革委", "co"), ("工业和信息化部", "co"), ("国家统计局", "co")]),
        ("（各有关部门按职责分工负责）", [("有关部门", "lead")]),
        ("（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）",
         [("生态环境部", "co"), ("试点城市政府", "lead")]),
        ("（教育部和民政部负责）", [("教育部", "lead"), ("民政部", "lead")]),
    ],
)  # fmt: skip
def test_bracketed_assignments(bracket: str, expected: list[tuple[str, str]]) -> None:
    assert [(p.name, p.role) for p in assignment_parties(bracket)] == expected


def test_the_issuer_in_the_form_the_notice_uses() -> None:
    assert (
        issuer_forms(["上海市青浦区卫生健康委员会"], "修订本区卫生健康委安全生产领导小组职责，明确区卫生健康委职责")[1]
        == "区卫生健康委"
    )
    assert issuer_forms(["上海市金山区卫生健康委员会"], "修订区卫健委相关制度。推进区卫健委规划落地")[1] == "区卫健委"


def test_canonical_names_join_short_and_long_forms() -> None:
    canonical = canonical_names(["区卫健委", "区卫生健康委员会", "区消防救援支队", "市卫健委"])
    assert canonical["区卫健委"] == canonical["区卫生健康委员会"] == "区卫生健康委员会"
    assert canonical["市卫健委"] == "市卫健委"  # another level, another unit


def test_an_enumeration_item_is_led_by_the_lead_of_its_introduction() -> None:
    tasks = {t.text[:3]: t for t in notice_of(RAW / "qingpu_2025_safety_plan.txt").tasks}
    assert tasks["一季度"].implicit_lead == "医疗卫生单位"
    assert tasks["四季度"].implicit_lead == "医疗卫生单位"
    assert tasks["修订安"].implicit_lead == "区卫生健康委"


def test_units_of_a_table_row_come_from_its_columns() -> None:
    row = next(t for t in notice_of(RAW / "hd10_guobanfa_2018_126_chuangxin_tuiguang_table.txt").tasks if t.columns)
    assert [(p.name, p.role) for p in row.parties] == [
        ("最高人民法院", "lead"),
        ("最高人民检察院", "lead"),
        ("国家知识产权局", "lead"),
    ]
    assert row.implicit_lead is None
