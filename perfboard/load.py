"""Documents and extractions → DuckDB rows.

Each file goes in whole or not at all: its rows are all built (read, extracted, shaped)
before any is written. Files are then written in chunks, one transaction per chunk (an
ingest's publish is one chunk), because a commit costs more than extracting a report;
should a chunk fail, its files are written again one transaction each, so one bad file
cannot take others with it. Each transaction marks the units its reports belong to
(db.touch); dashboard_metrics is recomputed for all the marked units at once when the
writer publishes (db.writing's publish runs db.update_metrics): per chunk, that upkeep
cost more than storing the rows.
The served database changes only when the writer publishes (see db.writing), after every
PUBLISH_EVERY files and at the end."""
from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import itertools
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import polars as pl

from perfboard import EXTRACTOR_VERSION, db, intake, queries
from perfboard.lifetime import die_with_parent  # the pool's initializer
# the rows of one file, worked out in the extraction workers; the names stay importable from here
from perfboard.prepare import (NUMERIC_PREFIXES, Outcome, Prepared, department_key, fact_rows,  # noqa: F401
                               prepare_item, prepare_records, report_fields, report_id_for, summary)
from perfboard.readers import SUFFIXES, ReadError, read_file
from perfboard.readers.capped import read_and_extract
from perfboard.readers.text import decode_lenient


CHUNK = 200
log = logging.getLogger(__name__)

PUBLISH_EVERY = 1000
PARALLEL_FROM = 40  # files; below this a process pool costs more than it saves
# files of an ingest's first publish of fewer than PUBLISH_EVERY that the writer's own process extracts while
# its workers start (a worker's spawn and imports take ~0.17 s, as long as extracting 100 reports): the first
# publish is written that much sooner; the workers extract the rest
FIRST_HERE = 100

FACT_SCHEMA = {"report_id": pl.String, "metric": pl.String, "subject": pl.String, "value": pl.Float64,
               "value_text": pl.String, "derived": pl.Boolean, "period_start": pl.String, "period_end": pl.String,
               "source_page": pl.Int32, "source_offset": pl.Int32, "source_length": pl.Int32,
               "source_snippet": pl.String, "rule": pl.String, "ocr": pl.Boolean, "ocr_confidence": pl.Float64,
               "confidence": pl.Float64}
INDICATOR_SCHEMA = {"report_id": pl.String, "ord": pl.Int32, "level1": pl.String, "level2": pl.String,
                    "level3": pl.String, "target": pl.String, "actual": pl.String, "source_page": pl.Int32,
                    "source_snippet": pl.String}
REPORT_SCHEMA = {"report_id": pl.String, "sha256": pl.String, "source_file": pl.String, "file_format": pl.String,
                 "encoding": pl.String, "text": pl.String, "page_starts": pl.List(pl.Int32),
                 "department": pl.String, "department_key": pl.String, "province": pl.String, "city": pl.String,
                 "district": pl.String, "year": pl.Int32, "report_kind": pl.String, "project_name": pl.String,
                 "score_grade": pl.String, "problems": pl.String, "measures": pl.String,
                 "extractor_version": pl.String, "is_primary": pl.Boolean, "document_type": pl.String,
                 "needs_review": pl.Boolean, "review_reasons": pl.String}
RAW_SCHEMA = {"sha256": pl.String, "source_file": pl.String, "size_bytes": pl.Int64, "bytes": pl.Binary}


def iter_files(paths: list[str | os.PathLike]) -> list[str]:
    """Files as given, folders searched recursively for report files (hidden ones skipped), as
    path strings in sorted order (each folder's names sorted, a subfolder's files where its name
    sorts). Links are listed, not followed (neither into folders nor to files), and so are
    entries with a report suffix that are not regular files: reading refuses them with a
    reason. Strings, not Path objects, and scandir's file types, not a stat per file: for a
    folder of 300,000 reports, rglob's Paths held ~350 MiB of the writer for the whole ingest
    and took 14 s to list (BENCHMARKS.md)."""
    out: list[str] = []
    for p in map(os.fspath, paths):
        if os.path.isdir(p) and not os.path.islink(p):
            _walk(p, out)
        else:
            out.append(p)
    return out


