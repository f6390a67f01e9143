"""The filters every view shares (sidebar, URL, CLI), as bound query parameters."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

KINDS = {"department_overall": "部门整体", "project": "项目"}


@dataclass(frozen=True)
class Filters:
    province: str | None = None
    city: str | None = None
    district: str | None = None
    department_key: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    kind: str | None = None

    def params(self) -> dict:
        return asdict(self)

    def describe(self) -> dict[str, object]:
        """Chinese labels → values, for a briefing's scope line and the 筛选条件 sheet."""
        years = None
        if self.year_from or self.year_to:
            years = f"{self.year_from or '…'}–{self.year_to or '…'}"
        return {"省份": self.province, "城市": self.city, "区县": self.district, "单位": self.department_key,
                "年度": years, "报告类型": KINDS.get(self.kind) if self.kind else None}

    def scope(self) -> str:
        parts = [str(v) for v in self.describe().values() if v]
        return "、".join(parts) if parts else "全部单位、全部年度"

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]
