"""Validation rules, each with a real failing example made from a seed report, and the
analyst actions underneath the review page: corrections (kept across re-extraction,
undoable), primary report, aliases."""

import duckdb
import pytest

from conftest import ROOT
from perfboard import EXTRACTOR_VERSION, auth, checks, db, load, writes

SEEDS = ROOT / "data" / "reports"


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def ingest_texts(db_file, **texts):
    outcomes = load.ingest_items([(name, text.encode("utf-8")) for name, text in texts.items()], db_file)
    assert all(o.ok for o in outcomes), [o.line() for o in outcomes]
    return {o.file: o.report_id for o in outcomes}


def flags(db_file, rule):
    con = db.connect_read(db_file)
    try:
        return checks.run(con).filter(checks.pl.col("rule") == rule)
    finally:
        con.close()


def test_every_rule_has_a_chinese_explanation():
    rules = checks.rules()
    assert len(rules) == 7
    assert all(any("\u4e00" <= c <= "\u9fff" for c in text) for text in rules.values())


def test_execution_rate_that_does_not_match_actual_over_adjusted(tmp_path):
    text = seed_text("000").replace("预算完成率 94.01%", "预算完成率 90.01%")
    ids = ingest_texts(tmp_path / "a.duckdb", **{"tianhe.txt": text, "tianhe_ok.txt": seed_text("004")})
    flagged = flags(tmp_path / "a.duckdb", "execution_rate_mismatch")
    assert flagged["report_id"].to_list() == [ids["tianhe.txt"]]
    assert "90.01%" in flagged["detail"][0] and "94.01%" in flagged["detail"][0]


def test_channels_that_add_up_to_more_than_the_total(tmp_path):
    ids = ingest_texts(tmp_path / "c.duckdb", **{"panlong.txt": seed_text("003"), "tianhe.txt": seed_text("000")})
    flagged = flags(tmp_path / "c.duckdb", "channels_exceed_total")
    assert flagged["report_id"].to_list() == [ids["panlong.txt"]]  # 178+106+2265+16 > 2371; 天河 adds up
    assert "2565" in flagged["detail"][0]


def test_rate_outside_0_to_100(tmp_path):
    text = seed_text("004").replace("预算执行率 99.59%", "预算执行率 199.59%")
    ids = ingest_texts(tmp_path / "r.duckdb", **{"yantian.txt": text})
    assert flags(tmp_path / "r.duckdb", "rate_out_of_range")["report_id"].to_list() == [ids["yantian.txt"]]


def test_score_outside_0_to_100_after_a_correction(tmp_path):
    db_file = tmp_path / "s.duckdb"
    ids = ingest_texts(db_file, **{"yantian.txt": seed_text("004")})
    assert flags(db_file, "score_out_of_range").is_empty()
    writes.correct(ids["yantian.txt"], "score.total", 104.92, "typo test", "analyst", old_value=94.92,
                   db_file=db_file)
    assert flags(db_file, "score_out_of_range")["report_id"].to_list() == [ids["yantian.txt"]]


def test_same_department_and_year_twice_both_kept_one_primary(tmp_path):
    db_file = tmp_path / "d.duckdb"
    changed = seed_text("004").replace("793.84", "793.48")
    ids = ingest_texts(db_file, **{"first.txt": seed_text("004"), "second.txt": changed})
    flagged = flags(db_file, "same_department_year_differs")
    assert sorted(flagged["report_id"].to_list()) == sorted(ids.values())
    con = db.connect_read(db_file)
    primary = dict(con.execute("SELECT source_file, is_primary FROM v_reports").fetchall())
    con.close()
    assert primary == {"first.txt": True, "second.txt": False}
    writes.make_primary(ids["second.txt"], db_file=db_file)
    con = db.connect_read(db_file)
    assert dict(con.execute("SELECT source_file, is_primary FROM v_reports").fetchall()) == \
        {"first.txt": False, "second.txt": True}
    con.close()


def test_evaluated_year_after_the_report_date(tmp_path):
    text = seed_text("001").replace("2023年10月23日", "2021年10月23日")
    ids = ingest_texts(tmp_path / "y.duckdb", **{"conghua.txt": text})
    flagged = flags(tmp_path / "y.duckdb", "year_after_report_date")
    assert flagged["report_id"].to_list() == [ids["conghua.txt"]]
    assert "2021-10-23" in flagged["detail"][0]


def test_year_on_year_jump(tmp_path):
    earlier = seed_text("004").replace("2023", "2022").replace("922.56 万元", "9225.60 万元")
    ids = ingest_texts(tmp_path / "j.duckdb", **{"2023.txt": seed_text("004"), "2022.txt": earlier})
    flagged = flags(tmp_path / "j.duckdb", "year_on_year_jump")
    assert flagged["report_id"].to_list() == [ids["2023.txt"]]
    assert flagged["metric"].to_list() == ["budget.initial_wan"]
    assert "由 2022 年的 9225.60 变为 2023 年的 922.56" in flagged["detail"][0]


