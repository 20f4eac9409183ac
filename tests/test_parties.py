"""Parties: names, roles from position and cue words, assignments, the issuer, canonical names."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.nlp import make_doc
from extractors.parties import assignment_parties, canonical_names, find_parties, issuer_forms
from tests.corpus import RAW, notice_of, notices_of

PDF02 = RAW / "pdf02_anweiban_2024_1_zhiben_zifangan.pdf"

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
        ("区应急局约谈辖区企业主要负责人", [("区应急局", "lead")]),  # 约谈 a word: not 区应急|局约|谈
        # a unit, then 于 and its time: not 区应急|局于|年底前
        ("区应急局于年底前完成应急预案修订", [("区应急局", "lead")]),
        ("区商务委于9月底前完成商贸企业检查", [("区商务委", "lead")]),
        ("各市场监管所于11月30日前将检查情况报送", [("市场监管所", "lead")]),
        ("停产企业处于整改状态的，要加强监管", []),  # 处于 stays a word: no 停产企业处
        # after a level, a verb before the suffix names the body's field (区|投促|中心), not its predicate
        ("区政务服务办要优化一网通办流程", [("区政务服务办", "lead")]),
        ("区文化执法大队要开展文化市场检查", [("区文化执法大队", "lead")]),
        ("区投促中心要完成招商任务", [("区投促中心", "lead")]),
        ("区政府服务企业要到位", [("区政府", "lead")]),
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
    "sentence, expected",
    [
        # a name runs on over 其他, 各有关 after a body's name
        ("国务院安委会其他成员单位要在职责范围内提供支持保障", [("国务院安委会其他成员单位", "lead")]),
        ("各省级安委会、国务院安委会各有关成员单位、有关中央企业要召开专题会议",
         [("省级安委会", "lead"), ("国务院安委会各有关成员单位", "lead"), ("有关中央企业", "lead")]),
        # levels of government, with a shared 各 or not
        ("各镇要建立农村集体聚餐申报备案制度", [("镇", "lead")]),
        ("各区、县级市要加强统筹", [("区", "lead"), ("县级市", "lead")]),
        ("周边地区要组织对重要基础电力设施逐一开展排查", [("周边地区", "lead")]),
        ("各地以县为单位，对小区配套幼儿园进行全面摸底排查", [("各地", "lead")]),
        # a subject without a modal
        ("各单位认真总结工作，固化经验做法", [("单位", "lead")]),
        # lists interrupted by 特别是
        ("各省、自治区、直辖市，特别是重点监视防御区所在地人民政府，也要抓紧立法工作",
         [("省", "lead"), ("自治区", "lead"), ("直辖市", "lead"), ("重点监视防御区所在地人民政府", "lead")]),
        ("有条件的地区，特别是地震重点监视防御区要进行地震应急演练", [("有条件的地区", "lead"), ("地震重点监视防御区", "lead")]),
        ("各地区、各部门特别是地震重点监视防御区所在地人民政府，要按照要求做好工作",
         [("地区", "lead"), ("部门", "lead"), ("地震重点监视防御区所在地人民政府", "lead")]),
        # phrase subjects: a name with what describes it
        ("有关的大中城市应完成震害预测工作", [("有关的大中城市", "lead")]),
        ("位于地震重点监视防御区的大中城市，应抓紧做好震害预测工作", [("位于地震重点监视防御区的大中城市", "lead")]),
        ("其中：负有安全生产监督管理职责的部门，要在方案中细化措施", [("负有安全生产监督管理职责的部门", "lead")]),
        # a list whose last item carries the shared noun stays one party; 请X
        ("请各省、自治区、直辖市人民政府认真贯彻落实", [("省、自治区、直辖市人民政府", "lead")]),
        # agents after 由: 由X负责, 由X自行开展, 组长由X担任
        ("训练赛由区有关部门、单位自行开展", [("区有关部门", "lead"), ("单位", "lead")]),
        ("应当由教育行政部门办成公办园", [("教育行政部门", "lead")]),
        ("组长由协助分管教育工作的国务院副秘书长担任", [("协助分管教育工作的国务院副秘书长", "lead")]),
        # co after 与 / 会同 / 配合, with lists and 等
        ("区卫生健康委会同区市场监管局，做好流行病学调查", [("区卫生健康委", "lead"), ("区市场监管局", "co")]),
        ("要建立与应急、消防、市场监管等有关部门的协作机制", [("应急部门", "co"), ("消防部门", "co"), ("市场监管部门", "co")]),
        # units a task makes act are other
        ("要定期组织乡村厨师开展健康体检", [("乡村厨师", "other")]),
        ("督促包保干部每季度至少开展1次督导", [("包保干部", "other")]),
        ("推动保险机构积极参与隐患排查整治工作", [("保险机构", "other")]),
        ("要发动基层网格力量，引导居民开展“三清三关”活动", [("基层网格力量", "other"), ("居民", "other")]),
        ("依托消防志愿者和网格员开展宣传", [("消防志愿者", "other"), ("网格员", "other")]),
        ("充分发动社会公众和从业人员举报隐患", [("社会公众", "other"), ("从业人员", "other")]),
        ("区有关部门要组织有关专家制作解读视频", [("区有关部门", "lead"), ("有关专家", "other")]),
        # 分行业领域 is how (by sector), not part of the name before it
        ("区有关部门要组织有关专家分行业领域制作视频", [("区有关部门", "lead"), ("有关专家", "other")]),
        ("电力企业总部要加强对下属企业的督促指导", [("电力企业总部", "lead"), ("下属企业", "other")]),
        # the writer's domain is where the units are, not part of their name
        ("各有关部门要指导和督促本行业、领域企业将判定标准纳入必学内容", [("有关部门", "lead"), ("企业", "other")]),
        ("区市场监管局要督促本辖区内企业完成自查", [("区市场监管局", "lead"), ("企业", "other")]),
        ("督促各行业、各领域生产经营单位建立隐患台账", [("生产经营单位", "other")]),
        ("引导行业媒体发力，曝光典型案例", [("行业媒体", "other")]),
        ("引导物业服务企业加强电动自行车充电管理", [("物业服务企业", "other")]),  # 服务 inside a name
        ("要督促“两客一危”企业落实主体责任", [("“两客一危”企业", "other")]),  # a quoted label opens a name
        ("县应急局要会同县教育局组织中小学生开展应急演练",  # not jieba's 会同县
         [("县应急局", "lead"), ("县教育局", "co"), ("中小学生", "other")]),
        # 对X，要督促……: X the topic a supervision reaches; a treatment (严肃处理) makes no party
        ("对医院、养老托育机构等场所，要督促严格落实夜间值班值守", [("医院", "other"), ("养老托育机构", "other")]),
        ("对存在问题的单位，要严肃处理", []),
        # levels of government inside a name, after its level and before its suffix
        ("各省（区、市）人民政府要把推广支持创新相关改革举措列为本地区重点工作", [("省（区、市）人民政府", "lead")]),
        ("各县（市、区）政府要加强组织领导", [("县（市、区）政府", "lead")]),
        # a subject that guides someone leads (pdf02: 商务部指导各地商务主管部门……)
        ("商务部指导各地商务主管部门进一步加强商贸行业安全生产管理", [("商务部", "lead"), ("商务主管部门", "other")]),
        ("支持各类职业院校（含技工院校）、普通高等学校和职业培训机构承担培训",
         [("职业院校（含技工院校）", "other"), ("普通高等学校", "other"), ("职业培训机构", "other")]),
        ("充分发挥各级政府在防震减灾中的职能作用", [("政府", "other")]),
        ("充分发挥专家作用，提高检查质量", [("专家", "other")]),
        ("各级地震部门要充分发挥主管部门的作用", [("地震部门", "lead")]),
        ("建立由政府负责人牵头、相关部门共同参与的工作机制", [("政府负责人", "lead"), ("相关部门", "co")]),
        ("由地方统筹纳入就业补助资金", [("地方", "lead")]),
        ("要积极推动设区的市制定完善安全生产地方性法规标准", [("设区的市", "other")]),
        ("要指导和督促企业对照判定标准开展自查", [("企业", "other")]),
        ("各级卫生健康行政部门要组织对辖区内各医疗卫生机构进行安全生产培训",
         [("卫生健康行政部门", "lead"), ("辖区内各医疗卫生机构", "other")]),
        ("分别由机构编制部门和民政部门依法办理登记", [("机构编制部门", "lead"), ("民政部门", "lead")]),
        ("成立工作小组，组长由国务院副秘书长担任，成员由教育部、民政部、自然资源部等部门负责同志组成",
         [("国务院副秘书长", "lead"), ("教育部", "co"), ("民政部", "co"), ("自然资源部", "co")]),
        ("会同中央党校集中开展培训", [("中央党校", "co")]),
        ("确保重点行业领域安全生产形势稳定，是各级各部门的一项重要政治任务", [("部门", "lead")]),
        ("企业班组或车间等生产经营一线，要利用晨会进行学习", [("企业班组", "lead"), ("车间", "lead")]),
        ("地方各级人民政府特别是地震重点监视防御区所在地的人民政府应把宣传作为一项重要内容",
         [("地方各级人民政府", "lead"), ("地震重点监视防御区所在地的人民政府", "lead")]),
        ("逐步建立与具有相关安全生产管理职责的部门间的协作机制", [("具有相关安全生产管理职责的部门", "co")]),
        ("要建立与应急、民政、教育和生态环境等有关部门的协作机制",
         [("应急部门", "co"), ("民政部门", "co"), ("教育部门", "co"), ("生态环境部门", "co")]),
        # district bodies, as the genre names them (each was cut to its level word, or lost)
        ("区生态环境局要督促重点排污单位安装在线监测设备", [("区生态环境局", "lead"), ("重点排污单位", "other")]),
        ("区民政局要督促养老机构落实消防安全责任", [("区民政局", "lead"), ("养老机构", "other")]),
        ("市场监管所要加强日常巡查", [("市场监管所", "lead")]),
        ("卫生监督所要加大监督检查力度", [("卫生监督所", "lead")]),
        ("区农业农村委对全区农药经营门店开展检查", [("区农业农村委", "lead")]),
        ("区委宣传部、区融媒体中心要加强安全生产宣传报道", [("区委宣传部", "lead"), ("区融媒体中心", "lead")]),
        ("区规划资源局会同区住建委做好地质灾害防治工作", [("区规划资源局", "lead"), ("区住建委", "co")]),
        ("区市场监管局联合区商务委开展联合检查", [("区市场监管局", "lead"), ("区商务委", "co")]),
        # lists of levels and of collectives
        ("市、区两级要建立联席会议制度", [("市", "lead"), ("区", "lead")]),
        ("省、市、县三级要建立健全工作机制", [("省", "lead"), ("市", "lead"), ("县", "lead")]),
        ("各地区各部门要认真贯彻落实", [("地区", "lead"), ("部门", "lead")]),
        ("各地各有关部门要积极开展政策宣传", [("各地", "lead"), ("有关部门", "lead")]),
        ("商务部、发展改革委、供销合作总社、财政部等部门要加强协调",
         [("商务部", "lead"), ("发展改革委", "lead"), ("供销合作总社", "lead"), ("财政部", "lead")]),
        # a body's name with 和 between two fields, a verb inside it, a business or a venue
        ("区住房和城乡建设局要开展燃气检查", [("区住房和城乡建设局", "lead")]),
        ("省工业和信息化厅、省人力资源和社会保障厅要做好保障", [("省工业和信息化厅", "lead"), ("省人力资源和社会保障厅", "lead")]),
        ("县教育和体育局会同县卫生和健康局开展检查", [("县教育和体育局", "lead"), ("县卫生和健康局", "co")]),
        ("区市场监督管理局要加强抽检", [("区市场监督管理局", "lead")]),
        ("省政务服务和数据管理局要建设政务数据共享平台", [("省政务服务和数据管理局", "lead")]),
        ("拆解企业要落实危险废物贮存管理规定", [("拆解企业", "lead")]),  # a verb's field before a modal
        ("省退役军人事务厅要做好优抚工作", [("省退役军人事务厅", "lead")]),
        ("旅行社要严格执行安全制度", [("旅行社", "lead")]),
        ("营业性演出场所要落实观众疏散预案", [("营业性演出场所", "lead")]),  # a venue a modal makes act
        ("各市（州）应急管理局、消防救援支队要开展联合演练", [("市（州）应急管理局", "lead"), ("消防救援支队", "lead")]),
        ("市（州）、县（市、区）人民政府要落实属地责任", [("市（州）、县（市、区）人民政府", "lead")]),
        ("各州、市要加强领导", [("州", "lead"), ("市", "lead")]),
        ("文化馆、图书馆、博物馆要开展安全检查", [("文化馆", "lead"), ("图书馆", "lead"), ("博物馆", "lead")]),
        ("各镇街要落实属地责任", [("镇街", "lead")]),
        ("鼓励供销合作社、邮政和大型电商企业参与", [("供销合作社", "other")]),  # 和 between two names
        ("省应急厅、省水利厅、省自然资源厅等部门要加强会商",
         [("省应急厅", "lead"), ("省水利厅", "lead"), ("省自然资源厅", "lead")]),
        ("各市、县（市、区）要建立工作专班", [("市", "lead"), ("县（市、区）", "lead")]),
        ("各设区市、县（市、区）人民政府要落实属地责任", [("设区市、县（市、区）人民政府", "lead")]),
        ("各级财政、审计部门要加强监督", [("财政、审计部门", "lead")]),
        ("财政、审计、市场监管部门要加强监督", [("财政、审计、市场监管部门", "lead")]),
        ("推动氧气瓶制造、充装单位建成追溯体系", [("氧气瓶制造、充装单位", "other")]),
        ("依托消防志愿者和义务培训组织开展宣传", [("消防志愿者", "other"), ("义务培训组织", "other")]),
        # units in a list that goes on to modify a noun are not made to act
        ("持续推进职业健康检查机构、职业病诊断机构和尘肺病康复站的规范化管理", []),
        ("各地方电力管理部门要加强监管", [("地方电力管理部门", "lead")]),  # stripping 各 eats no character
        ("重点林区县要组建专业扑火队", [("重点林区县", "lead")]),
        ("各省、自治区、直辖市，特别是长江、黄河流域沿江城市所在地人民政府，要加强防汛工作",
         [("省", "lead"), ("自治区", "lead"), ("直辖市", "lead"), ("长江、黄河流域沿江城市所在地人民政府", "lead")]),
        # agents jieba's guesses glued to a preposition (委在, 由水, 长由)
        ("请国家发展改革委在安排中央预算内投资时给予倾斜", [("国家发展改革委", "lead")]),
        ("防洪工程的验收和备案分别由水行政主管部门和住房城乡建设部门办理",
         [("水行政主管部门", "lead"), ("住房城乡建设部门", "lead")]),
        ("城市防汛指挥部指挥长由市长担任", [("市长", "lead")]),
        ("领导小组组长由区长担任", [("区长", "lead")]),  # a post is no one who acts
        ("组长由民政部分管副部长担任", [("民政部分管副部长", "lead")]),
        ("各学校校长要落实安全责任", [("学校校长", "lead")]),
        # who joins in, and members of a group
        ("由区应急局牵头，区公安分局、区交警支队共同参与", [("区应急局", "lead"), ("区公安分局", "co"), ("区交警支队", "co")]),
        ("成立由分管副区长任组长，区应急局、区公安分局等部门负责同志为成员的领导小组",
         [("区应急局", "co"), ("区公安分局", "co")]),
        # who works with whom: 与……共同, 协同 with an object, 请X会同
        ("市应急局与市公安局、市交通局共同开展检查", [("市应急局", "lead"), ("市公安局", "co"), ("市交通局", "co")]),
        ("市人防办协同公安、交通等部门开展演练", [("市人防办", "lead"), ("公安部门", "co"), ("交通部门", "co")]),
        ("区公安分局参与联合检查", [("区公安分局", "co")]),
        ("请财政部会同我部研究制定补助办法", [("财政部", "lead"), ("我部", "co")]),
        # those a task makes act: farmers, farms
        ("指导家庭农场主建立农药使用记录", [("家庭农场主", "other")]),
        ("推动规模养殖场完成粪污处理设施改造", [("规模养殖场", "other")]),
        # who is asked or needed to join in
        ("请区公安分局配合做好交通疏导", [("区公安分局", "co")]),
        ("需要其他相关部门支持配合的，地方各级人民政府要加强统筹协调", [("其他相关部门", "co"), ("地方各级人民政府", "lead")]),
        # a directive or a cue opens no subject
        ("鉴于首都圈地区的特殊重要性，建议将首都圈地区建成示范区", []),
        ("发挥社会组织联系政府、服务企业作用", []),  # verbs and their objects, no fields of a unit
        ("对人员密集场所开展检查", []),  # a venue inspected is where, not who
        ("各部门要聚焦企业安全生产主体责任落实", [("部门", "lead")]),  # what a task aims at
        ("推进安全生产组织架构优化、专职人员配备", []),
        ("要加大统筹协调力度，会同有关部门建立完善促进综合保税区发展的部门协调机制", [("有关部门", "co")]),
        # who qualifies under a condition is not who acts
        ("符合申请条件的人员自主创业的，可申请创业担保贷款", []),
    ],
)  # fmt: skip
def test_subject_list_and_agent_forms(sentence: str, expected: list[tuple[str, str]]) -> None:
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
        "要充分发挥主管部门的作用",  # the role a subject (before it) plays, not a unit made to act
        # a verb at a clause's start takes its object; it is no unit's name
        "走访企业了解安全生产情况，帮扶企业整改隐患",
        "培训从业人员不少于500人次",
        "面向社会公众开展消防安全宣传",
        "将补贴申领条件由企业在职职工参保3年以上放宽至参保1年以上",  # from what to what, not by whom
        "体育竞赛表演产业成为推动经济社会持续发展的重要力量",
        # a verb inside a run of words that ends in people or a place names no subject
        "多渠道增加城乡居民收入",
        "2024年底前初步建立配合负有安全监管职责的有关部门开展联合执法的工作机制",
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
        # a list that only guides is led by its first, as a 指导部门 column is; beside a lead it joins in
        ("（生态环境部、国家发展改革委、国家统计局指导）",
         [("生态环境部", "lead"), ("国家发展改革委", "co"), ("国家统计局", "co")]),
        ("（区应急局牵头，区卫健委、区消防救援支队指导）",
         [("区应急局", "lead"), ("区卫健委", "co"), ("区消防救援支队", "co")]),
        # units without a role word: the first listed leads, the others are co (列第一位的为牵头单位)
        ("（教育部和民政部负责）", [("教育部", "lead"), ("民政部", "co")]),
        ("（责任单位：区市场监管局、区教育局、区卫生健康委）",
         [("区市场监管局", "lead"), ("区教育局", "co"), ("区卫生健康委", "co")]),
        ("（区应急局、区消防救援支队等按职责分工负责）", [("区应急局", "lead"), ("区消防救援支队", "co")]),
        ("（推进单位：区住房城乡建设委、区规划资源局）", [("区住房城乡建设委", "lead"), ("区规划资源局", "co")]),
        # a label with a role word gives every unit that role
        ("（牵头单位：各街道办事处、镇人民政府）", [("街道办事处", "lead"), ("镇人民政府", "lead")]),
        ("（牵头单位：区卫生健康委；支撑单位：区疾控中心、区卫生监督所）",
         [("区卫生健康委", "lead"), ("区疾控中心", "co"), ("区卫生监督所", "co")]),
        ("（区教育局牵头，区公安分局、区消防救援支队配合）",
         [("区教育局", "lead"), ("区公安分局", "co"), ("区消防救援支队", "co")]),
        ("（参与单位：区科委）", [("区科委", "co")]),
        # labels by their role word, whatever kind of unit they name; units under a label whatever their ending
        ("（牵头科室：办公室；配合科室：医政医管科）", [("办公室", "lead"), ("医政医管科", "co")]),
        ("（牵头单位：区教育督导室；配合单位：区教育局）", [("区教育督导室", "lead"), ("区教育局", "co")]),
        # a list of collectives has no first to lead it
        ("（各有关部门和单位按职责分工负责）", [("有关部门", "lead"), ("单位", "lead")]),
        # a list that runs over a comma to its verb; a collective closing it
        ("（人力资源社会保障部、科技部，各省级人民政府按职责分工负责）",
         [("人力资源社会保障部", "lead"), ("科技部", "co"), ("省级人民政府", "co")]),
        ("（人力资源社会保障部等有关部门和单位负责）", [("人力资源社会保障部", "lead")]),
        # units and no role word: the first listed leads (列第一位的为牵头单位)
        ("（市公安局交警支队、市交通运输局、市住建局）",
         [("市公安局交警支队", "lead"), ("市交通运输局", "co"), ("市住建局", "co")]),
        ("（主责单位：市应急局；协同单位：市委编办、各县（区）人民政府）",  # a unit's own bracket
         [("市应急局", "lead"), ("市委编办", "co"), ("县（区）人民政府", "co")]),
        ("（由市应急局牵头，市生态环境局、市工信局参与）", [("市应急局", "lead"), ("市生态环境局", "co"), ("市工信局", "co")]),
        ("（牵头部门：市教育局协助部门：市公安局交警支队）", [("市教育局", "lead"), ("市公安局交警支队", "co")]),  # no separator
        ("（市消防救援支队、市公安局，市消防救援支队牵头）", [("市公安局", "co"), ("市消防救援支队", "lead")]),
        ("（市交通运输局会同市水利局负责）", [("市交通运输局", "lead"), ("市水利局", "co")]),
        ("【牵头单位：市水务局；配合单位：市住建局】", [("市水务局", "lead"), ("市住建局", "co")]),
        ("(市消防救援支队牵头;市公安局、市住建局,各区人民政府配合)",
         [("市消防救援支队", "lead"), ("市公安局", "co"), ("市住建局", "co"), ("区人民政府", "co")]),
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
    # 城乡 is no place: 柳林区住房和城乡建设局 is 区住建局, not 乡建设局
    assert issuer_forms(["柳林区住房和城乡建设局"], "区住建局要对起重机械开展检查")[1] == "区住建局"
    # a government's committee goes by the committee alone
    assert issuer_forms(["滨江市人民政府安全生产委员会办公室"], "市安委办牵头开展考核")[1] == "市安委办"
    # 城市, 城乡 after a level are words of the body's name, not a place 区城 (but 聊城 + 市 is one)
    assert issuer_forms(["滨江区城市管理委员会"], "开展市容环境整治")[1] == "区城市管理委员会"
    assert issuer_forms(["宁波市鄞州区城乡建设局"], "推进老旧小区改造")[1] == "区城乡建设局"
    assert issuer_forms(["山东省聊城市城市管理局"], "开展占道经营整治")[1] == "市城市管理局"
    assert issuer_forms(["济南市市中区教育局"], "开展校园安全检查")[1] == "区教育局"


def test_canonical_names_join_short_and_long_forms() -> None:
    canonical = canonical_names(["区卫健委", "区卫生健康委员会", "区消防救援支队", "市卫健委"])
    assert canonical["区卫健委"] == canonical["区卫生健康委员会"] == "区卫生健康委员会"
    assert canonical["市卫健委"] == "市卫健委"  # another level, another unit


def test_an_enumeration_item_is_led_by_the_lead_of_its_introduction() -> None:
    tasks = {t.text[:3]: t for t in notice_of(RAW / "qingpu_2025_safety_plan.txt").tasks}
    assert tasks["一季度"].implicit_lead == "医疗卫生单位"
    assert tasks["四季度"].implicit_lead == "医疗卫生单位"
    assert tasks["修订安"].implicit_lead == "区卫生健康委"


def test_enumeration_items_on_lines_of_their_own_are_led_by_the_lead_in(tmp_path: Path) -> None:
    """各乡镇要按以下节点推进工作： is no task, but its subject leads the items under it."""
    text = DISTRICT_HEAD + (
        "现将《2024年工作安排》印发给你们，请认真贯彻落实。\n东江区市场监督管理局\n2024年2月26日\n"
        "2024年工作安排\n一、主要任务\n（一）分阶段推进。各镇要按以下节点推进工作：\n一季度：完成培训；\n"
        "二季度：完成监控改造。\n（二）加强抽检。区市场监管局要加强抽检。\n一季度：完成粮油抽检；\n二季度：完成肉类抽检。\n"
    )
    assert _leads(tmp_path, text) == [
        ("一季度：完成培训", "镇", []),
        ("二季度：完成监控改造", "镇", []),
        ("区市场监管局要加强抽检", None, ["区市场监管局"]),
        ("一季度：完成粮油抽检", "区市场监管局", []),
        ("二季度：完成肉类抽检", "区市场监管局", []),
    ]


def test_numbered_items_a_task_announces_are_led_by_it(tmp_path: Path) -> None:
    """各街道要……，具体安排如下： then 1.…… 2.……: each item continues the task that announces the list."""
    text = DISTRICT_HEAD + (
        "现将《2024年工作安排》印发给你们，请认真贯彻落实。\n东江区市场监督管理局\n2024年2月26日\n"
        "2024年工作安排\n一、主要任务\n（一）开展知识竞赛\n各街道办事处要组织辖区企业参加知识竞赛，具体安排如下：\n"
        "1.4月份完成初赛；\n2.6月份完成决赛。\n（二）加强宣传\n推广食品安全公益广告。\n"
    )
    assert [(task, lead) for task, lead, _ in _leads(tmp_path, text)] == [
        ("各街道办事处要组织辖区企业参加知识竞赛，具体安排如下：", None),
        ("4月份完成初赛", "街道办事处"),
        ("6月份完成决赛", "街道办事处"),
        ("推广食品安全公益广告", "区市场监督管理局"),  # the issuer, as no short form of it is used
    ]


def test_units_of_a_table_row_come_from_its_columns() -> None:
    row = next(t for t in notice_of(RAW / "hd10_guobanfa_2018_126_chuangxin_tuiguang_table.txt").tasks if t.columns)
    assert [(p.name, p.role) for p in row.parties] == [  # 指导部门: the first listed leads
        ("最高人民法院", "lead"),
        ("最高人民检察院", "co"),
        ("国家知识产权局", "co"),
    ]
    assert row.implicit_lead is None


def _leads(tmp_path: Path, text: str) -> list[tuple[str, str | None, list[str]]]:
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    return [(t.text, t.implicit_lead, [p.name for p in t.parties if p.role == "lead"]) for t in notice_of(path).tasks]


DISTRICT_HEAD = "东江区市场监督管理局文件\n东市监〔2024〕15号\n关于印发《2024年工作安排》的通知\n各镇人民政府：\n"


def test_a_sentence_without_a_subject_continues_the_one_before_it(tmp_path: Path) -> None:
    """In a paragraph, a task with no subject is led by the lead of the task before it (and a
    clause after ；); a paragraph's first task by the issuer, in the form the notice uses."""
    text = DISTRICT_HEAD + (
        "现将《2024年工作安排》印发给你们，请认真贯彻落实。\n东江区市场监督管理局\n2024年2月26日\n"
        "2024年工作安排\n一、主要任务\n各镇要建立聚餐备案制度；要定期组织乡村厨师体检。要做好宣传。\n"
        "推广使用追溯平台。区市场监管局要加强抽检。\n"
    )
    assert _leads(tmp_path, text) == [
        ("各镇要建立聚餐备案制度", None, ["镇"]),
        ("要定期组织乡村厨师体检", "镇", []),
        ("要做好宣传", "镇", []),
        ("推广使用追溯平台", "区市场监管局", []),  # a new paragraph: the issuer, as the notice calls itself
        ("区市场监管局要加强抽检", None, ["区市场监管局"]),
    ]


