"""Charts: a prepared polars DataFrame (perfboard.present.format.prepare) → a Chart (a plotly
Figure with the rows it draws).
Pure: no Streamlit, no database.

Every point carries customdata for its hover box: the department (or project), the year,
the value with its unit and marks, and the sentence of the report it came from. A missing
value is a gap, never a zero; a derived or part-year value is marked on the chart too.
Department-wide and project figures are separate series and are never stacked together."""
from __future__ import annotations

import importlib
import re
from typing import NamedTuple

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from perfboard.present.format import (FLAG_COLUMNS, FONT_FAMILY, MISSING, hover_text, marks, metric_label, notes,
                                      number, titled, unit_of)
from perfboard.style import COLORS, MUTED  # one palette for the dashboard and the briefs

# plotly imports pandas lazily, on first use, from whichever thread draws first; under
# concurrent sessions a second thread then sees a half-initialised module ("partially
# initialized module 'pandas' has no attribute 'Series"). Importing it once here, under
# the import lock, settles it. (We use no pandas ourselves.)
importlib.import_module("pandas")

class Chart(NamedTuple):
    """A figure and the prepared rows it draws: a chart's CSV/XLSX downloads are made from
    these rows (raw values and their flags), never read back out of the figure."""
    figure: go.Figure
    rows: pl.DataFrame


TEMPLATE = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT_FAMILY, size=13, color="#1f2937"),
    title=dict(font=dict(family=FONT_FAMILY, size=16)),
    hoverlabel=dict(font=dict(family=FONT_FAMILY, size=12), align="left"),
    colorway=COLORS,
    separators=".,",
    plot_bgcolor="white",
    paper_bgcolor="white",
    # the legend below the chart, at the bottom of the whole figure ("container"): above it,
    # a legend that wraps to two lines on a phone ran into the title; plotly grows the
    # bottom margin for it, under the axis labels
    legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, xanchor="left", x=0, title=None),
    margin=dict(l=10, r=10, t=70, b=10),
    xaxis=dict(showgrid=False, linecolor="#d1d5db", automargin=True),
    yaxis=dict(gridcolor="#eef0f3", zerolinecolor="#d1d5db", automargin=True),
))

HOVER = ("<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}：<b>%{customdata[3]}</b>"
         "<br>出处：%{customdata[4]}%{customdata[5]}<extra></extra>")
_TICKS = {"万元": ",.0f", "%": ".0f", "件": ",d", "分": ".0f"}


def empty_figure(message: str = "没有可画的数据") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font=dict(size=14, color=MUTED), x=0.5, y=0.5,
                       xref="paper", yref="paper")
    fig.update_layout(template=TEMPLATE, height=200, xaxis=dict(visible=False), yaxis=dict(visible=False))
    return fig


def _finish(fig: go.Figure, title: str, y_title: str | None = None, unit: str | None = None,
            height: int = 420) -> go.Figure:
    fig.update_layout(template=TEMPLATE, title=dict(text=title, x=0, xanchor="left"), height=height,
                      font=dict(family=FONT_FAMILY), hovermode="closest", bargap=0.25, bargroupgap=0.05)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title, tickformat=_TICKS.get(unit or "", None),
                         ticksuffix="%" if unit == "%" else None)
    return fig


_CITY = re.compile(r"^.+?市(?=.+?(?:区|县|市|旗))")


def short_names(labels) -> dict[str, str]:
    """Axis names without the city (天河区信访局 for 广州市天河区信访局) where that stays
    unambiguous; the hover box always has the full name."""
    labels = list(dict.fromkeys(labels))
    short = {label: _CITY.sub("", label) for label in labels}
    if len(set(short.values())) < len(labels):
        return {label: label for label in labels}
    return short


def _categories(rows: list[dict], names: dict[str, str] | None = None) -> list[str]:
    names = names or short_names(r["unit_label"] for r in rows)
    return [f"{names[r['unit_label']]}<br>{r['year']} 年" for r in rows]


def _custom(row: dict, series: str | None = None) -> list:
    unit = row.get("unit") or ""
    flags = {k: row.get(k) for k in FLAG_COLUMNS}
    value_text = number(row.get("value"), unit, with_unit=True)
    found = marks(**flags) if row.get("value") is not None else []
    if found:
        value_text += f"（{'，'.join(found)}）"
    page = f"（第{row['source_page']}页）" if row.get("source_page") else ""
    note = "".join(f"<br><i>{hover_text(n, limit=200)}</i>" for n in notes(**flags)) if found else ""
    return [row.get("unit_label") or "", f"{row.get('year')} 年", series or row.get("metric_label") or "",
            value_text, hover_text(row.get("source_snippet")) + page, note]


