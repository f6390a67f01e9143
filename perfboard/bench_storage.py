"""Issue 15's measurement: which storage lets a write cost what it changes while readers
never wait. A prototype of each file-based candidate on rows of the project's own shape, timed
the same way; the decision and the figures are in docs/storage-design.md.

Designs:
  A        today: db.writing() (copy the file, write, rebuild dashboard_metrics, rename)
  B        one DuckDB file, dashboard_metrics kept up to date for the units a write touches
           (delete + insert of their rows) instead of rebuilt; still copy-on-publish, because
           DuckDB lets no reader in while a process writes the file

The lake (C: DuckLake) is no longer prototyped here: it is project code (perfboard/lake.py,
lakeread.py), measured by `python -m perfboard.bench --only lake` on a private PostgreSQL
cluster. This harness's own lake writer (C-sqlite, C-pg) and the per-dashboard replica
prototype (C+R, ReplicaReader) were removed; their figures in docs/storage-design.md were
made with them (git history before the `lakebench` branch).

Steps (each a subprocess, so that a writer's peak memory is its own):
  prep     synthetic corpus (perfboard synth) through the project's own reader and extractor,
           stored as Parquet: the rows every design writes. Run with the project's venv.
  run      one design at one size: one-batch ingest, batches of 100 on top, a correction and
           a new report timed until a separate reader process sees them, query p95, size.
  killtest kill -9 of a writer mid-transaction, readers polling throughout
  report   the results (work/results.jsonl) as a Markdown table (older lake rows included)

Rows beyond the template (30,000 reports from 3,000 departments × 10 years) are copies with
new ids, hashes and department names (…·2), so 300,000 reports are 10 copies of 30,000.
Every SQL statement is under queries/db/storage_bench/ (named db.storage_bench.*)."""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DEPARTMENTS, TEMPLATE_YEARS = 3000, 10
TEMPLATE = TEMPLATE_DEPARTMENTS * TEMPLATE_YEARS
TABLES = ("raw_files", "reports", "facts", "indicators")
CHUNK = 1000          # reports per transaction in a one-batch ingest (load.PUBLISH_EVERY)
BATCH = 100           # the small batches
BATCHES = 5           # how many of them are timed on top of the one-batch ingest
QUERY_RUNS = 20
# what the pages pass (perfboard.ui.components, perfboard.filters): 12 cards, 10 changes,
# 2,000 rows on 数据与来源; no filter: the whole country
NO_FILTER = dict(province=None, city=None, departments=None, year_from=None, year_to=None, kind=None)
QUERIES = {
    "overview.cards": dict(NO_FILTER, limit=12),
    "overview.changes": dict(NO_FILTER, limit=10),
    "data.metrics": dict(NO_FILTER, metrics=None, search=None, limit=2000),
    "data.reports": dict(NO_FILTER, limit=2000),
    "filters.options": {},
    "db.storage_bench.trivial": {},
}


# ---------------------------------------------------------------- rows of the project's shape