def _walk(folder: str, out: list[str]) -> None:
    names, folders = [], set()
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                names.append(entry.name)
            elif entry.is_dir(follow_symlinks=False):
                names.append(entry.name)
                folders.add(entry.name)
            elif os.path.splitext(entry.name)[1].lower() in SUFFIXES:
                names.append(entry.name)
    names.sort()
    for name in names:
        if name in folders:
            _walk(os.path.join(folder, name), out)
        else:
            out.append(os.path.join(folder, name))


def ingest_paths(paths: list[str | os.PathLike], db_file=None, keep_extractions: bool = True,
                 publish_every: int = PUBLISH_EVERY, progress=None, on_outcomes=None) -> list[Outcome]:
    """Stores the files of `paths`, publishing every `publish_every` files (readers see each
    publish; a kill -9 keeps every one). Files are read a publish's worth at a time, and one
    pool of extraction workers lives across the publishes, extracting the next publish's files
    while this one is written: started per publish, its start-up cost more than 100 reports'
    extraction. Without `keep_extractions` the outcomes hold no Extraction (the CLI prints only
    their line) and the workers do not send them back: kept, they cost ~35 KB a report, 1 GB of
    a 30,000-report ingest's memory. `progress(stored_so_far)` is called after each publish. With
    `on_outcomes`, each publish's outcomes go to it once published and are not kept (the list
    returned is empty): kept, 300,000 outcomes would hold ~150 MiB of the CLI's writer (~500 bytes each).
    An ingest that stored db.merge_after() reports or more ends by merging the changes file into the
    bulk file (db.merge_now), so that the dashboard reads one file."""
    files = _Listing(iter_files(paths))
    batches = [(start, min(start + publish_every, len(files))) for start in range(0, len(files), publish_every)]
    outcomes: list[Outcome] = []
    stored = 0
    # memory (issue 15: a writer <= 300 MiB): two publishes of prepared rows are in memory at once,
    # so without `keep_extractions` the workers drop the extraction (a third of a prepared report)
    # and each chunk's rows are let go once written (_write_batch)
    small = publish_every < PUBLISH_EVERY  # its publishes cost the writer about what their extraction costs
    with _extractors(len(files), leave_a_core=small) as pool, db.WarmWriter(db_file) as writer:
        here = FIRST_HERE if small else 0  # a publish of 1,000 gains nothing from it
        pending = _submit(pool, files[batches[0]], keep_extractions, here=here) if batches else None
        for k in range(len(batches)):
            items, prepared = pending
            pending = _submit(pool, files[batches[k + 1]], keep_extractions) if k + 1 < len(batches) else None
            prepared = list(prepared)
            if pending is None and pool is not None:  # every file is extracted: the workers exit while this
                pool.shutdown(wait=False)             # last publish is written (~55 ms later at the end, else)
            batch = _write_batch(items, prepared, db_file, keep_failed=False,
                                 one_thread=pool is not None, bulk=True, writer=writer, small=small)
            del items, prepared
            if not keep_extractions:
                for outcome in batch:
                    outcome.extraction = None
            stored += sum(o.status == "stored" for o in batch)
            if on_outcomes is None:
                outcomes += batch
            else:
                on_outcomes(batch)
            del batch
            if progress is not None:
                progress(stored)
    if stored >= db.merge_after():  # a large ingest leaves one file, which the dashboard reads faster
        try:
            db.merge_now(db_file)
        except Exception as err:  # the reports are published already: a merge that fails changes nothing
            if not isinstance(err, (db.MergeOutOfMemory, db.RebuildOutOfMemory)) and not db.is_write_failure(err):
                raise
            log.warning("the merge after this ingest did not run (%s); every report is stored, the next merge "
                        "or `perfboard maintain` tries again / 入库后的合并未完成，报告均已入库", err)
    return outcomes