def test_a_joint_header_leads_with_both_issuers_as_the_notice_calls_them(tmp_path: Path) -> None:
    text = (
        "山东省人民政府安全生产委员会\n山东省人民政府消防安全委员会\n鲁安发〔2024〕1号\n关于切实做好消防安全防控工作的紧急通知\n"
        "各市人民政府，省政府安委会各成员单位、省政府消安委各成员单位：\n现将有关事项通知如下：\n"
        "一、强化宣传\n持续开展消防宣传“五进”工作。\n山东省人民政府安全生产委员会\n2024年1月21日\n"
    )
    assert _leads(tmp_path, text)[0][1] == "省政府安委会、省政府消安委"


@pytest.mark.parametrize(
    "covering, plan, drafter",
    [
        # a forwarded report belongs to its author, who signs it
        ("国务院办公厅转发国家地震局关于防震减灾工作意见报告的通知\n各省人民政府：\n国家地震局的报告已经国务院同意，现转发给你们，请认真贯彻执行。\n国务院办公厅\n1997年2月4日\n",
         "关于防震减灾工作意见的报告\n国务院：\n二、加强防震减灾工作的意见\n要尽快完善地震应急预案。\n国家地震局\n1997年1月20日\n",
         "国家地震局"),
        # a sub-plan names its drafter
        ("国务院安委会办公室关于印发各部门治本攻坚方案的通知\n各省级安委会：\n现将方案印发给你们，请认真贯彻落实。\n国务院安委会办公室\n2024年2月1日\n",
         "卫生健康系统安全生产治本攻坚三年行动方案\n国家卫生健康委结合工作实际制定本方案。\n一、主要任务\n加强各类机构安全管理。\n",
         "国家卫生健康委"),
        # an office issues its government's plan, and signs it again
        ("东川县人民政府办公室关于印发《东川县防灾减灾工作方案》的通知\n各乡镇人民政府：\n《东川县防灾减灾工作方案》已经县政府同意，现印发给你们，请认真组织实施。\n东川县人民政府办公室\n2025年4月3日\n",
         "东川县防灾减灾工作方案\n一、主要任务\n加强各类机构安全管理。\n东川县人民政府办公室\n2025年4月3日\n",
         "县政府"),
        # an office issues its government's plan
        ("东江区人民政府办公室关于印发《东江区安全生产工作方案》的通知\n各镇人民政府：\n经区政府同意，现将《东江区安全生产工作方案》印发给你们，请认真贯彻落实。\n东江区人民政府办公室\n2025年3月1日\n",
         "东江区安全生产工作方案\n一、主要任务\n加强各类机构安全管理。\n",
         "区政府"),
    ],
)  # fmt: skip
def test_a_plan_belongs_to_its_drafter(tmp_path: Path, covering: str, plan: str, drafter: str) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(covering + plan, encoding="utf-8")
    record = notice_of(path)
    assert record.meta.drafter == drafter
    assert [t.implicit_lead for t in record.tasks if t.origin == "body"] == [drafter]


