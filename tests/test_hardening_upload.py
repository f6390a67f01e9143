"""Issue 16, disk full during an upload on 上传与校对: one Chinese line instead of an
exception; the database byte-identical and no private copy left behind."""
from __future__ import annotations

import contextlib
import resource
import shutil
import signal

import pytest

from conftest import REPORTS
from perfboard import auth
from perfboard.ui import auth as auth_ui

PASSWORD = "correct horse battery"


@contextlib.contextmanager
def file_size_limit(size: int):
    """No file this process writes may grow beyond `size` bytes (RLIMIT_FSIZE): writes
    fail with EFBIG as they fail with ENOSPC on a full disk."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


@pytest.fixture
def db_copy(seed_db, tmp_path, monkeypatch):
    path = tmp_path / "live" / "upload.duckdb"
    path.parent.mkdir()
    shutil.copyfile(seed_db, path)
    monkeypatch.setenv("PERFBOARD_DB", str(path))
    return path


# half the database: the private copy fails; one byte more than it: DuckDB's own writes fail
@pytest.mark.parametrize("room", [0.5, 1.0], ids=["copy", "duckdb"])
def test_a_full_disk_during_an_upload_is_one_chinese_line(db_copy, dashboard, room):
    at = dashboard("review", secrets={"auth": {"users": {"analyst": auth.hash_password(PASSWORD)}}})
    at.sidebar.text_input(key="login_user").input("analyst")
    at.sidebar.text_input(key="login_password").input(PASSWORD)
    at.button(key="login").click().run()
    assert auth_ui.USER_KEY in at.session_state
    report = (REPORTS / "004_03db85e7bcb5560f.txt").read_text(encoding="utf-8").replace("2023", "2024")
    at.get("file_uploader")[0].set_value([("盐田2024.txt", report.encode(), "text/plain"),
                                          ("空文件.txt", b"", "text/plain")])
    at.run()
    before = db_copy.read_bytes()
    with file_size_limit(int(len(before) * room) + 1):
        at.button(key="import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert errors == ["写入失败（磁盘空间不足或无法写入），数据库未改变，请联系管理员后重试"]
    assert not [d for d in at.dataframe if "结果" in d.value.columns]  # no import results claimed
    assert db_copy.read_bytes() == before
    assert sorted(p.name for p in db_copy.parent.iterdir()) == ["upload.duckdb", "upload.duckdb.lock"]

    # with room again, the same upload goes in
    at.button(key="import").click().run()
    assert not at.exception and not at.error
    [results] = [d.value for d in at.dataframe if "结果" in d.value.columns]
    assert list(results["结果"]) == ["已入库", "未能读取"]