def _bar(rows: list[dict], name: str, color: str, x: list, series: str | None = None, **kw) -> go.Bar:
    derived = [bool(r.get("derived")) for r in rows]
    return go.Bar(
        x=x, y=[r.get("value") for r in rows], name=name, marker_color=color,
        marker_pattern_shape=["/" if d else "" for d in derived],
        customdata=[_custom(r, series or name) for r in rows], hovertemplate=HOVER, **kw)


def _missing_labels(fig: go.Figure, x: list, rows: list[dict], **where) -> None:
    """Writes 未披露 where a bar is missing, so a gap is not read as zero."""
    gaps = [(xi, r) for xi, r in zip(x, rows) if r.get("value") is None]
    if gaps:
        fig.add_trace(go.Scatter(
            x=[g[0] for g in gaps], y=[0] * len(gaps), mode="text", text=[MISSING] * len(gaps),
            textposition="top center", textfont=dict(color=MUTED, size=12), showlegend=False,
            hoverinfo="skip"), **where)


def metric_bars(df: pl.DataFrame, metric: str, title: str, reference: float | None = None,
                reference_label: str | None = None) -> Chart:
    """One bar per department (or project) and year for one metric, labelled with its value."""
    rows = df.filter(pl.col("metric") == metric).to_dicts()
    if not rows:
        return Chart(empty_figure(), df.filter(pl.col("metric") == metric))
    x = _categories(rows)
    colors = [COLORS[1] if r.get("report_kind") == "project" else COLORS[0] for r in rows]
    labels = [r.get("text") if r.get("value") is not None else "" for r in rows]
    fig = go.Figure(_bar(rows, metric_label(metric), COLORS[0], x, text=labels, textposition="outside",
                         cliponaxis=False, constraintext="none", textfont=dict(size=12)))
    fig.data[0].marker.color = colors
    fig.data[0].showlegend = False
    _missing_labels(fig, x, rows)
    if reference is not None:
        fig.add_hline(y=reference, line_dash="dot", line_color=MUTED, annotation_text=reference_label,
                      annotation_position="bottom right", annotation_font=dict(color=MUTED, size=11))
    unit = rows[0].get("unit") or ""
    _finish(fig, title, titled(metric), unit)
    values = [r["value"] for r in rows if r.get("value") is not None]
    if unit == "%" and values and min(values) > 50:
        fig.update_yaxes(range=[min(min(values) - 5, reference or 100) // 5 * 5, max(values + [100]) + 3])
    return Chart(fig, df.filter(pl.col("metric") == metric))


def grouped_bars(df: pl.DataFrame, metrics: list[str], title: str, y_title: str) -> Chart:
    """Side-by-side bars of several metrics with one unit (e.g. 调整后预算 vs 实际支出)
    per department and year. Never stacked: the parts need not add up to a whole."""
    df = df.filter(pl.col("metric").is_in(metrics))
    if df.filter(pl.col("value").is_not_null()).is_empty():
        return Chart(empty_figure(), df)
    fig = go.Figure()
    names = short_names(df["unit_label"].to_list())
    for i, metric in enumerate(metrics):
        rows = df.filter(pl.col("metric") == metric).to_dicts()
        if rows:
            fig.add_trace(_bar(rows, metric_label(metric), COLORS[i % len(COLORS)], _categories(rows, names)))
    # a department-year without any of these numbers: say so instead of an empty slot
    silent = (df.group_by("unit_label", "year", maintain_order=True)
                .agg(pl.col("value").is_not_null().any().alias("any"))
                .filter(~pl.col("any")).to_dicts())
    _missing_labels(fig, _categories(silent, names), [dict(r, value=None) for r in silent])
    unit = df["unit"].drop_nulls().first() if "unit" in df.columns else None
    fig.update_layout(barmode="group")
    return Chart(_finish(fig, title, y_title, unit), df)


def petition_trend(df: pl.DataFrame) -> Chart:
    """信访总量 per department across years (a gap where a year is not disclosed), with the
    prior-year totals a report quotes drawn as hollow points at year - 1."""
    totals = df.filter(pl.col("metric") == "petitions.total")
    quoted = df.filter((pl.col("metric") == "petitions.prior_year_total") & pl.col("value").is_not_null())
    if totals.filter(pl.col("value").is_not_null()).is_empty() and quoted.is_empty():
        return Chart(empty_figure(), pl.concat([totals, quoted]))
    fig = go.Figure()
    labels = list(dict.fromkeys(totals["unit_label"].to_list() + quoted["unit_label"].to_list()))
    years = sorted(set(totals["year"].to_list()) | {y - 1 for y in quoted["year"].to_list()})
    for i, label in enumerate(labels):
        color = COLORS[i % len(COLORS)]
        own = {r["year"]: r for r in totals.filter(pl.col("unit_label") == label).to_dicts()}
        # every year in range: a missing year stays a gap in the line
        rows = [own.get(y, {"unit_label": label, "year": y, "value": None, "unit": unit_of("petitions.total")})
                for y in years]
        shown = [r for r in rows if r.get("value") is not None]
        if shown:
            fig.add_trace(go.Scatter(
                x=[r["year"] for r in rows], y=[r.get("value") for r in rows], name=label,
                mode="lines+markers+text", connectgaps=False, line=dict(color=color, width=2),
                marker=dict(size=10, color=color, symbol=["diamond" if r.get("period_start") else "circle"
                                                          for r in rows]),
                text=[r.get("text") if r.get("value") is not None else "" for r in rows],
                textposition="top center", textfont=dict(size=11, color=color),
                customdata=[_custom(r, "信访总量") for r in rows], hovertemplate=HOVER))
        for r in quoted.filter(pl.col("unit_label") == label).to_dicts():
            point = dict(r, year=r["year"] - 1)
            fig.add_trace(go.Scatter(
                x=[r["year"] - 1], y=[r["value"]], name=f"{label}（{r['year']}年报告引述的上年数）",
                mode="markers", marker=dict(size=11, color="white", line=dict(color=color, width=2)),
                customdata=[_custom(point, f"上年数（{r['year']} 年报告引述）")], hovertemplate=HOVER))
            current = own.get(r["year"])
            if current and current.get("value") is not None:
                fig.add_trace(go.Scatter(
                    x=[r["year"] - 1, r["year"]], y=[r["value"], current["value"]], mode="lines",
                    line=dict(color=color, width=1.5, dash="dot"), showlegend=False, hoverinfo="skip"))
    _finish(fig, "信访总量趋势（空心点：报告引述的上年数）", "信访总量（件）", "件")
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[f"{y} 年" for y in years])
    return Chart(fig, pl.concat([totals, quoted]))


def satisfaction_bars(df: pl.DataFrame) -> Chart:
    """满意度 and 参评率 per department, year and rated subject, with the target as a marker."""
    df = df.filter(pl.col("subject").is_not_null())
    if df.filter(pl.col("value").is_not_null()).is_empty():
        return Chart(empty_figure(), df)
    keys = df.select("unit_label", "year", "subject").unique(maintain_order=True).to_dicts()
    names = short_names(k["unit_label"] for k in keys)
    x = [f"{names[k['unit_label']]}<br>{k['year']} 年 · {k['subject']}" for k in keys]

    def rows_of(metric: str) -> list[dict]:
        found = {(r["unit_label"], r["year"], r["subject"]): r
                 for r in df.filter(pl.col("metric") == metric).to_dicts()}
        return [found.get((k["unit_label"], k["year"], k["subject"]), dict(k, value=None, unit=unit_of(metric)))
                for k in keys]

    fig = go.Figure()
    for metric, name, color in (("satisfaction.satisfaction_pct", "满意度", COLORS[0]),
                                ("satisfaction.participation_pct", "参评率", COLORS[2])):
        rows = rows_of(metric)
        fig.add_trace(_bar(rows, name, color, x, text=[r.get("text") or "" for r in rows], textposition="outside",
                           cliponaxis=False, constraintext="none", textfont=dict(size=11)))
    targets = rows_of("satisfaction.target_pct")
    if any(t.get("value") is not None for t in targets):
        fig.add_trace(go.Scatter(
            x=x, y=[t.get("value") for t in targets], name="满意度目标", mode="markers",
            marker=dict(symbol="line-ew-open", size=40, color=COLORS[3], line=dict(width=3, color=COLORS[3])),
            customdata=[_custom(t, "满意度目标") for t in targets], hovertemplate=HOVER))
    fig.update_layout(barmode="group")
    _finish(fig, "满意度与参评率（红线：目标值）", "比率（%）", "%")
    fig.update_yaxes(range=[0, 110])
    return Chart(fig, df)


def score_trend(df: pl.DataFrame) -> Chart:
    """自评得分 per department (or project) across years; a gap where not disclosed."""
    df = df.filter(pl.col("metric") == "score.total")
    if df.filter(pl.col("value").is_not_null()).is_empty():
        return Chart(empty_figure("所选范围内的报告都没有披露自评得分"), df)
    years = sorted(set(df["year"].to_list()))
    fig = go.Figure()
    for i, label in enumerate(dict.fromkeys(df["unit_label"].to_list())):
        own = {r["year"]: r for r in df.filter(pl.col("unit_label") == label).to_dicts()}
        if all(r.get("value") is None for r in own.values()):
            continue
        rows = [own.get(y, {"unit_label": label, "year": y, "value": None, "unit": unit_of("score.total")})
                for y in years]
        color = COLORS[i % len(COLORS)]
        fig.add_trace(go.Scatter(
            x=years, y=[r.get("value") for r in rows], name=label, mode="lines+markers+text",
            connectgaps=False, line=dict(color=color, width=2), marker=dict(size=10, color=color),
            text=[number(r.get("value"), unit_of("score.total")) if r.get("value") is not None else "" for r in rows],
            textposition="top center", textfont=dict(size=11, color=color),
            customdata=[_custom(r, "自评得分") for r in rows], hovertemplate=HOVER))
    _finish(fig, "绩效自评得分趋势", "自评得分（分）", "分")
    values = df["value"].drop_nulls()
    fig.update_yaxes(range=[min(values.min() - 5, 80), 102])
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[f"{y} 年" for y in years])
    return Chart(fig, df)