def prep(work: Path) -> dict:
    """Synth + the project's reader and extractor (load._prepare_all) → Parquet, once."""
    from perfboard import load
    out = work / "template"
    if (out / "facts.parquet").exists():
        return json.loads((out / "prep.json").read_text())
    corpus = work / "corpus"
    if not any(corpus.glob("*.txt")):
        subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", str(TEMPLATE_DEPARTMENTS),
                        "--years", str(TEMPLATE_YEARS), "--out", str(corpus)], check=True, cwd=ROOT)
    files = sorted(corpus.glob("*.txt"))
    out.mkdir(parents=True, exist_ok=True)
    frames = {t: [] for t in TABLES}
    t0 = time.perf_counter()
    for start in range(0, len(files), 2000):
        part = files[start:start + 2000]
        prepared = load._prepare_all([(p.name, p.read_bytes()) for p in part])
        ok = [p for p in prepared if isinstance(p, load.Prepared)]
        index = {p.report["report_id"]: start + k for k, p in enumerate(prepared) if isinstance(p, load.Prepared)}
        frames["raw_files"].append(pl.DataFrame([p.raw for p in ok], schema=load.RAW_SCHEMA))
        reports = pl.DataFrame([r for p in ok for r in p.reports], schema=load.REPORT_SCHEMA)
        frames["reports"].append(reports.with_columns(
            pl.col("report_id").replace_strict(index, return_dtype=pl.Int64).alias("i")))
        frames["facts"].append(pl.DataFrame([f for p in ok for f in p.facts], schema=load.FACT_SCHEMA))
        frames["indicators"].append(pl.DataFrame([i for p in ok for i in p.indicators], schema=load.INDICATOR_SCHEMA))
    seconds = time.perf_counter() - t0
    ids = pl.concat(frames["reports"]).select("report_id", "i")
    for table, parts in frames.items():
        frame = pl.concat(parts)
        if table in ("facts", "indicators"):
            frame = frame.join(ids, on="report_id")
        elif table == "reports":  # as load._ingest_batch decides: the first report of an identity
            frame = frame.sort("i").with_columns(pl.struct("department_key", "year", "report_kind", "project_name")
                                                 .is_first_distinct().alias("is_primary"))
        elif table == "raw_files":
            frame = frame.join(ids.join(pl.concat(frames["reports"]).select("report_id", "sha256"), on="report_id")
                               .select("sha256", "i"), on="sha256")
        frame.sort("i").write_parquet(out / f"{table}.parquet")
    n = ids.height
    facts = pl.scan_parquet(out / "facts.parquet").select(pl.len()).collect().item()
    info = {"reports": n, "extract_seconds": round(seconds, 1), "extract_reports_per_s": round(n / seconds),
            "facts_per_report": round(facts / n, 1), "workers": min(4, os.cpu_count() or 1)}
    (out / "prep.json").write_text(json.dumps(info))
    return info


def rows(work: Path, start: int, count: int) -> dict[str, pl.DataFrame]:
    """Reports start … start+count-1 (global index i), with their facts, indicators and bytes."""
    out = {t: [] for t in TABLES}
    i = start
    while i < start + count:
        copy, lo = divmod(i, TEMPLATE)
        hi = min(TEMPLATE, lo + (start + count - i))
        for table in TABLES:
            frame = (pl.scan_parquet(work / "template" / f"{table}.parquet")
                     .filter(pl.col("i").is_between(lo, hi - 1)).collect())
            out[table].append(_copy(frame, table, copy))
        i += hi - lo
    return {t: pl.concat(parts).drop("i") for t, parts in out.items()}


def _copy(frame: pl.DataFrame, table: str, copy: int) -> pl.DataFrame:
    if copy == 0:
        return frame
    tag = f"·{copy + 1}"
    new_id = ("r" + (pl.lit(f"{copy}:") + pl.col("report_id")).hash().cast(pl.String).str.zfill(20).str.slice(0, 16))
    if table in ("reports", "facts", "indicators"):
        frame = frame.with_columns(new_id.alias("report_id"))
    if table in ("reports", "raw_files"):
        frame = frame.with_columns((pl.col("sha256") + tag).alias("sha256"))
    if table == "reports":
        frame = frame.with_columns((pl.col("department") + tag).alias("department"),
                                   (pl.col("department_key") + tag).alias("department_key"),
                                   (pl.col("province") + tag).alias("province"))
    return frame


# ---------------------------------------------------------------- the stores

def sql(name: str) -> str:
    from perfboard import queries
    return queries.get(f"db.storage_bench.{name}").sql


class Store:
    """One design's writes and reads; a subclass per design."""
    def __init__(self, root: Path):
        self.root = root

    def size(self) -> int:
        return sum(f.stat().st_size for f in self.root.rglob("*") if f.is_file() and not f.name.endswith(".lock"))


