"""Who may change data. Viewing needs no login; uploading, correcting and editing
aliases need an analyst: a password checked against the PBKDF2 hashes under
[auth.users] in .streamlit/secrets.toml (see perfboard.auth and `perfboard passwd`), or
st.login where an OIDC provider is configured ([auth] with client_id)."""
from __future__ import annotations

import streamlit as st

from perfboard import auth

USER_KEY = "_perfboard_analyst"
NEED_LOGIN = "此操作需要分析员登录（左侧“分析员登录”）。浏览数据无需登录。"


def _secrets_auth() -> dict:
    try:
        return dict(st.secrets.get("auth", {}))
    except Exception:  # no secrets.toml at all: nobody can log in, viewing still works
        return {}


def user() -> str | None:
    if st.session_state.get(USER_KEY):
        return st.session_state[USER_KEY]
    if "client_id" in _secrets_auth():
        try:
            if st.user.is_logged_in:
                return st.user.get("email") or st.user.get("name")
        except Exception:
            return None
    return None


def login_box() -> None:
    """The sidebar's analyst login (or logout)."""
    box = st.sidebar.expander("分析员登录", icon=":material/lock:", expanded=False)
    who = user()
    if who:
        box.caption(f"已登录：{who}")
        if box.button("退出登录", key="logout"):
            st.session_state.pop(USER_KEY, None)
            if "client_id" in _secrets_auth():
                st.logout()
            st.rerun()
        return
    config = _secrets_auth()
    if "client_id" in config:
        if box.button("使用单位账号登录", key="oidc_login"):
            st.login()
    users = dict(config.get("users", {}))
    if not users:
        box.caption("未配置分析员账号：在 .streamlit/secrets.toml 的 [auth.users] 下添加"
                    "（用 python -m perfboard passwd 用户名 生成）。")
        return
    name = box.text_input("用户名", key="login_user")
    password = box.text_input("密码", type="password", key="login_password")
    if box.button("登录", key="login"):
        if auth.check_user(users, name, password):
            st.session_state[USER_KEY] = name
            st.session_state.pop("login_password", None)
            st.rerun()
        else:
            box.error("用户名或密码不正确。")


def require() -> str | None:
    """The analyst's name, or None after saying that a login is needed."""
    who = user()
    if not who:
        st.info(NEED_LOGIN, icon=":material/lock:")
    return who
