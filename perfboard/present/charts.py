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
import statistics
from typing import NamedTuple

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from perfboard.present import ranked
from perfboard.present.format import (FLAG_COLUMNS, FONT_FAMILY, MISSING, document_notes, hover_text, marks,
                                      meaning, metric_label, notes, number, plotly_text, prepare, titled, unit_of, cut,
                                      text_width)
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
    if sum(1 for t in fig.data if t.showlegend is not False) > 1:   # a legend: below the plot, never over the title
        plot = max(height - 70 - LEGEND_ROOM, 120)
        fig.update_layout(margin=dict(b=LEGEND_ROOM), legend=dict(orientation="h", x=0, xanchor="left", yanchor="top",
                                                                  y=-(LEGEND_ROOM - 36) / plot))
    return fig


LEGEND_ROOM = 80  # px below the plot for the x-axis labels and a legend under them


_CITY = re.compile(r"^.+?市(?=.+?(?:区|县|市|旗))")


def short_names(labels) -> dict[str, str]:
    """Axis names without the city (天河区信访局 for 广州市天河区信访局) where that stays
    unambiguous; the hover box always has the full name. Escaped for plotly (plotly_text):
    a name from a report or records file is text, never a tag."""
    labels = list(dict.fromkeys(labels))
    short = {label: _CITY.sub("", label) for label in labels}
    if len(set(short.values())) < len(labels):
        return {label: plotly_text(label) for label in labels}
    return {label: plotly_text(name) for label, name in short.items()}


