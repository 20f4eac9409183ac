"""Tasks: sentence splitting, enumerations, and what is not a task."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.structure import is_assignment_line, parse_structure, units_sentence
from extractors.tasks import split_sentences
from pipeline.inputs.load import load
from pipeline.normalise import normalise
from tests.corpus import GOLD_TEXTS, RAW, notice_of
from tests.typeset import typeset


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, 0, len(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("加强领导。落实责任；强化考核！", ["加强领导", "落实责任", "强化考核"]),
        ("开展“安全生产月”“119消防宣传月”等活动。", ["开展“安全生产月”“119消防宣传月”等活动"]),
        (
            "推进工作（牵头单位：区应急局；配合单位：区消防救援支队）。",
            ["推进工作（牵头单位：区应急局；配合单位：区消防救援支队）"],
        ),
        ("学习《关于加强……的意见；实施细则》。完成整改。", ["学习《关于加强……的意见；实施细则》", "完成整改"]),
        ("一季度：制定计划；二季度：五一节前检查；", ["一季度：制定计划", "二季度：五一节前检查"]),
        ("。；", []),
    ],
)
def test_sentences_end_outside_brackets_and_quotes(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def notice(tmp_path: Path, body: str) -> list[str]:
    text = (
        "某区卫生健康委员会文件\n某卫〔2025〕1号\n关于印发《2025年工作计划》的通知\n各单位：\n"
        "现将《2025年工作计划》印发你们，请认真贯彻执行。\n某区卫生健康委员会\n2025年3月3日\n"
        "2025年工作计划\n为做好全年工作，制定本计划。\n" + body
    )
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    return [task.text for task in notice_of(path).tasks]


def test_headings_preamble_and_forwarding_formula_are_not_tasks(tmp_path: Path) -> None:
    tasks = notice(tmp_path, "一、压实责任\n（一）明确职责。各单位要明确安全生产职责。\n")
    assert tasks == ["各单位要明确安全生产职责"]


def test_an_enumeration_gives_one_task_per_item(tmp_path: Path) -> None:
    body = "一、季度重点\n各单位做好每季度工作。一季度：制定年度计划；二季度：防汛防台；三季度：防暑降温。\n"
    path_tasks = notice(tmp_path, body)
    assert path_tasks == ["各单位做好每季度工作", "一季度：制定年度计划", "二季度：防汛防台", "三季度：防暑降温"]


def test_descriptive_sentences_and_background_sections_are_not_tasks(tmp_path: Path) -> None:
    body = (
        "一、指导思想\n以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。\n"
        "二、主要任务\n近期我区火灾事故多发，形势十分严峻。各单位要开展隐患排查。"
        "已开展试点的单位要总结经验。去年全区完成了12家医院改造。\n"
    )
    assert notice(tmp_path, body) == ["各单位要开展隐患排查", "已开展试点的单位要总结经验"]


@pytest.mark.parametrize(
    "sentence",
    [
        "以上意见如无不妥，请批转各地、各部门贯彻执行。",  # a report's closing formula
        "以上方案如有不妥，请及时提出修改意见。",
        "本方案由区应急局负责解释。",  # a plan's last words on itself
        "本要点自印发之日起执行。",
        "举办时间：5月12日至18日。",  # label lines of any kind
        "参会对象：各企业安全管理人员。",
        "咨询电话：0871-1234567。",
        "重点任务分工表",  # a caption
        "但也要看到，基层应急能力依然薄弱。",  # an observation
        "应当指出，部分地区隐患排查还不够深入。",
        "本要点中各项任务列第一位的单位为牵头单位，其他单位为配合单位。",  # how to read the brackets
        "妥否，请批示。",
        "为此，提出以下几点意见：",  # a list's lead-in
        "现就有关事项通知如下：",
        "活动主题：安全生产治本攻坚三年行动。",  # label lines
        "时间：2024年1月1日至2026年12月31日。",
        "联系人：张三，电话：12345678。",
        "然而实践表明，重点危险区和重点防御目标之间有着显著差别。",  # an argument, not a directive
        "值得注意的是，当前地震活动的活跃状态是在全球大震活动增强的背景上出现的。",
        "鉴于目前的预测水平有限，其他地区也不完全排除发生破坏性地震的可能。",
        "根据地震部门的预测，未来一段时间我国地震活动仍将处于活跃期。",  # a forecast
        "预计今年财政收入继续恢复增长。",
        "预计今年我区地质灾害将呈多发态势。",
        # a meeting notice's lines under 会议时间, 会议地点, 参会人员: no action named
        "2025年3月10日（星期一）下午2时",
        "区行政中心三楼会议室",
        "各街道、镇分管领导，区各有关部门分管领导。",
    ],
)
def test_formulas_lead_ins_labels_arguments_and_forecasts_are_not_tasks(tmp_path: Path, sentence: str) -> None:
    assert notice(tmp_path, f"一、主要任务\n{sentence}\n各单位要开展隐患排查。\n") == ["各单位要开展隐患排查"]


def test_a_lead_in_that_directs_is_a_task_and_a_sentence_with_近期_too(tmp_path: Path) -> None:
    body = "一、主要任务\n各街道要组织辖区企业参加安全知识竞赛，具体安排如下：\n近期组织开展一次专项督查。\n"
    assert notice(tmp_path, body) == [
        "各街道要组织辖区企业参加安全知识竞赛，具体安排如下：",
        "近期组织开展一次专项督查",
    ]


def test_the_item_before_a_closing_formula_is_a_task(tmp_path: Path) -> None:
    body = "一、主要任务\n（一）年底前完成隐患整改。\n以上报告如无不妥，请批转各地执行。\n"
    assert notice(tmp_path, body) == ["年底前完成隐患整改"]


def test_an_item_whose_bracket_holds_a_bracket_before_the_signature(tmp_path: Path) -> None:
    body = "一、任务\n10.开展起重机械专项检查。（责任单位：市住建局、各县（区）住建局；完成时限：9月底前）\n某市住建局\n2025年2月21日\n"
    assert notice(tmp_path, body) == ["开展起重机械专项检查"]


def test_the_last_item_before_the_signature_is_a_task(tmp_path: Path) -> None:
    """Nothing stands under an item the signature follows: it is a task, not a heading."""
    body = "一、加强校园安保\n（一）每所中小学校配备专职保安员不少于2名。\n（二）11月底前实现“一键报警”装置全覆盖。\n某区教育局\n2025年4月18日\n"
    assert notice(tmp_path, body) == ["每所中小学校配备专职保安员不少于2名", "11月底前实现“一键报警”装置全覆盖"]


def test_ordinals_that_number_a_paragraphs_sentences_are_no_part_of_a_task(tmp_path: Path) -> None:
    body = "一、主要任务\n一是加强安全教育培训；二是完善应急预案。\n第一，各单位要将消防安全纳入年度考核。\n"
    assert notice(tmp_path, body) == ["加强安全教育培训", "完善应急预案", "各单位要将消防安全纳入年度考核"]


def test_a_target_without_a_verb_is_a_task(tmp_path: Path) -> None:
    """hd09's 预期目标: 居民消费价格涨幅3%左右 names no verb, but the bound it sets is the task."""
    assert notice(tmp_path, "一、主要任务\n居民消费价格涨幅3%左右；粮食产量1.3万亿斤以上。\n") == [
        "居民消费价格涨幅3%左右", "粮食产量1.3万亿斤以上"
    ]  # fmt: skip


