"""Who may change data. Viewing needs no login; uploading, correcting and editing
aliases need an analyst: a password checked against the PBKDF2 hashes under
[auth.users] in .streamlit/secrets.toml (see perfboard.auth and `perfboard passwd`), or
st.login where an OIDC provider is configured ([auth] with client_id).

Wrongly shaped secrets never break viewing: they are checked here, the usable users kept,
and the problems shown in the login box and on the pages that need a login. Guesses are
throttled (perfboard.auth.THROTTLE); an analyst idle for [auth] session_idle_minutes
(default 30) is logged out."""
from __future__ import annotations

import math
import time
from collections.abc import Mapping

import streamlit as st

from perfboard import auth

USER_KEY = "_perfboard_analyst"
SEEN_KEY = "_perfboard_analyst_seen"      # time of the analyst's last run of a page
EXPIRED_KEY = "_perfboard_login_expired"
SHOWN_KEY = "_perfboard_auth_problems_shown"
NEED_LOGIN = "此操作需要分析员登录（筛选栏上方的“分析员登录”；手机上点页面左上角的 » 打开）。浏览数据无需登录。"


def _secrets_auth() -> tuple[dict, list[str]]:
    """[auth] as a dict, and what is wrong with it (one Chinese line each)."""
    try:
        config = st.secrets.get("auth", {})
    except Exception:  # no (or an unparsable) secrets.toml: nobody can log in, viewing still works
        return {}, []
    if not isinstance(config, Mapping):
        return {}, [f"`secrets.toml` 的 `[auth]` 应为表，现在是 `{type(config).__name__}`，分析员无法登录"]
    return dict(config), []


def _users() -> tuple[dict[str, str], list[str]]:
    config, problems = _secrets_auth()
    users, more = auth.parse_users(config.get("users"))
    return users, problems + more


def _client() -> str:
    try:
        return st.context.ip_address or "unknown"
    except Exception:
        return "unknown"


def user() -> str | None:
    config, _ = _secrets_auth()
    who = st.session_state.get(USER_KEY)
    if not who and "client_id" in config:
        try:
            if st.user.is_logged_in:
                who = st.user.get("email") or st.user.get("name")
        except Exception:
            who = None
    if not who:
        st.session_state.pop(SEEN_KEY, None)
        return None
    now = time.time()
    seen = st.session_state.get(SEEN_KEY, now)
    if now - seen > auth.idle_limit(config):
        _logout(config)
        st.session_state[EXPIRED_KEY] = True
        return None
    st.session_state[SEEN_KEY] = now
    return who


def _logout(config: dict) -> None:
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(SEEN_KEY, None)
    if "client_id" in config:
        try:
            if st.user.is_logged_in:
                st.logout()
        except Exception:
            pass


def login_box() -> None:
    """The sidebar's analyst login (or logout)."""
    st.session_state[SHOWN_KEY] = False
    box = st.sidebar.expander("分析员登录", icon=":material/lock:", expanded=False)
    who = user()
    config, _ = _secrets_auth()
    if who:
        box.caption(f"已登录：{who}")
        if box.button("退出登录", key="logout"):
            _logout(config)
            st.rerun()
        return
    if st.session_state.get(EXPIRED_KEY):
        box.caption(f"登录已过期（闲置超过 {auth.idle_limit(config) / 60:g} 分钟），请重新登录。")
    if "client_id" in config:
        if box.button("使用单位账号登录", key="oidc_login"):
            st.login()
    users, problems = _users()
    for problem in problems:
        box.error(problem)
    if not users:
        if not problems:
            # the file and the command are typed as they are: code, not words to translate
            box.caption("未配置分析员账号：在 `.streamlit/secrets.toml` 的 `[auth.users]` 下添加"
                        "（用 `python -m perfboard passwd 用户名` 生成）。")
        return
    name = box.text_input("用户名", key="login_user")
    password = box.text_input("密码", type="password", key="login_password")
    clicked = box.button("登录", key="login")
    if clicked:
        client = _client()
        wait = auth.THROTTLE.wait(name, client)
        if wait > 0:
            box.error(f"尝试次数过多，请 {math.ceil(wait / 60)} 分钟后再试。")
        elif auth.check_user(users, name, password):
            auth.THROTTLE.succeeded(name, client)
            st.session_state[USER_KEY] = name
            st.session_state[SEEN_KEY] = time.time()
            st.session_state.pop(EXPIRED_KEY, None)
            st.session_state.pop("login_password", None)
            st.rerun()
        else:
            auth.THROTTLE.failed(name, client)
            box.error("用户名或密码不正确。")


def require() -> str | None:
    """The analyst's name, or None after saying that a login is needed (and, once a run,
    what is wrong with the configured accounts)."""
    who = user()
    if not who:
        st.info(NEED_LOGIN, icon=":material/lock:")
        if not st.session_state.get(SHOWN_KEY):
            st.session_state[SHOWN_KEY] = True
            for problem in _users()[1]:
                st.error(problem, icon=":material/key_off:")
    return who