def _custom(row: dict, series: str | None = None) -> list:
    unit = row.get("unit") or ""
    flags = {k: row.get(k) for k in FLAG_COLUMNS}
    value_text = number(row.get("value"), unit, with_unit=True)
    found = marks(**flags) if row.get("value") is not None else []
    if found:
        value_text += f"（{'，'.join(found)}）"
    page = f"（第{row['source_page']}页）" if row.get("source_page") else ""
    note = "".join(f"<br><i>{hover_text(n, limit=200)}</i>" for n in notes(**flags)) if found else ""
    return [plotly_text(row.get("unit_label")), f"{row.get('year')} 年", plotly_text(series or row.get("metric_label")),
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
                x=[r["year"] for r in rows], y=[r.get("value") for r in rows], name=plotly_text(label),
                mode="lines+markers+text", connectgaps=False, line=dict(color=color, width=2),
                marker=dict(size=10, color=color, symbol=["diamond" if r.get("period_start") else "circle"
                                                          for r in rows]),
                text=[r.get("text") if r.get("value") is not None else "" for r in rows],
                textposition="top center", textfont=dict(size=11, color=color),
                customdata=[_custom(r, "信访总量") for r in rows], hovertemplate=HOVER))
        for r in quoted.filter(pl.col("unit_label") == label).to_dicts():
            point = dict(r, year=r["year"] - 1)
            fig.add_trace(go.Scatter(
                x=[r["year"] - 1], y=[r["value"]], name=f"{plotly_text(label)}（{r['year']}年报告引述的上年数）",
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
            x=years, y=[r.get("value") for r in rows], name=plotly_text(label), mode="lines+markers+text",
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
    # whole reports only: a step of 1 while counts are small; at 30,000 reports a tick per report
    # (6,000 gridlines) held the browser for over a minute, so plotly picks the step there
    fig.update_yaxes(tickformat=",d", dtick=1 if df["reports"].max() <= 10 else None)
    return Chart(fig, df)


PANEL_COLUMNS = 2  # panels side by side at most: three or four titles in a row ran into each other on a phone
PANEL_TITLE_FONT = 12


SIDE_LABEL_ROOM = 30


def small_multiples(df: pl.DataFrame, by_year: bool = False, columns: int = PANEL_COLUMNS) -> Chart:
    """One small chart per metric, each with its own unit: bars per department coloured by
    year (对比), or with by_year one bar per year (单位画像). At most PANEL_COLUMNS panels
    side by side, so their titles fit a phone's width too."""
    series = df.select("metric", "metric_label").unique(maintain_order=True).to_dicts()
    if not series or df.filter(pl.col("value").is_not_null()).is_empty():
        return Chart(empty_figure(), df)
    cols = min(columns, PANEL_COLUMNS, len(series))
    nrows = (len(series) + cols - 1) // cols
    titles = [plotly_text(f"{s['metric_label']}（{unit_of(s['metric'])}）" if unit_of(s["metric"]) else s["metric_label"])
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
    # r: half the widest value label (88.70%) over the last panel's last bar, which sits at the edge
    fig.update_layout(showlegend=legend, margin=dict(t=50, b=LEGEND_ROOM if legend else 10, r=SIDE_LABEL_ROOM),
                      legend=dict(orientation="h", x=0, xanchor="left", yanchor="top",
                                  y=-(LEGEND_ROOM - 36) / (height - 50 - LEGEND_ROOM)))
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


# ── charts of many units ─────────────────────────────────────────────────────────────────
# "Who is highest, who is lowest, where is mine": one year's units as horizontal bars sorted
# by value; above ranked.SHOW_ALL units the highest and lowest ranked.EDGE with the rest as one
# grey median bar (perfboard.present.ranked, the brief's rule too); the units a reader picked
# (我的单位) highlighted wherever they rank; from ranked.DISTRIBUTION units a box of the spread
# as well; lines of many units as the median and its p25–p75 band with the picked few.
# Text never collides: names on the axis, values right of the bars, the metric's meaning in
# the subtitle, legends below the plot.

HIGHLIGHT = COLORS[4]     # 我的单位: violet, apart from the blue (whole department) and amber (project)
ROW_PX = 26               # px per bar
LINES = 8                 # up to this many units a line chart draws every one
BELOW = 90                # px under the plot: the axis title, then the legend
LEGEND_BELOW = dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0, title=None)


SUBTITLE_CHARS = 30       # CJK characters of a 12 px subtitle line across a 390 px phone: lines wrap there


_width = text_width


def _subtitle(*parts: str | None) -> str:
    """The parts of a subtitle wrapped to phone width (plotly never wraps a title): whole
    parts share a line while they fit; a longer part is cut where the line is full."""
    lines: list[str] = []
    for part in (p for p in parts if p):
        if lines and _width(lines[-1] + "　" + part) <= SUBTITLE_CHARS:
            lines[-1] += "　" + part
            continue
        line = ""
        for ch in part:
            if _width(line + ch) > SUBTITLE_CHARS:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return "<br>".join(lines)


def _title(title: str, subtitle: str) -> dict:
    # pinned to the top of the figure: the margin below it (_top) holds the subtitle's lines
    return dict(text=title, x=0, xanchor="left", xref="container", yref="container", y=1, yanchor="top",
                pad=dict(t=8, l=6), subtitle=dict(text=subtitle, font=dict(size=12, color=MUTED)))


def _top(subtitle: str) -> int:
    """px above the plot for a title and a subtitle of this many lines."""
    return 46 + 17 * (subtitle.count("<br>") + 1)


NAME_CHARS = 16   # CJK characters of a bar's name at most: on a phone the bars keep most of the width
RIGHT_PX = 64     # px of margin right of a bar chart's plot at least, where value labels reach


def _fit(label: str, chars: float = NAME_CHARS) -> str:
    """A name cut to `chars` with … (the hover box has it whole)."""
    return cut(label, chars)


def _name(row: dict, names: dict[str, str]) -> str:
    label = names.get(row["unit_label"], row["unit_label"])
    return _fit(f"{label} · {row['subject']}" if row.get("subject") else label)


def _unique(labels: list[str]) -> list[str]:
    """plotly merges bars of equal category names: a second 样十区… becomes 样十区… (2)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


class _Cut(NamedTuple):
    """A chart's share of queries/ranked/edges.sql: the fetched rows of its metric and kind
    with their rank, and the counts and spread SQL computed over every unit."""
    rows: list[dict]
    stats: dict


def _cut(edges: pl.DataFrame | None, metric: str, rows: list[dict]) -> _Cut | None:
    if edges is None:
        return None
    ours = _edges_of(edges, metric, rows[0].get("report_kind") if rows else None)
    rank = {(e["department_key"], e["project_name"], e["subject"]): e["rank"] for e in ours}
    ranked_rows = [dict(r, rank=rank[key]) for r in rows
                   if (key := (r["department_key"], r.get("project_name"), r.get("subject"))) in rank
                   and r.get("value") is not None]
    return _Cut(ranked_rows, ours[0] if ours else {})


def _edges_of(edges: pl.DataFrame, metric: str, kind: str | None) -> list[dict]:
    return edges.filter((pl.col("metric") == metric) & (pl.col("report_kind") == kind)).to_dicts()


def unit_bars(df: pl.DataFrame, metric: str, title: str, *, highlight: tuple = (), reference: float | None = None,
              noun: str = "单位", descending: bool = True, edges: pl.DataFrame | None = None) -> Chart:
    """One year's units (the rows of `df`, one per unit, or per unit and rated subject) as
    sorted horizontal bars of `metric`; units that did not disclose it are listed at the
    bottom as 未披露 (a gap, never 0). `highlight`: department keys drawn in violet wherever
    they rank. `reference`: a dotted line (e.g. 100%), named in the subtitle. `descending`
    False: the lowest on top (最低在前). `edges`: queries/ranked/edges.sql's rows when `df`
    holds only the units drawn (many units): their ranks, the counts and the rest's median
    come from there."""
    part = df.filter(pl.col("metric") == metric)
    rows = part.to_dicts()
    if not rows or part["value"].drop_nulls().is_empty():
        return Chart(empty_figure(f"所选年度没有单位披露{metric_label(metric)}"), part)
    mine = set(highlight)
    cut = _cut(edges, metric, rows)
    if cut is not None and not cut.rows:
        return Chart(empty_figure(f"所选年度没有单位披露{metric_label(metric)}"), part)
    if cut is None:
        picked = ranked.summarise(rows, keep=lambda r: r["department_key"] in mine, descending=descending)
    else:
        picked = ranked.of_ranks(cut.rows, cut.stats["n"], cut.stats["rest"], cut.stats["rest_median"],
                                 keep=lambda r: r["department_key"] in mine)
    silent = [r for r in rows if r.get("value") is None]
    silent_count = len(silent) if cut is None else cut.stats["silent"]
    names = short_names(r["unit_label"] for r in rows)
    unit = unit_of(metric)
    y, x, text, colors, custom, patterns = [], [], [], [], [], []
    for e in picked.entries:
        if isinstance(e, ranked.Rest):
            y.append(e.label(noun))
            x.append(e.median)
            text.append(f"中位数 {number(e.median, unit)}")
            colors.append(MUTED)
            patterns.append("")
            custom.append([e.label(noun), "", metric_label(metric), number(e.median, unit, with_unit=True),
                           f"第 {ranked.EDGE + 1}–{picked.total - ranked.EDGE} 名中未单独列出的单位的中位数", ""])
            continue
        name = _name(e, names)
        highlighted = e["department_key"] in mine
        rank = f"第{e['rank']}名 " if picked.rest is not None and ranked.EDGE < e["rank"] <= picked.total - ranked.EDGE else ""
        y.append(f"<b>{rank}{name}</b>" if highlighted else name)
        x.append(e["value"])
        text.append(e.get("text") or number(e["value"], unit))
        colors.append(HIGHLIGHT if highlighted else COLORS[1] if e.get("report_kind") == "project" else COLORS[0])
        patterns.append("/" if e.get("derived") else "")
        custom.append(_custom(e, metric_label(metric)))
    # at the bottom, with no bar: named while few; of hundreds only 我的单位, the rest one counted row
    # (of many units only the drawn ones were fetched: the others are counted by SQL)
    named = silent if cut is None and len(silent) <= ranked.NAMED_SILENT else \
        [r for r in silent if r["department_key"] in mine]
    for r in named:
        name = _name(r, names)
        y.append(f"<b>{name}</b>" if r["department_key"] in mine else name)
        x.append(None)
        text.append("")
        colors.append(MUTED)
        patterns.append("")
        custom.append(_custom(r, metric_label(metric)))
    if len(named) < silent_count:
        counted = ranked.silent_label(silent_count - len(named), noun)
        y.append(counted)
        x.append(None)
        text.append("")
        colors.append(MUTED)
        patterns.append("")
        custom.append([counted, "", metric_label(metric), MISSING, "这些单位的报告未写明该项", ""])
    shown_silent = len(named) + (len(named) < silent_count)
    y = _unique(y)
    # a negative bar's label goes right of the zero line, not left into the names
    below = [(yi, t) for yi, xi, t in zip(y, x, text) if xi is not None and xi < 0]
    text = ["" if xi is not None and xi < 0 else t for xi, t in zip(x, text)]
    fig = go.Figure(go.Bar(orientation="h", y=y, x=x, text=text, textposition="outside", cliponaxis=False,
                           constraintext="none", textfont=dict(size=12), marker=dict(color=colors, pattern=dict(
                               shape=patterns, fgcolor="white")), customdata=custom, hovertemplate=HOVER,
                           showlegend=False))
    if below:
        fig.add_trace(go.Scatter(y=[b[0] for b in below], x=[0] * len(below), mode="text", text=[b[1] for b in below],
                                 textposition="middle right", textfont=dict(size=12), showlegend=False,
                                 hoverinfo="skip", cliponaxis=False))
    values = [v for v in x if v is not None]
    low, high = min(values + [reference] if reference is not None else values), max(values)
    start = (low - 5) // 5 * 5 if unit in ("%", "分") and low > 50 else min(0, low * 1.1)
    end = high + (high - start) * 0.22 + (1 if high == start else 0)   # room for the value labels
    # the widest value label (99.98%（※推算）, 33,589（1–10月）) fits in the right margin on its own:
    # on a phone the plot beside the names is only ~75 px wide, so the room above is a few px there
    right = max(RIGHT_PX, int(max((_width(t) for t in text if t), default=0) * 12) + 12)
    if shown_silent:  # 未披露 where the bar would start: a gap, never a zero
        fig.add_trace(go.Scatter(y=y[-shown_silent:], x=[start] * shown_silent,
                                 mode="text", text=[" " + MISSING] * shown_silent, textposition="middle right",
                                 textfont=dict(color=MUTED, size=12), showlegend=False, hoverinfo="skip",
                                 cliponaxis=False))
    if reference is not None:
        fig.add_vline(x=reference, line_dash="dot", line_color=MUTED, layer="below")  # under the value labels
    what = (f"{picked.total + silent_count:,} 个{noun}，其中 {silent_count:,} 个未披露" if silent_count
            else f"{picked.total:,} 个{noun}")
    how = picked.caption
    extras = []
    if mine & {r["department_key"] for r in rows}:
        extras.append("紫色：我的单位")
    if reference is not None:
        extras.append(f"虚线：{number(reference, unit, with_unit=True)}")
    if any(patterns):
        extras.append("斜线：推算")
    extras += document_notes(rows)
    sub = _subtitle(meaning(metric), what + ("；" + how if how else ""), *extras)
    _finish(fig, "", None, None, height=_top(sub) + 60 + ROW_PX * len(y))
    fig.update_layout(title=_title(title, sub), margin=dict(t=_top(sub), r=right), bargap=0.25)  # r: the value labels
    fig.update_yaxes(autorange="reversed", type="category", automargin=True, tickfont=dict(size=12), gridcolor=None)
    fig.update_xaxes(title_text=titled(metric), range=[start, end], showgrid=True, gridcolor="#eef0f3",
                     tickformat=_TICKS.get(unit), ticksuffix="%" if unit == "%" else None)
    return Chart(fig, part)


def distribution(df: pl.DataFrame, metric: str, title: str, *, highlight: tuple = (),
                 edges: pl.DataFrame | None = None) -> Chart:
    """The spread of one year's units: a box (median, quartiles) with every unit as a point;
    the units in `highlight` named. For hundreds of units, beside the top and bottom bars.
    With `edges` (queries/ranked/edges.sql: `df` holds only the units drawn) the counts of
    equal bins and the quartiles SQL computed over every unit instead of a point each."""
    part = df.filter((pl.col("metric") == metric) & pl.col("value").is_not_null())
    if part.is_empty():
        return Chart(empty_figure(), part)
    if edges is not None:
        return _histogram(part, metric, title, highlight, edges)
    rows = part.to_dicts()
    unit = unit_of(metric)
    fig = go.Figure(go.Box(x=[r["value"] for r in rows], name="", orientation="h", boxpoints="all", jitter=0.6,
                           pointpos=0, marker=dict(size=4, color=COLORS[0], opacity=0.45),
                           line=dict(color=INK_LINE), fillcolor="rgba(37,99,235,0.08)",
                           customdata=[_custom(r, metric_label(metric)) for r in rows], hovertemplate=HOVER,
                           showlegend=False))
    mine = [r for r in rows if r["department_key"] in set(highlight)]
    if mine:
        names = short_names(r["unit_label"] for r in mine)
        fig.add_trace(go.Scatter(x=[r["value"] for r in mine], y=[""] * len(mine), mode="markers+text",
                                 marker=dict(size=12, color=HIGHLIGHT, line=dict(color="white", width=1.5)),
                                 text=[names[r["unit_label"]] for r in mine], textposition="top center",
                                 customdata=[_custom(r, metric_label(metric)) for r in mine], hovertemplate=HOVER,
                                 showlegend=False))
    sub = _subtitle(meaning(metric), f"{len(rows)} 个单位的分布：箱体为中间一半（第 25–75 百分位），"
                    "竖线为中位数，每个点是一个单位")
    _finish(fig, "", None, None, height=_top(sub) + 200)
    fig.update_layout(title=_title(title, sub), margin=dict(t=_top(sub)))
    fig.update_xaxes(title_text=titled(metric), showgrid=True, gridcolor="#eef0f3", tickformat=_TICKS.get(unit),
                     ticksuffix="%" if unit == "%" else None)
    fig.update_yaxes(showticklabels=False)
    return Chart(fig, part)


INK_LINE = "#374151"
BINS = 20  # equal bins of a distribution of many units (queries/ranked/edges.sql counts them)
QUARTILES = (("p25", "第 25 百分位", "dot"), ("p50", "中位数", "solid"), ("p75", "第 75 百分位", "dot"))


def _histogram(part: pl.DataFrame, metric: str, title: str, highlight: tuple, edges: pl.DataFrame) -> Chart:
    """distribution of many units from SQL: a bar per bin (how many units), the quartiles as
    lines, 我的单位 as named points under the bars with their source in the hover."""
    ours = _edges_of(edges, metric, part["report_kind"][0])
    if not ours:
        return Chart(empty_figure(), part)
    stats, unit = ours[0], unit_of(metric)
    low, high, bins = stats["low"], stats["high"], list(stats["bins"])
    width = (high - low) / len(bins) if high > low else 1.0
    starts = [low + k * width for k in range(len(bins))]
    spans = [f"{number(a, unit)}–{number(a + width, unit, with_unit=True)}" for a in starts]
    fig = go.Figure(go.Bar(x=[a + width / 2 for a in starts], y=bins, width=[width] * len(bins),
                           marker=dict(color=COLORS[0], opacity=0.55, line=dict(color="white", width=1)),
                           customdata=list(zip(spans, bins)), showlegend=False,
                           hovertemplate="%{customdata[0]}：<b>%{customdata[1]:,}</b> 个单位<extra></extra>"))
    for key, label, dash in QUARTILES:
        fig.add_vline(x=stats[key], line_dash=dash, line_color=INK_LINE, layer="above")
    mine = [r for r in part.to_dicts() if r["department_key"] in set(highlight)]
    if mine:
        names = short_names(r["unit_label"] for r in mine)
        fig.add_trace(go.Scatter(x=[r["value"] for r in mine], y=[0] * len(mine), mode="markers+text",
                                 marker=dict(size=12, color=HIGHLIGHT, line=dict(color="white", width=1.5)),
                                 text=[names[r["unit_label"]] for r in mine], textposition="top center",
                                 customdata=[_custom(r, metric_label(metric)) for r in mine], hovertemplate=HOVER,
                                 showlegend=False, cliponaxis=False))
    sub = _subtitle(meaning(metric), f"{stats['n']:,} 个单位的分布：每根柱是一个区间内的单位数；"
                    f"实线为中位数（{number(stats['p50'], unit, with_unit=True)}），虚线为第 25 与第 75 百分位"
                    + ("；紫色：我的单位" if mine else ""))
    _finish(fig, "", None, None, height=_top(sub) + 260)
    fig.update_layout(title=_title(title, sub), margin=dict(t=_top(sub)), bargap=0)
    fig.update_xaxes(title_text=titled(metric), showgrid=True, gridcolor="#eef0f3", tickformat=_TICKS.get(unit),
                     ticksuffix="%" if unit == "%" else None)
    fig.update_yaxes(title_text="单位数", tickformat=",d", rangemode="tozero")
    # the downloads: the quartiles and each bin's count of every unit, and 我的单位's own rows
    drawn = pl.DataFrame(
        [{"unit_label": "全部单位", "metric": metric, "aggregate": label, "value": stats[key], "unit": unit,
          "n": stats["n"]} for key, label, _ in QUARTILES]
        + [{"unit_label": "全部单位", "metric": metric, "aggregate": f"{span} 的单位数", "value": float(count),
            "unit": "个", "n": stats["n"]} for span, count in zip(spans, bins)])
    return Chart(fig, pl.concat([drawn, part.filter(pl.col("department_key").is_in(list(highlight)))],
                                how="diagonal_relaxed"))


def grouped_unit_bars(df: pl.DataFrame, metrics: list[str], title: str, x_title: str, *,
                      sort_by: str | None = None, highlight: tuple = (), noun: str = "单位",
                      edges: pl.DataFrame | None = None) -> Chart:
    """One year's units as horizontal groups of bars of several metrics with one unit
    (调整后预算 and 实际支出), sorted by `sort_by` (default the first); above ranked.SHOW_ALL
    units the highest and lowest ranked.EDGE and one grey group of the rest's medians. Never
    stacked: the parts need not add up to a whole. The legend sits below the plot. `edges`: as
    unit_bars (many units, only the drawn fetched): ranks by `sort_by` and the grey group's
    medians (each metric's own rest) from SQL."""
    sort_by = sort_by or metrics[0]
    part = df.filter(pl.col("metric").is_in(list(dict.fromkeys([*metrics, sort_by]))))
    if part.filter(pl.col("metric").is_in(metrics) & pl.col("value").is_not_null()).is_empty():
        return Chart(empty_figure(), part)
    units: dict[tuple, dict] = {}
    for r in part.to_dicts():
        key = (r["unit_label"], r.get("subject"))
        u = units.setdefault(key, {"department_key": r["department_key"], "unit_label": r["unit_label"],
                                   "subject": r.get("subject"), "rows": {}})
        u["rows"][r["metric"]] = r
    for u in units.values():
        u["value"] = (u["rows"].get(sort_by) or {}).get("value")
    mine = set(highlight)
    listed = [u for u in units.values() if u["value"] is not None]
    def any_value(u: dict) -> bool:
        return any((u["rows"].get(m) or {}).get("value") is not None for m in metrics)
    # without the sort metric but with some bar: after the rest; with no bar at all: counted
    unsorted = [u for u in units.values() if u["value"] is None and any_value(u)]
    silent = sum(1 for u in units.values() if u["value"] is None and not any_value(u))
    kind = listed[0]["rows"][sort_by].get("report_kind") if listed else None
    cut = _cut(edges, sort_by, [dict(u, project_name=u["rows"][sort_by].get("project_name"), report_kind=kind)
                                for u in listed]) if listed else None
    if edges is None:
        picked = ranked.summarise(listed, keep=lambda u: u["department_key"] in mine)
    else:  # the others were fetched for another chart: only the drawn by `sort_by`, counted by SQL
        stats = cut.stats if cut else {}
        picked = ranked.of_ranks(cut.rows if cut else [], stats.get("n", 0), stats.get("rest", 0),
                                 stats.get("rest_median"), keep=lambda u: u["department_key"] in mine)
        unsorted, silent = [], stats.get("silent", 0)
        rest_medians = {m: (_edges_of(edges, m, kind) or [{}])[0].get("rest_median") for m in metrics} if listed else {}
    names = short_names(k[0] for k in units)
    entries = picked.entries + unsorted
    labels = []
    for e in entries:
        if isinstance(e, ranked.Rest):
            labels.append(e.label(noun))
        else:
            name = _name(e, names)
            labels.append(f"<b>{name}</b>" if e["department_key"] in mine else name)
    labels = _unique(labels)
    fig = go.Figure()
    for i, metric in enumerate(metrics):
        x, custom, texts, patterns = [], [], [], []
        for e in entries:
            if isinstance(e, ranked.Rest):
                if edges is None:
                    values = [u["rows"][metric]["value"] for u in e.rows
                              if metric in u["rows"] and u["rows"][metric].get("value") is not None]
                    median = statistics.median(values) if values else None
                    said = "未单独列出的单位的中位数"
                else:
                    median = rest_medians[metric]
                    said = f"按{metric_label(metric)}排名未单独列出的单位的中位数"
                x.append(median)
                texts.append("")
                patterns.append("")
                custom.append([e.label(noun), "", metric_label(metric), number(median, unit_of(metric), with_unit=True),
                               said, ""])
            else:
                r = e["rows"].get(metric) or {"unit_label": e["unit_label"], "value": None, "unit": unit_of(metric)}
                x.append(r.get("value"))
                texts.append("")
                patterns.append("/" if r.get("derived") else "")
                custom.append(_custom(dict(r, year=r.get("year", "")), metric_label(metric)))
        color = COLORS[i % len(COLORS)]
        fig.add_trace(go.Bar(orientation="h", y=labels, x=x, name=metric_label(metric), marker=dict(
            color=[MUTED if isinstance(e, ranked.Rest) else color for e in entries],
            pattern=dict(shape=patterns, fgcolor="white")), customdata=custom, hovertemplate=HOVER))
    n = len(entries)
    what = f"{picked.total + len(unsorted):,} 个{noun}，按{metric_label(sort_by)}从高到低" + \
           (f"，{silent:,} 个未披露" if silent else "") + \
           ("；" + picked.caption if picked.caption else "")
    extras = ["紫色名称：我的单位"] if mine & {u["department_key"] for u in units.values()} else []
    extras += document_notes(r for u in units.values() for m, r in u["rows"].items() if m in metrics)
    sub = _subtitle(what, *extras)
    plot = max(120, n * (10 + 10 * len(metrics)))     # px: a group of thin bars per unit
    _finish(fig, "", None, None, height=int(_top(sub) + plot + BELOW))
    # the legend below the axis title: in px of the plot area, whatever the height
    fig.update_layout(barmode="group", title=_title(title, sub), margin=dict(t=_top(sub), b=BELOW),
                      legend=dict(LEGEND_BELOW, y=-(BELOW - 28) / plot))
    fig.update_yaxes(autorange="reversed", type="category", automargin=True, gridcolor=None,
                     tickfont=dict(size=12))
    unit = unit_of(metrics[0])
    fig.update_xaxes(title_text=x_title, showgrid=True, gridcolor="#eef0f3", tickformat=_TICKS.get(unit))
    return Chart(fig, part)


def band_trend(df: pl.DataFrame, metric: str, title: str, *, highlight: tuple = (), y_title: str | None = None,
               lines: int = LINES) -> Chart | None:
    """A query's rows (raw or prepared) of one metric across years for many units: the median and its p25–p75 band of the units
    that disclosed it each year, with the units in `highlight` as lines of their own. None
    when there are at most `lines` units: the caller draws each unit's line then."""
    part = df.filter((pl.col("metric") == metric) & pl.col("value").is_not_null())
    if part.select("department_key", "report_kind", "project_name").n_unique() <= lines:
        return None
    stats = (part.group_by("year").agg(pl.col("value").quantile(0.25, "linear").alias("p25"),
                                       pl.col("value").median().alias("p50"),
                                       pl.col("value").quantile(0.75, "linear").alias("p75"),
                                       pl.len().alias("n")).sort("year"))
    mine = prepare(part.filter(pl.col("department_key").is_in(list(highlight))))  # a few rows: the rest stay raw
    return _band(stats, mine, metric, title, part["department_key"].n_unique(), part, y_title)


def band_chart(band: pl.DataFrame, mine_rows: pl.DataFrame, metric: str, title: str, *, y_title: str | None = None,
               lines: int | None = None) -> Chart | None:
    """band_trend from a band computed in SQL (queries/trend/band.sql: year, p25, p50, p75, n, units)
    and the rows of the units in `highlight` only (`mine_rows`, raw): with thousands of units the page
    fetches the few dozen numbers it draws, not every unit's every year. The downloads hold the band's
    rows (统计方式: 第 25 百分位, 中位数, 第 75 百分位) and the picked units' rows. None at most `lines` units."""
    if band.is_empty() or band["units"][0] <= (LINES if lines is None else lines):
        return None
    mine = prepare(mine_rows.filter((pl.col("metric") == metric) & pl.col("value").is_not_null()
                                    & (pl.col("report_kind") == "department_overall")))
    unit = unit_of(metric)
    drawn = pl.concat([band.select("year", "metric", pl.lit("全部单位").alias("unit_label"),
                                   pl.lit(label).alias("aggregate"), pl.col(column).alias("value"), "n",
                                   pl.lit(unit).alias("unit"))
                       for column, label in (("p25", "第 25 百分位"), ("p50", "中位数"), ("p75", "第 75 百分位"))])
    rows = pl.concat([drawn.sort("year", maintain_order=True), mine], how="diagonal_relaxed")
    return _band(band, mine, metric, title, band["units"][0], rows, y_title)


def _band(stats: pl.DataFrame, mine: pl.DataFrame, metric: str, title: str, units: int, rows: pl.DataFrame,
          y_title: str | None) -> Chart:
    """The band figure: p25–p75 filled, the median, and each picked unit (`mine`, prepared) as a line."""
    unit = unit_of(metric)
    years = stats["year"].to_list()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=years, y=stats["p75"].to_list(), mode="lines", line=dict(width=0), hoverinfo="skip",
                             showlegend=False, name="p75"))
    fig.add_trace(go.Scatter(x=years, y=stats["p25"].to_list(), mode="lines", line=dict(width=0), fill="tonexty",
                             fillcolor="rgba(37,99,235,0.15)", name="中间一半的单位（第 25–75 百分位）",
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=years, y=stats["p50"].to_list(), mode="lines+markers", line=dict(color=COLORS[0], width=2.5),
        name="中位数", customdata=[[y, number(m, unit, with_unit=True), number(a, unit), number(b, unit), n]
                                for y, a, m, b, n in stats.select("year", "p25", "p50", "p75", "n").iter_rows()],
        hovertemplate="%{customdata[0]} 年 中位数：<b>%{customdata[1]}</b><br>第 25–75 百分位："
                      "%{customdata[2]}–%{customdata[3]}<br>%{customdata[4]} 个单位披露<extra></extra>"))
    for i, (label,) in enumerate(mine.select("unit_label").unique(maintain_order=True).iter_rows()):
        own = {r["year"]: r for r in mine.filter(pl.col("unit_label") == label).to_dicts()}
        rows_of = [own.get(y, {"unit_label": label, "year": y, "value": None, "unit": unit}) for y in years]
        color = HIGHLIGHT if i == 0 else COLORS[(i + 4) % len(COLORS)]
        fig.add_trace(go.Scatter(x=years, y=[r.get("value") for r in rows_of], name=label, mode="lines+markers",
                                 connectgaps=False, line=dict(color=color, width=2), marker=dict(size=8),
                                 customdata=[_custom(r, metric_label(metric)) for r in rows_of], hovertemplate=HOVER))
    sub = _subtitle(meaning(metric), f"{units} 个单位：中位数与中间一半的单位"
                    + ("；另画出我的单位" if mine.height else "；可在上方选“我的单位”"))
    plot = 300
    _finish(fig, "", y_title or titled(metric), unit, height=_top(sub) + plot + BELOW)
    fig.update_layout(title=_title(title, sub), margin=dict(t=_top(sub), b=BELOW),
                      legend=dict(LEGEND_BELOW, y=-(BELOW - 40) / plot))
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[f"{y} 年" for y in years])
    return Chart(fig, rows)


