"""Display tables: prepared query rows (format.prepare) → frames of strings with Chinese
headers, where a missing value reads 未披露 and a qualified value carries its mark.
Pure: no Streamlit, no database."""
from __future__ import annotations

import polars as pl

from perfboard.present.format import (DOCUMENT_LABELS, FLAG_COLUMNS, KIND_LABELS, METRIC_ORDER, METRICS, MISSING, marks,
                                      meaning, metric_label, number, period_label, rule_source, signed, source_text,
                                      titled, unit_of)

CARDS = 12  # 总览 shows unit cards up to this many units in view; the ranking lists every unit
RANK_ROWS = 10  # units drawn per ranking on 总览 (each cell of st.table costs the browser a Markdown block); the rest on demand and in the downloads
CHANGES = 10  # rows of 变化最大

# the 总览 cards and 对比's list, in the catalogue's order (schema/metrics.csv)
CARD_METRICS = tuple(sorted((m for m, x in METRICS.items() if x.card_order), key=lambda m: METRICS[m].card_order))
COMPARE_METRICS = tuple(sorted((m for m, x in METRICS.items() if x.compare_order),
                               key=lambda m: METRICS[m].compare_order))

RANK_BY = {  # what a ranking can be sorted by: metric → (label, largest first)
    "score.total": ("自评得分", True),
    "budget.execution_rate_pct": ("预算执行率", True),
    "satisfaction.satisfaction_pct": ("满意度", True),
    "petitions.total": ("信访总量", True),
}


def by_unit_year(df: pl.DataFrame, metrics: list[str] | None = None, with_subject: bool = False,
                 extra: dict[str, str] | None = None) -> pl.DataFrame:
    """One row per department (or project) and year (and rated subject), one column per
    metric with its unit in the header; missing → 未披露."""
    if df.is_empty():
        return pl.DataFrame()
    metrics = metrics or sorted(df["metric"].unique().to_list(), key=lambda m: METRIC_ORDER.get(m, 99))
    index = ["unit_label", "year", "report_kind"] + (["subject"] if with_subject else []) + list(extra or {})
    rows: dict[tuple, dict] = {}
    for r in df.filter(pl.col("metric").is_in(metrics)).to_dicts():
        key = tuple(r.get(c) for c in index)
        row = rows.setdefault(key, {c: r.get(c) for c in index})
        row[titled(r["metric"])] = r["text"]
    columns = [titled(m) for m in metrics]
    out = []
    for row in rows.values():
        shown = {"单位": row["unit_label"], "年度": str(row["year"]), "类型": KIND_LABELS.get(row["report_kind"], "")}
        if with_subject:
            shown["评价对象"] = row.get("subject") or MISSING
        for c, title in (extra or {}).items():
            shown[title] = row.get(c) if row.get(c) is not None else MISSING
        for c in columns:
            shown[c] = row.get(c) or MISSING
        out.append(shown)
    return pl.DataFrame(out)


def cards(df: pl.DataFrame) -> list[dict]:
    """The KPI cards of overview.cards: one per department (or project), each
    with the four card metrics (value text, delta, marks, source)."""
    out: dict[tuple, dict] = {}
    for r in df.to_dicts():
        key = (r["department_key"], r["report_kind"], r.get("project_name"))
        card = out.setdefault(key, {"unit_label": r["unit_label"], "year": r["year"], "report_kind": r["report_kind"],
                                    "score_grade": r.get("score_grade"), "document_type": r.get("document_type"),
                                    "metrics": {}})
        if r.get("metric"):
            card["metrics"][r["metric"]] = r
    for card in out.values():
        card["slots"] = [_slot(metric, card["metrics"].get(metric)) for metric in CARD_METRICS]
    return list(out.values())


def _slot(metric: str, r: dict | None) -> dict:
    unit = unit_of(metric)
    label = metric_label(metric, (r or {}).get("subject"))
    if r is None or r.get("value") is None:
        return {"metric": metric, "label": label, "value": MISSING, "delta": None, "since": None, "mark": None, "help":
                "\n\n".join(x for x in (meaning(metric), "报告中没有披露这个数（不是 0）。") if x)}
    delta = since = None
    help_lines = [meaning(metric)] if meaning(metric) else []  # what the number is, before where it came from
    if r.get("prior_value") is not None:
        delta = signed(r["value"] - r["prior_value"], unit)
        since = "较上年同期" if r["prior_basis"].startswith("本报告") else "较上年"
        help_lines.append(f"对比：{r['prior_basis']} {number(r['prior_value'], unit, with_unit=True)}。")
    if r.get("note"):
        help_lines.append(r["note"])
    page = f"（第{r['source_page']}页）" if r.get("source_page") else ""
    help_lines.append(f"出处{page}：{r.get('source_snippet') or '（无）'}")
    # from the row's flags, without 项目: the card says that itself
    mark = "，".join(marks(**{c: r.get(c) for c in FLAG_COLUMNS}, with_kind=False))
    return {"metric": metric, "label": label, "value": number(r["value"], unit), "delta": delta, "since": since,
            "mark": mark or None, "help": "\n\n".join(help_lines)}