def test_a_plan_that_budgets_is_no_forecast(tmp_path: Path) -> None:
    assert notice(tmp_path, "一、主要任务\n预计投入资金500万元，新建空气质量监测微站20个。\n") == [
        "预计投入资金500万元，新建空气质量监测微站20个"
    ]


def test_a_forwarded_report_tells_before_it_proposes(tmp_path: Path) -> None:
    """hd14, hd15: a report's sections of findings hold no tasks, even a sentence with 必须; its
    section of proposals (……的意见, 建议) does."""
    text = (
        "某省人民政府办公厅转发省地震局关于地震趋势和防震减灾工作意见报告的通知\n各市人民政府：\n"
        "省地震局《关于地震趋势和防震减灾工作意见的报告》已经省政府同意，现转发给你们，请认真贯彻执行。\n"
        "某省人民政府办公厅\n2025年2月4日\n关于地震趋势和防震减灾工作意见的报告\n省政府：\n"
        "我局于1月召开会商会，对今年地震趋势进行了分析。\n一、2024年地震活动情况和2025年地震趋势\n"
        "因此在确定重点地区时，必须兼顾震情和灾情。\n二、加强防震减灾工作的意见\n"
        "各市要尽快制定地震应急预案。建议今年组织一次抗震设防检查。\n以上意见如无不妥，请批转各地执行。\n"
        "省地震局\n2025年1月20日\n"
    )
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    assert [t.text for t in notice_of(path).tasks] == ["各市要尽快制定地震应急预案", "建议今年组织一次抗震设防检查"]


