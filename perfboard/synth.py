"""A synthetic corpus for scale tests and extraction checks: report files in the layouts
of the seed and dev corpora (narrative, broken 自评表, project evaluation; 元 and 万元;
partial periods; missing fields) with clearly fictional names (示例省/示例市…) and a
truth file per report in the extraction contract's shape. Never written to data/reports/."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path



@dataclass
class Department:
    province: str
    city: str
    district: str
    body: str

    @property
    def name(self) -> str:
        return f"{self.city}{self.district}{self.body}"


def departments(n: int) -> list[Department]:
    out = []
    for i in range(n):
        province = f"示例{_cn(i // 400 + 1)}省"
        city = f"示例{_cn(i // 20 + 1)}市"  # city names are unique across provinces, as real ones are
        district = f"样{_cn(i % 20 + 1)}区" if i % 10 else f"样{_cn(i % 20 + 1)}县"
        body = "信访局" if i % 7 else "教育和体育局"
        out.append(Department(province, f"{province}{city}"[len(province):], district, body))
    return out


def _cn(n: int) -> str:
    """1 → 一, 15 → 十五, 150 → 一百五十, 305 → 三百零五 (names of fictional places)."""
    digits, units = "零一二三四五六七八九", ("", "十", "百", "千")
    text = str(n)
    out = ""
    for i, ch in enumerate(text):
        d, place = int(ch), len(text) - 1 - i
        if d:
            out += digits[d] + units[place]
        elif not out.endswith("零") and any(c != "0" for c in text[i + 1:]):
            out += "零"
    return out[1:] if out.startswith("一十") else out


def write_corpus(n_departments: int, n_years: int, out: Path, first_year: int = 2015, seed: int = 7) -> int:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    count = 0
    for k, dept in enumerate(departments(n_departments)):
        base = rng.uniform(150, 3000)
        volume = rng.randint(800, 30000)
        for y in range(first_year, first_year + n_years):
            layout = rng.choice(LAYOUTS if dept.body == "信访局" else (project_report,))
            text, truth = layout(rng, dept, y, base * rng.uniform(0.9, 1.15), volume * rng.uniform(0.85, 1.15))
            name = f"synth_{k:05d}_{y}.txt"
            truth["file"] = name
            (out / name).write_text(text, encoding="utf-8")
            (out / name).with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1),
                                                         encoding="utf-8")
            count += 1
    return count


def _truth(dept: Department, year: int, kind: str = "department_overall", project: str | None = None) -> dict:
    return {"department": dept.name, "province": dept.province, "city": dept.city, "district": dept.district,
            "evaluated_year": year, "report_kind": kind, "project_name": project,
            "budget": {"initial_wan": None, "adjusted_wan": None, "actual_wan": None, "execution_rate_pct": None},
            "score": {"total": None, "grade": None},
            "petitions": {"total": None, "letters": None, "visits": None, "online": None, "calls": None,
                          "period_start": None, "period_end": None, "prior_year_total": None},
            "satisfaction": [], "indicators": []}


def _money(rng, base):
    initial = round(base, 2)
    adjusted = round(base * rng.uniform(0.92, 1.12), 2)
    actual = round(adjusted * rng.uniform(0.9, 1.0), 2)
    return initial, adjusted, actual, round(actual / adjusted * 100, 2)


def _grade(score):
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def narrative(rng, dept, year, base, volume):
    truth = _truth(dept, year)
    initial, adjusted, actual, rate = _money(rng, base)
    in_yuan = rng.random() < 0.4
    amount = (lambda v: f"{v * 10000:,.2f}元") if in_yuan else (lambda v: f"{v:,.2f}万元")
    b = truth["budget"]
    b.update(initial_wan=initial, adjusted_wan=adjusted, actual_wan=actual)
    budget = (f"{year}年年初预算{amount(initial)}，年中追加保障经费{amount(abs(adjusted - initial))}，"
              f"调整后预算{amount(adjusted)}。全年实际支出{amount(actual)}")
    if rng.random() < 0.7:
        budget += f"，预算执行率{rate:.2f}%。"
        b["execution_rate_pct"] = rate
    else:
        budget += "。"
        b["execution_rate_pct"] = round(round(actual * 10000 if in_yuan else actual, 2) / adjusted * 100, 2) \
            if not in_yuan else round(actual / adjusted * 100, 2)
    lines = [f"{dept.name}{year}年度部门整体支出绩效自评报告", "", "一、部门概况", "",
             f"{dept.province}{dept.name}负责受理群众来信来访和网上信访事项，协调处理重要信访问题。", "",
             "二、部门整体支出情况", "", budget,
             f"其中人员经费{amount(actual * 0.6)}，政府采购金额{amount(actual * 0.02)}。", "", "三、部门履职绩效情况", ""]
    if rng.random() < 0.85:
        total = int(volume)
        letters, visits = int(total * 0.15), int(total * 0.1)
        calls = int(total * 0.05) if rng.random() < 0.5 else None
        online = total - letters - visits - (calls or 0)
        p = truth["petitions"]
        partial = rng.random() < 0.2
        if partial:
            lines.append(f"截至{year}年10月31日，全区共受理群众信访事项{total}件次，"
                         f"比去年同期{int(total * 0.9)}件上升。")
            p.update(period_start="01-01", period_end="10-31", prior_year_total=int(total * 0.9))
        else:
            lines.append(f"（一）信访形势。{year}年全区共受理群众信访事项{total}件次。")
        channels = f"其中：来信{letters}件，来访{visits}批{visits * 2}人次，网上信访{online}件"
        channels += f"，来电{calls}件。" if calls is not None else "。"
        lines.append(channels)
        p.update(total=total, letters=letters, visits=visits, online=online, calls=calls)
    if rng.random() < 0.7:
        sat, part = round(rng.uniform(80, 99.5), 2), round(rng.uniform(30, 90), 2)
        lines.append(f"（二）满意度评价。信访部门满意率{sat}%，参评率{part}%；化解率{round(rng.uniform(80, 99), 1)}%。")
        truth["satisfaction"].append({"subject": "信访部门", "satisfaction_pct": sat, "participation_pct": part,
                                      "target_pct": None})
    score = round(rng.uniform(75, 99), 1)
    lines += ["", "四、绩效评价结论", "",
              f"评价组按四类指标评分：项目决策20分，得{round(rng.uniform(15, 20), 1)}分。"
              f"{year}年度部门整体支出综合评分为{score}分，评价等级为“{_grade(score)}”。", "",
              "五、存在的问题", "", "（一）预算编制的科学性需进一步加强。", "", "六、下一步措施", "",
              "（一）提高预算编制质量。", "", dept.name, f"{year + 1}年{rng.randint(3, 9)}月{rng.randint(1, 28)}日"]
    truth["score"] = {"total": score, "grade": _grade(score)}
    return "\n".join(lines) + "\n", truth


def form(rng, dept, year, base, volume):
    """The broken 自评表: labels and values on the same or separate lines, 万元 implied."""
    truth = _truth(dept, year)
    initial, adjusted, actual, rate = _money(rng, base)
    truth["budget"] = {"initial_wan": initial, "adjusted_wan": adjusted, "actual_wan": actual,
                       "execution_rate_pct": rate}
    lines = ["", "部门整体支出绩效自评表", "", "单位：万元", "", f"部门名称 {dept.name} 被评价年度 {year}年",
             f"主管部门 {dept.province}{dept.city}人民政府", "",
             "部门资", "金情况", "", f"部门年度预算收入 {adjusted:.2f} 部门年初预算收入 {initial:.2f}", "",
             f"实际支出数 {actual:.2f}", "", f"年度预算调整数 {adjusted - initial:.2f}", "",
             f"预算完成率 {rate:.2f}% 预算调整率 {abs(adjusted - initial) / initial * 100:.2f}%", "",
             "重点项目绩效情况", "",
             f"自选项目：信访工作经费。项目年初预算为{round(base / 5)}万元，实际支出{round(base / 6, 2)}万元。", ""]
    if rng.random() < 0.6:
        total = int(volume)
        letters = int(total * 0.2)
        visits = int(total * 0.05)
        online = total - letters - visits
        lines += ["部门整体绩效", "", f"{year}年，共收到群众信访事项{total}件次，其中：群众来信{letters}件，",
                  f"网信{online}件，来访{visits}件。"]
        truth["petitions"].update(total=total, letters=letters, visits=visits, online=online)
    lines += ["", "存在问题", "一是群众参评率不够高。", "", "改进措施或下一步计划", "1.提高政治站位。"]
    return "\n".join(lines) + "\n", truth


def project_report(rng, dept, year, base, volume):
    project = rng.choice(["信访工作专项经费", "学生资助补助经费", "矛盾纠纷调处化解专项资金"])
    truth = _truth(dept, year, "project", project)
    initial, adjusted, actual, rate = _money(rng, base / 3)
    truth["budget"] = {"initial_wan": initial, "adjusted_wan": adjusted, "actual_wan": actual,
                       "execution_rate_pct": rate}
    target, done = rng.randint(1000, 5000), None
    done = int(target * rng.uniform(1.0, 1.2))
    sat = round(rng.uniform(85, 99), 1)
    score = round(rng.uniform(80, 99), 2)
    truth["score"] = {"total": score, "grade": _grade(score)}
    truth["satisfaction"].append({"subject": "服务对象", "satisfaction_pct": sat, "participation_pct": None,
                                  "target_pct": 90})
    rows = [("产出指标", "数量指标", "服务对象人次", f"≥{target}人次", f"{done}人次"),
            ("", "质量指标", "资金发放准确率", "≥98%", f"{round(rng.uniform(98, 100), 1)}%"),
            ("效益指标", "社会效益指标", "政策知晓率", "≥95%", f"{round(rng.uniform(95, 99), 1)}%"),
            ("满意度指标", "服务对象满意度", "服务对象满意度", "≥90%", f"{sat}%")]
    truth["indicators"] = [{"level1": r[0] or "产出指标", "level2": r[1], "level3": r[2], "target": r[3],
                            "actual": r[4]} for r in rows]
    table = ["一级指标      二级指标        三级指标                    年度指标值          实际完成值"]
    for r in rows:
        table.append(_pad(r[0], 14) + _pad(r[1], 16) + _pad(r[2], 28) + _pad(r[3], 20) + r[4])
    lines = [dept.name, f"{year}年度{project}项目绩效评价报告", "", "一、项目基本情况", "",
             f"{year}年项目年初预算{initial:,.2f}万元；调整后预算{adjusted:,.2f}万元，"
             f"其中中央资金{adjusted * 0.5:,.2f}万元。全年执行{actual:,.2f}万元，预算执行率{rate:.2f}%。", "",
             f"实施单位为{dept.province}{dept.name}。", "", "二、绩效指标完成情况", "", *table, "", "三、评价结论", "",
             f"经评价，本项目决策（15分）得14.2分，评价得分{score}分，评价等级为“{_grade(score)}”。", "",
             "四、存在问题及建议", "", "一是个别档案资料不完整。", "", dept.name, f"{year + 1}年5月30日"]
    return "\n".join(lines) + "\n", truth


def _pad(text: str, width: int) -> str:
    shown = sum(2 if "\u4e00" <= c <= "\u9fff" or c in "≥（）" else 1 for c in text)
    return text + " " * max(2, width - shown)


LAYOUTS = (narrative, narrative, form, project_report)