def grade_bars(df: pl.DataFrame) -> Chart:
    """How many reports got each grade, department-wide and projects side by side."""
    if df.is_empty():
        return Chart(empty_figure(), df)
    fig = go.Figure()
    grades = list(dict.fromkeys(g or MISSING for g in df["score_grade"].to_list()))
    for i, (kind, name) in enumerate((("department_overall", "部门整体"), ("project", "项目"))):
        part = {(r["score_grade"] or MISSING): r["reports"] for r in df.filter(pl.col("report_kind") == kind).to_dicts()}
        if not part:
            continue
        fig.add_trace(go.Bar(
            x=grades, y=[part.get(g) for g in grades], name=name, marker_color=COLORS[i],
            text=[part.get(g) or "" for g in grades], textposition="outside",
            hovertemplate=f"{name} · %{{x}}：%{{y}} 份报告<extra></extra>"))
    fig.update_layout(barmode="group")
    _finish(fig, "评价等级分布", "报告数（份）", None, height=360)
    fig.update_yaxes(tickformat=",d", dtick=1)
    return Chart(fig, df)


PANEL_COLUMNS = 2  # panels side by side at most: three or four titles in a row ran into each other on a phone
PANEL_TITLE_FONT = 12


def small_multiples(df: pl.DataFrame, by_year: bool = False, columns: int = PANEL_COLUMNS) -> Chart:
    """One small chart per metric, each with its own unit: bars per department coloured by
    year (对比), or with by_year one bar per year (单位画像). At most PANEL_COLUMNS panels
    side by side, so their titles fit a phone's width too."""
    series = df.select("metric", "metric_label").unique(maintain_order=True).to_dicts()
    if not series or df.filter(pl.col("value").is_not_null()).is_empty():
        return Chart(empty_figure(), df)
    cols = min(columns, PANEL_COLUMNS, len(series))
    nrows = (len(series) + cols - 1) // cols
    titles = [f"{s['metric_label']}（{unit_of(s['metric'])}）" if unit_of(s["metric"]) else s["metric_label"]
              for s in series]
    fig = make_subplots(rows=nrows, cols=cols, subplot_titles=titles, horizontal_spacing=0.12,
                        vertical_spacing=min(0.16, 0.4 / nrows) if nrows > 1 else 0.1)
    years = sorted(set(df["year"].to_list()))
    names = short_names(df["unit_label"].to_list())
    legend = len(years) > 1 and not by_year
    for i, s in enumerate(series):
        row, col = i // cols + 1, i % cols + 1
        part = df.filter(pl.col("metric_label") == s["metric_label"])
        for j, year in enumerate(years):
            rows = part.filter(pl.col("year") == year).to_dicts()
            if not rows:
                continue
            if by_year:
                x = [f"{r['year']} 年" + ("（项目）" if r.get("report_kind") == "project" else "") for r in rows]
            else:
                x = [names[r["unit_label"]] for r in rows]
            fig.add_trace(_bar(rows, f"{year} 年", COLORS[j % len(COLORS)], x, series=s["metric_label"],
                               legendgroup=str(year), showlegend=legend and i == 0,
                               text=[r.get("text") if r.get("value") is not None else "" for r in rows],
                               textposition="outside", cliponaxis=False, constraintext="none",
                               textfont=dict(size=11)),
                          row=row, col=col)
            _missing_labels(fig, x, rows, row=row, col=col)
        unit = unit_of(s["metric"])
        if part["value"].drop_nulls().is_empty():      # nothing disclosed: no scale to read
            fig.update_yaxes(range=[0, 1], showticklabels=False, row=row, col=col)
        else:
            fig.update_yaxes(tickformat=_TICKS.get(unit), rangemode="tozero", row=row, col=col)
    height = 300 * nrows + 60
    fig.update_layout(barmode="group")
    _finish(fig, "", None, None, height=height)
    fig.update_layout(showlegend=legend, margin=dict(t=50))
    # panel titles a little higher: a value label over the top point sat on them
    fig.update_annotations(font=dict(family=FONT_FAMILY, size=PANEL_TITLE_FONT), yshift=14)
    return Chart(fig, df)


