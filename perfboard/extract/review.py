"""待核: whether a person should check a report before its figures are trusted. A report
is flagged when who or when is unknown or doubtful, or when a document that should carry
headline figures gives none (or only doubtful ones). The reasons are short codes the
review page can translate."""
from __future__ import annotations

from perfboard.extract.model import Extraction

LOW = 0.6  # a fact below this confidence is doubtful
HEADLINE = {
    "self_evaluation": ("budget.actual_wan", "budget.adjusted_wan", "score.total", "petitions.total"),
    "final_accounts": ("budget.actual_wan",),
    "budget": ("budget.initial_wan",),
}


def flag(x: Extraction) -> None:
    reasons = []
    for field, code in (("department", "department"), ("evaluated_year", "year")):
        fact = x.facts.get(field)
        if fact is None:
            reasons.append(f"{code}_missing")
        elif fact.confidence < LOW:
            reasons.append(f"{code}_low_confidence")
    dtype = x.value("document_type")
    wanted = HEADLINE.get(dtype, ())
    present = [x.facts[f] for f in wanted if f in x.facts]
    if wanted and not present and not x.satisfaction:
        reasons.append("figures_missing")
    elif present and all(f.confidence < LOW for f in present):
        reasons.append("figures_low_confidence")
    doubtful = [f.field for f in x.all_facts()
                if f.field.startswith(("budget.", "score.", "petitions.")) and f.confidence < LOW]
    if doubtful and "figures_low_confidence" not in reasons:
        reasons.append("figure_low_confidence:" + ",".join(sorted(set(doubtful))))
    x.review_reasons = reasons
    x.needs_review = bool(reasons)
