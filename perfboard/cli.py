"""python -m perfboard COMMAND — read reports, build the database, look at it."""
from __future__ import annotations

import argparse
import json
import sys

from perfboard import EXTRACTOR_VERSION, __version__

DB_HELP = "DuckDB file (default: $PERFBOARD_DB or data/evaluations.duckdb)"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except Exception as err:
        from perfboard import db
        if isinstance(err, (db.MergeOutOfMemory, db.RebuildOutOfMemory)):  # its message says what is kept and what to do
            print(err, file=sys.stderr)
            return 1
        if not _is_io_error(err):
            raise
        # a full disk or a read-only folder: writers discard their private copy, so the
        # database is as it was; a reason, not a traceback
        detail = getattr(err, "strerror", None) or str(err).splitlines()[0][:200]
        print(f"could not write ({detail}); the database is unchanged / "
              "写入失败（磁盘空间不足或无法写入），数据库未改变", file=sys.stderr)
        return 1


def _is_io_error(err: Exception) -> bool:
    from perfboard import db
    return db.is_write_failure(err)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m perfboard",
                                description="Performance self-evaluation reports → facts with provenance → DuckDB. "
                                            "绩效自评报告 → 带出处的数据 → DuckDB。")
    p.add_argument("--version", action="version", version=f"perfboard {__version__} (extractor {EXTRACTOR_VERSION})")
    sub = p.add_subparsers(metavar="COMMAND")

    e = sub.add_parser("extract", help="print the facts of reports (no database) / 抽取并打印",
                       description="Read report files (TXT, PDF, DOCX, XLSX; scans and PNG/JPG photos by OCR) "
                                   "and print their facts. A records file (CSV, JSON, or XLSX with the "
                                   "template's header) gives one report per valid row. "
                                   "With --json: the JSON array of the extraction contract.")
    e.add_argument("files", nargs="+", metavar="FILE")
    e.add_argument("--json", action="store_true", help="print the contract's JSON array")
    e.set_defaults(func=cmd_extract)

    i = sub.add_parser("ingest", help="store reports in the database / 入库",
                       description="Store report files (folders are searched recursively): original bytes, "
                                   "text and every fact with its source, one transaction per file. "
                                   "The same bytes twice are stored once. Scanned PDFs and PNG/JPG photos "
                                   "are read by OCR; Traditional characters become Simplified. A records file "
                                   "(CSV, JSON, or XLSX with the template's header; see `template`) stores one "
                                   "report per valid row and names each refused row and column. An ingest that stores 1,000 "
                                   "reports or more ends by merging the recent writes into the database file "
                                   "(see `maintain`).")
    i.add_argument("paths", nargs="+", metavar="PATH")
    i.add_argument("--db", help=DB_HELP)
    i.add_argument("--publish-every", type=int, default=1000, metavar="N",
                   help="make the stored reports visible to the dashboard every N files (default 1000); "
                        "a kill keeps every publish / 每 N 个文件发布一次")
    i.set_defaults(func=cmd_ingest)

    r = sub.add_parser("reextract", help="re-run the extractor on stored reports / 重新抽取",
                       description="Re-extract stored reports whose extractor version differs from this one "
                                   "(or all with --all). Analysts' corrections and aliases are kept.")
    r.add_argument("--db", help=DB_HELP)
    r.add_argument("--all", action="store_true", help="every stored report, not only stale ones")
    r.set_defaults(func=cmd_reextract)

    u = sub.add_parser("upgrade", help="bring a database to this version's schema / 升级数据库",
                       description="Upgrade a database written by an older perfboard (tables, views and the "
                                   "dashboard's table), or create an empty one. The dashboard only reads: it "
                                   "names this command when it finds an older database. Every write keeps the "
                                   "dashboard's tables (dashboard_metrics, dashboard_reports) up to date for what it "
                                   "changes; --rebuild rebuilds them from every number and report and says how "
                                   "many rows differed. "
                                   "Also merges the changes file (FILE.changes, the recent writes) into FILE, "
                                   "so that FILE alone holds everything.")
    u.add_argument("--db", help=DB_HELP)
    u.add_argument("--rebuild", action="store_true",
                   help="also rebuild dashboard_metrics and dashboard_reports in full (the repair path) / 重建看板数据表")
    u.set_defaults(func=cmd_upgrade)

    m = sub.add_parser("maintain", help="merge the recent writes into the database file / 合并近期写入",
                       description="Merge the changes file (FILE.changes: the uploads, corrections and small "
                                   "ingests since the last merge) into FILE, so that the dashboard reads one file: "
                                   "its queries then cost ~30% less. Writes merge on their own once the changes "
                                   "file has grown to an eighth of FILE (at least 32 MB), and an ingest of 1,000 "
                                   "reports or more ends with a merge (PERFBOARD_MERGE_AFTER), and the dashboard's server "
                                   "merges once nobody has written for 10 minutes (PERFBOARD_MAINTAIN_IDLE). For a "
                                   "database no dashboard serves, run it from cron with --idle, e.g. every 10 "
                                   "minutes: maintain --idle 600.")
    m.add_argument("--db", help=DB_HELP)
    m.add_argument("--idle", type=float, default=0, metavar="SECONDS",
                   help="merge only if nothing has been written for SECONDS (default 0: now) / "
                        "仅在 SECONDS 秒内无写入时合并")
    m.set_defaults(func=cmd_maintain)

    b = sub.add_parser("brief", help="write a PPTX deck or DOCX brief / 生成简报",
                       description="Write a briefing: a title page with scope and date, one page per key chart "
                                   "(execution rate, petition volume, satisfaction, score) and year with a computed "
                                   "Chinese summary, and the list of source reports (unit · year · document). "
                                   "Without --year-from/--year-to (or with a range of every year there is) each "
                                   "chart is of the latest year that has it; with a narrower range, of each year "
                                   "of it. PPTX is 16:9, DOCX A4. The format "
                                   "follows --out's suffix.")
    b.add_argument("--out", required=True, help="FILE.pptx or FILE.docx")
    b.add_argument("--db", help=DB_HELP)
    add_filter_arguments(b)
    b.set_defaults(func=cmd_brief)

    s = sub.add_parser("synth", help="write a synthetic corpus with truth files / 生成模拟语料",
                       description="Write N departments × Y years of fictional reports (示例省/示例市…) in the "
                                   "layouts of the seed and dev corpora, each with a truth file NAME.json in the "
                                   "extraction contract's shape. For benchmarks and extraction tests only. "
                                   "With --demo-db, the corpus is ingested into a fresh database marked as "
                                   "the fictional demo (the dashboard shows 示例数据，虚构 on every page; "
                                   "`make demo`); --out then keeps the reports, else they are temporary.")
    s.add_argument("--departments", type=int, required=True)
    s.add_argument("--years", type=int, required=True)
    s.add_argument("--out", help="folder for the reports and truth files (required without --demo-db)")
    s.add_argument("--demo-db", metavar="FILE",
                   help="build the demo database FILE from the corpus (replaces an older demo database; "
                        "refuses a real one and the default database)")
    s.add_argument("--first-year", type=int, default=2015)
    s.add_argument("--seed", type=int, default=7)
    s.set_defaults(func=cmd_synth)

    k = sub.add_parser("backup", help="copy the database and original files to DIR / 备份",
                       description="Write a consistent copy of the database, every original report file and a "
                                   "manifest (checksum, counts) to DIR. A backup already in DIR stays until the new "
                                   "one is complete; a failed backup removes what it wrote.")
    k.add_argument("dir")
    k.add_argument("--db", help=DB_HELP)
    k.set_defaults(func=cmd_backup)

    o = sub.add_parser("restore", help="bring a backup back / 恢复",
                       description="Replace the database with the copy in DIR after checking it: a regular file "
                                   "inside DIR, matching the manifest's checksum, a complete perfboard database "
                                   "(the counts printed are its own). Readers see the restored database at once.")
    o.add_argument("dir")
    o.add_argument("--db", help=DB_HELP)
    o.set_defaults(func=cmd_restore)

    t = sub.add_parser("template", help="write the records template / 下载录入模板",
                       description="Write the empty records template: one row per report, columns in the shape "
                                   "of the extraction contract (单位名称, 被评价年度, 年初预算（万元）, …). "
                                   "XLSX (with a 说明 sheet) or CSV (UTF-8 with BOM), after --out's suffix.")
    t.add_argument("--out", required=True, help="FILE.xlsx or FILE.csv")
    t.set_defaults(func=cmd_template)

    x = sub.add_parser("export", help="write the views as Parquet / 导出 Parquet",
                       description="Write v_reports, v_metrics and v_indicators as Parquet files under DIR, one "
                                   "folder per view, partitioned by year (DIR/v_metrics/year=2022/…), with a "
                                   "manifest.json of row counts. Each view's folder is replaced.")
    x.add_argument("--parquet", required=True, metavar="DIR")
    x.add_argument("--db", help=DB_HELP)
    x.set_defaults(func=cmd_export)

    w = sub.add_parser("passwd", help="print a password hash line for an analyst / 生成分析员密码哈希",
                       description="Reads a password (prompt, or standard input with --stdin) and prints the line "
                                   "to put under [auth.users] in .streamlit/secrets.toml.")
    w.add_argument("user")
    w.add_argument("--stdin", action="store_true", help="read the password from standard input")
    w.set_defaults(func=cmd_passwd)
    return p