CHANGE = "较上年"  # the ranking's column beside its metric: the change since the unit's previous year


def ranking(df: pl.DataFrame, rank_by: str, kind: str, descending: bool | None = None) -> pl.DataFrame:
    """Departments (or projects) of one kind, ranked by one metric (largest first unless
    `descending` is False); those that did not disclose it come last, unranked. Beside the
    ranked value, its change since the same unit's previous year (较上年; — without one)."""
    part = df.filter(pl.col("report_kind") == kind)
    if part.is_empty():
        return pl.DataFrame()
    units: dict[tuple, dict] = {}
    for r in part.to_dicts():
        key = (r["department_key"], r.get("project_name"))
        u = units.setdefault(key, {"单位": r["unit_label"], "年度": str(r["year"]), "_sort": None, CHANGE: "—",
                                   "等级": r.get("score_grade") or MISSING})
        if r.get("metric") in CARD_METRICS:
            u[titled(r["metric"])] = r["text"]
            if r["metric"] == rank_by:
                u["_sort"] = r["value"]
                if r.get("value") is not None and r.get("prior_value") is not None:
                    u[CHANGE] = signed(r["value"] - r["prior_value"], unit_of(rank_by))
    desc = RANK_BY[rank_by][1] if descending is None else descending
    ordered = sorted(units.values(), key=lambda u: (u["_sort"] is None, -(u["_sort"] or 0) if desc else (u["_sort"] or 0)))
    rows = []
    for i, u in enumerate(ordered, 1):
        row = {"排名": str(i) if u["_sort"] is not None else "—", "单位": u["单位"], "年度": u["年度"],
               titled(rank_by): u.get(titled(rank_by)) or MISSING, CHANGE: u[CHANGE]}
        for metric in (m for m in CARD_METRICS if m != rank_by):
            row[titled(metric)] = u.get(titled(metric)) or MISSING
        row["等级"] = u["等级"]
        rows.append(row)
    return pl.DataFrame(rows)


def changes(df: pl.DataFrame, limit: int = 10) -> pl.DataFrame:
    """The largest year-on-year changes, biggest relative change first."""
    rows = []
    for r in df.head(limit).to_dicts():
        unit = r.get("unit") or unit_of(r["metric"])
        rows.append({
            "单位": r["unit_label"], "指标": r["metric_label"], "年度": str(r["year"]),
            "本年": r["text"], "上年": number(r["prior_value"], unit, with_unit=unit != "%"),
            "变化": signed(r["change"], unit) or MISSING,
            "变化率": f"{r['change_pct']:+.2f}%" if r.get("change_pct") is not None else "—",
            "对比依据": r["prior_basis"],
        })
    return pl.DataFrame(rows)


def provenance(df: pl.DataFrame) -> pl.DataFrame:
    """Every number with where it came from: the sentence and the page."""
    rows = []
    for r in df.to_dicts():
        rows.append({
            "年度": str(r["year"]), "类型": KIND_LABELS.get(r.get("report_kind"), ""),
            "文件类型": DOCUMENT_LABELS.get(r.get("document_type"), MISSING),
            "指标": r["metric_label"], "数值": r["text"], "单位": r.get("unit") or unit_of(r["metric"]),
            "页码": str(r["source_page"]) if r.get("source_page") else "—",
            "出处原文": source_text(r.get("source_snippet")) or "（无）",
        })
    return pl.DataFrame(rows)