def _subset(frames: dict[str, pl.DataFrame], ids: pl.Series) -> dict[str, pl.DataFrame]:
    out = {t: frames[t].filter(pl.col("report_id").is_in(ids.implode())) for t in ("reports", "facts", "indicators")}
    out["raw_files"] = frames["raw_files"].filter(pl.col("sha256").is_in(out["reports"]["sha256"].implode()))
    return out


def _insert(con, frames: dict[str, pl.DataFrame]) -> None:
    from perfboard import queries
    for table in TABLES:
        if frames[table].height:
            queries.execute(con, f"load.insert_{table}", frames={f"new_{table}": frames[table]})


class Today(Store):
    """A: the project's write path as it is (db.writing publishes a rebuilt copy)."""
    def __init__(self, root: Path):
        super().__init__(root)
        self.path = root / "evaluations.duckdb"

    def create(self):
        from perfboard import db
        self.root.mkdir(parents=True, exist_ok=True)
        with db.writing(self.path):
            pass

    def write_reports(self, frames):
        from perfboard import db
        with db.writing(self.path) as con:
            ids = frames["reports"]["report_id"]
            for lo in range(0, ids.len(), 200):  # load.CHUNK: one transaction per 200 reports
                con.begin()
                _insert(con, _subset(frames, ids.slice(lo, 200)))
                con.commit()

    def correct(self, report_id, metric, subject, value):
        from perfboard import review
        review.correct(report_id, metric, value, "bench", "bench", subject=subject, db_file=self.path)

    def reader(self):
        return TodayReader(self.path)


class TodayReader:
    """As the dashboard reads today: reopen when the file's inode/mtime changes."""
    def __init__(self, path: Path):
        from perfboard import db
        self.path, self.db = path, db
        self.version = db.version(path)
        self.con = db.connect_read(path)

    def cursor(self):
        if self.db.version(self.path) != self.version:
            self.con.close()
            self.version = self.db.version(self.path)
            self.con = self.db.connect_read(self.path)
        return self.db.cursor(self.con)


class Incremental(Today):
    """B: one file, copy-on-publish kept, dashboard_metrics updated for the touched units only."""

    @contextlib.contextmanager
    def writing(self):
        from perfboard import db
        with db.write_lock(self.path):
            tmp = self.path.with_name(self.path.name + f".tmp-{os.getpid()}")
            if self.path.exists():
                shutil.copyfile(self.path, tmp)
            import duckdb
            con = duckdb.connect(str(tmp))
            try:
                db.apply_schema(con)
                yield con
                con.execute("CHECKPOINT")
                con.close()
                with open(tmp, "rb") as f:
                    os.fsync(f.fileno())
                os.replace(tmp, self.path)
                db._fsync_dir(self.path.parent)
            except BaseException:
                con.close()
                db._remove(tmp)
                raise

    def create(self):
        from perfboard import db
        self.root.mkdir(parents=True, exist_ok=True)
        with db.writing(self.path):  # schema and an empty dashboard_metrics, as today
            pass

    def write_reports(self, frames):
        with self.writing() as con:
            _b_write(con, frames)

    def correct(self, report_id, metric, subject, value):
        from perfboard import queries
        with self.writing() as con:
            con.begin()
            queries.execute(con, "review.insert_correction", report_id=report_id, metric=metric, subject=subject,
                            old_value=None, new_value=value, source_snippet=None, reason="bench", author="bench")
            refresh_units(con, [report_id])
            con.commit()


def _b_write(con, frames) -> None:
    con.begin()
    _insert(con, frames)
    refresh_units(con, frames["reports"]["report_id"].to_list())
    con.commit()


def refresh_units(con, report_ids: list[str]) -> None:
    """dashboard_metrics's rows for every report of the units (department, kind, project)
    of these reports: a unit's rows depend only on its own reports (prior year, primary)."""
    from perfboard import db, queries
    queries.execute(con, "db.touched_reports")
    db.update_metrics(con, report_ids)  # the project's write path does the same since step 1


def make_store(design: str, root: Path) -> Store:
    return {"A": lambda: Today(root), "B": lambda: Incremental(root)}[design]()


