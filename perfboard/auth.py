"""Analyst login: PBKDF2-SHA256 password hashes in .streamlit/secrets.toml.

    [auth]
    session_idle_minutes = 30                         # optional: idle analysts are logged out
    [auth.users]
    analyst = "pbkdf2_sha256$240000$<salt>$<hash>"    # python -m perfboard passwd analyst

Viewing needs no login; uploading, correcting and editing aliases do. Guessing is
throttled per user and per client (THROTTLE), failed logins are logged, and an unknown
user costs as much time as a known one."""
from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import re
import secrets
import threading
import time
from collections.abc import Mapping

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 240_000
MAX_ITERATIONS = 10_000_000   # a hash claiming more is a typo or an attack on our CPU, not a password
IDLE_MINUTES = 30

log = logging.getLogger(__name__)
_HASH = re.compile(rf"{ALGORITHM}\$(\d{{1,8}})\$([\x21-\x23\x25-\x7e]{{1,128}})\$([0-9a-f]{{64}})")


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), iterations)
    return f"{ALGORITHM}${iterations}${salt}${digest.hex()}"


def _parts(stored) -> tuple[int, str] | None:
    """(iterations, salt) of a well-formed hash line, else None."""
    m = _HASH.fullmatch(stored) if isinstance(stored, str) else None
    if not m or not 1 <= int(m.group(1)) <= MAX_ITERATIONS:
        return None
    return int(m.group(1)), m.group(2)


def verify(password: str, stored) -> bool:
    parts = _parts(stored)
    if parts is None:
        return False
    iterations, salt = parts
    return hmac.compare_digest(hash_password(password, salt, iterations), stored)


def parse_users(raw) -> tuple[dict[str, str], list[str]]:
    """[auth.users] as configured → (usable users, one Chinese line per problem). A wrongly
    shaped table or a malformed hash is named, never echoed (it may be a pasted password)."""
    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, [f"`secrets.toml` 的 `[auth.users]` 应为“用户名 = 密码哈希”的表，现在是 `{type(raw).__name__}`，"
                    "分析员无法登录"]
    users, problems = {}, []
    for name, stored in raw.items():
        if isinstance(name, str) and name and _parts(stored) is not None:
            users[name] = stored
        else:
            problems.append(f"`secrets.toml` 的 `[auth.users]` 中用户“{name}”的密码哈希格式不对"
                            "（应为 `python -m perfboard passwd` 生成的 `pbkdf2_sha256$…` 一行），该用户无法登录")
    return users, problems


def idle_limit(config: Mapping) -> float:
    """Seconds an analyst may stay idle before being logged out ([auth] session_idle_minutes)."""
    minutes = config.get("session_idle_minutes", IDLE_MINUTES) if isinstance(config, Mapping) else IDLE_MINUTES
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or minutes <= 0:
        minutes = IDLE_MINUTES
    return float(minutes) * 60


def check_user(users: dict[str, str], username: str, password: str) -> bool:
    stored = users.get(username or "")
    if not stored:
        # the same work for unknown users, at the cost of the configured hashes: the time of
        # a refusal does not tell whether the user exists
        cost = max((p[0] for p in map(_parts, users.values()) if p), default=ITERATIONS)
        verify(password or "", _dummy(cost))
        return False
    return verify(password or "", stored)


@functools.lru_cache(maxsize=8)
def _dummy(iterations: int) -> str:
    return hash_password("not a password", "0" * 32, iterations)


class Throttle:
    """Failed logins per user and per client: after `max_failures` within `window` seconds
    that user (from anywhere) and that client (for any user) must wait `lockout` seconds.
    In memory, per server process: a restart forgets, which only the admin can do."""

    def __init__(self, max_failures: int = 5, window: float = 900, lockout: float = 900, clock=time.monotonic):
        self.max_failures, self.window, self.lockout, self.clock = max_failures, window, lockout, clock
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def wait(self, user: str, client: str) -> float:
        """Seconds until `user` from `client` may try again (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [self._wait(key, now) for key in self._keys(user, client)]
        return max(waits)

    def failed(self, user: str, client: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) > 10_000:  # random user names must not grow this without end
                for key in list(self._failures):
                    self._wait(key, now)
            for key in self._keys(user, client):
                self._failures.setdefault(key, []).append(now)
        log.warning("failed login for user %r from client %s", user, client)

    def succeeded(self, user: str, client: str) -> None:
        with self._lock:
            self._failures.pop(("user", user or ""), None)

    def _keys(self, user: str, client: str):
        return (("user", user or ""), ("client", client or "?"))

    def _wait(self, key, now: float) -> float:
        times = [t for t in self._failures.get(key, []) if now - t < self.window + self.lockout]
        if times:
            self._failures[key] = times
        else:
            self._failures.pop(key, None)
        recent = [t for t in times if now - t < self.window]
        if len(recent) < self.max_failures:
            return 0.0
        return max(0.0, recent[-1] + self.lockout - now)


THROTTLE = Throttle()
