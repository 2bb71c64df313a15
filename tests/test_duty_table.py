# ruff: noqa: E501  (a table of printed sentences: a line of Chinese is wider than it is long)
"""Who must do what by when, on real sentences: every text below is printed in the bundled samples or in the wide law
corpus (../shared/corpus/laws-wide/plain, file noted); the expected agencies, roles and deadlines are read by hand.

Forms: "task" — a numbered task closing with its assignment bracket; "fields" — a task followed by
责任领导：/牵头单位：/配合单位： lines; "article" — an article of a law or rule (legal duties)."""

from __future__ import annotations

import pytest

from gongbao.link.duties import find_duties
from gongbao.model import Document, Provision, Source

SX = "山西省人民政府办公厅"
SZ = "朔州市人民政府办公室"

# (issuer, form, text, {(agency, role)}, deadline of every duty)
CASES = [
    # 002: 山西省新污染物治理工作方案
    (SX, "task", "（一）开展化学物质环境信息调查。按照国家化学物质环境信息调查制度，组织开展重点行业中重点化学物质生产使用"
     "的品种、数量、用途等基本信息调查。到2023年年底前，完成我省首轮化学物质基本信息调查。（省生态环境厅负责，各市人民政府落"
     "实。以下均需各市人民政府落实，不再列出）",
     {("山西省生态环境厅", "responsible"), ("各市人民政府", "responsible")}, "2023-12-31"),
    (SX, "task", "（一）建立“一清单和一名单”管控制度。建立我省“一清单和一名单”动态管控制度。（省生态环境厅牵头，省工信厅、"
     "省农业农村厅、省商务厅、省卫健委、太原海关、省市场监管局、省药监局等按职责分工负责）",
     {("山西省生态环境厅", "lead"), ("山西省工业和信息化厅", "cooperate"), ("山西省农业农村厅", "cooperate"),
      ("山西省商务厅", "cooperate"), ("山西省卫生健康委员会", "cooperate"), ("太原海关", "cooperate"),
      ("山西省市场监督管理局", "cooperate"), ("山西省药品监督管理局", "cooperate")}, None),
    (SX, "task", "（三）强化监管执法。加强对禁止或限制类有毒有害化学物质及其相关产品生产、加工使用、进出口的监督执法。（省生态环境"
     "厅、省农业农村厅、太原海关、省市场监管局等按职责分工负责）",
     {("山西省生态环境厅", "responsible"), ("山西省农业农村厅", "responsible"), ("太原海关", "responsible"),
      ("山西省市场监督管理局", "responsible")}, None),
    (SX, "task", "（四）加强宣传引导。鼓励公众通过多种渠道举报涉新污染物环境违法犯罪行为，充分发挥社会舆论监督作用。（省生态环境厅"
     "牵头，有关部门按职责分工负责）",
     {("山西省生态环境厅", "lead"), ("有关部门", "cooperate")}, None),
    (SX, "task", "（二）加强能力建设。建设一批良好实验室，加强相关专业人才队伍建设，组织开展专项培训。（省生态环境厅、省卫健委等按职"
     "责分工负责）",
     {("山西省生态环境厅", "responsible"), ("山西省卫生健康委员会", "responsible")}, None),
    (SX, "task", "（二）加强科技支撑。加强新污染物治理领域省重点实验室、技术创新中心等创新平台建设，开展新污染物相关研究。（省科技厅、"
     "省生态环境厅、省卫健委等按职责分工负责）",
     {("山西省科学技术厅", "responsible"), ("山西省生态环境厅", "responsible"), ("山西省卫生健康委员会", "responsible")}, None),
    (SX, "task", "（五）拓宽资金投入渠道。全面落实新污染物治理相关税收优惠政策。（省财政厅、省生态环境厅、省税务局、山西银保监局等"
     "按职责分工负责）",
     {("山西省财政厅", "responsible"), ("山西省生态环境厅", "responsible"), ("国家税务总局山西省税务局", "responsible"),
      ("中国银行保险监督管理委员会山西监管局", "responsible")}, None),
    # 002: 山西省促进残疾人就业三年行动方案（2022—2024年）
    (SX, "task", "（六）强化监督检查，落实奖惩措施。各市政府残疾人工作委员会至少组织两次检查和效果评估，每年年底向省政府残疾人工作"
     "委员会报送落实情况。（省政府残疾人工作委员会成员单位 and 市、县政府按职责分工负责）",
     {("山西省政府残疾人工作委员会成员单位", "responsible"), ("市、县人民政府", "responsible")}, None),
    (SX, "task", "2. 开发公益性岗位。政府和街道增加、设置公益性岗位时，要优先安排条件适宜的残疾人就业。（省残联、省人社厅、省财政厅、"
     "省民政厅和市、县政府按职责分工负责）",
     {("山西省残疾人联合会", "responsible"), ("山西省人力资源和社会保障厅", "responsible"), ("山西省财政厅", "responsible"),
      ("山西省民政厅", "responsible"), ("市、县人民政府", "responsible")}, None),
    (SX, "task", "5. 扶持集中就业。对残疾人申请烟草专卖零售许可证的，应适当放宽对烟草制品零售点的数量、间距要求。（省残联、省财政厅、"
     "省市场监管局、省烟草专卖局和市、县政府按职责分工负责）",
     {("山西省残疾人联合会", "responsible"), ("山西省财政厅", "responsible"), ("山西省市场监督管理局", "responsible"),
      ("山西省烟草专卖局", "responsible"), ("市、县人民政府", "responsible")}, None),
    (SX, "task", "8. 帮扶农村残疾人就业。开展助残帮扶项目，每年资助不少于5000名残疾人发展产业，实现家庭稳定增收。（省残联、省财政"
     "厅、省人社厅、省农业农村厅、省乡村振兴局和市、县政府按职责分工负责）",
     {("山西省残疾人联合会", "responsible"), ("山西省财政厅", "responsible"), ("山西省人力资源和社会保障厅", "responsible"),
      ("山西省农业农村厅", "responsible"), ("山西省乡村振兴局", "responsible"), ("市、县人民政府", "responsible")}, None),
    # 002: 山西省“十四五”节能减排实施方案
    (SX, "task", "（五）完善生态环境保护督察制度。完善生态环境保护督察制度，深化例行督察，强化专项督察。（省能源局、省生态环境厅、"
     "省发展改革委、省委组织部等按职责分工负责）",
     {("山西省能源局", "responsible"), ("山西省生态环境厅", "responsible"), ("山西省发展和改革委员会", "responsible"),
      ("中共山西省委组织部", "responsible")}, None),
    (SX, "task", "（七）挥发性有机物综合整治工程。到 2025 年，溶剂型工业涂料、油墨使用比例分别降低 20 个百分点、10 个百分点，溶剂型"
     "胶粘剂使用量降低 20%。（省工信厅、省生态环境厅等按职责分工负责）",
     {("山西省工业和信息化厅", "responsible"), ("山西省生态环境厅", "responsible")}, "2025-12-31"),
    (SX, "task", "（八）黄河流域水污染治理。到 2025 年，我省黄河干流国考断面水质达到Ⅱ类。（省生态环境厅、省发展改革委、省水利厅、"
     "省工信厅、省住建厅、省交通厅等按职责分工负责）",
     {("山西省生态环境厅", "responsible"), ("山西省发展和改革委员会", "responsible"), ("山西省水利厅", "responsible"),
      ("山西省工业和信息化厅", "responsible"), ("山西省住房和城乡建设厅", "responsible"),
      ("山西省交通运输厅", "responsible")}, "2025-12-31"),
    (SX, "task", "（三）健全重大项目能耗管理。实行国家重大项目能耗单列。（省发展改革委、省能源局、省统计局等按职责分工负责）",
     {("山西省发展和改革委员会", "responsible"), ("山西省能源局", "responsible"), ("山西省统计局", "responsible")}, None),
    (SX, "task", "（十）完善污染物总量减排考核体系。强化监测、核查、考核，健全激励约束机制，坚决杜绝重复计划、弄虚作假特别是不如实"
     "填报削减量和削减来源等现象。（省生态环境厅负责）",
     {("山西省生态环境厅", "responsible")}, None),
    # 002: 山西省构建更高水平的全民健身公共服务体系行动方案
    (SX, "task", "1. 建设体育场地设施。各市完成每万人拥有足球场数量0.9块建设任务。（省体育局、省发展改革委牵头，省财政厅、省自然资源"
     "厅、省住建厅等按职责分工负责）",
     {("山西省体育局", "lead"), ("山西省发展和改革委员会", "lead"), ("山西省财政厅", "cooperate"),
      ("山西省自然资源厅", "cooperate"), ("山西省住房和城乡建设厅", "cooperate")}, None),
    (SX, "task", "3. 开展职工健身。按照职业类型制定健身指导方案，组织开展职工健身活动。（省教育厅、省总工会、省体育局牵头，团省委等"
     "按职责分工负责）",
     {("山西省教育厅", "lead"), ("山西省总工会", "lead"), ("山西省体育局", "lead"), ("共青团山西省委员会", "cooperate")},
     None),
    (SX, "task", "4. 打造全民健身品牌赛事。各市、县要结合地域特点和体育资源，举办“一市一品”“一县一品”全民健身品牌赛事。（市县政府、"
     "省体育局牵头，市县体育部门、职能部门按职责分工负责。以下各项行动均需市县政府落实，不再逐一列出）",
     {("市县人民政府", "lead"), ("山西省体育局", "lead"), ("市县体育部门", "cooperate"), ("职能部门", "cooperate")}, None),
    # 002: 山西省“十四五”特殊教育发展提升行动实施方案
    (SX, "task", "5. 支持民办特殊教育。积极鼓励企事业单位、社会组织、公民个人捐资助学。（责任单位：省财政厅、省教育厅）",
     {("山西省财政厅", "responsible"), ("山西省教育厅", "responsible")}, None),
    # 002: 山西省新污染物治理工作方案, the counties' and cities' plans
    (SX, "task", "（一）加强组织领导。各市人民政府是落实本方案的主体，于2023年4月底前组织制定本市新污染物治理方案。（省生态环境厅"
     "牵头，有关部门按职责分工负责）",
     {("山西省生态环境厅", "lead"), ("有关部门", "cooperate")}, "2023-04-30"),
    # 003: 朔州市 2022年《政府工作报告》重点工作任务分解方案
    (SZ, "fields", "12. 实施中煤平朔现代煤化工项目，推动煤炭由单一燃料向燃料和原料并重方向转变。\n责任领导：武跃飞\n"
     "牵头单位：市发改委、中煤平朔集团公司\n配合单位：平鲁区政府、市工信局、市规划和自然资源局、市生态环境局、市能源局",
     {("武跃飞", "leader"), ("朔州市发展和改革委员会", "lead"), ("中煤平朔集团公司", "lead"), ("平鲁区人民政府", "cooperate"),
      ("朔州市工业和信息化局", "cooperate"), ("朔州市规划和自然资源局", "cooperate"), ("朔州市生态环境局", "cooperate"),
      ("朔州市能源局", "cooperate")}, None),
    (SZ, "fields", "13. 推动华能山阴 2×100 万千瓦超超临界煤电项目建设，新增装机规模 377.27 万千瓦，全年发电 650 亿千瓦时。\n"
     "责任领导：刘 亮\n牵头单位：市能源局",
     {("刘亮", "leader"), ("朔州市能源局", "lead")}, None),
    (SZ, "fields", "15. 打造零碳产业园。依托“能源互联网+物联网”，构建以新能源为主的零碳能源系统。\n责任领导：武跃飞、何向荣\n"
     "牵头单位：市发改委、市交通局\n配合单位：各县（市、区）政府，朔州经济开发区管委会，市商务局、市能源局、朔州机场建设管理"
     "有限公司、市重大交通基础设施建设服务中心",
     {("武跃飞", "leader"), ("何向荣", "leader"), ("朔州市发展和改革委员会", "lead"), ("朔州市交通运输局", "lead"),
      ("各县（市、区）人民政府", "cooperate"), ("朔州经济开发区管委会", "cooperate"), ("朔州市商务局", "cooperate"),
      ("朔州市能源局", "cooperate"), ("朔州机场建设管理有限公司", "cooperate"),
      ("朔州市重大交通基础设施建设服务中心", "cooperate")}, None),
    (SZ, "fields", "16. 打造新能源产业集群。大力发展风、光、生物质发电产业，力争新能源装机占比达到 44%。\n责任领导：刘 亮\n"
     "牵头单位：市能源局、市发改委\n配合单位：平鲁区政府、怀仁市政府、应县政府",
     {("刘亮", "leader"), ("朔州市能源局", "lead"), ("朔州市发展和改革委员会", "lead"), ("平鲁区人民政府", "cooperate"),
      ("怀仁市人民政府", "cooperate"), ("应县人民政府", "cooperate")}, None),
    (SZ, "fields", "18. 打造新材料产业集群。推进北新建材纸面石膏板等项目投产达效，力争当年新增固废全部就地消纳。\n责任领导：刘 亮\n"
     "牵头单位：市工信局\n配合单位：平鲁区政府、右玉县政府、朔州经济开发区管委会",
     {("刘亮", "leader"), ("朔州市工业和信息化局", "lead"), ("平鲁区人民政府", "cooperate"), ("右玉县人民政府", "cooperate"),
      ("朔州经济开发区管委会", "cooperate")}, None),
    (SZ, "fields", "6. 城镇居民人均可支配收入增长 8%。\n责任领导：田东\n牵头单位：市人社局",
     {("田东", "leader"), ("朔州市人力资源和社会保障局", "lead")}, None),
    # articles of rules in the samples (002)
    ("山西省人民政府", "article", "第十七条 县级以上人民政府负责非法集资监测预警工作,建立健全非法集资监测预警机制,并将其纳入社会"
     "治安综合治理体系,发挥基层网格化治理作用,做好监测预警相关工作。",
     {("县级以上人民政府", "responsible")}, None),
    ("山西省人民政府", "article", "第十八条 省地方金融监管局负责建设山西省非法集资监测预警大数据平台,不断完善平台功能。",
     {("山西省地方金融监督管理局", "responsible")}, None),
    ("山西省人民政府", "article", "第十一条 防范非法集资宣传教育由县级以上人民政府主导,本级防范和处置非法集资领导小组负责组织协调,"
     "行业主管、监管部门以及金融机构、行业协会、商会、新闻媒体等单位具体承担。",
     {("本级防范和处置非法集资领导小组", "responsible")}, None),
    ("山西省人民政府办公厅", "article", "第四十五条 办理交强险业务的保险公司未依法从交强险保险费中提取资金并及时足额转入救助基金特"
     "设专户的,省财政厅应及时告知山西银保监局,由山西银保监局负责催缴,超过3个工作日仍未足额上缴的,给予警告并予以公告。",
     {("中国银行保险监督管理委员会山西监管局", "responsible")}, None),
    ("山西省住房和城乡建设厅", "article", "第四条 县(市、区)住房城乡建设主管部门负责本行政区域内房地产开发企业、物业服务企业、"
     "房地产估价机构、房地产经纪机构的资料收集、核实工作。",
     {("县（市、区）住房城乡建设主管部门", "responsible")}, None),
    ("山西省住房和城乡建设厅", "article", "第五条 省住房和城乡建设厅负责全省住宅物业服务质量星级评价管理工作。",
     {("山西省住房和城乡建设厅", "responsible")}, None),
    ("山西省住房和城乡建设厅", "article", "第五条【部门责任】 协管人员管理遵循“谁使用、谁管理、谁负责”的原则。省住房和城乡建设厅"
     "负责全省城市管理执法协管人员管理的指导监督工作;各设区市、县(市、区)城市管理执法主管部门负责本辖区内城市管理执法协管人员"
     "管理和监督等工作。",
     {("山西省住房和城乡建设厅", "responsible"), ("各设区市、县（市、区）城市管理执法主管部门", "responsible")}, None),
    ("山西省人民政府办公厅", "article", "第四十一条 本办法由省应急管理厅负责解释。本办法自2023年1月1日起施行,有效期5年。",
     set(), None),  # who interprets a rule is not a task to track
    ("山西省人民政府办公厅", "article", "第三十八条 生产经营单位及实际控制人、主要负责人、安全管理人员以及从业人员违反本办法,"
     "依照《安全生产法》等法律法规,依法予以处理。",
     set(), None),
    # articles of laws in the wide corpus (plain/NNN.txt)
    ("国务院", "article", "第七条 国务院卫生主管部门负责全国预防接种的监督管理工作。县级以上地方人民政府卫生主管部门负责本行政区域"
     "内预防接种的监督管理工作。",  # 583
     {("国务院卫生主管部门", "responsible"), ("县级以上地方人民政府卫生主管部门", "responsible")}, None),
    ("国务院", "article", "第三条 国务院农业农村主管部门负责全国生猪屠宰的行业管理工作。县级以上地方人民政府农业农村主管部门负责本行"
     "政区域内生猪屠宰活动的监督管理。",  # 433
     {("国务院农业农村主管部门", "responsible"), ("县级以上地方人民政府农业农村主管部门", "responsible")}, None),
    ("威海市人民代表大会常务委员会", "article", "第六条 市、区（县级市）生态环境行政主管部门负责本行政区域水功能区划的编制和饮用"
     "水水源地污染防治的统一监督管理。",  # 006
     {("市、区（县级市）生态环境行政主管部门", "responsible")}, None),
    ("北京市人民代表大会常务委员会", "article", "第四十三条 市场监督管理部门负责用气设备及其配件等产品质量的监督检查，并向社会公布"
     "监督检查结果。",  # 008
     {("市场监督管理部门", "responsible")}, None),
    ("重庆市人民代表大会常务委员会", "article", "第十五条 铁路沿线两侧的绿化，由铁道部门负责。",  # 265
     {("铁道部门", "responsible")}, None),
    ("浙江省人民代表大会常务委员会", "article", "第十条 县级人民政府民政部门和乡、镇人民政府负责对村民委员会成员的培训工作。每届"
     "村民委员会成员在任期内至少接受一次培训。培训经费由县级人民政府和乡、镇人民政府解决。",  # 129
     {("县级人民政府民政部门", "responsible"), ("乡、镇人民政府", "responsible")}, None),
    ("青岛市人民代表大会常务委员会", "article", "第四条 市建设主管部门负责全市民用建筑节能监督管理工作，具体承担市南区、市北区、"
     "李沧区民用建筑节能的日常监督管理工作。",  # 013
     {("青岛市建设主管部门", "responsible")}, None),
    ("全国人民代表大会常务委员会", "article", "第十一条 县级以上地方人民政府的动物卫生监督机构依照本法规定，负责动物、动物产品的检疫"
     "工作。",  # 743
     {("县级以上地方人民政府的动物卫生监督机构", "responsible")}, None),
    ("广东省人民代表大会常务委员会", "article", "第四条 各级人民政府对本行政区域的环境质量负责，应当采取措施持续改善环境质量。",  # 338
     {("各级人民政府", "responsible")}, None),
    ("郑州市人民代表大会常务委员会", "article", "第六条 市林业行政主管部门负责本市生态林的规划、建设、保护和管理工作。",  # 384
     {("郑州市林业行政主管部门", "responsible")}, None),
    ("济南市人民代表大会常务委员会", "article", "第六条 市、区县水行政主管部门是河道管理保护的主管部门，负责本行政区域内的河道管理"
     "保护工作。",  # 318
     {("市、区县水行政主管部门", "responsible")}, None),
    ("上海市人民代表大会常务委员会", "article", "第五条 上海市水务局是本市河道的行政主管部门（以下简称市水行政主管部门），负责对本市"
     "河道的监督管理和指导，并对市管河道实施管理。市水行政主管部门所属的上海市水务行政执法总队（以下简称市水务执法总队）具体负"
     "责本市河道的监督检查工作，并按照本条例的规定实施行政处罚。",  # 021
     {("上海市水务局", "responsible"), ("上海市水务行政执法总队", "responsible")}, None),
    ("枣庄市人民代表大会常务委员会", "article", "第四条 市、区（市）人民政府负责组织领导本行政区域内古树名木的保护管理工作，并将"
     "古树名木的保护纳入城乡总体规划。",  # 066
     {("市、区（市）人民政府", "responsible")}, None),
]  # fmt: skip