# short panel titles: two panels side by side must fit a 390 px phone (the caption and
# the hover say that petitions are summed over whole-year figures only)
TREND_PANELS = [("budget.execution_rate_pct", "预算执行率中位数（%）"), ("petitions.total", "信访总量合计（件）"),
                ("satisfaction.satisfaction_pct", "满意度中位数（%）"), ("score.total", "自评得分中位数（分）")]


TREND_LABELS = 4  # years up to which every point of a trend panel is labelled


def yearly_trend(df: pl.DataFrame) -> Chart:
    """总览: four small line charts, one per key metric, one point per year across the
    departments in view (medians; petitions summed over whole-year figures only); the
    hover says how many departments disclosed it. A single year is a point, not a trend."""
    if df.is_empty():
        return Chart(empty_figure(), df.filter(pl.col("metric").is_in([m for m, _ in TREND_PANELS])))
    # 2 × 2, not 4 in a row: four titles in a row ran into one line on a phone
    # the gap holds the right panels' tick labels (2,000,000 on a phone)
    fig = make_subplots(rows=2, cols=2, subplot_titles=[t for _, t in TREND_PANELS], horizontal_spacing=0.2,
                        vertical_spacing=0.2)
    for i, (metric, title) in enumerate(TREND_PANELS):
        at = dict(row=i // 2 + 1, col=i % 2 + 1)
        rows = df.filter((pl.col("metric") == metric) & pl.col("value").is_not_null()).sort("year").to_dicts()
        if not rows:  # a word in the empty panel (an annotation there lands in the first panel in plotly.js)
            fig.add_trace(go.Scatter(x=[0], y=[0], mode="text", text=[MISSING], textfont=dict(size=14, color=MUTED),
                                     hoverinfo="skip", showlegend=False), **at)
            fig.update_xaxes(visible=False, **at)
            fig.update_yaxes(visible=False, **at)
            continue
        unit = unit_of(metric)
        # a label on every point of a decade overlaps in a quarter-width panel: then only the
        # latest year is labelled (every value is in the hover and the downloads)
        labelled = len(rows) <= TREND_LABELS
        fig.add_trace(go.Scatter(
            x=[str(r["year"]) for r in rows], y=[r["value"] for r in rows], mode="lines+markers+text",
            text=[number(r["value"], unit) if labelled or k == len(rows) - 1 else "" for k, r in enumerate(rows)],
            # the latest point's label leans left, so it is not cut at the panel's right edge
            textposition=["top center"] * (len(rows) - 1) + ["top left" if len(rows) > 1 else "top center"],
            cliponaxis=False,
            line=dict(color=COLORS[0], width=2), marker=dict(size=8), name=title, showlegend=False,
            customdata=[[r["year"], number(r["value"], unit, with_unit=True), r["n"]] for r in rows],
            hovertemplate="%{customdata[0]} 年：<b>%{customdata[1]}</b><br>%{customdata[2]} 个单位披露<extra></extra>"),
            **at)
        # rates sit in a narrow band: let plotly pick ticks with the decimals the band needs
        fig.update_yaxes(tickformat=",d" if unit == "件" else None, rangemode="tozero" if unit == "件" else "normal",
                         **at)
        fig.update_xaxes(type="category", **at)
    _finish(fig, "关键指标逐年趋势（部门整体）", None, None, height=520)
    fig.update_layout(margin=dict(t=95))
    # panel titles a little higher: a value label over the top point sat on them
    fig.update_annotations(font=dict(family=FONT_FAMILY, size=PANEL_TITLE_FONT), yshift=14)
    return Chart(fig, df.filter(pl.col("metric").is_in([m for m, _ in TREND_PANELS])))
