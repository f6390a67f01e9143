"""Phrase-level tests of the extraction rules: each phrasing a rule knows, and the
look-alikes it must leave alone (the traps of the truth files, in small)."""
import pytest

from perfboard.document import Document
from perfboard.extract import extract


def facts(text: str) -> dict:
    return extract(Document.from_pages("t.txt", [text], fmt="txt", paged=False)).to_contract()


HEAD = "示例市样例区信访局2022年度部门整体支出绩效自评报告\n\n"


@pytest.mark.parametrize("sentence,field,value", [
    ("年初预算1,286.45万元，调整后预算1,352.90万元。", "adjusted_wan", 1352.90),
    ("全年预算数为 659.59 万元，全年执行数 659.59 万元，预算完成率为 100.0%。", "actual_wan", 659.59),
    ("收入合计：2851958.99元，年度支出合计：2846343.88元。", "adjusted_wan", 285.20),
    ("本年实际支出金额为 793.84 万元，预算执行率 99.59%。", "execution_rate_pct", 99.59),
    ("申报预算 922.56 万元，调整后预算金额为 797.14 万元。", "initial_wan", 922.56),
    ("调整后预算1.2亿元，全年实际支出1.1亿元。", "actual_wan", 11000.0),
    ("全年预算数1,000万元，全年决算数980万元。", "actual_wan", 980.0),
    ("全年预算１２０．５０万元，实际支出１００万元。", "adjusted_wan", 120.5),   # full-width digits
])
def test_budget_phrasings(sentence, field, value):
    assert facts(HEAD + sentence)["budget"][field] == pytest.approx(value)


@pytest.mark.parametrize("sentence", [
    "2023 年度我局政府采购计划金额为 2.6 万元，实际支出 2.58 万元，政府采购执行率为 99.23%。",
    "2023年全区一般公共预算收入64.3亿元，一般公共预算支出78.6亿元。",
    "上年预算数为500万元，上年实际支出480万元。",
])
def test_amounts_that_are_not_the_budget(sentence):
    assert facts(HEAD + sentence)["budget"] == {"initial_wan": None, "adjusted_wan": None, "actual_wan": None,
                                                "execution_rate_pct": None}


def test_derived_rate_is_marked_and_project_amounts_stay_out_of_a_department_report():
    text = HEAD + "调整后预算200万元，全年实际支出150万元。\n1.接待中心运维经费：预算120.00万元，实际支出118.60万元，执行率98.83%。"
    x = extract(Document.from_pages("t.txt", [text], fmt="txt", paged=False))
    assert x.value("budget.execution_rate_pct") == 75.0
    assert x.facts["budget.execution_rate_pct"].derived


@pytest.mark.parametrize("sentence,total,grade", [
    ("综合评分为94.92分，评分等级为优。", 94.92, "优"),
    ("其中：本项分值 20 分，自评分 17.5 分。我局整体自评分值为 95.5 分。", 95.5, None),
    ("自评总分为88分，评价结果为“良好”。", 88.0, "良"),
    ("总分 | 100 | 96.21 |\n自评等级 | 优 |", 96.21, "优"),
    ("项目自评得分97分，等级为优。部门整体支出绩效得分93.8分，等级为中。", 93.8, "中"),
])
def test_score_and_grade(sentence, total, grade):
    got = facts(HEAD + sentence)["score"]
    assert got == {"total": total, "grade": grade}


@pytest.mark.parametrize("sentence,expected", [
    ("全年共受理群众信访事项7012件次，比上年的6557件次上升6.9%。其中：来信801件，来访964批2173人次，网上信访4688件，来电559件。",
     dict(total=7012, letters=801, visits=964, online=4688, calls=559, prior_year_total=6557)),
    ("全年信访总量18,462件，其中来信1,920件，来访2,310批4,466人次，网上信访14,232件。",
     dict(total=18462, letters=1920, visits=2310, online=14232, calls=None, prior_year_total=None)),
    ("共受理群众信访事项5318件次。其中：来信733件；来电三百四十九件。",
     dict(total=5318, letters=733, visits=None, online=None, calls=349, prior_year_total=None)),
])
def test_petition_phrasings(sentence, expected):
    got = facts(HEAD + sentence)["petitions"]
    assert {k: got[k] for k in expected} == expected


def test_partial_period_from_the_total_sentence():
    got = facts(HEAD + "截止2022年10月31日，全区共接处信访事项2371件，比去年同期1676件上升41.4%。")["petitions"]
    assert (got["total"], got["period_start"], got["period_end"], got["prior_year_total"]) == (2371, "01-01", "10-31", 1676)


def test_counts_that_are_not_petitions():
    got = facts(HEAD + "区领导包案化解重点信访事项58件，化解率91.4%。调处化解矛盾纠纷6,815件。")["petitions"]
    assert got["total"] is None and got["letters"] is None


@pytest.mark.parametrize("sentence,entries", [
    ("信访部门满意率91.57%，参评率36.42%；责任单位满意率86.03%，参评率33.75%。责任单位满意率仍低于90%的考核要求。",
     [(91.57, 36.42, None), (86.03, 33.75, 90.0)]),
    ("信访部门参评率46.92%（去年同比平均为9.42%），信访部门满意率82.94%（去年同比平均为77.11%）。",
     [(82.94, 46.92, None)]),
    ("满意度评价 群众满意率 90% 97.42%", [(97.42, None, 90.0)]),
    ("受助学生及家长满意度达到90%以上。", []),
    # a goal stated as a threshold is the target of the rate achieved; a scoring rule is not
    ("信访群众满意率达到90%以上。全年信访群众满意率为93.2%。", [(93.2, None, 90.0)]),
    ("满意率达到95%以上得10分。全年信访群众满意率为93.2%。", [(93.2, None, None)]),
    ("国家满意度评价满意率97.86%，参评率89.21%，综合效能95.12%。", [(97.86, 89.21, None)]),
])
def test_satisfaction(sentence, entries):
    got = facts(HEAD + sentence)["satisfaction"]
    assert [(s["satisfaction_pct"], s["participation_pct"], s["target_pct"]) for s in got] == entries


