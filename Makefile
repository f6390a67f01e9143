# Two entry points do everything on a fresh machine: `make run` and `make test`.
# Everything else here is what those two need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# DuckLake (perfboard/lake.py, tests/test_lake_postgres.py, tests/test_lake_writes.py) needs DuckDB 1.5.5 and its extension
# packages, so it has its own venv beside the project's (which is on DuckDB 2.0)
LAKE_VENV := .venv-lake
LAKE_STAMP := $(LAKE_VENV)/.installed
DB ?= data/evaluations.duckdb
PORT ?= 8501
DEMO_DB ?= data/demo.duckdb
DEMO_PORT ?= 8502
SHARED ?= ../shared

.PHONY: run demo test test-load eval eval-pdf bench sysdeps lake-venv db clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(LAKE_STAMP): requirements-lake.txt
	$(PYTHON) -m venv $(LAKE_VENV)
	$(LAKE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LAKE_VENV)/bin/python -m pip install --quiet -r requirements-lake.txt
	touch $(LAKE_STAMP)

lake-venv: $(LAKE_STAMP)

# Debian's Chromium (chart export, browser tests), a CJK font (Chinese in exported charts),
# a TrueType CJK font (PDFs drawn by fpdf2 in tests and eval-pdf: pdfminer cannot decode
# fpdf2's embedding of Noto's CFF outlines), the libraries OpenCV (under the OCR) loads, and
# PostgreSQL (the DuckLake catalog of tests/test_lake_*.py, which run their own private cluster; pg_dump and
# pg_restore for lake backup/restore).
SYSPKGS := chromium fonts-noto-cjk fonts-wqy-zenhei libgl1 libglib2.0-0 postgresql
sysdeps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
	    && [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] \
	    && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	    && ldconfig -p 2>/dev/null | grep -q "libGL.so.1" && ldconfig -p 2>/dev/null | grep -q "libglib-2.0.so.0"; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSPKGS) >/dev/null; \
	else echo "no apt-get: install Chromium, CJK fonts (Noto Sans CJK, WenQuanYi Zen Hei), libGL, GLib and PostgreSQL yourself"; fi

# Built from the bundled reports on first run (never committed); later runs add new bundled
# reports and upgrade the schema, and skip what is stored already.
db: $(STAMP)
	$(PY) -m perfboard ingest data/reports --db $(DB)

run: $(STAMP) sysdeps db
	$(VENV)/bin/streamlit run app/streamlit_app.py --server.port $(PORT)

# A fictional demo database (示例数据，虚构; 40 units × 5 years, so trends and changes have data),
# marked so the dashboard says so on every page, served beside `make run`'s real one on
# $(DEMO_PORT). Built once; delete $(DEMO_DB) to build it afresh.
$(DEMO_DB): | $(STAMP)
	$(PY) -m perfboard synth --departments 40 --years 5 --first-year 2020 --demo-db $(DEMO_DB)

demo: $(STAMP) sysdeps $(DEMO_DB)
	PERFBOARD_DB=$(DEMO_DB) $(VENV)/bin/streamlit run app/streamlit_app.py --server.port $(DEMO_PORT)

test: $(STAMP) $(LAKE_STAMP) sysdeps
	$(PY) -m pytest -q

# 20, then 50 sessions for 60 s each during an upload and a CLI ingest (issues 7, 15): the server
# pinned to one core, light clients and two Chromium sessions to the other; CI runs it too
test-load: $(STAMP) sysdeps
	$(PY) -m pytest -q -s -m load tests/test_load.py

# seeds and dev are the shared corpora; tests/corpus/real is ours (46 reports in public-page
# layouts, TXT/PDF/DOCX/XLSX, see its README). Each prints its figures line and its overall line.
eval: $(STAMP)
	@for corpus in $(SHARED)/corpus/seeds $(SHARED)/corpus/dev tests/corpus/real; do \
	  echo "== $$corpus"; \
	  $(PY) $(SHARED)/tools/score_extraction.py $$corpus \
	    --command "$(PY) -m perfboard extract {files} --json" | tail -n 2; \
	done

# The same reports as text-layer PDFs (perfboard/evalpdf.py): text vs PDF F1, within 0.02.
# PROSE=ragged sets paragraphs flush left, broken at spaces, instead of justified.
PROSE ?= justified
eval-pdf: $(STAMP) sysdeps
	$(PY) -m perfboard.evalpdf tests/artifacts/eval-pdf-$(PROSE) $(SHARED)/corpus/seeds $(SHARED)/corpus/dev \
	  --score --prose $(PROSE) --scorer $(SHARED)/tools/score_extraction.py

# all sections; the lake section (.venv-lake, a private PostgreSQL cluster) at 3,000 reports: its 30,000-report
# run is opt-in, `$(PY) -m perfboard.bench --only lake --lake-sizes 30000` (~20 minutes on 2 cores)
bench: $(STAMP) $(LAKE_STAMP) sysdeps
	$(PY) -m perfboard.bench

clean:
	rm -rf $(VENV) $(LAKE_VENV) $(DB) $(DEMO_DB) tests/artifacts