class _Listing:
    """An ingest's list of files, held for the whole ingest as one bytes object (the paths in their
    file-system encoding, NUL between them: no path holds a NUL) and their offsets: a list of 300,000
    path strings held ~30 MiB of the writer, ~45 with Chinese names, and the one-batch ingest of
    300,000 reports peaked at 300.2 MiB with it (target 300, BENCHMARKS.md). `files[(start, end)]`
    gives those paths as strings."""

    def __init__(self, paths: list[str]):
        encoded = [os.fsencode(p) for p in paths]
        self._joined = b"\0".join(encoded)
        self._starts = array.array("Q", itertools.accumulate((len(e) + 1 for e in encoded[:-1]), initial=0))
        self._n = len(encoded)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, span: tuple[int, int]) -> list[str]:
        start, end = span
        if start >= end:
            return []
        stop = self._starts[end] - 1 if end < self._n else len(self._joined)
        return [os.fsdecode(p) for p in self._joined[self._starts[start]:stop].split(b"\0")]


def _submit(pool, files: list[str], keep_extractions: bool = True, here: int = 0):
    """This publish's (name, bytes) and their preparation: under way in the pool's workers, or
    done here when it is iterated (no pool; and the first `here` files). Without `keep_extractions`
    the workers keep them."""
    items = [(_file_name(p), _read_limited(p)) for p in files]
    prepare = prepare_item if keep_extractions else functools.partial(prepare_item, keep_extraction=False)
    if pool is None:
        return items, map(prepare, items)
    rest = pool.map(prepare, items[here:], chunksize=8)  # submitted now, collected when written
    return items, itertools.chain(map(prepare, items[:here]), rest)


@contextlib.contextmanager
def _extractors(n_files: int, leave_a_core: bool = False):
    """A pool of extraction workers for `n_files` files, one a core up to 4, or None when a pool costs
    more than it saves. With `leave_a_core` (an ingest in publishes of fewer than PUBLISH_EVERY files)
    one worker fewer, at least one: a publish of 100 costs the writer about what extracting it costs (at
    30,000 reports ~170 writer CPU ms against ~165), so the writer keeps a core of its own; a publish of
    1,000 costs it a third of its extraction. On 2 cores, batches of 100 with one worker instead of two,
    with the first publish extracted in the writer's process (FIRST_HERE): 385-422 r/s at 30,000
    reports against 313-340 (BENCHMARKS.md 2026-12-03, 17:30 and after)."""
    cores = os.cpu_count() or 1
    if n_files < PARALLEL_FROM or cores < 2:
        yield None
        return
    # spawn, not fork: the dashboard's server process has threads that fork would copy mid-state
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(4, max(1, cores - leave_a_core)), mp_context=context,
                             initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        yield pool


def _prepare_all(items) -> list[Prepared | Outcome]:
    """Every item prepared (read, extracted, shaped), in a pool when there are enough."""
    with _extractors(len(items)) as pool:
        return list(pool.map(prepare_item, items, chunksize=8) if pool else map(prepare_item, items))


def _file_name(path: str) -> str:
    """The name a file is stored and reported under. A name that is not UTF-8 (a GBK-named file from a
    Windows zip, say) reaches Python with surrogates, which DuckDB refuses: the file then failed to be
    stored. Decoded as UTF-8, then GB18030, else with a replacement character."""
    return decode_lenient(os.fsencode(os.path.basename(path)))


def _read_limited(path: str | Path) -> bytes | Exception:
    try:
        return read_file(path)
    except (ReadError, OSError) as err:
        return err


def ingest_items(items: list[tuple[str, bytes | Exception]], db_file=None, keep_failed: bool = False) -> list[Outcome]:
    """Stores each (name, bytes); returns one outcome per item, in order."""
    outcomes: list[Outcome] = []
    with _extractors(len(items)) as pool:
        for start in range(0, len(items), PUBLISH_EVERY):
            batch = items[start:start + PUBLISH_EVERY]
            prepared = pool.map(prepare_item, batch, chunksize=8) if pool else map(prepare_item, batch)
            outcomes += _write_batch(batch, list(prepared), db_file, keep_failed)
    return outcomes