@pytest.mark.parametrize("title,name,kind,year", [
    ("2023 年度广州市白云区信访局部门重点\n项目绩效评价报告", "广州市白云区信访局", "project", 2023),
    ("临沂市兰山区教育和体育局\n2023年度学生资助补助经费项目绩效评价报告", "临沂市兰山区教育和体育局", "project", 2023),
    ("盘龙区信访局2022年 部门整体支出绩效自评报告\n\n2023年6月", "盘龙区信访局", "department_overall", 2022),
    ("部门整体支出绩效自评表\n（2021年度）\n填报单位（盖章）：重庆市武隆区信访办公室", "重庆市武隆区信访办公室",
     "department_overall", 2021),
])
def test_identity(title, name, kind, year):
    got = facts(title + "\n\n一、基本情况\n")
    assert (got["department"], got["report_kind"], got["evaluated_year"]) == (name, kind, year)


def test_location_is_inferred_from_the_gazetteer_and_the_text():
    got = facts("盘龙区信访局2022年部门整体支出绩效自评报告\n按照昆明市信访局统一部署。")
    assert (got["province"], got["city"], got["district"]) == ("云南省", "昆明市", "盘龙区")
    got = facts("白云区信访局2022年部门整体支出绩效自评报告\n贵阳市白云区。")
    assert (got["province"], got["city"]) == ("贵州省", "贵阳市")
    got = facts("保山市信访局2021年部门整体支出绩效自评报告\n")
    assert (got["city"], got["district"]) == ("保山市", None)


@pytest.mark.parametrize("sentence,province", [
    ("实施单位为示例一省示例一市样一县教育和体育局。", "示例一省"),
    ("根据示例省示例一市样一县统一部署。", "示例省"),
    ("示例二省示例一市样一县教育和体育局", "示例二省"),
])
def test_places_the_gazetteer_does_not_know_are_read_from_their_suffixes(sentence, province):
    got = facts("示例一市样一县教育和体育局\n2022年度部门整体支出绩效自评报告\n\n" + sentence
                + "\n\n示例一市样一县教育和体育局\n2023年5月30日")
    assert (got["province"], got["city"], got["district"]) == (province, "示例一市", "样一县")


def test_a_department_key_names_its_place_once():
    from perfboard.departments import department_key
    assert department_key("示例一市样一县教育和体育局", "示例一省", "示例一市", "样一县") == "示例一市样一县教育和体育局"
    assert department_key("样一县教育局", "示例一省", "示例一市", "样一县") == "示例一市样一县教育和体育局"
    assert department_key("盘龙区信访办公室", "云南省", "昆明市", "盘龙区") == "昆明市盘龙区信访局"


# ── phrase tests as data (tests/rules/phrases.yaml) ─────────────────────────

import pathlib  # noqa: E402

import yaml  # noqa: E402

HEADINGS = {
    "self": "蒙自市信访局2023年度部门整体支出绩效自评报告\n\n",
    "project": "蒙自市信访局2023年度信访接待中心运维项目支出绩效自评报告\n\n",
    "final": "蒙自市信访局2023年度部门决算\n\n",
    "budget": "蒙自市信访局2024年部门预算公开说明\n\n",
    "bulletin": "蒙自市信访局关于2024年5月全市信访工作情况的通报\n\n",
    "none": "",
}
PHRASES = yaml.safe_load((pathlib.Path(__file__).parent / "rules" / "phrases.yaml").read_text(encoding="utf-8"))


def _at(contract: dict, path: str):
    if path == "satisfaction":
        return [s["satisfaction_pct"] for s in contract["satisfaction"]]
    if path == "indicators":
        return [[i["level3"], i["actual"]] for i in contract["indicators"]]
    value = contract
    for key in path.split("."):
        value = value[key]
    return value


@pytest.mark.parametrize("case", PHRASES, ids=[c["name"] for c in PHRASES])
def test_phrase(case):
    got = facts(HEADINGS[case.get("heading", "self")] + case["text"])
    for path, want in case["expect"].items():
        value = _at(got, path)
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            assert value == pytest.approx(want), f"{path}: want {want}, got {value}"
        else:
            assert value == want, f"{path}: want {want!r}, got {value!r}"


def test_spans_point_into_the_document_past_removed_chrome_contents_and_pinyin():
    text = ("盘龙区人民政府门户网站\n首页 > 政务公开 > 财政信息\n发布机构：昆明市盘龙区财政局\n\n"
            "目录\n一、部门概况\n二、收支情况\n三、绩效情况\n\n"
            "昆明市盘龙区信访局2023年度部门决算\n\n一、部门概况\n本年支(zhī)出合计(jì)402.66万元，年初预(yù)算380.00万元。\n")
    doc = Document.from_pages("t.txt", [text], fmt="txt", paged=False)
    x = extract(doc)
    assert x.value("document_type") == "final_accounts" and x.value("department") == "昆明市盘龙区信访局"
    for field, shown in (("budget.actual_wan", "402.66"), ("budget.initial_wan", "380.00"),
                         ("department", "昆明市盘龙区信访局")):
        fact = x.facts[field]
        assert doc.text[fact.start:fact.end].startswith(shown), field
    assert "(zhī)" not in x.facts["budget.actual_wan"].snippet
    year = x.facts["evaluated_year"]
    assert doc.text[year.start:year.end] == "2023"
