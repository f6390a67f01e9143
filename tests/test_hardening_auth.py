"""Issue 16, authentication: user existence must not leak by timing, guesses are throttled
per user and per client, idle analyst sessions expire, and wrongly shaped secrets keep
viewing working while the review page says what is wrong."""
from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from perfboard import auth

from conftest import ENTRY as DASHBOARD, ROOT  # noqa: E402
PASSWORD = "correct horse 42"


def _best_of(n, fn) -> float:
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def test_an_unknown_user_costs_as_much_as_a_known_one():
    users = {"analyst": auth.hash_password(PASSWORD)}
    known = _best_of(3, lambda: auth.check_user(users, "analyst", "wrong password"))
    unknown = _best_of(3, lambda: auth.check_user(users, "nobody", "wrong password"))
    assert unknown > 0.7 * known, (unknown, known)


def test_the_dummy_follows_the_cost_of_the_configured_hashes():
    users = {"analyst": auth.hash_password(PASSWORD, iterations=3 * auth.ITERATIONS)}
    known = _best_of(2, lambda: auth.check_user(users, "analyst", "wrong password"))
    unknown = _best_of(2, lambda: auth.check_user(users, "nobody", "wrong password"))
    assert unknown > 0.7 * known, (unknown, known)


def test_malformed_hashes_never_raise():
    for stored in ("pbkdf2_sha256$abc$salt$00", "pbkdf2_sha256$-5$salt$00", "pbkdf2_sha256$240000$盐$00",
                   "pbkdf2_sha256$99999999999$s$00", 42, None, "x$y"):
        assert auth.verify(PASSWORD, stored) is False


def test_users_are_validated_with_a_reason_for_each_problem():
    good = auth.hash_password(PASSWORD)
    users, problems = auth.parse_users("not a table")
    assert users == {} and problems and "[auth.users]" in problems[0]
    users, problems = auth.parse_users(["analyst", good])
    assert users == {} and problems
    users, problems = auth.parse_users({"analyst": good, "bob": "plain-text-password", "eve": 7})
    assert users == {"analyst": good}
    assert len(problems) == 2 and any("bob" in p for p in problems) and any("eve" in p for p in problems)
    assert "plain-text-password" not in " ".join(problems)  # a pasted password is not echoed


def test_throttle_locks_a_user_and_a_client_after_repeated_failures():
    clock = [1000.0]
    throttle = auth.Throttle(max_failures=5, window=900, lockout=900, clock=lambda: clock[0])
    for _ in range(5):
        assert throttle.wait("analyst", "10.0.0.1") == 0
        throttle.failed("analyst", "10.0.0.1")
    assert throttle.wait("analyst", "10.0.0.9") > 0   # the user, from anywhere
    assert throttle.wait("bob", "10.0.0.1") > 0       # the client, for any user
    assert throttle.wait("bob", "10.0.0.9") == 0
    clock[0] += 901
    assert throttle.wait("analyst", "10.0.0.1") == 0
    throttle.failed("analyst", "10.0.0.1")
    throttle.succeeded("analyst", "10.0.0.1")
    assert throttle.wait("analyst", "10.0.0.1") == 0


def _box(auth_secrets) -> AppTest:
    """The sidebar's login box and the guard of a page that needs an analyst, as the frame
    runs them, with these [auth] secrets. (Not the whole dashboard: AppTest drops a button
    click in an st.navigation app whose pages are files.)"""
    def app():
        from perfboard.ui import auth as ui_auth
        ui_auth.login_box()
        ui_auth.require()

    at = AppTest.from_function(app, default_timeout=60)
    at.secrets["auth"] = auth_secrets
    return at.run()


def _login(at: AppTest, user: str, password: str) -> AppTest:
    at.text_input(key="login_user").input(user)
    at.text_input(key="login_password").input(password)
    return at.button(key="login").click().run()


def _captions(at) -> str:
    return "\n".join(e.value for kind in ("caption", "error", "warning", "info", "markdown") for e in getattr(at, kind))


@pytest.fixture()
def fresh_throttle(monkeypatch):
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle())
    return auth.THROTTLE


def test_guessing_through_the_page_is_throttled_and_logged(seed_db, fresh_throttle, caplog):
    at = _box({"users": {"analyst": auth.hash_password(PASSWORD)}})
    with caplog.at_level(logging.WARNING, logger="perfboard.auth"):
        for k in range(fresh_throttle.max_failures):
            _login(at, "analyst", f"guess {k}")
            assert "用户名或密码不正确" in _captions(at)
        _login(at, "analyst", PASSWORD)  # right password, but locked now
    assert "已登录" not in _captions(at)
    assert "尝试次数过多" in _captions(at)
    assert sum("failed login" in r.getMessage() and "analyst" in r.getMessage() for r in caplog.records) >= 5


def test_an_idle_analyst_session_expires(seed_db, fresh_throttle):
    at = _box({"users": {"analyst": auth.hash_password(PASSWORD)}, "session_idle_minutes": 0.02})
    _login(at, "analyst", PASSWORD)
    assert "已登录：analyst" in _captions(at)
    at.run()
    assert "已登录：analyst" in _captions(at)  # active: still logged in
    time.sleep(1.5)
    at.run()
    assert "已登录：analyst" not in _captions(at)
    assert "登录已过期" in _captions(at)


def test_the_default_idle_limit_is_30_minutes():
    assert auth.idle_limit({}) == 30 * 60
    assert auth.idle_limit({"session_idle_minutes": 5}) == 300
    assert auth.idle_limit({"session_idle_minutes": "soon"}) == 30 * 60


@pytest.mark.parametrize("users", ["analyst = oops", ["analyst", "x"], {"analyst": "pbkdf2_sha256$abc$s$00"}])
def test_wrongly_shaped_secrets_keep_viewing_working_and_the_review_page_says_why(seed_db, fresh_throttle, users):
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    at.secrets["auth"] = {"users": users}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.metric) > 5  # 总览 still shows its cards
    at.switch_page("../pages/review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "[auth.users]" in "\n".join(e.value for e in at.main.error)
    box = _box({"users": users})
    assert not box.exception, [e.value for e in box.exception]
    assert "[auth.users]" in "\n".join(e.value for e in box.error)


def test_a_malformed_hash_beside_a_good_one_refuses_that_user_without_raising(fresh_throttle):
    at = _box({"users": {"analyst": auth.hash_password(PASSWORD), "bob": "pbkdf2_sha256$abc$s$00"}})
    _login(at, "bob", PASSWORD)
    assert not at.exception, [e.value for e in at.exception]
    assert "用户名或密码不正确" in _captions(at) and "bob" in _captions(at)
    _login(at, "analyst", PASSWORD)
    assert "已登录：analyst" in _captions(at)
