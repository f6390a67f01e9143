"""The one set of sidebar filters, drawn by dashboard.py on every run so its values are
kept across pages, and mirrored in the URL so a link reproduces the view:

    ?province=广东省&city=广州市&dept=广州市天河区信访局&year_from=2022&year_to=2023&kind=department_overall

On the first run of a session the URL is read; a value that is not one of the choices is
ignored (the filter keeps its default), never an error. After that the widgets lead and
the URL follows them; defaults are left out of the URL. Pages read `current()` and pass
`current().params()` to their queries as bound parameters.

Page-level choices (the department of 单位画像, the departments of 对比 ...) use
`url_selectbox` / `url_multiselect`, which follow the same rule with their own parameter."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from perfboard.filters import Filters
from perfboard.present.format import KIND_LABELS
from perfboard.ui import data

ALL = "全部"
ANY = "*"      # the "all" choice of a selectbox (None would show as an empty box)
KINDS = (ANY, "department_overall", "project")
GLOBAL_PARAMS = ("province", "city", "dept", "year_from", "year_to", "kind")
_KEY = {p: f"f_{p}" for p in GLOBAL_PARAMS}        # widget keys
_LOADED = "_perfboard_url_loaded"
_CURRENT = "_perfboard_filters"


def current() -> Filters:
    """The filters of this run (set by `sidebar()` in dashboard.py)."""
    return st.session_state.get(_CURRENT) or Filters()


# ---------------------------------------------------------------- choices

@dataclass(frozen=True)
class Choices:
    options: pl.DataFrame          # filters.options: a row per (province, city, department)
    option_years: pl.DataFrame     # filters.option_years

    @property
    def provinces(self) -> list[str]:
        return _distinct(self.options, "province")

    def cities(self, province: str | None) -> list[str]:
        return _distinct(self._where(province=province), "city")

    def departments(self, province: str | None, city: str | None) -> list[str]:
        return _distinct(self._where(province=province, city=city), "department_key")

    @property
    def years(self) -> list[int]:
        return sorted(_distinct(self.option_years, "year"))

    def _where(self, **equal) -> pl.DataFrame:
        df = self.options
        for column, value in equal.items():
            if value is not None:
                df = df.filter(pl.col(column) == value)
        return df


def _distinct(df: pl.DataFrame, column: str) -> list:
    return sorted(v for v in df[column].unique().to_list() if v is not None)


# ---------------------------------------------------------------- the sidebar

def sidebar() -> Filters:
    """Draws the filters in the sidebar, keeps them in the URL and returns them."""
    choices = Choices(data.run("filters.options"), data.run("filters.option_years"))
    state = st.session_state
    if not state.get(_LOADED):
        _load_url()
        state[_LOADED] = True
    _fit_to_choices(choices)

    side = st.sidebar
    side.header("筛选")
    province = _none(side.selectbox("省份", [ANY, *choices.provinces], key=_KEY["province"],
                                    format_func=lambda v: f"{ALL}省份" if v == ANY else v))
    city = _none(side.selectbox("城市", [ANY, *choices.cities(province)], key=_KEY["city"],
                                format_func=lambda v: f"{ALL}城市" if v == ANY else v))
    departments = side.multiselect("区县 / 单位", choices.departments(province, city), key=_KEY["dept"],
                                   placeholder=f"{ALL}单位（可多选）")
    years = choices.years
    if years:
        left, right = side.columns(2)
        year_from = left.selectbox("起始年度", years, key=_KEY["year_from"], format_func=_year)
        year_to = right.selectbox("截止年度", [y for y in years if y >= year_from], key=_KEY["year_to"],
                                  format_func=_year)
    else:
        year_from = year_to = None
    kind = _none(side.selectbox("报告类型", KINDS, key=_KEY["kind"], format_func=lambda k: KIND_LABELS.get(k, ALL),
                                help="部门整体：部门整体支出绩效自评；项目：单个项目的绩效自评。两者口径不同，从不相加。"))
    side.button("重置筛选", on_click=_reset, args=(choices,), width="stretch")
    side.caption("筛选条件保存在网址中，复制浏览器地址即可分享当前视图。")

    filters = Filters(province, city, tuple(departments), year_from, year_to, kind)
    st.session_state[_CURRENT] = filters
    _write_url(filters, choices)
    return filters


def _none(value):
    return None if value == ANY else value


def _year(y: int) -> str:
    return f"{y} 年"


def _defaults(choices: Choices) -> dict:
    years = choices.years
    return {"province": ANY, "city": ANY, "dept": [], "kind": ANY,
            "year_from": years[0] if years else None, "year_to": years[-1] if years else None}


def _reset(choices: Choices) -> None:
    for param, value in _defaults(choices).items():
        st.session_state[_KEY[param]] = value


def _load_url() -> None:
    """Puts the URL's values in the filter widgets; `_fit_to_choices` then drops any
    that are not choices."""
    qp = st.query_params
    state = st.session_state
    kind = qp.get("kind")
    state[_KEY["province"]] = qp.get("province")
    state[_KEY["city"]] = qp.get("city")
    state[_KEY["dept"]] = list(dict.fromkeys(qp.get_all("dept")))
    state[_KEY["year_from"]] = _int(qp.get("year_from"))
    state[_KEY["year_to"]] = _int(qp.get("year_to"))
    state[_KEY["kind"]] = {label: k for k, label in KIND_LABELS.items()}.get(kind, kind)


def _fit_to_choices(choices: Choices) -> None:
    """Before drawing: a value that is not a choice (a bad URL, a province that changed
    under the city, a new database with other years) falls back to its default."""
    state = st.session_state
    defaults = _defaults(choices)
    province = state.get(_KEY["province"])
    if province not in choices.provinces:
        province = None
        if state.get(_KEY["province"]) != ANY:
            state[_KEY["province"]] = ANY
    if state.get(_KEY["city"]) not in choices.cities(province) and state.get(_KEY["city"]) != ANY:
        state[_KEY["city"]] = ANY
    city = _none(state[_KEY["city"]])
    allowed = set(choices.departments(province, city))
    picked = state.get(_KEY["dept"]) or []
    if any(d not in allowed for d in picked):
        state[_KEY["dept"]] = [d for d in picked if d in allowed]
    years = choices.years
    if state.get(_KEY["year_from"]) not in years:
        state[_KEY["year_from"]] = defaults["year_from"]
    if state.get(_KEY["year_to"]) not in years or (years and state[_KEY["year_to"]] < state[_KEY["year_from"]]):
        state[_KEY["year_to"]] = defaults["year_to"]
    if state.get(_KEY["kind"]) not in KINDS:
        state[_KEY["kind"]] = ANY


def _write_url(filters: Filters, choices: Choices) -> None:
    defaults = _defaults(choices)
    wanted = {
        "province": filters.province,
        "city": filters.city,
        "dept": list(filters.departments),
        "year_from": filters.year_from if filters.year_from != defaults["year_from"] else None,
        "year_to": filters.year_to if filters.year_to != defaults["year_to"] else None,
        "kind": filters.kind,
    }
    for param, value in wanted.items():
        _set_param(param, value)


def _set_param(param: str, value) -> None:
    """Puts one value (or list) in the URL, or takes the parameter out when empty."""
    qp = st.query_params
    values = [str(v) for v in value] if isinstance(value, (list, tuple)) else ([] if value is None else [str(value)])
    if qp.get_all(param) == values:
        return
    if values:
        qp[param] = values if len(values) > 1 else values[0]
    elif param in qp:
        del qp[param]


def _one_of(value, allowed):
    return value if value in allowed else None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- page-level choices in the URL

def url_selectbox(label: str, options: list, param: str, *, format_func=str, help: str | None = None,
                  container=None):
    """A page's own selectbox, started from ?param= on a fresh page and kept in the URL."""
    container = container or st
    key = f"p_{param}"
    if not options:
        _set_param(param, None)
        return None
    if key not in st.session_state:
        st.session_state[key] = _one_of(st.query_params.get(param), options) or options[0]
    elif st.session_state[key] not in options:
        st.session_state[key] = options[0]
    value = container.selectbox(label, options, key=key, format_func=format_func, help=help)
    _set_param(param, value if value != options[0] else None)
    return value


def url_multiselect(label: str, options: list, param: str, default: list, *, format_func=str,
                    max_selections: int | None = None, help: str | None = None, placeholder: str | None = None,
                    container=None) -> list:
    """A page's own multiselect, started from ?param=a&param=b on a fresh page and kept in the URL."""
    container = container or st
    key = f"p_{param}"
    if key not in st.session_state:
        picked = [v for v in dict.fromkeys(st.query_params.get_all(param)) if v in options]
        st.session_state[key] = (picked or [v for v in default if v in options])[:max_selections]
    else:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    value = container.multiselect(label, options, key=key, format_func=format_func,
                                  max_selections=max_selections, help=help, placeholder=placeholder)
    _set_param(param, value if value != default else None)
    return value


def url_text_input(label: str, param: str, *, placeholder: str | None = None, container=None) -> str:
    """A page's own text box, started from ?param= on a fresh page and kept in the URL."""
    container = container or st
    key = f"p_{param}"
    if key not in st.session_state:
        st.session_state[key] = (st.query_params.get(param) or "")[:100]
    value = container.text_input(label, key=key, placeholder=placeholder, max_chars=100).strip()
    _set_param(param, value or None)
    return value