def metric_by_year(df: pl.DataFrame) -> pl.DataFrame:
    """One department: a row per metric, a column per year (and kind)."""
    if df.is_empty():
        return pl.DataFrame()
    columns: list[str] = []
    rows: dict[tuple, dict] = {}
    for r in sorted(df.to_dicts(), key=lambda r: (METRIC_ORDER.get(r["metric"], 99), r.get("subject") or "")):
        col = f"{r['year']} 年" + ("（项目）" if r.get("report_kind") == "project" else "")
        if col not in columns:
            columns.append(col)
        key = (r["metric"], r.get("subject"))
        rows.setdefault(key, {"指标": r["metric_label"], "单位": r.get("unit") or unit_of(r["metric"])})[col] = r["text"]
    columns.sort()
    return pl.DataFrame([{**{k: v for k, v in row.items() if k in ("指标", "单位")},
                          **{c: row.get(c) or MISSING for c in columns}} for row in rows.values()])


def side_by_side(df: pl.DataFrame) -> pl.DataFrame:
    """对比: a row per metric, a column per department (or project) and year."""
    if df.is_empty():
        return pl.DataFrame()
    columns: list[str] = []
    rows: dict[str, dict] = {}
    for r in df.to_dicts():
        col = f"{r['unit_label']} · {r['year']}"
        if col not in columns:
            columns.append(col)
        rows.setdefault(r["metric_label"], {"指标": r["metric_label"], "单位": r.get("unit") or unit_of(r["metric"])})
        subject = f"（{r['rated_subject']}）" if r.get("rated_subject") and r.get("value") is not None else ""
        rows[r["metric_label"]][col] = r["text"] + subject
    return pl.DataFrame([{"指标": row["指标"], "单位": row["单位"], **{c: row.get(c) or MISSING for c in columns}}
                         for row in rows.values()])


EXPORT_COLUMNS = {
    "department_key": "单位", "department": "报告中的单位名称", "province": "省份", "city": "城市",
    "district": "区县", "year": "年度", "report_kind": "报告类型", "document_type": "文件类型",
    "project_name": "项目名称", "metric": "指标代码", "metric_label": "指标", "subject": "评价对象", "value": "数值", "unit": "单位（计量）",
    "derived": "是否推算", "period_start": "期间起", "period_end": "期间止", "corrected": "是否更正",
    "extracted_value": "抽取原值", "is_primary": "是否主报告", "source_page": "页码", "source_snippet": "出处原文",
    "source_file": "原文件", "report_id": "报告编号",
}


CHART_COLUMNS = {
    "unit_label": "单位", "year": "年度", "report_kind": "报告类型", "document_type": "文件类型",
    "metric_label": "指标", "subject": "评价对象",
    "value": "数值", "unit": "单位（计量）", "derived": "是否推算", "period_start": "期间起", "period_end": "期间止",
    "corrected": "是否更正", "ocr": "是否OCR识别", "n": "披露单位数", "aggregate": "统计方式", "score_grade": "评价等级",
    "reports": "报告数", "source_page": "页码", "source_snippet": "出处原文",
}


def chart_data(rows: pl.DataFrame) -> pl.DataFrame:
    """A chart's rows as its CSV/XLSX: raw numbers, the marks as yes/no columns, Chinese headers."""
    if "metric" in rows.columns and "metric_label" not in rows.columns:
        rows = rows.with_columns(pl.col("metric").map_elements(metric_label, return_dtype=pl.Utf8).alias("metric_label"))
    if "report_kind" in rows.columns:
        rows = rows.with_columns(pl.col("report_kind").replace_strict(KIND_LABELS, default=pl.col("report_kind")))
    rows = _document_labels(rows)
    keep = [c for c in CHART_COLUMNS if c in rows.columns]
    return rows.select(keep).rename({c: CHART_COLUMNS[c] for c in keep})


def for_export(df: pl.DataFrame) -> pl.DataFrame:
    """The metrics table as analysts download it: raw numbers, Chinese headers."""
    if "metric" in df.columns and "metric_label" not in df.columns:
        df = df.with_columns(pl.col("metric").map_elements(metric_label, return_dtype=pl.Utf8).alias("metric_label"))
    if "report_kind" in df.columns:
        df = df.with_columns(pl.col("report_kind").replace_strict(KIND_LABELS, default=pl.col("report_kind")))
    df = _document_labels(df)
    keep = [c for c in EXPORT_COLUMNS if c in df.columns]
    return df.select(keep).rename({c: EXPORT_COLUMNS[c] for c in keep})


def _document_labels(df: pl.DataFrame) -> pl.DataFrame:
    """document_type in Chinese (决算, 预算（计划） …) for a download."""
    if "document_type" not in df.columns:
        return df
    return df.with_columns(pl.col("document_type").cast(pl.Utf8).replace_strict(DOCUMENT_LABELS, default=None))


REVIEW_STATUS = {"extracted": "已抽取，待审核", "accepted": "已审核通过", "rejected": "已驳回"}