def by_kind(df: pl.DataFrame, year: int | None = None,
            having: str | list[str] | None = None) -> list[tuple[str, pl.DataFrame]]:
    """A query's rows of `year`, prepared (format.prepare) and split into whole-department and
    project figures, each with the suffix of its chart titles: the two are never ranked in one
    chart. Only that year is prepared: thousands of units × ten years would take seconds.
    `having`: only the kinds where some unit disclosed that metric, or one of those metrics (no
    empty project charts)."""
    df = of_year(df, year)
    wanted = [having] if isinstance(having, str) else having
    parts = [(suffix, df.filter(pl.col("report_kind") == kind))
             for kind, suffix in (("department_overall", ""), ("project", "（项目）"))]
    return [(suffix, prepare(part)) for suffix, part in parts if not part.is_empty() and (
        wanted is None or not part.filter(pl.col("metric").is_in(wanted) & pl.col("value").is_not_null()).is_empty())]


def of_metric(df: pl.DataFrame, metric: str) -> pl.DataFrame:
    """The rows of one metric (before format.prepare, which is the costly part)."""
    return df.filter(pl.col("metric") == metric)


def of_year(df: pl.DataFrame, year: int | None) -> pl.DataFrame:
    return df.filter(pl.col("year") == year) if year is not None and "year" in df.columns else df


def many(df: pl.DataFrame, edges: pl.DataFrame | None = None, metric: str | None = None) -> bool:
    """Whether a chart of these units' spread is worth drawing beside the bars; with `edges`
    (only the drawn units in `df`), by how many units disclosed `metric`, as SQL counted."""
    if edges is not None and not df.is_empty():
        ours = _edges_of(edges, metric, df["report_kind"][0])
        return bool(ours) and ours[0]["n"] >= ranked.DISTRIBUTION
    return "department_key" in df.columns and df["department_key"].n_unique() >= ranked.DISTRIBUTION