def test_a_plan_whose_preamble_names_its_drafter_after_a_comma_is_led_by_it(tmp_path: Path) -> None:
    path = tmp_path / "bundle.txt"
    path.write_text(
        "某省安全生产委员会办公室文件\n某安办〔2025〕3号\n关于印发省直部门子方案的通知\n各市安委会：\n"
        "现将省直有关部门子方案印发给你们，请认真贯彻落实。\n某省安全生产委员会办公室\n2025年2月10日\n"
        "城镇燃气安全治本攻坚实施方案\n省住房和城乡建设厅结合工作实际，制定本方案。\n一、重点任务\n（一）开展燃气管道排查整治。\n"
        "校园安全治本攻坚实施方案\n省教育厅结合工作实际，制定本方案。\n一、重点任务\n（一）健全学校安全风险防控体系。\n",
        encoding="utf-8",
    )
    assert [p.meta.drafter for p in notices_of(path)] == ["省住房和城乡建设厅", "省教育厅"]


def test_a_bundled_plan_titled_by_its_drafter_is_led_by_it(tmp_path: Path) -> None:
    path = tmp_path / "bundle.txt"
    path.write_text(
        "安徽省安全生产委员会办公室文件\n皖安办〔2025〕3号\n关于印发安全生产治本攻坚三年行动省直部门子方案的通知\n"
        "各市安委会：\n现将省直有关部门子方案印发给你们，请认真贯彻落实。\n安徽省安全生产委员会办公室\n2025年2月10日\n"
        "省交通运输厅道路运输安全治本攻坚三年行动实施方案\n一、重点任务\n（一）强化客运车辆动态监控。\n（二）开展企业标准化建设。\n"
        "省教育厅校园安全治本攻坚三年行动实施方案\n一、重点任务\n（一）健全学校安全风险防控体系。\n（二）加强校车安全管理。\n",
        encoding="utf-8",
    )
    plans = notices_of(path)
    assert [p.meta.drafter for p in plans] == ["省交通运输厅", "省教育厅"]
    assert [[t.implicit_lead for t in p.tasks] for p in plans] == [["省交通运输厅"] * 2, ["省教育厅"] * 2]