def test_a_condition_naming_what_was_obtained_is_no_past_achievement(tmp_path: Path) -> None:
    """取得 names a condition as often as an achievement: 根据……取得相关证书情况等确定."""
    body = "一、主要任务\n对培训合格的失业人员给予职业培训补贴，补贴标准根据培训成本和取得相关证书情况等确定。\n"
    assert notice(tmp_path, body) == [
        "对培训合格的失业人员给予职业培训补贴，补贴标准根据培训成本和取得相关证书情况等确定"
    ]


def test_a_sentence_opening_with_an_earlier_year_reports_the_past(tmp_path: Path) -> None:
    body = "一、主要任务\n2024年全区完成12家医院改造。2025年，完成18家养护院改造。\n"
    assert notice(tmp_path, body) == ["2025年，完成18家养护院改造"]


def test_an_annexed_problem_list_gives_no_tasks_and_the_instructions_do() -> None:
    """pdf04: the notice's four run-in paragraphs hold the instructions; its annex, 共性问题清单, lists
    what an inspection found (1．拉动微型消防站人员，集结时间较长 …): findings, not tasks."""
    notice = notice_of(RAW / "pdf04_taian_anweiban_2024_zhenggai.pdf")
    assert [s.title for s in notice.sections if s.level == 1][:4] == [
        "快速抓好问题整改", "立即开展全覆盖自查", "加大执法检查力度", "扎实做好当前重点工作"
    ]  # fmt: skip
    assert 8 <= len(notice.tasks) <= 10
    assert all(task.span.page == 1 or task.span.page == 2 for task in notice.tasks)
    assert not any("燃气报警器已过期" in task.text for task in notice.tasks)
    assert notice.tasks[0].text.startswith("对国务院安委会明查暗访检查组发现的问题隐患，要加强跟踪督办")


def test_findings_a_check_reported_are_no_tasks(tmp_path: Path) -> None:
    body = (
        "一、主要任务\n（二）整改上级检查发现问题。\n2024年市级专项检查发现的主要问题：\n（1）部分服务站档案资料不齐全；\n"
        "（2）个别乡镇优待证发放进度滞后；\n（3）走访慰问记录缺失。\n各服务站要对照上述问题建立整改台账。\n"
    )
    assert notice(tmp_path, body) == ["各服务站要对照上述问题建立整改台账"]


def test_a_table_cell_of_two_sentences_gives_two_tasks_with_the_rows_units(tmp_path: Path) -> None:
    body = (
        "一、重点任务\n序号\t工作任务\t牵头单位\t完成时限\n"
        "1\t开展高层建筑消防设施专项检测。对检测不合格的限期整改。\t区消防救援支队\t6月底前\n"
    )
    notice(tmp_path, body)
    tasks = notice_of(tmp_path / "notice.txt").tasks
    assert [(t.text, t.units("lead"), [str(d.end) for d in t.deadlines]) for t in tasks] == [
        ("开展高层建筑消防设施专项检测", ["区消防救援支队"], ["2025-06-30"]),
        ("对检测不合格的限期整改", ["区消防救援支队"], ["2025-06-30"]),
    ]


def test_a_table_drawn_with_pipes_is_a_table(tmp_path: Path) -> None:
    body = (
        "一、重点任务\n| 序号 | 工作任务 | 牵头单位 | 完成时限 |\n| --- | --- | --- | --- |\n"
        "| 1 | 完成老旧电梯更新改造60台 | 区市场监管局 | 11月底前 |\n"
    )
    notice(tmp_path, body)
    [task] = notice_of(tmp_path / "notice.txt").tasks
    assert (task.text, task.units("lead"), [str(d.end) for d in task.deadlines]) == (
        "完成老旧电梯更新改造60台",
        ["区市场监管局"],
        ["2025-11-30"],
    )


