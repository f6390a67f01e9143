# Two entry points do everything on a fresh machine: `make run` and `make test`.
# Everything else here is what those two need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DB ?= data/evaluations.duckdb
PORT ?= 8501
SHARED ?= ../shared

.PHONY: run test test-load eval eval-pdf bench sysdeps db clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Debian's Chromium (chart export, browser tests), a CJK font (Chinese in exported charts),
# a TrueType CJK font (PDFs drawn by fpdf2 in tests and eval-pdf: pdfminer cannot decode
# fpdf2's embedding of Noto's CFF outlines) and the libraries OpenCV (under the OCR) loads.
SYSPKGS := chromium fonts-noto-cjk fonts-wqy-zenhei libgl1 libglib2.0-0
sysdeps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
	    && [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] \
	    && ldconfig -p 2>/dev/null | grep -q "libGL.so.1" && ldconfig -p 2>/dev/null | grep -q "libglib-2.0.so.0"; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSPKGS) >/dev/null; \
	else echo "no apt-get: install Chromium, CJK fonts (Noto Sans CJK, WenQuanYi Zen Hei), libGL and GLib yourself"; fi

# Built from the bundled reports on first run (never committed); later runs add new bundled
# reports and upgrade the schema, and skip what is stored already.
db: $(STAMP)
	$(PY) -m perfboard ingest data/reports --db $(DB)

run: $(STAMP) sysdeps db
	$(VENV)/bin/streamlit run dashboard.py --server.port $(PORT)

test: $(STAMP) sysdeps
	$(PY) -m pytest -q

# 20 browser sessions for 60 s during an upload and a CLI ingest (issue 7); CI runs it too
test-load: $(STAMP) sysdeps
	$(PY) -m pytest -q -s -m load tests/test_load.py

eval: $(STAMP)
	@for corpus in seeds dev; do \
	  echo "== corpus/$$corpus"; \
	  $(PY) $(SHARED)/tools/score_extraction.py $(SHARED)/corpus/$$corpus \
	    --command "$(PY) -m perfboard extract {files} --json" | tail -n 1; \
	done

# The same reports as text-layer PDFs (perfboard/evalpdf.py): text vs PDF F1, within 0.02.
# PROSE=ragged sets paragraphs flush left, broken at spaces, instead of justified.
PROSE ?= justified
eval-pdf: $(STAMP) sysdeps
	$(PY) -m perfboard.evalpdf tests/artifacts/eval-pdf-$(PROSE) $(SHARED)/corpus/seeds $(SHARED)/corpus/dev \
	  --score --prose $(PROSE) --scorer $(SHARED)/tools/score_extraction.py

bench: $(STAMP) sysdeps
	$(PY) -m perfboard.bench

clean:
	rm -rf $(VENV) $(DB) tests/artifacts
