"""The field-label catalogue (fields.yaml) loaded once and compiled."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

PATH = Path(__file__).with_name("fields.yaml")
DOCUMENT_TYPES = ("self_evaluation", "final_accounts", "budget", "other")


@dataclass(frozen=True)
class Label:
    field: str
    name: str
    pattern: str
    documents: tuple[str, ...]
    confidence: float


@dataclass
class Field:
    name: str
    unit: str | None = None
    labels: list[Label] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    not_before: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def load() -> dict:
    with open(PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=None)
def get(name: str) -> Field:
    spec = load().get(name) or {}
    labels = [Label(name, item["name"], item["pattern"], tuple(item.get("documents") or DOCUMENT_TYPES),
                    float(item.get("confidence", 0.8)))
              for item in spec.get("labels") or []]
    return Field(name, spec.get("unit"), labels, list(spec.get("columns") or []), list(spec.get("not_before") or []))


@lru_cache(maxsize=None)
def words(section: str, key: str) -> re.Pattern | None:
    """A catalogue word list (budget.not_clause …) as one pattern."""
    items = (load().get(section) or {}).get(key) or []
    return re.compile("|".join(re.escape(w) for w in items)) if items else None


@lru_cache(maxsize=None)
def pattern(section: str, key: str) -> re.Pattern:
    return re.compile(load()[section][key])


@lru_cache(maxsize=1)
def ocr_confusables() -> dict[int, str]:
    """Characters a scan's OCR puts for those of a label (年初预箅数 → 年初预算数), one for one so
    that offsets hold: applied to the text the budget labels and table headers are matched
    against, never to a value or to what is stored."""
    return str.maketrans(load().get("ocr_confusables") or {})