def cmd_backup(args) -> int:
    from perfboard import backup
    try:
        m = backup.backup(args.dir, args.db)
    except backup.BackupError as err:
        print(f"{err.en} / {err.zh}", file=sys.stderr)
        return 1
    print(f"backed up {m['reports']} reports and {m['originals']} original files to {args.dir} / 备份完成")
    return 0


def cmd_restore(args) -> int:
    from perfboard import backup
    try:
        m = backup.restore(args.dir, args.db)
    except backup.BackupError as err:
        print(f"{err.en} / {err.zh}", file=sys.stderr)
        return 1
    print(f"restored {m['reports']} reports from the backup of {m['created_at']} / 恢复完成")
    return 0


def cmd_synth(args) -> int:
    from pathlib import Path

    from perfboard import demo, synth
    from perfboard.db import ROOT
    if not args.out and not args.demo_db:
        print("give --out DIR or --demo-db FILE / 请指定 --out 或 --demo-db", file=sys.stderr)
        return 2
    out = Path(args.out).resolve() if args.out else None
    reports = (ROOT / "data" / "reports").resolve()
    if out and (out == reports or reports in out.parents):
        print("synthetic reports never go into data/reports / 模拟报告不得写入 data/reports", file=sys.stderr)
        return 2
    if args.demo_db:
        try:
            n = demo.build(args.demo_db, args.departments, args.years, args.first_year, args.seed, corpus=out)
        except demo.NotADemo as err:
            print(f"{err} / {err.zh}", file=sys.stderr)
            return 2
        print(f"built the demo database {args.demo_db}: {n} fictional reports / 已生成示例数据库（虚构），{n} 份报告")
        return 0
    n = synth.write_corpus(args.departments, args.years, out, args.first_year, args.seed)
    print(f"wrote {n} reports with truth files to {out} / 已生成 {n} 份模拟报告")
    return 0


