"""Chinese sentences for the briefing pages and the names of their sources, computed from
the numbers only.

A page compares the units of one year. Its sentences name the highest and lowest values,
the median when there are several units, and the change since the same unit's report of
the year before only where there is one (never a trend from a single year); they mark
derived (推算), partial-year (1–10月) and project-scope (项目) figures, and those of a 决算 (决算数)
or a 预算 plan (预算（计划）) rather than a self-evaluation."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import polars as pl

from perfboard.present.format import DOCUMENT_MARKS

# What a report calls itself, most specific first, read from its title block
_DOCUMENT = re.compile(r"(?:部门整体支出|部门整体|整体支出|部门重点项目|重点项目|项目支出|项目|部门)?"
                       r"绩效(?:自评|评价)(?:报告|表)|部门预算公开说明|部门决算公开说明")
_FALLBACK = {"department_overall": "部门整体绩效报告", "project": "项目绩效报告"}
# a 决算 or a 预算 whose title says neither 公开说明 nor 绩效: named by what it is (v_reports.document_type)
_BY_TYPE = {"final_accounts": "部门决算", "budget": "部门预算"}


def document_title(head: str | None, kind: str | None, project: str | None = None,
                   document_type: str | None = None) -> str:
    """The document type as the report's own title names it (部门整体支出绩效自评报告,
    项目支出绩效自评表, …), with the project's name for a project; by its document type (部门决算,
    部门预算) or kind otherwise."""
    found = _DOCUMENT.search(re.sub(r"[\s|]+", "", head or ""))   # a title broken over lines or table cells
    title = found.group() if found else _BY_TYPE.get(document_type or "") or _FALLBACK.get(kind or "", "绩效报告")
    if project and project not in title:
        title += f"（{project}）"
    return title


def source_label(row: dict) -> str:
    """A report as a reader names it: unit · year · document (never its stored file name)."""
    unit = row.get("department_key") or row.get("department") or "未识别单位"
    year = f"{row['year']} 年" if row.get("year") else "年度未识别"
    document = document_title(row.get("head"), row.get("report_kind"), row.get("project_name"), row.get("document_type"))
    return f"{unit} · {year} · {document}"


def source_labels(reports: pl.DataFrame) -> list[str]:
    return [source_label(r) for r in reports.iter_rows(named=True)]


def footer_sources(counted: dict, reports: Callable[[], pl.DataFrame], listed: int = 2) -> list[str] | str:
    """A chart footer's sources: up to `listed` reports by name (`reports()` fetches them: only then), more as
    the count of `counted` (brief.footer's row: reports, units, first_year, last_year); an image footer has one line."""
    if counted["reports"] <= listed:
        return source_labels(reports())
    first, last = counted["first_year"], counted["last_year"]
    span = "" if first is None else (f"，{first} 年" if first == last else f"，{first}–{last} 年")
    return f"{counted['units']} 个单位的 {counted['reports']} 份报告{span}"


def marks(row: dict) -> str:
    out = []
    if row.get("document_type") in DOCUMENT_MARKS:  # a 决算 or a plan, not a self-evaluation
        out.append(DOCUMENT_MARKS[row["document_type"]])
    if row.get("report_kind") == "project":
        out.append("项目")
    if row.get("period_start") or row.get("period_end"):
        out.append(period_label(row.get("period_start"), row.get("period_end")))
    if row.get("derived"):
        out.append("推算")
    return f"（{'，'.join(out)}）" if out else ""


def period_label(start: str | None, end: str | None) -> str:
    def month(md: str | None, default: int) -> int:
        return int(md.split("-")[0]) if md else default
    return f"{month(start, 1)}–{month(end, 12)}月"


def fmt(value: float, unit: str) -> str:
    if unit == "件":
        return f"{value:,.0f}件"
    if unit == "%":
        return f"{value:.2f}%"
    if unit == "分":
        return f"{value:.2f}分"
    return f"{value:,.2f}万元"


def _prior(df: pl.DataFrame, row: dict) -> dict | None:
    prior = df.filter((pl.col("department_key") == row["department_key"]) & (pl.col("year") == row["year"] - 1)
                      & (pl.col("report_kind") == row["report_kind"]))
    if row.get("project_name") is not None and "project_name" in df.columns:
        prior = prior.filter(pl.col("project_name") == row["project_name"])
    if row.get("subject") is not None:
        prior = prior.filter(pl.col("subject") == row["subject"])
    return prior.row(0, named=True) if prior.height else None


def _trend(df: pl.DataFrame, row: dict, unit: str, who) -> str:
    prior = _prior(df, row)
    if prior is None:
        return f"{who(row)}无{row['year'] - 1}年同口径数据，不作趋势判断。"
    if (row.get("period_start"), row.get("period_end")) != (prior.get("period_start"), prior.get("period_end")):
        return f"{who(row)}{row['year']}年与{row['year'] - 1}年数据的统计月份不同，不作比较。"
    diff = row["value"] - prior["value"]
    if abs(diff) < 0.005:
        return f"{who(row)}与{row['year'] - 1}年持平。"
    word = "上升" if diff > 0 else "下降"
    amount = f"{abs(diff):.2f}个百分点" if unit == "%" else fmt(abs(diff), unit)
    return f"{who(row)}较{row['year'] - 1}年{word}{amount}{marks(prior)}。"


_SAME = ("department_key", "report_kind", "project_name", "subject")   # what "the same unit" means


def _changes(df: pl.DataFrame, year: int) -> str:
    """How many units of `year` rose and fell since their own report of the year before
    (one join: a brief may cover thousands of units). A part-year figure is compared only
    with one of the same months."""
    keys = [k for k in _SAME if k in df.columns]
    period = [c for c in ("period_start", "period_end") if c in df.columns]
    keyed = df.with_columns(pl.col(k).cast(pl.String).fill_null("") for k in keys + period)
    prior = (keyed.filter(pl.col("year") == year - 1).unique(keys, keep="first", maintain_order=True)
                  .select(*keys, *[pl.col(c).alias(f"prior_{c}") for c in period], pl.col("value").alias("prior")))
    joined = keyed.filter(pl.col("year") == year).join(prior, on=keys, how="left")
    same_period = pl.all_horizontal([pl.col(c) == pl.col(f"prior_{c}") for c in period] or [pl.lit(True)])
    rows = joined.select(pl.col("prior").is_null().alias("none"),
                         (pl.col("prior").is_not_null() & ~same_period).alias("other"),
                         pl.when(same_period).then(pl.col("value") - pl.col("prior")).alias("diff"))
    none, other = int(rows["none"].sum()), int(rows["other"].sum())
    if none == rows.height:
        return f"各单位均无{year - 1}年同口径数据，不作趋势判断。"
    known = rows["diff"].drop_nulls()
    up, down = int((known > 0.005).sum()), int((known < -0.005).sum())
    same = known.len() - up - down
    parts = [f"{n} 个{word}" for n, word in ((up, "上升"), (down, "下降"), (same, "持平")) if n]
    tail = "".join([f"；{other} 个统计月份不同，不作比较" if other else "",
                    f"；{none} 个无上年数据，不作比较" if none else ""])
    return f"与各自{year - 1}年同口径数据相比：{'、'.join(parts) or '无可比单位'}{tail}。"


def unit_name(row: dict) -> str:
    name = row.get("department_key") or row.get("department") or ""
    if row.get("report_kind") == "project" and row.get("project_name"):
        name += f"·{row['project_name']}"
    return name


def extremes(df: pl.DataFrame, year: int, label: str, unit: str, who=unit_name) -> list[str]:
    """Highest, lowest and median of `year` in `df` (one report kind, every year the brief
    read, so the year before is there to compare with), and the change since then."""
    rows = df.filter(pl.col("year") == year).sort("value", descending=True).to_dicts()
    if not rows:
        return []
    top = rows[0]
    if len(rows) == 1:
        return [f"{year}年披露{label}的仅{who(top)}，为{fmt(top['value'], unit)}{marks(top)}。",
                _trend(df, top, unit, who)]
    lines = [f"{year}年{label}最高的是{who(top)}，为{fmt(top['value'], unit)}{marks(top)}。"]
    low = rows[-1]
    lines.append(f"最低的是{who(low)}，为{fmt(low['value'], unit)}{marks(low)}。")
    if len(rows) >= 3:
        median = pl.Series([r["value"] for r in rows]).median()
        noun = "项目" if top.get("report_kind") == "project" else "单位"
        lines.append(f"{len(rows)} 个{noun}的中位数为{fmt(median, unit)}。")
        lines.append(_changes(df, year))
    else:
        lines.append(_trend(df, top, unit, who))
    return lines


def budget_lines(df: pl.DataFrame, year: int) -> list[str]:
    return extremes(df.filter(pl.col("metric") == "budget.execution_rate_pct"), year, "预算执行率", "%")


def petition_lines(df: pl.DataFrame, year: int) -> list[str]:
    totals = df.filter(pl.col("metric") == "petitions.total")
    lines = extremes(totals, year, "信访总量", "件")
    # a report that quotes its own prior-year total, where the unit has no report of that year
    quoted = df.filter((pl.col("metric") == "petitions.prior_year_total") & (pl.col("year") == year))
    for q in quoted.iter_rows(named=True):
        current = totals.filter((pl.col("department_key") == q["department_key"]) & (pl.col("year") == year)
                                & (pl.col("report_kind") == q["report_kind"]))
        if not current.height or not q["value"]:
            continue
        c = current.row(0, named=True)
        if _prior(totals, c) is not None:
            continue
        change = (c["value"] - q["value"]) / q["value"] * 100
        word = "上升" if change > 0 else "下降"
        lines.append(f"据报告所引，{unit_name(c)}{year}年信访量{fmt(c['value'], '件')}{marks(c)}，"
                     f"较上年同期{fmt(q['value'], '件')}{word}{abs(change):.1f}%。")
        break
    return lines


def satisfaction_lines(df: pl.DataFrame, year: int) -> list[str]:
    sat = df.filter(pl.col("metric") == "satisfaction.satisfaction_pct")
    lines = extremes(sat, year, "满意率", "%", who=lambda r: f"{unit_name(r)}（{r['subject']}）")
    targets = df.filter((pl.col("metric") == "satisfaction.target_pct") & (pl.col("year") == year))
    if lines and targets.height:
        joined = sat.filter(pl.col("year") == year).join(
            targets.select("report_id", "subject", pl.col("value").alias("target")),
            on=["report_id", "subject"], how="inner")
        if joined.height:
            below = joined.filter(pl.col("value") < pl.col("target"))
            lines.append(f"披露目标值的{joined.height}项中，{below.height}项低于目标。")
    return lines


def score_lines(df: pl.DataFrame, year: int, grades: list[str | None]) -> list[str]:
    lines = extremes(df.filter(pl.col("metric") == "score.total"), year, "绩效自评得分", "分")
    counted = Counter(g for g in grades if g)
    if lines and counted:
        lines.append("评价等级：" + "、".join(f"{g} {n} 份" for g, n in counted.most_common()) + "。")
    return lines