def vm_hwm_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------- one design at one size

def step_bulk(args) -> dict:
    """A fresh store, then reports 0 … n-1 written as one batch (a transaction per 1,000)."""
    store = make_store(args.design, Path(args.store))
    shutil.rmtree(store.root, ignore_errors=True)
    store.create()
    seconds = cpu = 0.0
    initial = isinstance(store, Incremental) and args.reports > TEMPLATE
    with contextlib.ExitStack() as stack:
        if initial:
            # a first load of a large database is one private write, published once at the
            # end (copying 300 ever larger files would take an hour); its rate is marked
            con = stack.enter_context(store.writing())
            store.write_reports = lambda frames: _b_write(con, frames)
        for lo in range(0, args.reports, CHUNK):
            frames = rows(Path(args.work), lo, min(CHUNK, args.reports - lo))
            t, c = time.perf_counter(), time.process_time()
            store.write_reports(frames)
            seconds += time.perf_counter() - t
            cpu += time.process_time() - c
    return {"bulk_initial_load": initial, "bulk_seconds": seconds, "bulk_reports_per_s": args.reports / seconds, "bulk_cpu_s": cpu,
            "bulk_rss_mib": vm_hwm_mib(), "size_mib": store.size() / 2**20}


def step_batches(args) -> dict:
    """BATCHES batches of 100 new reports on top, each its own write."""
    store = make_store(args.design, Path(args.store))
    times, cpu = [], []
    for k in range(BATCHES):
        frames = rows(Path(args.work), args.reports + k * BATCH, BATCH)
        t, c = time.perf_counter(), time.process_time()
        store.write_reports(frames)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return {"batch100_seconds": statistics.median(times), "batch100_reports_per_s": BATCH / statistics.median(times),
            "batch100_cpu_s": statistics.median(cpu),
            "batch100_rss_mib": vm_hwm_mib(), "size_after_batches_mib": store.size() / 2**20}


def step_write_one(args) -> dict:
    """One write, started at a wall-clock time a reader process compares with."""
    store = make_store(args.design, Path(args.store))
    connect = 0.0  # nothing to open before a file's write (the lake prototype's attach was timed here)
    if args.what == "correction":
        frames = None
        target = json.loads(args.target)
        t0, c = time.time(), time.process_time()
        store.correct(target["report_id"], target["metric"], target["subject"], target["value"])
    else:
        frames = rows(Path(args.work), new_report_index(args), 1)
        t0, c = time.time(), time.process_time()
        store.write_reports(frames)
    return {"t0": t0, "write_seconds": time.time() - t0, "cpu_seconds": time.process_time() - c, "rss_mib": vm_hwm_mib(), "connect_seconds": connect}