def _document(issuer: str, form: str, text: str) -> Document:
    title = f"{issuer}关于印发测试方案的通知" if form != "article" else "测试条例"
    doc = Document("d", title, "通知" if form != "article" else "条例", issuer, None, {}, Source("t.txt", "", 1, 20))
    if form == "article":
        doc.provisions = [Provision("art_1", "article", 1, "第一条", text, None, 1, 1)]
    elif form == "task":
        doc.provisions = [Provision("p_1", "block", None, "", text, None, 1, 1)]
    else:
        task, *fields = text.split("\n")
        doc.provisions = [Provision("p_1", "heading", None, "", "", None, 1, 1, heading=task)]
        doc.provisions += [
            Provision(f"p_1__p_{i}", "block", None, "", f, "p_1", 1 + i, 1 + i) for i, f in enumerate(fields, 1)
        ]
    return doc


def test_the_table_has_at_least_forty_real_sentences() -> None:
    assert len(CASES) >= 40
    assert len({text for _i, _f, text, _e, _d in CASES}) == len(CASES)


@pytest.mark.parametrize(("issuer", "form", "text", "expected", "due"), CASES, ids=[c[2][:14] for c in CASES])
def test_who_must_do_what_by_when(issuer: str, form: str, text: str, expected: set, due: str | None) -> None:
    duties = find_duties(_document(issuer, form, text))
    assert {(d.agency, d.role) for d in duties} == expected
    assert all(d.deadline == due for d in duties)
    assert all(d.task for d in duties)