def test_a_problem_list_inside_the_plan_gives_no_tasks(tmp_path: Path) -> None:
    """附：……问题清单 and the numbered findings under it are no tasks; the instruction after them is."""
    body = (
        "一、主要任务\n（三）抓好督查问题整改。\n附：2024年省级督查反馈问题清单\n"
        "1.部分乡镇应急物资储备不足，帐篷数量未达标。\n2.个别隐患点监测员未到岗。\n3.县级应急预案未及时修订。\n"
        "各有关单位要对照问题清单逐项整改，9月底前全部整改销号。\n"
    )
    assert notice(tmp_path, body) == ["各有关单位要对照问题清单逐项整改，9月底前全部整改销号"]


def test_a_bracketed_assignment_is_not_a_task(tmp_path: Path) -> None:
    body = "一、主要任务\n（一）健全统计制度。完善建筑垃圾统计方法。（区生态环境局牵头，区统计局参与）\n"
    assert notice(tmp_path, body) == ["完善建筑垃圾统计方法"]


def test_a_concrete_instruction_in_the_covering_notice_is_a_task() -> None:
    tasks = notice_of(RAW / "hd01_guowuyuan_anwei_2024_zhiben.txt").tasks
    first = tasks[0]
    assert first.origin == "notice"
    assert first.text.startswith("各省级安委会要加强工作统筹，及时将重点工作完成情况")
    assert all(task.origin == "body" for task in tasks[1:])


def test_numbered_items_are_tasks_with_their_number_in_the_section_path() -> None:
    """hd01 numbers its tasks 1.–20. under titled headings; 18. opens with a short sentence
    (聚焦……排查整治,强化……能力培训), which would be a run-in title, but its style numbers items
    everywhere else, so it is one too."""
    notice = notice_of(RAW / "hd01_guowuyuan_anwei_2024_zhiben.txt")
    item = next(task for task in notice.tasks if task.text.startswith("聚焦重大事故隐患排查整治"))
    assert item.text == "聚焦重大事故隐患排查整治，强化基层安全监管执法人员能力培训"
    assert item.section == ["三、主要任务", "（七）开展安全生产精准执法和帮扶行动", "18."]
    assert not any(section.title for section in notice.sections if section.number.startswith("18"))
    assert not any(re.match(r"\d{1,2}[.．]|[（(][一二三四五六七八九十]", task.text) for task in notice.tasks)