def indicators(df: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame([{
        "一级指标": r.get("level1") or "—", "二级指标": r.get("level2") or "—", "三级指标": r.get("level3") or "—",
        "年度指标值": r.get("target") or MISSING, "实际完成值": r.get("actual") or MISSING,
        "页码": str(r["source_page"]) if r.get("source_page") else "—", "出处原文": source_text(r.get("source_snippet")) or "（无）",
    } for r in df.to_dicts()])


def reports(df: pl.DataFrame) -> pl.DataFrame:
    """数据与来源: every report with its kind, year, period, file and extraction status."""
    rows = []
    for r in df.to_dicts():
        status = REVIEW_STATUS.get(r.get("review_status"), r.get("review_status") or "")
        if not r.get("metrics"):
            status = "未抽取到数字"
        rows.append({
            "单位": r.get("department_key") or MISSING, "报告中的名称": r.get("department") or MISSING,
            "类型": KIND_LABELS.get(r.get("report_kind"), r.get("report_kind") or MISSING),
            "文件类型": DOCUMENT_LABELS.get(r.get("document_type"), MISSING),
            "项目": r.get("project_name") or "—", "年度": str(r["year"]) if r.get("year") else MISSING,
            "统计期间": period_label(r.get("period_start"), r.get("period_end")) or "全年",
            "原文件": r.get("source_file"), "格式": (r.get("file_format") or "").upper(),
            "抽取状态": status, "主报告": "是" if r.get("is_primary") else "否（同年另有主报告）",
            "数字": r.get("metrics") or 0, "指标行": r.get("indicators") or 0,
            "抽取版本": r.get("extractor_version"), "入库时间": str(r.get("ingested_at") or "")[:19],
        })
    return pl.DataFrame(rows)


def pending(df: pl.DataFrame) -> pl.DataFrame:
    """数据与来源: uploaded files that could not be read, kept with the reason."""
    return pl.DataFrame([{"文件": r["source_file"], "原因": r["reason_zh"],
                          "收到时间": str(r.get("received_at") or "")[:19]} for r in df.to_dicts()])


def metrics_view(df: pl.DataFrame) -> pl.DataFrame:
    """数据与来源: the metrics table as shown (formatted, with marks and source)."""
    return pl.DataFrame([{
        "单位": r["unit_label"], "年度": str(r["year"]), "指标": r["metric_label"], "数值": r["text"],
        "计量单位": r.get("unit") or unit_of(r["metric"]), "标记": r.get("mark") or "",
        "文件类型": DOCUMENT_LABELS.get(r.get("document_type"), MISSING),
        "主报告": "是" if r.get("is_primary") else "否",
        "页码": str(r["source_page"]) if r.get("source_page") else "—",
        "出处原文": source_text(r.get("source_snippet")) or "（无）", "原文件": r.get("source_file") or "",
    } for r in df.to_dicts()])


def flags(checks: pl.DataFrame, reports: pl.DataFrame) -> pl.DataFrame:
    """Validation flags of the reports in view: department, year, file, rule (in Chinese) and detail."""
    if checks.is_empty() or reports.is_empty():
        return pl.DataFrame()
    shown = reports.select("report_id", "department_key", "year", "source_file")
    joined = checks.join(shown, on="report_id", how="inner")
    return joined.select(pl.col("department_key").alias("单位"), pl.col("year").alias("年度"),
                         pl.col("source_file").alias("文件"), pl.col("explanation").alias("校验规则"),
                         pl.col("detail").alias("情况")).sort("单位", "年度")


def review_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """上传与校对: one report's values with their marks, where they came from (the rule in
    words, never its name), page and source sentence."""
    rows = []
    for r in facts.iter_rows(named=True):
        found = [m for m, on in (("※推算", r["derived"]), ("已更正", r["corrected"])) if on]
        if r.get("ocr") and not r["corrected"]:
            found.append(f"OCR（置信度 {r['ocr_confidence']:.2f}）" if r.get("ocr_confidence") is not None else "OCR")
        rows.append({"指标": metric_label(r["metric"], r["subject"]),
                     "数值": number(r["value"], unit_of(r["metric"]), with_unit=True),
                     "标记": "、".join(found), "取自": rule_source(r["rule"]),
                     "页码": "—" if r["source_page"] is None else str(r["source_page"]),
                     "出处原文": source_text(r["source_snippet"])})
    return pl.DataFrame(rows) if rows else pl.DataFrame()
