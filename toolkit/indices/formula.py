"""The indices' arithmetic, apart from the database so it can be checked by hand
(tests/toolkit/indices/test_arithmetic.py). Scores are Decimals rounded half up to 0.01."""

import math
from decimal import ROUND_HALF_UP, Decimal

CATEGORIES = ("study", "org_life", "contribution", "positive", "negative")
MEASURES = ("points", "meetings", "dues", "tasks")
CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def vanguard_draft(*, sums: dict[str, int], items: Decimal, months_present: int,
                   weights: dict[str, str]) -> Decimal:
    """Σ weight × category points, pro-rated to a full quarter for a member present fewer
    than its three months (× 3 / months present), plus the named items (not pro-rated: they
    are events, not a rate). A negative category's points are negative already."""
    if months_present <= 0:
        return Decimal("0.00")
    weighted = sum((Decimal(weights[c]) * sums.get(c, 0) for c in CATEGORIES), Decimal(0))
    return cents(weighted * 3 / months_present + items)


def months_present(*, joined_month_index: int, quarter_month_index: int) -> int:
    """Months of the quarter (first month's index y*12+m) from the month the member joined
    the company on (that month counts whole): 3, 2, 1, or 0 for one who joined after it."""
    return max(0, min(3, quarter_month_index + 3 - max(joined_month_index, quarter_month_index)))


def stars(*, scores: dict[int, Decimal], rule: str, share: int, threshold: Decimal) -> set[int]:
    """党员之星. top_share: the best `share` % (rounded up, at least one), and everyone tied
    with the last of them; threshold: everyone at or above it. A score of 0 or less never
    makes a star."""
    positive = {pk: s for pk, s in scores.items() if s > 0}
    if rule == "threshold":
        return {pk for pk, s in positive.items() if s >= Decimal(threshold)}
    if not positive:
        return set()
    ordered = sorted(positive.values(), reverse=True)
    count = max(1, math.ceil(len(scores) * share / 100))
    cutoff = ordered[min(count, len(ordered)) - 1]
    return {pk for pk, s in positive.items() if s >= cutoff}


def fortress_score(*, shares: dict[str, Decimal], weights: dict[str, str]) -> Decimal:
    """100 × Σ weight × measure (each 0–1) / Σ weights: a score out of 100."""
    total = sum((Decimal(weights[m]) for m in MEASURES), Decimal(0))
    if total == 0:
        return Decimal("0.00")
    return cents(100 * sum((Decimal(weights[m]) * Decimal(shares[m]) for m in MEASURES),
                           Decimal(0)) / total)


def ranks(scores: dict[int, Decimal]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4): ties share a rank, ordered by score then id."""
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    found, rank, previous = {}, 0, None
    for position, (pk, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        found[pk] = rank
    return found