@pytest.mark.parametrize(
    "item, tasks",
    [
        ("3.对全区中小学校食堂开展全覆盖检查。（责任单位：区市场监管局、区教育局）", ["对全区中小学校食堂开展全覆盖检查"]),
        ("1.调整成员单位，修订职责清单。（牵头单位：区市场监管局）", ["调整成员单位，修订职责清单"]),
        ("5.各镇要建立聚餐备案制度；要定期组织乡村厨师体检。", ["各镇要建立聚餐备案制度", "要定期组织乡村厨师体检"]),
        # a title that runs on is a heading, however many clauses it joins (GUIDELINE)
        ("（一）压实安全生产责任，健全责任体系。各街镇要细化工作措施。", ["各街镇要细化工作措施"]),
        ("（二）做好应急预案的落实工作。要尽快完善应急预案。", ["要尽快完善应急预案"]),
        ("（一）加强组织领导\n各单位要成立领导小组。", ["各单位要成立领导小组"]),
        ("1.开展全覆盖检查。\n2.推进明厨亮灶建设。\n二、工作要求\n各单位要加强领导。",
         ["开展全覆盖检查", "推进明厨亮灶建设", "各单位要加强领导"]),
        # a bracket of units with no role word, or with no full stop before it, is an assignment
        ("7.完善事故多发点段排查整治机制。（市公安局交警支队、市交通运输局）", ["完善事故多发点段排查整治机制"]),
        ("2.开展道路运输企业标准化建设（市交通运输局负责）", ["开展道路运输企业标准化建设"]),
        ("6.推进消防车通道治理(市消防救援支队牵头;市公安局,各区人民政府配合)", ["推进消防车通道治理"]),
        ("3. 修订医疗机构火灾事故应急预案（责任单位：区卫健委、区应急局）", ["修订医疗机构火灾事故应急预案"]),
        # a title a wide space ends runs into the item's sentence
        ("（三）抓好重大危险源包保责任制落实\u3000各重大危险源企业要完成包保责任人培训。", ["各重大危险源企业要完成包保责任人培训"]),
        ("（四）推进老旧装置更新改造  各区要制定淘汰改造计划。", ["各区要制定淘汰改造计划"]),
        # numbers of other styles: 1.1, ⑴, a）, Ⅰ.
        ("1.1加强安全教育培训。\n1.2完善应急救援预案。", ["加强安全教育培训", "完善应急救援预案"]),
        ("⑴开展隐患排查。\n⑵建立整改台账。", ["开展隐患排查", "建立整改台账"]),
        ("a）落实企业主体责任。\nb）强化部门监管责任。", ["落实企业主体责任", "强化部门监管责任"]),
        # an assignment in 【】, written out after the item, or on the line below it
        ("1．6月底前完成二次供水设施改造120座【牵头单位：市水务局；配合单位：市住建局】", ["6月底前完成二次供水设施改造120座"]),
        ("（1）实施老旧供水管网更新改造八十公里。牵头单位：市供水集团；配合单位：市财政局", ["实施老旧供水管网更新改造八十公里"]),
        ("5. 食堂从业人员持健康证上岗。\n（区民政局牵头，区市场监管局配合）", ["食堂从业人员持健康证上岗"]),
        # a remark in brackets is no assignment
        ("4.组织职业院校（含技工院校）开展消防演练。", ["组织职业院校（含技工院校）开展消防演练"]),
        # units with the time they are due, or the time alone, after the item's one sentence
        ("1.开展高校毕业生就业服务，组织招聘会不少于30场。（区人社局，年底前）", ["开展高校毕业生就业服务，组织招聘会不少于30场"]),
        ("3.完成区级非遗代表性项目名录评审。（9月底前）\n4.推进文物保护。", ["完成区级非遗代表性项目名录评审。（9月底前）", "推进文物保护"]),
        ("2.完成全区河道保洁。（2025年12月底前完成）", ["完成全区河道保洁。（2025年12月底前完成）"]),
        ("5.开展扬尘专项检查，全年抽查工地不少于300家次。\n责任单位：区生态环境局", ["开展扬尘专项检查，全年抽查工地不少于300家次"]),
        # a stage's time after its title, with items under it, stays the heading's
        ("（一）部署发动。（2025年3月底前）\n1.制定实施方案。\n2.召开动员会议。", ["制定实施方案", "召开动员会议"]),
    ],
)  # fmt: skip
def test_a_numbered_item_is_a_task_and_a_title_a_heading(tmp_path: Path, item: str, tasks: list[str]) -> None:
    """An item is a task quoted without its number when its text reads as a sentence, joins clauses
    before going on, carries a bracket of units, or has nothing under it; a short title is a heading."""
    assert notice(tmp_path, "一、主要任务\n" + item + "\n") == tasks


@pytest.mark.parametrize(
    "item, lead, due",
    [
        ("1.开展就业服务，组织招聘会不少于30场。（区人社局，年底前）", "区人社局", "年底前"),
        ("2.上线数字展厅（区博物馆，10月底前完成）", "区博物馆", "10月底前"),
        ("3.完成名录评审（区人社局牵头，区民政局配合；2025年6月底前）", "区人社局", "2025年6月底前"),
    ],
)
def test_an_assignment_bracket_gives_its_units_and_the_time_beside_them(
    tmp_path: Path, item: str, lead: str, due: str
) -> None:
    notice(tmp_path, f"一、主要任务\n{item}\n")
    (task,) = notice_of(tmp_path / "notice.txt").tasks
    assert [p.name for p in task.parties if p.role == "lead"] == [lead]
    assert [d.text for d in task.deadlines] == [due]


