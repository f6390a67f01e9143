"""Analyst login: PBKDF2-SHA256 password hashes in .streamlit/secrets.toml.

    [auth.users]
    analyst = "pbkdf2_sha256$240000$<salt>$<hash>"    # python -m perfboard passwd analyst

Viewing needs no login; uploading, correcting and editing aliases do."""
from __future__ import annotations

import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 240_000


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), iterations)
    return f"{ALGORITHM}${iterations}${salt}${digest.hex()}"


def verify(password: str, stored: str) -> bool:
    try:
        algorithm, iterations, salt, _ = stored.split("$")
    except (AttributeError, ValueError):
        return False
    if algorithm != ALGORITHM:
        return False
    return hmac.compare_digest(hash_password(password, salt, int(iterations)), stored)


def check_user(users: dict[str, str], username: str, password: str) -> bool:
    stored = users.get(username or "")
    if not stored:
        verify(password or "", _DUMMY)  # same work for unknown users: timing does not tell who exists
        return False
    return verify(password or "", stored)


_DUMMY = hash_password("not a password", "0" * 32, 1000)