def cmd_passwd(args) -> int:
    import getpass

    from perfboard.auth import hash_password
    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("password / 密码: ")
    if len(password) < 8:
        print("use at least 8 characters / 密码至少 8 位", file=sys.stderr)
        return 2
    print(f'{args.user} = "{hash_password(password)}"')
    return 0


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--province", help="e.g. 广东省")
    p.add_argument("--city", help="e.g. 广州市")
    p.add_argument("--department", dest="departments", action="append", default=[],
                   help="department key, e.g. 昆明市盘龙区信访局 (repeat for several)")
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)
    p.add_argument("--kind", choices=["department_overall", "project"])


def cmd_brief(args) -> int:
    from pathlib import Path

    from perfboard import db
    from perfboard.export import brief, images
    from perfboard.filters import Filters

    out = Path(args.out)
    if out.suffix.lower() not in (".pptx", ".docx"):
        print("--out must end in .pptx or .docx / 输出文件须为 .pptx 或 .docx", file=sys.stderr)
        return 2
    filters = Filters(args.province, args.city, tuple(args.departments), args.year_from, args.year_to, args.kind)
    con = _read(args.db)
    try:
        content = brief.build(db.cursor(con), filters)
    except images.NoBrowser as err:
        print(f"{err} / {err.zh}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if not content.sections:
        print("no data for these filters / 当前筛选条件下没有数据", file=sys.stderr)
        return 1
    data = brief.to_pptx(content) if out.suffix.lower() == ".pptx" else brief.to_docx(content)
    out.write_bytes(data)
    print(f"wrote {out}: {len(content.sections)} charts, {len(content.sources)} reports / 已生成简报")
    return 0


def cmd_template(args) -> int:
    from pathlib import Path

    from perfboard import records
    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        print("--out must end in .xlsx or .csv / 输出文件须为 .xlsx 或 .csv", file=sys.stderr)
        return 2
    out.write_bytes(records.template_bytes(fmt))
    print(f"wrote {out}: {len(records.COLUMNS)} columns / 已生成录入模板")
    return 0


def cmd_export(args) -> int:
    from perfboard import db
    from perfboard.export import parquet
    con = _read(args.db)
    try:
        manifest = parquet.export(db.cursor(con), args.parquet)
    finally:
        con.close()
    for view, info in manifest["views"].items():
        years = ", ".join(f"{y}: {n}" for y, n in info["by_year"].items()) or "no rows"
        print(f"{view}: {info['rows']} rows ({years})")
    print(f"wrote Parquet to {args.parquet} / 已导出")
    return 0


def cmd_extract(args) -> int:
    from pathlib import Path

    from perfboard import intake
    from perfboard.readers import ReadError, read_file
    from perfboard.readers.capped import read_and_extract

    results, failed = [], 0
    for path in args.files:
        try:
            data = read_file(path)
            if intake.is_records(data, path):
                table = intake.read_records(data, Path(path).name)
                for problem in table.problems:
                    print(f"{path}: {problem.line()}", file=sys.stderr)
                failed += bool(table.refused or not table.rows)
                results += [row.extraction for row in table.rows]
                continue
            _, extraction = read_and_extract(data, Path(path).name)
        except (ReadError, OSError) as err:
            failed += 1
            print(f"failed {path}: {_reason(err)}", file=sys.stderr)
            continue
        results.append(extraction)
    if args.json:
        json.dump([r.to_contract() for r in results], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in results:
            _print_summary(r)
    return 1 if failed else 0


def _reason(err: Exception) -> str:
    if hasattr(err, "zh"):
        return f"{err.en} / {err.zh}"
    return f"cannot read the file ({getattr(err, 'strerror', err)}) / 无法读取文件"


def _print_summary(r) -> None:
    c = r.to_contract()
    print(f"== {c['file']}: {c['department']} {c['evaluated_year']} {c['report_kind']} ({c['document_type']})")
    for fact in r.all_facts():
        if fact.field in ("problems", "measures"):
            continue
        where = f"p.{fact.page} " if fact.page else ""
        mark = " (derived)" if fact.derived else ""
        subject = f"[{fact.subject}] " if fact.subject else ""
        print(f"  {fact.field:32} {subject}{fact.value}{mark}  ← {where}{fact.snippet!r}")
    for row in r.indicators:
        print(f"  indicator {row.level3} | {row.target} | {row.actual}")
    if r.needs_review:
        print(f"  needs review / 待核: {', '.join(r.review_reasons)}")


def cmd_ingest(args) -> int:
    from perfboard import load
    if args.publish_every < 1:
        print("--publish-every must be at least 1 / --publish-every 至少为 1", file=sys.stderr)
        return 2
    tally = _Tally()  # each publish's lines as it is published, not all at the end (nor all held)
    load.ingest_paths(args.paths, args.db, keep_extractions=False, publish_every=args.publish_every,
                      on_outcomes=tally.add)
    return tally.close()


def _read(db_file):
    """A read connection for a CLI command. Readers never upgrade; the CLI may write, so an
    older (or missing) database is upgraded (or created) here first."""
    from perfboard import db
    try:
        return db.connect_read(db_file)
    except (db.OutdatedDatabase, FileNotFoundError):
        db.upgrade(db_file)
        return db.connect_read(db_file)


def cmd_upgrade(args) -> int:
    from perfboard import db
    drift = db.upgrade(args.db, rebuild=args.rebuild)
    print(f"{db.db_path(args.db)} is at schema {db.schema_version()} / 数据库已是当前版本")
    if drift is not None:
        only_rebuilt, only_kept, rows = drift
        print(f"dashboard_metrics and dashboard_reports rebuilt: {only_rebuilt} rows were missing, {only_kept} stale, "
              f"of {rows} kept in dashboard_metrics / "
              f"看板数据表已重建：缺 {only_rebuilt} 行，过时 {only_kept} 行")
    return 0


def cmd_maintain(args) -> int:
    from perfboard import db
    if db.on_lake():
        print("PERFBOARD_LAKE is set: maintain a lake with `python -m perfboard.lake maintain` / "
              "数据湖请用 python -m perfboard.lake maintain 维护", file=sys.stderr)
        return 2
    path = db.db_path(args.db)
    if not path.exists():
        print(f"no database at {path} / 没有数据库：{path}", file=sys.stderr)
        return 1
    changes = db.changes_path(path)
    had = changes.exists()
    merged = db.merge_now(path, idle=args.idle)  # a merge out of memory, a full disk: main() says so, exit 1
    if merged:
        print(f"merged {changes.name} into {path.name} / 近期写入已合并入 {path.name}")
    elif had and changes.exists():
        print(f"{changes.name} was written less than {args.idle:g} s ago: not merged yet / "
              f"{args.idle:g} 秒内有写入，暂不合并")
    else:
        print(f"{path.name} holds everything: nothing to merge / 无需合并")
    return 0


def cmd_reextract(args) -> int:
    from perfboard import load
    outcomes = load.reextract(args.db, everything=args.all)
    if not outcomes:
        print("nothing to re-extract: every report is at extractor version "
              f"{EXTRACTOR_VERSION} / 无需重新抽取")
    return _report(outcomes)


def _report(outcomes) -> int:
    tally = _Tally()
    tally.add(outcomes)
    return tally.close()


class _Tally:
    """Prints outcomes' lines as they come (failures on stderr) and counts them; `close` prints
    the summary line and gives the exit status."""

    def __init__(self):
        self.counts = dict.fromkeys(("stored", "reextracted", "duplicate", "failed"), 0)
        self.refused = 0

    def add(self, outcomes) -> None:
        for o in outcomes:
            print(o.line(), file=sys.stderr if o.status == "failed" else sys.stdout, flush=True)
            self.counts[o.status] += 1
            if o.status != "failed":
                self.refused += getattr(o, "refused", 0)

    def close(self) -> int:
        counts, refused = self.counts, self.refused
        print(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no files / 没有文件")
        if refused:
            print(f"{refused} record row{'s' if refused != 1 else ''} refused / {refused} 行录入数据有误，未入库")
        return 1 if counts["failed"] or refused else 0
