"""Which units a chart of many units draws one by one: the dashboard's bar charts and the
brief's slides share this rule. Up to SHOW_ALL units every one is drawn, sorted; above it
the EDGE highest, one summary of the rest (their median) and the EDGE lowest, plus any unit
the reader asked to see (我的单位) where it ranks. Pure: no Streamlit, no plotting."""
from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

SHOW_ALL = 25        # up to this many units a chart draws every one
EDGE = 10            # above it: the highest and the lowest EDGE, the rest as their median
DISTRIBUTION = 100   # from this many units a chart of their spread (box and points) is drawn as well
NAMED_SILENT = EDGE  # up to this many units without the value are named under the bars; more are one counted row


def silent_label(count: int, noun: str = "单位") -> str:
    """The one row under a chart's bars that stands for `count` units that did not disclose."""
    return f"另有 {count} 个{noun}"


@dataclass(frozen=True)
class Rest:
    """The units between the highest and the lowest EDGE that are not drawn one by one."""
    count: int
    median: float | None
    rows: list = field(default_factory=list, repr=False)

    def label(self, noun: str = "单位") -> str:
        return f"其余 {self.count} 个{noun}（中位数）"


@dataclass(frozen=True)
class Ranked:
    """The entries of a chart, top to bottom: rows (dicts, each with its `rank`, 1 = the
    highest) and at most one Rest; `total` units were ranked."""
    entries: list
    total: int
    rest: Rest | None

    @property
    def caption(self) -> str:
        if self.rest is None:
            return ""
        return f"列出最高 {EDGE} 个与最低 {EDGE} 个，其余 {self.rest.count} 个以中位数表示"


def summarise(rows: Iterable[dict], value: Callable[[dict], float] = lambda r: r["value"],
              keep: Callable[[dict], bool] | None = None, descending: bool = True,
              show_all: int = SHOW_ALL, edge: int = EDGE) -> Ranked:
    """`rows` with a value, sorted (highest first unless `descending` is False) and cut as
    above; a row for which `keep` is true (a highlighted unit) is drawn where it ranks, out of
    the rest, which is then the others' median. Rows without a value are left out: the caller
    says how many did not disclose."""
    ordered = sorted((r for r in rows if value(r) is not None), key=value, reverse=descending)
    ranked = [dict(r, rank=k) for k, r in enumerate(ordered, start=1)]
    if len(ranked) <= show_all:
        return Ranked(ranked, len(ranked), None)
    middle = ranked[edge:-edge]
    kept = [r for r in middle if keep and keep(r)]
    others = [r for r in middle if not (keep and keep(r))]
    rest = Rest(len(others), statistics.median(value(r) for r in others), others) if others else None
    return _arrange(ranked[:edge], kept, rest, ranked[-edge:], len(ranked))


def of_ranks(rows: Iterable[dict], total: int, rest: int, rest_median: float | None,
             keep: Callable[[dict], bool] | None = None, show_all: int = SHOW_ALL, edge: int = EDGE) -> Ranked:
    """summarise's entries when SQL ranked the units (queries/ranked/edges.sql): `rows` carry
    their `rank` among the `total` that disclosed it, and the rest's count and median come
    from SQL too, so only the drawn units were fetched. A row of the middle that `keep` does
    not want was fetched for another chart of the page and is left out."""
    ordered = sorted((r for r in rows if r.get("rank") is not None), key=lambda r: r["rank"])
    if total <= show_all:
        return Ranked(ordered, total, None)
    middle = [r for r in ordered if edge < r["rank"] <= total - edge]
    return _arrange([r for r in ordered if r["rank"] <= edge], [r for r in middle if keep and keep(r)],
                    Rest(rest, rest_median) if rest else None, [r for r in ordered if r["rank"] > total - edge],
                    total)


def _arrange(top: list, kept: list, rest: Rest | None, bottom: list, total: int) -> Ranked:
    # the kept units sit on the side of the summary where they rank: above it if in the upper half
    upper = [r for r in kept if r["rank"] <= total / 2]
    lower = [r for r in kept if r["rank"] > total / 2]
    return Ranked(top + upper + ([rest] if rest else []) + lower + bottom, total, rest)