@pytest.mark.parametrize(
    "body, expected",
    [
        # units written out after a paragraph's task are that paragraph's, not the one's before
        ("（一）住房保障\n区房管局要新增筹措保障性租赁住房1200套。\n推进旧区改造。区建管委牵头负责，各街镇配合。",
         [("区房管局要新增筹措保障性租赁住房1200套", [("区房管局", "lead")]),
          ("推进旧区改造", [("区建管委", "lead"), ("街镇", "co")])]),
        # a goal's bullet after a dash is no unit signed
        ("（一）主要目标\n——建成区级应急指挥中心。\n——全区综合减灾示范社区达到40个。",
         [("——建成区级应急指挥中心", []), ("——全区综合减灾示范社区达到40个", [])]),
        # a sentence whose subject phrase ends like a body's name is a task, not units
        ("（一）消防安全\n全区养老机构消防安全检查工作由区消防救援支队负责。\n鼓励为老服务社会组织参与。",
         [("全区养老机构消防安全检查工作由区消防救援支队负责", [("区消防救援支队", "lead")]),
          ("鼓励为老服务社会组织参与", [])]),
    ],
)  # fmt: skip
def test_what_is_no_units_sentence_and_how_far_one_reaches(
    tmp_path: Path, body: str, expected: list[tuple[str, list[tuple[str, str]]]]
) -> None:
    notice(tmp_path, "一、主要任务\n" + body + "\n")
    record = notice_of(tmp_path / "notice.txt")
    assert [(t.text, [(p.name, p.role) for p in t.parties]) for t in record.tasks] == expected


def test_the_units_patterns_read_a_long_list_of_units_in_one_pass() -> None:
    """Each unit's name has one reading: with two, a list of forty would take 2**40 tries (hostile
    input, or a long ordinary line, in the normaliser, which asks this of every open-ended line)."""
    twelve, forty = "、".join(f"区第{n}局" for n in range(12)), "、".join(f"区第{n}局" for n in range(40))
    assert is_assignment_line(twelve + "负责，各街镇配合")  # at most max_units names a list
    assert not is_assignment_line(forty + "负责，各街镇配合做好宣传动员工作")
    assert units_sentence().fullmatch("由" + "区财政局负责，" * 40 + "x") is None


@pytest.mark.parametrize(
    "item, text, parties, due",
    [
        ("1.完成河道整治5公里。区水务局负责。", "完成河道整治5公里", [("区水务局", "lead")], []),
        ("2.组织新入职教师参加规范化培训。人事科、区教育学院负责。", "组织新入职教师参加规范化培训",
         [("人事科", "lead"), ("区教育学院", "co")], []),
        ("3.上线10个“一件事”场景。由区政务服务办牵头，区大数据中心、区司法局配合。", "上线10个“一件事”场景",
         [("区政务服务办", "lead"), ("区大数据中心", "co"), ("区司法局", "co")], []),
        ("4.组建应急救援队伍3支。完成时限：2025年6月30日。责任单位：区应急局；协同单位：区民防办。",
         "组建应急救援队伍3支", [("区应急局", "lead"), ("区民防办", "co")], ["2025年6月30日"]),
        ("5.推进垃圾分类。责任单位：区农业农村委；配合单位：区文旅局；完成时限：三季度末", "推进垃圾分类",
         [("区农业农村委", "lead"), ("区文旅局", "co")], ["三季度末"]),
        # units signed after a dash, with their time
        ("7.三季度完成年度供地计划的80%。——区规划资源局", "三季度完成年度供地计划的80%", [("区规划资源局", "lead")], ["三季度"]),
        ("8.举办非遗展演活动10场。——区文旅局，11月底前", "举办非遗展演活动10场", [("区文旅局", "lead")], ["11月底前"]),
        # a unit that does the work is no assignment
        ("6.区水务局负责做好防汛准备。", "区水务局负责做好防汛准备", [("区水务局", "lead")], []),
    ],
)  # fmt: skip
def test_units_and_times_written_out_after_an_item_are_its_own(
    tmp_path: Path, item: str, text: str, parties: list[tuple[str, str]], due: list[str]
) -> None:
    """A sentence of nothing but units and their roles, or a labelled 完成时限, after an item's
    sentence assigns them to it: it is no task of its own (应急 is no modal either)."""
    notice(tmp_path, "一、主要任务\n" + item + "\n")
    (task,) = notice_of(tmp_path / "notice.txt").tasks
    assert (task.text, [(p.name, p.role) for p in task.parties], [d.text for d in task.deadlines]) == (
        text,
        parties,
        due,
    )