def _write_batch(items, prepared: list, db_file, keep_failed, one_thread: bool = False,
                 bulk: bool = False, writer: db.WarmWriter | None = None, small: bool = False) -> list[Outcome]:
    """Writes one publish's files; with `one_thread` (extraction workers run beside it) the
    writer's DuckDB keeps to one thread (load.writer_one_thread); `bulk` (an ingest's publish
    of up to 1,000 reports) takes DuckDB's tighter memory bound while the file fits it, unless the
    publish is `small` (fewer than PUBLISH_EVERY files); `writer` (an ingest's): the connection
    kept from its publish before, when it is still current."""
    outcomes: list[Outcome | None] = [None] * len(items)
    # what is stored already, asked of these files' hashes and departments only (not every report)
    ready = [p for p in prepared if isinstance(p, Prepared)]
    of = dict(shas=[p.sha256 for p in ready],
              department_keys=sorted({r["department_key"] or "" for p in ready for r in p.reports}))
    with (writer.writing() if writer is not None else db.writing(db_file)) as con:
        if one_thread:
            queries.execute(con, "load.writer_one_thread")
        # a small publish keeps the writer's own bound (db.writer_memory, 128 MB): under the bulk bound its reads
        # of the bulk file were evicted between publishes and read again (300,000 reports, batches of 100: the
        # writer's peak 179 -> 195 MiB, insert_metrics 31 -> 24-26 ms a publish; BENCHMARKS.md 2026-12-04 18:51)
        if bulk and not small:
            db.bulk_memory(con, db.db_path(db_file))
        known = dict(queries.execute(con, "load.known_shas_of", shas=of["shas"]))
        primaries = set(queries.execute(con, "load.primaries_of", department_keys=of["department_keys"]))
        if db.in_changes(con):  # the bulk file's reports count too (those the changes file holds are above)
            known = {**dict(queries.execute(con, "db.changes.known_shas_of", shas=of["shas"])), **known}
            primaries |= set(queries.execute(con, "db.changes.primaries_of", department_keys=of["department_keys"]))
        chunk: list[tuple[int, Prepared]] = []
        # an ingest's publish goes in as one transaction (one insert a table): each transaction's prefer_primary,
        # touch_units and bring have a fixed cost (planning, a pass over report_id), so run per CHUNK they cost
        # more than the inserts (3,000 reports: the writer's statements 1.6 -> 0.8 s, BENCHMARKS.md); a failed
        # one is still retried file by file
        chunk_size = len(items) if bulk else CHUNK
        for k, ((name, data), item) in enumerate(zip(items, prepared)):
            if isinstance(item, Outcome):
                outcomes[k] = item
                if keep_failed and isinstance(data, bytes) and item.status == "failed" and item.zh:
                    _keep_pending(con, name, data, item)
                continue
            if item.sha256 in known:
                outcomes[k] = Outcome(name, "duplicate", known[item.sha256])
                continue
            known[item.sha256] = item.report["report_id"]
            for report in item.reports:
                identity = (report["department_key"], report["year"], report["report_kind"],
                            report["project_name"] or "")
                report["is_primary"] = identity not in primaries
                primaries.add(identity)
            chunk.append((k, item))
            prepared[k] = None  # the chunk holds it until written, then nothing does
            if len(chunk) >= chunk_size:
                _write_chunk(con, chunk, outcomes)
                chunk = []
        _write_chunk(con, chunk, outcomes)
        if not any(o.status == "stored" for o in outcomes) and not keep_failed:
            raise db.Discard()
    return outcomes


def _write_chunk(con, chunk: list[tuple[int, Prepared]], outcomes: list) -> None:
    if not chunk:
        return
    try:
        _insert(con, [p for _, p in chunk])
    except Exception:
        for k, p in chunk:  # find the file that fails; the others still go in
            try:
                _insert(con, [p])
            except Exception as err:
                outcomes[k] = Outcome(p.name, "failed", en=f"could not be stored ({type(err).__name__}: {err})",
                                      zh="写入数据库失败")
                continue
            outcomes[k] = _stored(p)
        return
    for k, p in chunk:
        outcomes[k] = _stored(p)


def _stored(p: Prepared) -> Outcome:
    if (p.report["file_format"] or "").startswith("records"):
        n = len(p.reports)
        return Outcome(p.name, "stored", p.report["report_id"],
                       en=f"records: {n} row{'s' if n != 1 else ''} stored as reports"
                          + (f", {p.refused} refused" if p.refused else ""),
                       extraction=p.extraction, problems=p.problems, refused=p.refused)
    return Outcome(p.name, "stored", p.report["report_id"], en=p.summary, extraction=p.extraction)


