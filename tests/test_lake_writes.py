"""A dashboard on a DuckLake lake past read-only (perfboard/lake.py, perfboard/lakeread.py): a lake
named but not initialised, or out of reach, says so in one line (the dashboard in Chinese, the CLI
in English and Chinese); an analyst's upload and corrections on 上传与校对 go through the one write
module into the lake, each one transaction under the ingest's writer lock with dashboard_metrics
kept, and show on another dashboard process; `lake maintain` merges the small files of many small
writes while a reader reads, and changes nothing any report, number or figure shows; `lake upgrade`
brings a lake of an older schema (no dashboard_reports) to this one with nothing lost.

Real processes throughout: the session's private PostgreSQL cluster (tests/lakefixtures.py),
`python -m perfboard.lake` and `streamlit run` in .venv-lake, the analyst's session through AppTest
in .venv-lake (tests/lake_review_session.py), the other dashboard watched by a light client."""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPORTS, ROOT, streamlit_server
from lakefixtures import (LAKE_PY, catalog, lake_check, lake_command, lake_dir, new_database,  # noqa: F401
                          pg_cluster)

FRESHNESS = re.compile(r"^数据：已入库 (?:([\d,]+) 个单位的 )?([\d,]+) 份报告")
INIT = 'python -m perfboard.lake init --catalog "$PERFBOARD_LAKE" --data "$PERFBOARD_LAKE_DATA"'


async def _page(url: str, page: str = "overview"):
    from light_client import Session
    session = Session(url)
    await session.open()
    try:
        return await session.page(page, timeout=180)
    finally:
        await session.close()


def overview(url: str):
    return asyncio.run(_page(url))


def shown(run) -> int:
    """How many reports the freshness line of a page run says are stored."""
    [line] = [t for t in run.texts if FRESHNESS.match(t)]
    return int(FRESHNESS.match(line).group(2).replace(",", ""))


def card(run, heading: str) -> list[str]:
    """The figure lines of one 关键指标 card of 总览 (its heading, e.g. **深圳市盐田区信访局** · 2024 年)."""
    texts = run.texts
    start = next(k for k, t in enumerate(texts) if t.startswith(heading))
    lines = []
    for t in texts[start + 1:]:
        if " = " not in t:
            break
        lines.append(t)
    return lines


def lake_env(catalog: str, data: Path) -> dict[str, str]:
    return {"PERFBOARD_LAKE": catalog, "PERFBOARD_LAKE_DATA": str(data)}


