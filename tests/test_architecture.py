"""Who may import what, read from the code itself (docs/architecture.md draws it): pages and
read modules never write, the only write module is called only by the review screen, the
dashboard reads through ui/data alone, and the CLI, the benchmarks and the exports never
need the Streamlit code."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ENTRY, ROOT, ROUTER

WRITERS = {"perfboard.writes", "perfboard.load", "perfboard.backup", "perfboard.maintenance"}
# the router starts the server's idle merge (perfboard/maintenance.py), the one write no analyst makes:
# it changes no number, only how many files hold them
ROUTER_STARTS = {"perfboard.maintenance"}


def imports(path: Path) -> set[str]:
    """Every module `path` imports (`from perfboard import writes` counts as perfboard.writes)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def calls(path: Path, owner: str, name: str) -> list[int]:
    """Lines where `owner.name(…)` is called."""
    return [node.lineno for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name
            and isinstance(node.func.value, ast.Name) and node.func.value.id == owner]


PAGES = sorted((ROOT / "pages").glob("*.py"))
UI = sorted((ROOT / "perfboard" / "ui").glob("*.py"))


@pytest.mark.parametrize("path", [*PAGES, ENTRY, ROUTER], ids=lambda p: p.name)
def test_pages_and_the_router_never_write_and_read_only_through_ui_data(path):
    used = imports(path)
    assert not used & WRITERS - (ROUTER_STARTS if path == ROUTER else set()), used & WRITERS
    assert "perfboard.db" not in used and "perfboard.queries" not in used and "duckdb" not in used


@pytest.mark.parametrize("path", UI, ids=lambda p: p.name)
def test_only_the_review_screen_calls_the_write_module(path):
    used = imports(path)
    assert not used & {"perfboard.load", "perfboard.backup"}
    if path.name != "review.py":
        assert "perfboard.writes" not in used, f"{path.name} writes; only ui/review.py may"
    if path.name != "data.py":  # the one read path: connections, cursors and caches
        assert "perfboard.db" not in used and "duckdb" not in used, f"{path.name} opens the database itself"
    assert not calls(path, "db", "writing")


def test_read_paths_never_write():
    # the dashboard's read path and the readers of the database hold no writing connection
    for path in (ROOT / "perfboard" / "ui" / "data.py", ROOT / "perfboard" / "checks.py",
                 *sorted((ROOT / "perfboard" / "present").glob("*.py"))):
        assert not calls(path, "db", "writing") and not calls(path, "db", "upgrade"), path.name
        assert not imports(path) & WRITERS, path.name
    source = (ROOT / "perfboard" / "db.py").read_text(encoding="utf-8")
    body = source[source.index("def connect_read("):source.index("def _current(")]
    assert "writing(" not in body and "upgrade(" not in body


@pytest.mark.parametrize("path", [ROOT / "perfboard" / "cli.py", ROOT / "perfboard" / "bench.py",
                                  *sorted((ROOT / "perfboard" / "export").glob("*.py")),
                                  *sorted((ROOT / "perfboard" / "present").glob("*.py"))],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_cli_bench_exports_and_presentation_need_no_streamlit_code(path):
    used = imports(path)
    assert not any(m == "perfboard.ui" or m.startswith("perfboard.ui.") for m in used), used
    assert "streamlit" not in used


def test_one_place_decides_whether_a_file_is_records():
    for path in (ROOT / "perfboard" / "load.py", ROOT / "perfboard" / "cli.py"):
        assert not calls(path, "records", "is_records") and not calls(path, "records", "read_records"), path.name
    assert calls(ROOT / "perfboard" / "intake.py", "records", "is_records")


@pytest.mark.parametrize("ci,outcome", [("true", "1 error"), ("", "1 skipped")])
def test_a_missing_system_dependency_fails_under_ci_and_skips_elsewhere(tmp_path, ci, outcome):
    import os
    import shutil
    import subprocess
    import sys
    shutil.copyfile(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_needs_it.py").write_text(
        "from conftest import require\n\nrequire(False, 'no such browser')\n\n\ndef test_it():\n    pass\n",
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": ci} if ci else {})
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert outcome in run.stdout, run.stdout
    # 0 or 5 (nothing collected: the module skipped) is a pass for pytest; anything else fails the run
    assert (run.returncode not in (0, 5)) == (ci == "true"), run.returncode