def test_correction_shows_in_v_metrics_survives_reextract_and_can_be_undone(tmp_path):
    db_file = tmp_path / "k.duckdb"
    ids = ingest_texts(db_file, **{"tianhe.txt": seed_text("000")})
    rid = ids["tianhe.txt"]
    cid = writes.correct(rid, "budget.actual_wan", 683.93, "报告正文另有更正", "analyst", old_value=683.83,
                         db_file=db_file)
    added = writes.correct(rid, "score.total", 92.0, "附件中的得分", "analyst", snippet="自评得分92分", db_file=db_file)

    def value(metric):
        con = db.connect_read(db_file)
        try:
            found = [con.execute(f"SELECT value, corrected FROM {source} WHERE report_id = ? AND metric = ?",
                                 [rid, metric]).fetchall() for source in ("v_metrics", "dashboard_metrics")]
        finally:
            con.close()
        # the dashboard reads its copy of v_metrics, which every write rebuilds before publishing
        assert found[0] == found[1], found
        return found[0]

    assert value("budget.actual_wan") == [(683.93, True)]
    assert value("score.total") == [(92.0, True)]
    db.upgrade(db_file)  # behind the write module's back needs the whole database in the bulk file
    con = duckdb.connect(str(db_file))
    con.execute("UPDATE reports SET extractor_version = 'old'")
    con.close()
    assert [o.status for o in load.reextract(db_file)] == ["reextracted"]
    assert value("budget.actual_wan") == [(683.93, True)]
    assert writes.undo(cid, db_file=db_file)
    assert value("budget.actual_wan") == [(683.83, False)]
    assert writes.undo(added, db_file=db_file)
    assert value("score.total") == []
    con = db.connect_read(db_file)
    assert con.execute("SELECT count(*) FROM corrections WHERE undone_at IS NOT NULL").fetchall() == [(2,)]
    assert con.execute("SELECT DISTINCT extractor_version FROM reports").fetchall() == [(EXTRACTOR_VERSION,)]
    con.close()


def test_correction_needs_a_reason(tmp_path):
    with pytest.raises(writes.ReviewError) as err:
        writes.correct("r1", "score.total", 90, " ", "analyst", db_file=tmp_path / "x.duckdb")
    assert "理由" in err.value.zh


def test_alias_joins_a_renamed_department(tmp_path):
    db_file = tmp_path / "al.duckdb"
    renamed = seed_text("004").replace("盐田区信访局", "盐田区信访办公室")
    renamed = renamed.replace("2023", "2022")
    ingest_texts(db_file, **{"a.txt": seed_text("004"), "b.txt": renamed})
    con = db.connect_read(db_file)
    keys = dict(con.execute("SELECT source_file, department_key FROM v_reports").fetchall())
    con.close()
    # 信访办公室 → 信访局 is a known renaming: one key without an alias
    assert keys["a.txt"] == keys["b.txt"] == "深圳市盐田区信访局"
    writes.set_alias("盐田信访", "深圳市盐田区信访局", "analyst", db_file=db_file)
    con = db.connect_read(db_file)
    assert con.execute("SELECT department_key FROM department_aliases").fetchall() == [("深圳市盐田区信访局",)]
    con.close()


def test_an_alias_moves_a_departments_numbers_in_the_dashboard_table(tmp_path):
    db_file = tmp_path / "al2.duckdb"
    ingest_texts(db_file, **{"a.txt": seed_text("004")})
    writes.set_alias("深圳市盐田区信访局", "盐田区信访（合并）", "analyst", db_file=db_file)
    con = db.connect_read(db_file)
    try:
        keys = [con.execute(f"SELECT DISTINCT department_key FROM {source}").fetchall()
                for source in ("v_metrics", "dashboard_metrics")]
    finally:
        con.close()
    assert keys[0] == keys[1] == [("盐田区信访（合并）",)]


def test_password_hashes():
    stored = auth.hash_password("correct horse battery")
    assert auth.verify("correct horse battery", stored)
    assert not auth.verify("wrong", stored)
    assert not auth.check_user({"analyst": stored}, "nobody", "correct horse battery")
    assert auth.check_user({"analyst": stored}, "analyst", "correct horse battery")


def test_v_metrics_carries_each_facts_confidence_and_a_correction_is_sure(tmp_path):
    db_file = tmp_path / "conf.duckdb"
    rid = ingest_texts(db_file, **{"tianhe.txt": seed_text("000")})["tianhe.txt"]

    def confidences():
        con = db.connect_read(db_file)
        try:
            return dict(con.execute("SELECT metric, confidence FROM v_metrics WHERE report_id = ?", [rid]).fetchall())
        finally:
            con.close()

    before = confidences()
    con = db.connect_read(db_file)
    stored = dict(con.execute("SELECT metric, confidence FROM facts WHERE report_id = ? AND value IS NOT NULL",
                              [rid]).fetchall())
    con.close()
    assert before["budget.actual_wan"] == stored["budget.actual_wan"] and 0 < before["budget.actual_wan"] < 1
    writes.correct(rid, "budget.actual_wan", 683.93, "报告正文另有更正", "analyst", old_value=683.83, db_file=db_file)
    after = confidences()
    assert after.pop("budget.actual_wan") == 1.0 and after == {k: v for k, v in before.items() if k != "budget.actual_wan"}
    assert after  # the other figures keep their rules' confidence