def test_overdue_due_before_and_undated_duties_sorted_by_deadline() -> None:
    from gongbao.link.duties import Tracking, agency_matches, track

    rows = [{"agency": "山西省生态环境厅", "deadline": "2023-12-31"}, {"agency": "朔州市生态环境局"},
            {"agency": "山西省财政厅", "deadline": "2022-06-30"}, {"agency": "各市人民政府", "deadline": "2024-06-30"}]  # fmt: skip
    today = "2023-01-01"
    assert [r["agency"] for r in track(rows, Tracking(today, overdue=True))] == ["山西省财政厅"]
    soon = track(rows, Tracking(today, due_before="2024-01-31"))
    assert [r["agency"] for r in soon] == ["山西省生态环境厅"]  # not the overdue one, not the later one
    assert [r["agency"] for r in track(rows, Tracking(today, no_deadline=True))] == ["朔州市生态环境局"]
    ordered = track(rows, Tracking(today, by_deadline=True))
    assert [r.get("deadline") for r in ordered] == ["2022-06-30", "2023-12-31", "2024-06-30", None]
    assert [r["agency"] for r in rows if agency_matches(r, "生态环境")] == ["山西省生态环境厅", "朔州市生态环境局"]


@pytest.mark.parametrize(
    ("issuer", "printed", "name", "level"),
    [
        (SX, "省生态环境厅", "山西省生态环境厅", "province"),
        (SX, "太原海关", "太原海关", None),  # a national body's branch: no level of the province
        (SX, "市、县政府", "市、县人民政府", "city"),
        (SZ, "市发改委", "朔州市发展和改革委员会", "city"),
        (SZ, "应县政府", "应县人民政府", "county"),
        (SZ, "各县（市、区）政府", "各县（市、区）人民政府", "county"),
        ("北京市人民代表大会常务委员会", "市场监督管理部门", "市场监督管理部门", None),
        ("上海市人民代表大会常务委员会", "市水行政主管部门", "上海市水行政主管部门", "province"),
    ],
)
def test_agency_names_and_levels(issuer: str, printed: str, name: str, level: str | None) -> None:
    from gongbao.link.agencies import normalize, region_of

    agency = normalize(printed, region_of(issuer, "", ""))
    assert (agency.name, agency.level) == (name, level)


def test_a_text_naming_two_provinces_as_often_takes_the_first_whatever_the_hash_seed() -> None:
    import subprocess
    import sys

    code = (
        "from gongbao.link.agencies import region_of; "
        "print(region_of('国务院', '', '上海市和海南省的规定，海南省、上海市执行').province)"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code], env={"PYTHONHASHSEED": str(seed)}, capture_output=True, text=True, check=True
        ).stdout.strip()
        for seed in range(6)
    }
    assert seen == {"上海市"}