def run_lake(catalog: str, data: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(lake_command(catalog, data, *args), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_a_lake_not_initialised_or_out_of_reach_says_so_in_one_line(pg_cluster, tmp_path):
    empty = new_database(pg_cluster)  # a catalog database nobody ran `lake init` on
    data = tmp_path / "lake"
    away = f"dbname=lake host={tmp_path / 'no-server'} port=5432 user=postgres"  # no PostgreSQL there
    report = REPORTS / "004_03db85e7bcb5560f.txt"

    # the CLI: one line in English and Chinese, exit 2, nothing created (the catalog still holds no lake)
    for command in (("check",), ("ingest", str(report)), ("maintain",)):
        done = run_lake(empty, data, *command)
        assert done.returncode == 2 and done.stdout == "", (command, done.stdout, done.stderr[-2000:])
        assert done.stderr.strip().splitlines() == [
            f"the lake has not been initialised; create it first with `{INIT}` / 数据湖尚未初始化，请先运行：{INIT}"]
        away_run = run_lake(away, data, *command)
        assert away_run.returncode == 2 and "Traceback" not in away_run.stderr, away_run.stderr[-2000:]
        [line] = away_run.stderr.strip().splitlines()
        assert line.startswith("cannot reach the lake's catalog (") and line.endswith(
            " / 无法连接数据湖的目录数据库（PostgreSQL），请检查 PERFBOARD_LAKE 的连接设置与数据库服务是否正常")
    assert not data.exists() or not any(data.rglob("*.parquet"))

    # the dashboard: the title and that one Chinese line on every page, no traceback; once `lake init` has
    # run, the same server (no restart) shows the empty lake
    from dashboard import PAGES
    with streamlit_server(tmp_path / "no.duckdb", "lake-uninitialised.log", env=lake_env(empty, data),
                          python=str(LAKE_PY)) as url, \
            streamlit_server(tmp_path / "no.duckdb", "lake-unreachable.log", env=lake_env(away, data),
                             python=str(LAKE_PY)) as url_away:
        for page in ("overview", "data", "review"):
            run = asyncio.run(_page(url, page))
            assert (run.texts, run.exceptions) == (["信访绩效看板", f"数据湖尚未初始化，请先运行：{INIT}"], []), page
            run = asyncio.run(_page(url_away, page))
            assert (run.texts, run.exceptions) == (
                ["信访绩效看板", "无法连接数据湖的目录数据库（PostgreSQL），请检查 PERFBOARD_LAKE 的连接设置与数据库服务是否正常"],
                []), page
        assert run_lake(empty, data, "init").stdout.strip() == "created"
        runs = {p: asyncio.run(_page(url, p)) for *_, p in PAGES}
        assert {p: (r.title, r.exceptions) for p, r in runs.items()} == {p: (t, []) for _, t, _, p in PAGES}
        assert shown(runs["overview"]) == 0


@pytest.fixture(scope="module")
def watcher(catalog, lake_dir, tmp_path_factory):
    """Another dashboard process on the module's lake (`streamlit run` in .venv-lake): what a colleague's
    browser, or a second machine, shows. The lake is initialised and holds data/reports first."""
    init = run_lake(catalog, lake_dir, "init")
    assert init.returncode == 0, init.stderr[-2000:]
    ingest = run_lake(catalog, lake_dir, "ingest", str(REPORTS))
    assert ingest.returncode == 0, ingest.stderr[-2000:]
    work = tmp_path_factory.mktemp("watcher")
    with streamlit_server(work / "no.duckdb", "lake-watcher.log", env=lake_env(catalog, lake_dir),
                          python=str(LAKE_PY)) as url:
        yield url


def test_an_analysts_upload_and_corrections_go_into_the_lake_and_show_on_another_dashboard(
        catalog, lake_dir, watcher, tmp_path):
    from perfboard import auth
    before = overview(watcher)
    assert shown(before) == 5 and not before.exceptions
    assert not any(t.startswith("**深圳市盐田区信访局** · 2024 年") for t in before.texts)
    upload = tmp_path / "盐田2024.txt"  # the seed report of 2023 as next year's: a new report
    upload.write_text((REPORTS / "004_03db85e7bcb5560f.txt").read_text(encoding="utf-8").replace("2023", "2024"),
                      encoding="utf-8")

    # the analyst's session on 上传与校对, in a dashboard process of its own
    from lake_review_session import PASSWORD
    done = subprocess.run([str(LAKE_PY), str(ROOT / "tests" / "lake_review_session.py"), str(upload),
                           auth.hash_password(PASSWORD)], cwd=ROOT, capture_output=True, text=True, timeout=400,
                          env=dict(os.environ, **lake_env(catalog, lake_dir)))
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert [seen[k] for k in ("opened", "import_errors", "correct_errors", "undo_errors", "alias_errors")] == [[]] * 5
    assert seen["import"] == [["已入库", "未能读取"],
                              ["深圳市盐田区信访局 · 2024 年 · 部门整体，抽取到 14 项", "文件为空（原文件已保存在“待处理”列表）"]]
    [second, first] = seen["log"]  # newest first
    assert first.startswith("#1 ") and "analyst：绩效自评得分 94.92 分 → 95.50 分；理由：附件评分表为 95.5 分" in first
    assert second.startswith("#2 ") and "95.50 分 → 90.00 分" in second and second.endswith("（已撤销）")
    assert seen["status"] == ["状态：已确认　｜　主报告"]
    assert seen["aliases"] == [["盐田信访"]]
    report_id = seen["report_id"]

    # the other dashboard shows the new report, with its corrected score, on 总览 (a new session, no restart)
    after = overview(watcher)
    assert shown(after) == 6 and not after.exceptions
    assert "绩效自评得分 · 已更正 = 95.50" in card(after, "**深圳市盐田区信访局** · 2024 年"), after.texts
    # and a third process's run of 数据与来源's queries marks that one number 已更正
    page = run_lake(catalog, lake_dir, "dashboard")
    assert page.returncode == 0, page.stderr[-2000:]
    [shown_page] = [json.loads(x) for x in page.stdout.splitlines()]
    assert shown_page["corrected"] == [[report_id, "score.total", 95.5]]
    assert report_id in shown_page["report_ids"] and all(v == 0 for k, v in shown_page["whole"].items()
                                                         if k != "reports")

    # in the lake: each thing once, only whole writes, the kept dashboard table equal to a full rebuild
    lake = lake_check(catalog, lake_dir)
    counts = lake["counts"]
    assert (counts["reports"], counts["distinct_reports"], counts["raw_files"]) == (6, 6, 6)
    assert (counts["corrections"], counts["aliases"], counts["pending_files"]) == (1, 1, 1)
    assert all(v == 0 for k, v in lake["whole"].items() if k != "reports")
    assert lake["drift"][:2] == [0, 0] and lake["drift"][2] == counts["dashboard_rows"]


def test_maintenance_merges_small_files_and_changes_nothing_shown(catalog, lake_dir, watcher, tmp_path):
    # many small writes: 16 reports, one transaction each
    corpus = tmp_path / "small"
    subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", "8", "--years", "2", "--seed", "7",
                    "--out", str(corpus)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    ingest = run_lake(catalog, lake_dir, "ingest", str(corpus), "--chunk", "1", "--author", "small")
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    before = lake_check(catalog, lake_dir)
    shown_before = overview(watcher)
    reports = before["counts"]["reports"]
    pages = {p: asyncio.run(_page(watcher, p)) for p in ("overview", "petitions", "scores", "data")}

    # a reader runs the dashboard's queries again and again while maintenance runs
    log = tmp_path / "reader.jsonl"
    with log.open("w") as out:
        reader = subprocess.Popen(lake_command(catalog, lake_dir, "dashboard", "--until", str(reports),
                                               "--seconds", "8"), cwd=ROOT, stdout=out, stderr=subprocess.PIPE,
                                  text=True)
        try:
            maintained = run_lake(catalog, lake_dir, "maintain")
        finally:
            err = reader.communicate(timeout=300)[1]
    assert maintained.returncode == 0 and reader.returncode == 0, maintained.stderr[-3000:] + err[-3000:]
    done = json.loads(maintained.stdout)
    print(f"\nmaintain: {done}")
    assert done["merge_adjacent_files"] > 0 and done["flush_inlined_data"] > 0
    assert done["after"]["data_files"] < done["before"]["data_files"]
    runs = [json.loads(x) for x in log.read_text().splitlines()]
    assert len({r["snapshot"] for r in runs}) >= 2, "the reader read both before and after maintenance"
    for r in runs:  # every page run of the reader: the same whole data, whichever snapshot it read
        assert len(r["report_ids"]) == reports and r["rows"] == runs[0]["rows"], r
        assert all(v == 0 for k, v in r["whole"].items() if k != "reports"), r

    # nothing any number, report or figure shows changed; then the unused files go (no snapshot kept)
    for keep in (None, "0"):
        if keep is not None:
            cleaned = run_lake(catalog, lake_dir, "maintain", "--keep", keep)
            assert cleaned.returncode == 0, cleaned.stderr[-3000:]
            cleaned = json.loads(cleaned.stdout)
            assert cleaned["disk_files_after"] < cleaned["disk_files_before"]
            assert cleaned["disk_files_after"] >= cleaned["after"]["data_files"] + cleaned["after"]["delete_files"]
        after = lake_check(catalog, lake_dir)
        assert after["counts"] == before["counts"] and after["numbers"] == before["numbers"]
        assert after["drift"] == before["drift"] and after["drift"][:2] == [0, 0]
        again = {p: asyncio.run(_page(watcher, p)) for p in pages}
        assert {p: (r.texts, r.exceptions) for p, r in again.items()} == \
            {p: (r.texts, r.exceptions) for p, r in pages.items()}
    assert overview(watcher).texts == shown_before.texts


def test_a_backup_restored_into_a_new_catalog_holds_and_shows_the_same(catalog, lake_dir, watcher, pg_cluster,
                                                                        tmp_path):
    backup_dir = tmp_path / "backup"
    taken = run_lake(catalog, lake_dir, "backup", str(backup_dir))
    assert taken.returncode == 0, taken.stderr[-3000:]
    manifest = json.loads(taken.stdout)
    original = lake_check(catalog, lake_dir)
    assert manifest["counts"] == original["counts"] and manifest["data_files"] > 0
    shown_then = {p: asyncio.run(_page(watcher, p)) for p in ("overview", "data", "scores")}
    # a report stored after the backup is not in it
    later = tmp_path / "盐田2025.txt"
    later.write_text((REPORTS / "004_03db85e7bcb5560f.txt").read_text(encoding="utf-8").replace("2023", "2025"),
                     encoding="utf-8")
    assert run_lake(catalog, lake_dir, "ingest", str(later)).returncode == 0

    # not into a catalog that holds a lake, nor from a folder that is no backup: one line, nothing changed
    refused = run_lake(catalog, tmp_path / "elsewhere", "restore", str(backup_dir))
    assert refused.returncode == 2 and refused.stderr.strip().endswith("目标目录数据库中已有数据湖，请恢复到新建的空数据库")
    fresh, data = new_database(pg_cluster), tmp_path / "restored"
    not_one = run_lake(fresh, data, "restore", str(tmp_path))
    assert not_one.returncode == 2 and "没有数据湖备份" in not_one.stderr and "Traceback" not in not_one.stderr
    assert lake_check(catalog, lake_dir)["counts"]["reports"] == original["counts"]["reports"] + 1

    # into a new database and a new folder: the backup's snapshot, every count and number, the kept dashboard table
    restored = run_lake(fresh, data, "restore", str(backup_dir))
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert json.loads(restored.stdout)["snapshot"] == manifest["snapshot"]
    again = lake_check(fresh, data)
    assert (again["counts"], again["numbers"], again["whole"]) == (original["counts"], original["numbers"],
                                                                   original["whole"])
    assert again["drift"] == original["drift"] and again["drift"][:2] == [0, 0]
    # a dashboard on the restored lake shows what the original's showed when the backup was taken
    with streamlit_server(tmp_path / "no.duckdb", "lake-restored.log", env=lake_env(fresh, data),
                          python=str(LAKE_PY)) as url:
        shown_now = {p: asyncio.run(_page(url, p)) for p in shown_then}
    assert {p: (r.texts, r.exceptions) for p, r in shown_now.items()} == \
        {p: (r.texts, r.exceptions) for p, r in shown_then.items()}
    # and it is a lake like any other: the report stored after the backup goes in
    assert run_lake(fresh, data, "ingest", str(later)).returncode == 0
    assert lake_check(fresh, data)["counts"]["reports"] == original["counts"]["reports"] + 1


def test_upgrade_brings_a_lake_of_an_older_perfboard_to_this_schema(pg_cluster, tmp_path):
    """A lake made before dashboard_reports existed (its table dropped here, as such a lake lacks it):
    the pages' queries fail on it; `lake upgrade` creates the table, replaces views and macros and
    rebuilds the kept tables in one write, and the lake then answers as a new one, nothing lost."""
    old = new_database(pg_cluster)
    data = tmp_path / "lake"
    assert run_lake(old, data, "init").stdout.strip() == "created"
    reports = sorted(REPORTS.glob("*.txt"))[:3]
    done = run_lake(old, data, "ingest", *map(str, reports))
    assert done.returncode == 0, done.stderr[-2000:]
    before = lake_check(old, data)
    code = ("import sys; from perfboard.lake import Lake; con = Lake(sys.argv[1], sys.argv[2]).connect(); "
            "con.execute('DROP TABLE dashboard_reports'); con.close()")
    dropped = subprocess.run([str(LAKE_PY), "-c", code, old, str(data)], cwd=ROOT, capture_output=True, text=True,
                             timeout=120)
    assert dropped.returncode == 0, dropped.stderr[-2000:]
    broken = run_lake(old, data, "dashboard", "--until", "3", "--timeout", "30")
    assert broken.returncode != 0 and "dashboard_reports" in broken.stderr

    upgraded = run_lake(old, data, "upgrade")
    assert (upgraded.returncode, upgraded.stdout.strip()) == (0, "upgraded"), upgraded.stderr[-2000:]
    after = lake_check(old, data)
    assert after["counts"] == before["counts"] and after["numbers"] == before["numbers"]
    assert after["drift"][:2] == [0, 0] and after["drift"][2] == after["counts"]["dashboard_rows"] > 0
    page = run_lake(old, data, "dashboard", "--until", "3", "--timeout", "60")
    assert page.returncode == 0, page.stderr[-2000:]
    assert len(json.loads(page.stdout.splitlines()[-1])["report_ids"]) == 3
    # upgrading a current lake changes nothing either
    assert run_lake(old, data, "upgrade").returncode == 0 and lake_check(old, data)["numbers"] == before["numbers"]