@pytest.mark.parametrize(
    "body, expected",
    [
        ("（一）推进挥发性有机物综合治理（牵头单位：区生态环境局；配合单位：区经委、各街镇）\n"
         "完成10家重点企业VOCs深度治理。开展汽修行业专项检查。",
         [("完成10家重点企业VOCs深度治理", [("区生态环境局", "lead"), ("区经委", "co"), ("街镇", "co")]),
          ("开展汽修行业专项检查", [("区生态环境局", "lead"), ("区经委", "co"), ("街镇", "co")])]),
        ("（二）加强扬尘污染防治\n责任单位：区住建委、区绿化市容局\n推进建筑工地扬尘在线监测全覆盖。",
         [("推进建筑工地扬尘在线监测全覆盖", [("区住建委", "lead"), ("区绿化市容局", "co")])]),
        # two label lines under the heading, both for the tasks below
        ("（四）扩大社会保险覆盖面\n牵头单位：区社保中心\n配合单位：区税务局、各街镇\n推进灵活就业人员参保扩面。",
         [("推进灵活就业人员参保扩面",
           [("灵活就业人员", "other"), ("区社保中心", "lead"), ("区税务局", "co"), ("街镇", "co")])]),
        # a heading whose units make its line long is still a heading
        ("（五）加强重点群体就业服务（牵头单位：区就业促进中心；配合单位：区教育局、区民政局、团区委、区残联）\n"
         "全年帮扶长期失业青年就业创业500人。",
         [("全年帮扶长期失业青年就业创业500人",
           [("区就业促进中心", "lead"), ("区教育局", "co"), ("区民政局", "co"), ("团区委", "co"), ("区残联", "co")])]),
        # the items below the heading have its units, unless they name their own
        ("（三）强化噪声管控（牵头单位：区生态环境局）\n1.开展夜间施工噪声专项检查。\n2.完成噪声地图编制。（责任单位：区规划资源局）",
         [("开展夜间施工噪声专项检查", [("区生态环境局", "lead")]), ("完成噪声地图编制", [("区规划资源局", "lead")])]),
    ],
)  # fmt: skip
def test_units_a_heading_assigns_cover_the_tasks_under_it(
    tmp_path: Path, body: str, expected: list[tuple[str, list[tuple[str, str]]]]
) -> None:
    """Units in a heading's bracket, or on a line of their own under it, go to every task that
    follows in its section and the items below it; an item's own units take their place."""
    notice(tmp_path, "一、重点任务\n" + body + "\n")
    record = notice_of(tmp_path / "notice.txt")
    assert [(t.text, [(p.name, p.role) for p in t.parties]) for t in record.tasks] == expected


def test_a_run_in_heading_is_the_section_title(tmp_path: Path) -> None:
    """（二）做好……的落实工作。要尽快…… — the first clause is the title when the item goes on."""
    body = (
        "一、主要任务\n（二）做好应急预案的落实工作。要尽快完善应急预案。\n3.开展全覆盖检查。（责任单位：区教育局）\n"
    )
    path = tmp_path / "notice.txt"
    notice(tmp_path, body)
    record = notice_of(path)
    assert [s.path for s in record.sections] == [
        ["一、主要任务"], ["一、主要任务", "（二）做好应急预案的落实工作"], ["一、主要任务", "（二）做好应急预案的落实工作", "3."]
    ]  # fmt: skip
    assert [t.section for t in record.tasks] == [record.sections[1].path, record.sections[2].path]