def _insert(con, prepared: list[Prepared]) -> None:
    con.begin()
    try:
        raw = pl.DataFrame([p.raw for p in prepared], schema=RAW_SCHEMA)
        reports = pl.DataFrame([r for p in prepared for r in p.reports], schema=REPORT_SCHEMA)
        facts = pl.DataFrame([f for p in prepared for f in p.facts], schema=FACT_SCHEMA)
        indicators = pl.DataFrame([i for p in prepared for i in p.indicators], schema=INDICATOR_SCHEMA)
        # each statement reads its frame by name: INSERT … SELECT * FROM new_facts
        queries.execute(con, "load.insert_raw_files", frames={"new_raw_files": _Stream(raw)})
        queries.execute(con, "load.insert_reports", frames={"new_reports": _Stream(reports)})
        # a self-evaluation outranks a 决算, a 决算 a notice, a notice a 预算 plan as its unit-year's primary
        queries.execute(con, "load.prefer_primary", report_ids=reports["report_id"].to_list(),
                        department_keys=reports["department_key"].drop_nulls().unique().to_list())
        if facts.height:
            queries.execute(con, "load.insert_facts", frames={"new_facts": _Stream(facts)})
        if indicators.height:
            queries.execute(con, "load.insert_indicators", frames={"new_indicators": _Stream(indicators)})
        db.touch(con, reports["report_id"].to_list())  # recomputed at the publish (db.writing)
        con.commit()
    except BaseException:
        con.rollback()
        raise


class _Stream:
    """A polars frame as DuckDB reads it through the Arrow C stream interface. A polars DataFrame
    given to DuckDB as it is goes through `to_arrow()`, which imports pyarrow and numpy: 0.6 CPU s
    and ~40 MiB of a fresh writer (an upload from a new server process, an ingest's first
    publish). Read once, by the one statement it is registered for."""

    def __init__(self, frame: pl.DataFrame):
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema=None):
        return self.frame.__arrow_c_stream__(requested_schema)


def _keep_pending(con, name: str, data: bytes, failed: Outcome) -> None:
    con.begin()
    queries.execute(con, "review.insert_pending", sha256=hashlib.sha256(data).hexdigest(), source_file=name,
                    bytes=data, reason_code="unreadable", reason_zh=failed.zh, reason_en=failed.en)
    con.commit()


def reextract(db_file=None, everything: bool = False) -> list[Outcome]:
    """Re-runs the reader and extractor on stored original bytes. Corrections, aliases,
    review status and primary flags live in their own rows and columns and are kept."""
    outcomes = []
    with db.writing(db_file, whole=True) as con:  # reads every stored original: the whole file
        stale = queries.execute(con, "load.stale_reports", all=everything, extractor_version=EXTRACTOR_VERSION)
        for report_id, name, data in stale:
            if intake.is_records(data, name):
                continue  # typed in, not extracted: nothing to re-run
            try:
                doc, extraction = read_and_extract(data, name)
            except ReadError as err:
                outcomes.append(Outcome(name, "failed", report_id, en=err.en, zh=err.zh))
                continue
            facts, indicators = fact_rows(report_id, extraction)
            con.begin()
            try:
                if not everything:  # its unit before: re-extraction may give it another department or year
                    db.touch(con, [report_id])
                queries.execute(con, "load.delete_facts", report_id=report_id)
                queries.execute(con, "load.delete_indicators", report_id=report_id)
                queries.execute(con, "load.update_report_extraction", report_id=report_id,
                                **report_fields(doc, extraction))
                if facts:
                    queries.execute(con, "load.insert_facts", frames={"new_facts": _Stream(pl.DataFrame(facts, schema=FACT_SCHEMA))})
                if indicators:
                    queries.execute(con, "load.insert_indicators",
                                    frames={"new_indicators": _Stream(pl.DataFrame(indicators, schema=INDICATOR_SCHEMA))})
                if not everything:
                    db.update_metrics(con, [report_id])
                con.commit()
            except BaseException:
                con.rollback()
                raise
            outcomes.append(Outcome(name, "reextracted", report_id, en=summary(extraction)))
        if not any(o.status == "reextracted" for o in outcomes):
            raise db.Discard()
        if everything:  # every unit touched: one rebuild costs less than recomputing each
            db.rebuild_metrics(con)
    return outcomes
