"""Two or three Chinese sentences per briefing chart, computed from the numbers only.

They name the highest and lowest values, compare with the prior year only where the same
department has one (never a trend from a single year), and mark derived (推算),
partial-year (1–10月) and project-scope (项目) figures."""
from __future__ import annotations

import polars as pl


def marks(row: dict) -> str:
    out = []
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


def _fmt(value: float, unit: str) -> str:
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
    if "subject" in row and row.get("subject") is not None:
        prior = prior.filter(pl.col("subject") == row["subject"])
    return prior.row(0, named=True) if prior.height else None


def _trend(df: pl.DataFrame, row: dict, unit: str) -> str:
    prior = _prior(df, row)
    if prior is None:
        return f"{row['department']}无{row['year'] - 1}年同口径数据，不作趋势判断。"
    diff = row["value"] - prior["value"]
    if abs(diff) < 0.005:
        return f"{row['department']}与{row['year'] - 1}年持平。"
    word = "上升" if diff > 0 else "下降"
    amount = f"{abs(diff):.2f}个百分点" if unit == "%" else _fmt(abs(diff), unit)
    return f"{row['department']}较{row['year'] - 1}年{word}{amount}{marks(prior)}。"


def extremes(df: pl.DataFrame, label: str, unit: str, who=lambda r: r["department"]) -> list[str]:
    """Highest (and lowest) value of the latest year in `df`, and the highest one's trend.
    Whole-department figures are ranked among themselves; project figures only when a
    filter leaves nothing else (the two are never compared or summed)."""
    if df.is_empty():
        return []
    overall = df.filter(pl.col("report_kind") == "department_overall")
    df = overall if overall.height else df
    latest_year = df["year"].max()
    latest = df.filter(pl.col("year") == latest_year).sort("value", descending=True)
    top = latest.row(0, named=True)
    lines = [f"{latest_year}年{label}最高的是{who(top)}，为{_fmt(top['value'], unit)}{marks(top)}。"]
    if latest.height > 1:
        low = latest.row(latest.height - 1, named=True)
        lines.append(f"最低的是{who(low)}，为{_fmt(low['value'], unit)}{marks(low)}。")
    else:
        lines.append(f"{latest_year}年仅{who(top)}一家披露此项。")
    lines.append(_trend(df, top, unit))
    return lines


def budget_lines(df: pl.DataFrame) -> list[str]:
    return extremes(df.filter(pl.col("metric") == "budget.execution_rate_pct"), "预算执行率", "%")


def petition_lines(df: pl.DataFrame) -> list[str]:
    totals = df.filter(pl.col("metric") == "petitions.total")
    lines = extremes(totals, "信访总量", "件")
    quoted = df.filter(pl.col("metric") == "petitions.prior_year_total")
    if lines and quoted.height:
        q = quoted.row(0, named=True)
        current = totals.filter((pl.col("department_key") == q["department_key"]) & (pl.col("year") == q["year"]))
        if current.height:
            c = current.row(0, named=True)
            change = (c["value"] - q["value"]) / q["value"] * 100 if q["value"] else None
            if change is not None:
                word = "上升" if change > 0 else "下降"
                lines[-1] = (f"据报告所引，{c['department']}{c['year']}年信访量{_fmt(c['value'], '件')}{marks(c)}，"
                             f"较上年同期{_fmt(q['value'], '件')}{word}{abs(change):.1f}%。")
    return lines


def satisfaction_lines(df: pl.DataFrame) -> list[str]:
    sat = df.filter(pl.col("metric") == "satisfaction.satisfaction_pct")
    lines = extremes(sat, "满意率", "%", who=lambda r: f"{r['department']}（{r['subject']}）")
    targets = df.filter(pl.col("metric") == "satisfaction.target_pct")
    if lines and targets.height:
        joined = sat.join(targets.select("report_id" if "report_id" in targets.columns else "department_key",
                                         "year", "subject", pl.col("value").alias("target")),
                          on=["department_key", "year", "subject"] if "report_id" not in targets.columns
                          else ["report_id", "subject"], how="inner")
        below = joined.filter(pl.col("value") < pl.col("target"))
        lines.append(f"披露目标值的{joined.height}项中，{below.height}项低于目标。")
    return lines[:3]


def score_lines(df: pl.DataFrame, grades: dict[str, str | None]) -> list[str]:
    scores = df.filter(pl.col("metric") == "score.total")
    lines = extremes(scores, "绩效自评得分", "分")
    if lines:
        graded = [f"{d}（{g}）" for d, g in grades.items() if g]
        if graded:
            lines[-1] = "评价等级：" + "、".join(graded[:6]) + "。"
    return lines