def test_sections_and_spans() -> None:
    notice = notice_of(RAW / "qingpu_2025_safety_plan.txt")
    titles = [(s.id, s.level, s.title) for s in notice.sections]
    assert titles[:3] == [("S1", 1, "进一步压实安全生产责任"), ("S2", 1, "全面开展安全生产治本攻坚三年行动（2024年-2026年）"),
                          ("S2.1", 2, "落实医疗卫生单位安全生产重大事故动态清零行动")]  # fmt: skip
    for task in notice.tasks:
        assert notice.text[task.span.start : task.span.end] == task.text
    t03 = next(t for t in notice.tasks if t.text.startswith("指导督促各医疗卫生单位"))
    assert t03.section == [
        "二、全面开展安全生产治本攻坚三年行动（2024年-2026年）",
        "（一）落实医疗卫生单位安全生产重大事故动态清零行动",
    ]
    assert (t03.span.page, t03.span.line) == (1, 57)  # line 57 of the text file


def test_gold_corpus_from_typeset_pdfs(tmp_path: Path) -> None:
    """The same notices typeset as PDFs (embedded CJK font, — N — page numbers) give the same records
    (so the same scores: test_quality.py holds those)."""
    pdfs = tmp_path / "pdf"
    pdfs.mkdir()
    for path in GOLD_TEXTS:
        pdf = typeset(parse_structure(normalise(load(path))), pdfs / f"{path.stem}.pdf")
        from_pdf, from_text = notice_of(pdf), notice_of(path)
        assert [t.text for t in from_pdf.tasks] == [t.text for t in from_text.tasks]
        assert from_pdf.meta == from_text.meta
        assert from_pdf.source.pages > 1
        for a, b in zip(from_pdf.tasks, from_text.tasks, strict=True):
            assert [(d.kind, d.start, d.end, d.recurrence) for d in a.deadlines] == [
                (d.kind, d.start, d.end, d.recurrence) for d in b.deadlines
            ]
            assert [(p.name, p.role) for p in a.parties] == [(p.name, p.role) for p in b.parties]
            assert [(t.value, t.unit) for t in a.targets] == [(t.value, t.unit) for t in b.targets]


def test_a_report_turning_to_its_audience_is_no_task(tmp_path: Path) -> None:
    """政府工作报告 address the deputies between parts: 各位代表！"""
    body = "一、主要任务\n各位代表！\n完成18家养护院改造。\n同志们：\n年内建成10个社区食堂。\n"
    assert notice(tmp_path, body) == ["完成18家养护院改造", "年内建成10个社区食堂"]
    reports = [notice_of(RAW / f"hd0{n}_guowuyuan_202{n - 5}_zhengfu_gongzuo_baogao.txt").tasks for n in (8, 9)]
    assert not any(task.text == "各位代表" for tasks in reports for task in tasks)


def test_a_table_that_restates_the_body_adds_no_tasks() -> None:
    """An annexed 重点任务清单 whose rows sum up the body's sentences: each row's units and 完成时限
    go to the sentence it restates; a row that restates nothing is a task of its own."""
    notice = notice_of(Path(__file__).parent / "fixtures" / "restated_task_list.txt")
    assert [
        (t.text, [(p.name, p.role) for p in t.parties if p.span.start > t.span.end], [str(d.end) for d in t.deadlines])
        for t in notice.tasks
    ] == [
        ("各单位要修订安全生产责任清单", [("区卫生健康委", "lead"), ("区应急局", "co")], ["2025-04-30"]),
        ("完成10家村卫生室标准化改造", [("区卫生健康委", "lead")], ["2025-12-31"]),
        ("开展医疗机构消防安全专项检查", [], []),
        ("组织开展安全生产月活动", [("区卫生健康委", "lead"), ("区消防救援支队", "co")], ["2025-06-30"]),
    ]


def test_hd10s_reforms_are_tasks_once_with_their_guiding_departments() -> None:
    """hd10 lists each reform in the body and again as a row of the annexed 推广清单."""
    notice = notice_of(RAW / "hd10_guobanfa_2018_126_chuangxin_tuiguang_table.txt")
    texts = [t.text for t in notice.tasks]
    assert texts.count("知识产权民事、刑事、行政案件“三合一”审判") == 1
    first = notice.tasks[texts.index("知识产权民事、刑事、行政案件“三合一”审判")]
    assert first.section[0] == "一、推广的改革举措（共23项）" and first.columns["指导部门"].startswith("最高人民法院")
