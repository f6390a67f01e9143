"""Structured records (the template as CSV, XLSX or JSON) and the Parquet export."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import openpyxl
import polars as pl
import pytest

from conftest import ROOT
from perfboard import db as database, records
from perfboard.readers import ReadError

REPORTS = ROOT / "data" / "reports"
HEADERS = [c.header for c in records.COLUMNS]
BAD = "row 3, column 预算执行率（%）: 'abc' is not a number / 第3行“预算执行率（%）”列：'abc' 不是数字"


def cli(*args, db=None):
    if db:
        args = (*args, "--db", str(db))
    return subprocess.run([sys.executable, "-m", "perfboard", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=dict(os.environ))


def query(db, sql, params=None):
    con = database.connect_read(db)  # the bulk file and its changes file, as the dashboard reads them
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# Three reports as a person would type them; the second (row 3) has a bad rate.
ROWS = [
    {"单位名称": "广州市天河区信访局", "被评价年度": "2022", "报告类型": "部门整体",
     "年初预算（万元）": "784.58", "调整后预算（万元）": "727.41", "实际支出（万元）": "683.83",
     "预算执行率（%）": "94.01", "自评得分": "95", "评价等级": "优",
     "信访总量（件）": "16992", "来信": "3985", "来访": "694", "网上信访": "12313",
     "满意度对象": "群众", "满意率（%）": "98.5", "参评率（%）": "60"},
    {"单位名称": "广州市从化区信访局", "被评价年度": "2022", "预算执行率（%）": "abc"},
    {"单位名称": "溫州市甌海區信訪局", "省份": "浙江省", "城市": "温州市", "区县": "瓯海区", "被评价年度": "2023年",
     "报告类型": "项目", "项目名称": "信访专项经费", "调整后预算（万元）": "60", "实际支出（万元）": "59.33",
     "信访总量（件）": "1,234", "统计起始（MM-DD）": "1-1", "统计截止（MM-DD）": "10月31日", "上年同期总量": "1100"},
]


def csv_bytes(rows=ROWS, headers=HEADERS) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows=ROWS) -> bytes:
    """Filled in the downloaded template, as a person would: numbers as numbers."""
    wb = openpyxl.load_workbook(io.BytesIO(records.template_bytes("xlsx")))
    ws = wb[records.SHEET]
    for r, row in enumerate(rows, 2):
        for c, header in enumerate(HEADERS, 1):
            value = row.get(header)
            if value is None:
                continue
            try:
                value = float(value) if "." in value else int(value)
            except ValueError:
                pass
            ws.cell(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- the template

def test_template_commands_write_xlsx_and_csv(tmp_path):
    out = cli("template", "--out", str(tmp_path / "t.xlsx"))
    assert out.returncode == 0, out.stderr
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert [c.value for c in wb[records.SHEET][1]] == HEADERS
    assert "说明" in wb.sheetnames
    out = cli("template", "--out", str(tmp_path / "t.csv"))
    assert out.returncode == 0, out.stderr
    data = (tmp_path / "t.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows the Chinese headers
    assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == HEADERS
    assert data == records.template_bytes("csv")
    assert cli("template", "--out", str(tmp_path / "t.txt")).returncode == 2


def test_the_empty_template_is_records_with_no_rows():
    for fmt in ("xlsx", "csv"):
        data = records.template_bytes(fmt)
        assert records.is_records(data, f"t.{fmt}")
        table = records.read_records(data, f"t.{fmt}")
        assert table.rows == [] and table.problems == []


# ---------------------------------------------------------------- ingest

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_records_file_stores_good_rows_and_names_the_bad_one(tmp_path, fmt):
    path = tmp_path / f"records.{fmt}"
    path.write_bytes(csv_bytes() if fmt == "csv" else xlsx_bytes())
    db = tmp_path / "r.duckdb"
    out = cli("ingest", str(path), db=db)
    assert out.returncode == 1  # a row was refused
    assert BAD in out.stdout + out.stderr
    assert "1 record row refused" in out.stdout
    problem_lines = [l for l in (out.stdout + out.stderr).splitlines() if l.strip().startswith("row ")]
    assert len(problem_lines) == 1  # one line per problem

    reports = query(db, "SELECT department, department_key, province, city, district, year, report_kind, "
                        "project_name, file_format, source_file FROM v_reports ORDER BY year")
    assert reports == [
        ("广州市天河区信访局", "广州市天河区信访局", "广东省", "广州市", "天河区", 2022, "department_overall", None,
         f"records-{fmt}", f"records.{fmt}"),
        ("温州市瓯海区信访局", "温州市瓯海区信访局", "浙江省", "温州市", "瓯海区", 2023, "project", "信访专项经费",
         f"records-{fmt}", f"records.{fmt}"),
    ]
    metrics = {(m, s): (v, d, snip, ocr) for m, s, v, d, snip, ocr in query(
        db, "SELECT metric, subject, value, derived, source_snippet, ocr FROM v_metrics WHERE year = 2022")}
    assert metrics[("budget.execution_rate_pct", None)] == (94.01, False, "录入表 row 2", False)
    assert metrics[("petitions.total", None)][0] == 16992
    assert metrics[("satisfaction.satisfaction_pct", "群众")][0] == 98.5
    assert metrics[("satisfaction.participation_pct", "群众")][0] == 60
    assert query(db, "SELECT score_grade FROM v_reports WHERE year = 2022") == [("优",)]
    project = {m: (v, d, snip, ps, pe) for m, v, d, snip, ps, pe in query(
        db, "SELECT metric, value, derived, source_snippet, period_start, period_end FROM v_metrics "
            "WHERE year = 2023")}
    assert project["budget.execution_rate_pct"][:3] == (98.88, True, "录入表 row 4")  # derived, as extraction may
    assert project["petitions.total"] == (1234, False, "录入表 row 4", "01-01", "10-31")
    assert project["petitions.prior_year_total"][0] == 1100

    again = cli("ingest", str(path), db=db)  # the same bytes twice are stored once
    assert "already stored" in again.stdout
    assert query(db, "SELECT count(*) FROM reports") == [(2,)]


def test_json_records_and_extract_prints_one_report_per_row(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps(ROWS, ensure_ascii=False), encoding="utf-8")
    out = cli("extract", str(path), "--json")
    assert out.returncode == 1
    assert "row 2, column 预算执行率（%）: 'abc' is not a number" in out.stderr  # JSON: row N is the N-th object
    reports = json.loads(out.stdout)
    assert [r["department"] for r in reports] == ["广州市天河区信访局", "温州市瓯海区信访局"]
    assert reports[0]["budget"] == {"initial_wan": 784.58, "adjusted_wan": 727.41, "actual_wan": 683.83,
                                    "execution_rate_pct": 94.01}
    assert reports[0]["satisfaction"] == [{"subject": "群众", "satisfaction_pct": 98.5, "participation_pct": 60.0,
                                           "target_pct": None}]
    assert reports[1]["petitions"]["period_start"] == "01-01" and reports[1]["project_name"] == "信访专项经费"


def test_a_csv_that_is_not_the_template_is_refused(tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("名称,数值\n预算,727.41\n", encoding="utf-8")
    out = cli("ingest", str(path), db=tmp_path / "x.duckdb")
    assert out.returncode == 1
    assert "not the records template" in out.stderr and "表头与录入模板不符" in out.stderr


def test_folders_are_not_searched_for_csv_or_json(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_bytes((REPORTS / "004_03db85e7bcb5560f.txt").read_bytes())
    (folder / "a.json").write_text('{"department": "truth file"}', encoding="utf-8")  # a truth file, say
    (folder / "records.csv").write_bytes(csv_bytes())
    from perfboard.load import iter_files
    assert [os.path.basename(p) for p in iter_files([folder])] == ["a.txt"]


def test_a_report_workbook_is_not_taken_for_records():
    import openpyxl as xl

    wb = xl.Workbook()
    ws = wb.active
    ws.append(["部门整体支出绩效自评表"])
    ws.append(["部门名称", "广州市天河区信访局", "被评价年度", "2022年"])
    buf = io.BytesIO()
    wb.save(buf)
    assert not records.is_records(buf.getvalue(), "report.xlsx")
    wb = xl.Workbook()
    wb.active.append(["单位名称", "被评价年度", "某个说明", "备注"])  # half the header is not the template's
    buf = io.BytesIO()
    wb.save(buf)
    assert not records.is_records(buf.getvalue(), "other.xlsx")


# ---------------------------------------------------------------- validation

def _one(row: dict) -> list[str]:
    table = records.read_records(csv_bytes([row]), "one.csv")
    return [p.line() for p in table.problems]


@pytest.mark.parametrize("row,line", [
    ({"被评价年度": "2022"}, "row 2, column 单位名称: is required and empty / 第2行“单位名称”列：为必填项，不能为空"),
    ({"单位名称": "某局"}, "row 2, column 被评价年度: is required and empty / 第2行“被评价年度”列：为必填项，不能为空"),
    ({"单位名称": "某局", "被评价年度": "1890"}, "row 2, column 被评价年度: 1890 is not a plausible year"),
    ({"单位名称": "某局", "被评价年度": "二〇二二"}, "row 2, column 被评价年度: '二〇二二' is not a year"),
    ({"单位名称": "某局", "被评价年度": "2022", "满意率（%）": "120"}, "row 2, column 满意率（%）: 120 is outside 0–100"),
    ({"单位名称": "某局", "被评价年度": "2022", "自评得分": "-1"}, "row 2, column 自评得分: -1 is outside 0–100"),
    ({"单位名称": "某局", "被评价年度": "2022", "来信": "3.5"}, "row 2, column 来信: 3.5 is not a whole number"),
    ({"单位名称": "某局", "被评价年度": "2022", "实际支出（万元）": "-5"}, "row 2, column 实际支出（万元）: -5 is negative"),
    ({"单位名称": "某局", "被评价年度": "2022", "评价等级": "A"}, "row 2, column 评价等级: 'A' is not 优, 良, 中 or 差"),
    ({"单位名称": "某局", "被评价年度": "2022", "统计截止（MM-DD）": "02-30"},
     "row 2, column 统计截止（MM-DD）: '02-30' is not a date as MM-DD"),
    ({"单位名称": "某局", "被评价年度": "2022", "报告类型": "项目"}, "row 2, column 项目名称: is required when 报告类型 is 项目"),
    ({"单位名称": "某局", "被评价年度": "2022", "参评率（%）": "50"}, "row 2, column 满意率（%）: is required"),
])
def test_bad_cells_are_named_by_row_and_column(row, line):
    lines = _one(row)
    assert len(lines) == 1 and lines[0].startswith(line), lines


def test_lenient_where_a_person_would_be():
    table = records.read_records(csv_bytes([{
        "单位名称": " 广州市天河区信访局 ", "被评价年度": "2022年度", "预算执行率（%）": "94.01%",
        "年初预算（万元）": "1,234.5万元", "信访总量（件）": "16992件", "评价等级": "优秀", "报告类型": "部门整体支出",
        "统计起始（MM-DD）": "2022-01-01"}]), "ok.csv")
    assert table.problems == []
    v = table.rows[0].values
    assert v["department"] == "广州市天河区信访局" and v["evaluated_year"] == 2022
    assert v["budget.execution_rate_pct"] == 94.01 and v["budget.initial_wan"] == 1234.5
    assert v["petitions.total"] == 16992 and v["score.grade"] == "优"
    assert v["report_kind"] == "department_overall" and v["petitions.period_start"] == "01-01"


def test_unknown_columns_are_ignored_with_a_note_and_headers_match_loosely():
    headers = ["单位名称", "被评价年度", "预算执行率(%)", "备注"]
    data = csv_bytes([{"单位名称": "某市某局", "被评价年度": "2022", "预算执行率(%)": "90", "备注": "x"}], headers)
    table = records.read_records(data, "loose.csv")
    assert table.rows[0].values["budget.execution_rate_pct"] == 90
    assert [p.line() for p in table.problems] == ["column '备注' is not in the template and was ignored / "
                                                  "“备注”列不在模板中，已忽略"]


def test_a_percentage_cell_in_excel_is_read_as_percent():
    wb = openpyxl.load_workbook(io.BytesIO(records.template_bytes("xlsx")))
    ws = wb[records.SHEET]
    ws.cell(2, 1, "广州市天河区信访局")
    ws.cell(2, 5, 2022)
    cell = ws.cell(2, HEADERS.index("预算执行率（%）") + 1, 0.9401)
    cell.number_format = "0.00%"
    buf = io.BytesIO()
    wb.save(buf)
    table = records.read_records(buf.getvalue(), "pct.xlsx")
    assert table.rows[0].values["budget.execution_rate_pct"] == pytest.approx(94.01)


def test_records_are_not_read_as_a_report():
    from perfboard.readers import read_bytes

    with pytest.raises(ReadError) as info:
        read_bytes(csv_bytes(), "records.csv")
    assert info.value.code == "records" and info.value.zh


# ---------------------------------------------------------------- Parquet export

def test_export_parquet_partitioned_by_year(tmp_path):
    db = tmp_path / "e.duckdb"
    assert cli("ingest", str(REPORTS), db=db).returncode == 0
    records_file = tmp_path / "records.csv"
    records_file.write_bytes(csv_bytes([ROWS[0], ROWS[2]]))
    assert cli("ingest", str(records_file), db=db).returncode == 0
    out_dir = tmp_path / "parquet"
    out = cli("export", "--parquet", str(out_dir), db=db)
    assert out.returncode == 0, out.stderr
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    for view in ("v_reports", "v_metrics", "v_indicators"):
        years = query(db, f"SELECT DISTINCT year FROM {'v_reports' if view == 'v_reports' else 'v_metrics'}")
        frame = pl.read_parquet(out_dir / view, hive_partitioning=True)
        if view == "v_indicators":
            expected = query(db, "SELECT r.year, count(*) FROM v_indicators i JOIN v_reports r USING (report_id) "
                                 "GROUP BY r.year ORDER BY r.year")
        else:
            expected = query(db, f"SELECT year, count(*) FROM {view} GROUP BY year ORDER BY year")
        got = sorted(frame.group_by("year").len().iter_rows())
        assert got == expected, view
        assert manifest["views"][view]["rows"] == sum(n for _, n in expected)
        for year, _ in expected:  # one folder, with a file, per year
            assert list((out_dir / view / f"year={year}").glob("*.parquet")), (view, year)
        assert {y for (y,) in years} >= {y for y, _ in expected}
    columns = pl.read_parquet(out_dir / "v_metrics", hive_partitioning=True).columns
    assert {"metric", "value", "source_snippet", "ocr", "ocr_confidence", "year"} <= set(columns)
    reports = pl.read_parquet(out_dir / "v_reports", hive_partitioning=True)
    assert {2022, 2023} <= set(reports["year"].to_list())

    # exporting again replaces the folders (no stale partitions left behind)
    assert cli("export", "--parquet", str(out_dir), db=db).returncode == 0
    assert pl.read_parquet(out_dir / "v_reports", hive_partitioning=True).height == reports.height