def test_pdf02s_sub_plans_are_led_by_their_drafters() -> None:
    """Each of the 31 sub-plans is its department's plan, not the forwarding office's."""
    plans = notices_of(PDF02)
    body = [t for p in plans for t in p.tasks if t.origin == "body"]
    office = [t for t in body if t.implicit_lead == "国务院安委会办公室" and not t.units("lead")]
    assert len(office) <= 0.1 * len(body)
    assert plans[12].meta.drafter == "国家卫生健康委"


def test_a_collective_is_shown_as_the_text_writes_it(tmp_path: Path) -> None:
    """单位 for the scorer (no leading 各), 各单位 for the analyst: the matrix, workbook and summary
    show a unit by its canonical name, which for a collective is the text's own."""
    text = (
        DISTRICT_HEAD
        + "现将有关事项通知如下：\n一、主要任务\n各单位要加强组织领导。全区各医疗机构要开展自查。\n东江区市场监督管理局\n2024年2月26日\n"
    )
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    parties = [(p.name, p.written, p.canonical) for t in notice_of(path).tasks for p in t.parties]
    assert parties == [("单位", "各单位", "各单位"), ("全区各医疗机构", "全区各医疗机构", "全区各医疗机构")]


def test_a_report_speaking_of_itself_names_its_author(tmp_path: Path) -> None:
    """我局将尽快…… in 国家地震局's report: 国家地震局 leads."""
    text = (
        "国务院办公厅转发国家地震局关于防震减灾工作意见报告的通知\n各省人民政府：\n国家地震局的报告已经国务院同意，现转发给你们，请认真贯彻执行。\n"
        "国务院办公厅\n1997年2月4日\n关于防震减灾工作意见的报告\n国务院：\n二、加强防震减灾工作的意见\n"
        "我局将尽快向各地提供宣传教育大纲。\n国家地震局\n1997年1月20日\n"
    )
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    [task] = notice_of(path).tasks
    assert [(p.name, p.written, p.role) for p in task.parties] == [("国家地震局", "我局", "lead")]