def step_watch(args) -> None:
    """A reader process: polls the dashboard's table until the awaited row shows."""
    from perfboard import queries
    store = make_store(args.design, Path(args.store))
    reader = store.reader()
    target = json.loads(args.target)
    print("ready", flush=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        cur = reader.cursor()
        got = queries.execute(cur, "db.storage_bench.watch", report_id=target["report_id"], metric=target["metric"])
        cur.close()
        if got and got[0][0] is not None and (target.get("value") is None or got[0][0] == target["value"]):
            print(json.dumps({"seen": time.time()}), flush=True)
            return
        time.sleep(0.01)
    print(json.dumps({"seen": None}), flush=True)


def step_queries(args) -> dict:
    """p50/p95 of each query, each run on a fresh cursor (its own transaction, as a page's query is)."""
    from perfboard import queries
    reader = make_store(args.design, Path(args.store)).reader()
    out = {"queries": {}}
    for name, params in QUERIES.items():
        times, cpu, n = [], [], 0
        for _ in range(QUERY_RUNS + 1):
            cur = reader.cursor()
            t, c = time.perf_counter(), time.process_time()
            n = queries.run(cur, name, **params).height
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            cur.close()
        times, cpu = sorted(times[1:]), sorted(cpu[1:])  # the first run opens files and warms caches
        p95 = int(round(0.95 * (len(times) - 1)))
        out["queries"][name] = {"rows": n, "p50": statistics.median(times), "p95": times[p95],
                                "cpu_p50": statistics.median(cpu), "cpu_p95": cpu[p95]}
    return out


def step_target(args) -> dict:
    """A number to correct: report 5's first headline metric (a unit with years before and after)."""
    from perfboard import queries
    store = make_store(args.design, Path(args.store))
    cur = store.reader().cursor()
    report_id = rows(Path(args.work), 5, 1)["reports"]["report_id"][0]
    metric, subject, value = queries.execute(cur, "db.storage_bench.target", report_id=report_id)[0]
    return {"report_id": report_id, "metric": metric, "subject": subject, "value": round(value + 1.5, 2)}


def step_verify(args) -> dict:
    """The incremental dashboard_metrics against a full rebuild (queries/db/refresh_dashboard_metrics.sql),
    inside a transaction that is rolled back."""
    import duckdb
    from perfboard import db
    store = make_store(args.design, Path(args.store))
    if not isinstance(store, Incremental):
        return {}
    con = duckdb.connect(str(store.path))
    with db.write_lock(store.path):
        t = time.perf_counter()
        only_rebuilt, only_incremental, n = db.metrics_drift(con)  # the rebuild into a temp table, compared
        rebuild = time.perf_counter() - t
    con.close()
    return {"verify_rows": n, "verify_only_rebuilt": only_rebuilt, "verify_only_incremental": only_incremental,
            "full_rebuild_s": rebuild}


def step_files(args) -> dict:
    store = make_store(args.design, Path(args.store))
    return {"files": sum(1 for f in store.root.rglob("*") if f.is_file())}


STEPS = {"bulk": step_bulk, "batches": step_batches, "write_one": step_write_one, "queries": step_queries,
         "target": step_target, "files": step_files, "verify": step_verify}


def _step(args, python: str, step: str, **extra) -> dict:
    cmd = [python, "-m", "perfboard.bench_storage", "step", step, "--design", args.design, "--work", args.work,
           "--store", args.store, "--reports", str(args.reports)]
    for k, v in extra.items():
        cmd += [f"--{k}", str(v)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"step {step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def visibility(args, python: str, what: str, target: dict) -> dict:
    """Seconds from the start of a write (in its own process) until a reader process sees it."""
    watch = subprocess.Popen([python, "-m", "perfboard.bench_storage", "step", "watch", "--design", args.design,
                              "--work", args.work, "--store", args.store, "--reports", str(args.reports),
                              "--target", json.dumps(target)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert watch.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    wrote = _step(args, python, "write_one", what=what, target=json.dumps(target))
    seen = json.loads(watch.stdout.readline())["seen"]
    watch.wait()
    return {f"{what}_visible_s": (seen - wrote["t0"]) if seen else None,
            f"{what}_write_s": wrote["write_seconds"], f"{what}_rss_mib": wrote["rss_mib"],
            f"{what}_connect_s": wrote["connect_seconds"], f"{what}_cpu_s": wrote["cpu_seconds"]}


def new_report_index(args) -> int:
    return args.reports + BATCHES * BATCH


def run(args) -> dict:
    python = sys.executable
    result = {"design": args.design, "reports": args.reports, "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    result["load_before"] = os.getloadavg()[0]
    result |= _step(args, python, "bulk")
    print(json.dumps(result), flush=True)
    result |= _step(args, python, "batches")
    target = _step(args, python, "target")
    result |= visibility(args, python, "correction", target)
    new = rows(Path(args.work), new_report_index(args), 1)["reports"]["report_id"][0]
    result |= visibility(args, python, "report", {"report_id": new, "metric": None, "value": None})
    result |= _step(args, python, "files")
    result |= _step(args, python, "verify")
    result |= _step(args, python, "queries")
    result["load_after"] = os.getloadavg()[0]
    with open(Path(args.work) / "results.jsonl", "a") as f:
        f.write(json.dumps(result) + "\n")
    return result


# ---------------------------------------------------------------- kill -9

def killtest(args) -> dict:
    """A writer adding batches of 100 is killed with SIGKILL at random points, again and
    again, while a reader process polls: the reader must only ever see whole batches (reports,
    bytes, facts and dashboard rows of the same reports), and after each kill every batch the
    writer had reported committed must be there, and the next writer must carry on."""
    import random
    python = sys.executable
    rng = random.Random(15)
    store_dir = Path(args.store)
    log = store_dir / "committed.log"
    if not store_dir.exists():
        _step(args, python, "bulk")
    log.unlink(missing_ok=True)
    reader = subprocess.Popen([python, "-m", "perfboard.bench_storage", "step", "poll", "--design", args.design,
                               "--work", args.work, "--store", args.store, "--reports", str(args.reports)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"
    checks = []
    for _ in range(args.rounds):
        before = _step(args, python, "count")["reports"]
        writer = subprocess.Popen([python, "-m", "perfboard.bench_storage", "step", "write_loop", "--design",
                                   args.design, "--work", args.work, "--store", args.store, "--reports",
                                   str(args.reports), "--first", str((before - args.reports) // BATCH)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL)
        time.sleep(rng.uniform(6.0, 14.0))  # a writer needs 1–3 s to start on a busy machine
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        logged = [int(x) for x in log.read_text().split()] if log.exists() else []
        after = _step(args, python, "count")
        highest = args.reports + BATCH * (max(logged) + 1) if logged else args.reports
        checks.append({"reports_before": before, "reports_after": after["reports"],
                       "committed_by_log": highest, "whole": after["facts_ok"] and after["reports"] % BATCH == 0,
                       "nothing_lost": after["reports"] >= highest})
    reader.send_signal(signal.SIGTERM)
    out, _ = reader.communicate()
    polls = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    bad = [p for p in polls if p["reports"] % BATCH or not p["facts_ok"]]
    result = {"design": args.design, "kills": len(checks), "reader_polls": len(polls), "half_writes_seen": len(bad),
              "progress": [c["reports_after"] for c in checks], "checks": checks,
              "ok": not bad and all(c["whole"] and c["nothing_lost"] for c in checks)
                    and checks[-1]["reports_after"] > checks[0]["reports_before"]}
    with open(Path(args.work) / "killtest.jsonl", "a") as f:
        f.write(json.dumps(result) + "\n")
    return result


def step_write_loop(args) -> None:
    store = make_store(args.design, Path(args.store))
    log = Path(args.store) / "committed.log"
    k = args.first
    while True:
        store.write_reports(rows(Path(args.work), args.reports + k * BATCH, BATCH))
        # logged only after the commit returned: what the writer knows is durable
        with open(log, "a") as f:
            f.write(f"{k}\n")
            f.flush()
            os.fsync(f.fileno())
        k += 1


def _counts(cur) -> dict:
    from perfboard import queries
    reports, facts_ok = queries.execute(cur, "db.storage_bench.consistency")[0]
    return {"reports": reports, "facts_ok": bool(facts_ok)}


def step_count(args) -> dict:
    store = make_store(args.design, Path(args.store))
    return _counts(store.reader().cursor())


def step_poll(args) -> None:
    store = make_store(args.design, Path(args.store))
    reader = store.reader()
    print("ready", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        cur = reader.cursor()
        print(json.dumps(_counts(cur)), flush=True)
        cur.close()
        time.sleep(0.05)


STEPS |= {"write_loop": step_write_loop, "count": step_count, "poll": step_poll, "watch": step_watch}


# ---------------------------------------------------------------- the table

def report(work: Path) -> str:
    """Two tables: writes (wall clock, and the writer's CPU seconds, which a busy machine
    inflates less), then query p95 (wall / CPU ms) of a separate reader process."""
    results = [json.loads(line) for line in (work / "results.jsonl").read_text().splitlines()]
    results.sort(key=lambda r: (r["reports"], r["design"]))
    lines = ["| design | reports | load | one batch r/s (CPU-bound r/s) | batches of 100 r/s (CPU-bound) | "
             "size MiB | correction → reader s (writer CPU s) | new report → reader s (writer CPU s) | "
             "writer peak MiB bulk / 100 / 1 report | files |", "|" + "---|" * 10]
    for r in (r for r in results if "bulk_seconds" in r):
        lines.append(
            f"| {r['design']} | {r['reports']} | {r['load_before']:.0f}–{r['load_after']:.0f} | "
            f"{r['bulk_reports_per_s']:.0f} ({r['reports'] / r['bulk_cpu_s']:.0f}) | "
            f"{r['batch100_reports_per_s']:.0f} ({BATCH / r['batch100_cpu_s']:.0f}) | {r['size_mib']:.1f} | "
            f"{_f(r.get('correction_visible_s'))} ({r['correction_cpu_s']:.2f}) | "
            f"{_f(r.get('report_visible_s'))} ({r['report_cpu_s']:.2f}) | "
            f"{r['bulk_rss_mib']:.0f} / {r['batch100_rss_mib']:.0f} / {r['report_rss_mib']:.0f} | {r['files']} |")
    lines += ["", "| design (reader) | reports | load | correction → reader s (writer CPU s) | "
              "new report → reader s (writer CPU s) | replica's first copy s | catch-up check ms | "
              "reader peak MiB | replica file MiB |", "|" + "---|" * 9]
    for r in (r for r in results if "replica_initial_copy_s" in r):
        lines.append(
            f"| {r['design']} | {r['reports']} | {r['load_before']:.0f}–{r['load_after']:.0f} | "
            f"{_f(r.get('correction_visible_s'))} ({r['correction_cpu_s']:.2f}) | "
            f"{_f(r.get('report_visible_s'))} ({r['report_cpu_s']:.2f}) | {r['replica_initial_copy_s']:.1f} | "
            f"{r['replica_sync_check_ms_p50']:.0f} | {r['replica_rss_mib']:.0f} | {r['replica_file_mib']:.0f} |")
    names = list(QUERIES)
    lines += ["", "| design | reports | " + " | ".join(f"{n} p95 ms wall / CPU" for n in names) + " |",
              "|" + "---|" * (2 + len(names))]
    for r in results:
        for label, key in (("", "queries"), (" before compaction", "queries_before_compact"),
                           (" one read transaction per page", "queries_one_txn")):
            q = r.get(key)
            if q:
                lines.append(f"| {r['design']}{label} | {r['reports']} | "
                             + " | ".join(f"{q[n]['p95']:.0f} / {q[n]['cpu_p95']:.0f}" for n in names) + " |")
    return "\n".join(lines)


def _f(x) -> str:
    return "—" if x is None else f"{x:.2f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m perfboard.bench_storage", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["prep", "run", "killtest", "report", "step"])
    ap.add_argument("step", nargs="?")
    ap.add_argument("--design", default="A", choices=["A", "B"])
    ap.add_argument("--reports", type=int, default=3000)
    ap.add_argument("--work", default="/tmp/perfboard-storage")
    ap.add_argument("--store", help="folder of the design's store (default: WORK/store-DESIGN-REPORTS)")
    ap.add_argument("--rounds", type=int, default=5, help="killtest: how many writers are killed")
    ap.add_argument("--what"), ap.add_argument("--target"), ap.add_argument("--first", type=int, default=0)
    args = ap.parse_args(argv)
    args.store = args.store or str(Path(args.work) / f"store-{args.design}-{args.reports}")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if args.command == "prep":
        print(json.dumps(prep(work)))
    elif args.command == "run":
        print(json.dumps(run(args)))
    elif args.command == "killtest":
        print(json.dumps(killtest(args)))
    elif args.command == "report":
        print(report(work))
    else:
        out = STEPS[args.step](args)
        if out is not None:
            print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
