"""The filters every view shares — the dashboard's sidebar and URL, the brief, the CLI —
as bound query parameters (NULL means no restriction)."""
from __future__ import annotations

from dataclasses import dataclass

KIND_LABELS = {"department_overall": "部门整体", "project": "项目"}
MAX_UNITS = 30  # up to this many units in view a chart page's detail table lists every year (charts draw every unit)


@dataclass(frozen=True)
class Filters:
    province: str | None = None
    city: str | None = None
    departments: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    kind: str | None = None

    def params(self) -> dict:
        """The bound parameters every filtered query takes."""
        return dict(province=self.province, city=self.city, departments=list(self.departments) or None,
                    year_from=self.year_from, year_to=self.year_to, kind=self.kind)

    def years(self) -> str:
        if self.year_from is None and self.year_to is None:
            return "全部年度"
        if self.year_from == self.year_to:
            return f"{self.year_from} 年"
        return f"{self.year_from or '…'}–{self.year_to or '…'} 年"

    def describe(self) -> str:
        place = " · ".join(x for x in (self.province, self.city) if x) or "全部地区"
        units = (self.departments[0] if len(self.departments) == 1 else f"{len(self.departments)} 个单位") \
            if self.departments else "全部单位"
        return f"{place} ｜ {units} ｜ {self.years()} ｜ {KIND_LABELS.get(self.kind, '全部类型')}"

    def sheet(self) -> dict[str, object]:
        """Chinese label → value, for the 筛选条件 sheet of an XLSX export."""
        return {"省份": self.province, "城市": self.city, "单位": list(self.departments) or None,
                "年度": self.years(), "报告类型": KIND_LABELS.get(self.kind, "全部类型")}