def test_a_list_closed_by_a_level_after_等和() -> None:
    """hd31: （全国工商联、……、全国妇联等和各省级人民政府负责）: the named units, then the provinces."""
    bracket = "（全国工商联、发展改革委、共青团中央、全国妇联等和各省级人民政府负责）"
    assert [(p.name, p.role) for p in assignment_parties(bracket)] == [
        ("全国工商联", "lead"), ("发展改革委", "co"), ("共青团中央", "co"), ("全国妇联", "co"), ("省级人民政府", "co")
    ]  # fmt: skip


def test_units_every_later_assignment_leaves_out_are_parties_of_each() -> None:
    """hd13: （生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）: the pilot
    cities' governments carry out every later bracketed item too; not the items before."""
    tasks = notice_of(Path(__file__).parent / "fixtures" / "standing_assignment.txt").tasks
    parties = {t.text[:12]: [(p.name, p.role) for p in t.parties] for t in tasks}
    assert parties["建立“无废城市”建设指标"][0] == ("生态环境部", "lead")
    assert ("试点城市政府", "lead") not in parties["建立“无废城市”建设指标"]
    assert parties["优化固体废物管理体制机制"] == [("生态环境部", "co"), ("试点城市政府", "lead")]
    assert parties["全面实施绿色开采，减少矿"] == [
        ("自然资源部", "lead"), ("工业和信息化部", "co"), ("试点城市政府", "lead")
    ]  # fmt: skip


def test_an_assignment_written_out_after_its_item_covers_it() -> None:
    """牵头单位：……；配合单位：……。 or 区教育局、区公安分局按职责分工负责。 as sentences of their own,
    after the item's tasks, assign units as a bracket does; they are no tasks."""
    tasks = notice_of(Path(__file__).parent / "fixtures" / "assignments_written_out.txt").tasks
    assert [(t.text, [(p.name, p.role) for p in t.parties]) for t in tasks] == [
        ("开展燃气安全专项检查", [("区住建委", "lead"), ("区市场监管局", "co"), ("区消防救援支队", "co")]),
        ("完成50家餐饮场所燃气报警器安装", [("区住建委", "lead"), ("区市场监管局", "co"), ("区消防救援支队", "co")]),
        ("开展校园周边治安整治", [("区教育局", "lead"), ("区公安分局", "co")]),
    ]


def test_a_bureau_that_writes_经区政府同意_still_speaks_for_itself(tmp_path: Path) -> None:
    """Only an office issues a plan on its government's behalf; a bureau's plan is its own."""
    text = (
        "东江区应急管理局文件\n东应急〔2025〕3号\n关于印发《东江区安全生产专项整治方案》的通知\n各镇人民政府：\n"
        "经区政府同意，现将《东江区安全生产专项整治方案》印发给你们，请认真贯彻落实。\n东江区应急管理局\n2025年3月1日\n"
        "东江区安全生产专项整治方案\n一、主要任务\n加强安全生产执法检查。区应急局要加强督导。\n"
    )
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    record = notice_of(path)
    assert record.meta.drafter is None
    assert record.tasks[0].implicit_lead == "区应急局"  # as the notice calls itself


def test_a_unit_written_with_and_without_各_is_one_unit() -> None:
    """医疗卫生单位, 各医疗卫生单位, 各级医疗卫生单位, 各级各类医疗卫生单位: one column of the matrix."""
    notice = notice_of(RAW / "qingpu_2025_safety_plan.txt")
    written = {p.written for t in notice.tasks for p in t.parties if p.name == "医疗卫生单位"}
    assert len(written) > 1
    assert {p.canonical for t in notice.tasks for p in t.parties if p.name == "医疗卫生单位"} == {"医疗卫生单位"}
    assert canonical_names(["单位"], [("单位", "各单位"), ("单位", "各单位"), ("单位", "单位")]) == {"单位": "各单位"}
