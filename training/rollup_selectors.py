"""The trainers' roll-ups: what companies reported up (CompanyCourseRollup, CompanyHoursRollup,
filled by each company's site), summed per course, per batch and per company. Only counts and
averages: member-level detail stays in the company. Callers pass the companies the viewer may
see (training.selectors.companies_visible)."""

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import QuerySet

from tenants.models import Company
from training.models import CompanyCourseRollup, CompanyHoursRollup, Course

FIGURES = ("assigned", "started", "completed", "overdue")


def _rows(*, companies: QuerySet[Company], course: Course | None):
    rows = CompanyCourseRollup.objects.filter(company__in=companies)
    if course is not None:
        rows = rows.filter(course=course)
    return rows.values("company_id", "company__name", "company__enrolment__batch_id",
                       "company__enrolment__batch__name", "course_id", "course__title",
                       *FIGURES, "average_score", "hours", "stop_lesson_title")


def _summed(*, rows, key: str, label: str) -> list[dict]:
    groups: dict = defaultdict(lambda: {**dict.fromkeys(FIGURES, 0), "hours": Decimal(0),
                                        "scored": Decimal(0), "score_weight": 0,
                                        "stops": Counter()})
    for row in rows:
        group = groups[row[key]]
        group["key"], group["label"] = row[key], row[label] or ""
        for name in FIGURES:
            group[name] += row[name]
        group["hours"] += row["hours"] or 0
        if row["average_score"] is not None:
            # An average of averages weighted by who finished: a company of 3 does not weigh
            # as much as one of 300.
            weight = max(row["completed"], 1)
            group["scored"] += row["average_score"] * weight
            group["score_weight"] += weight
        if row["stop_lesson_title"]:
            group["stops"][row["stop_lesson_title"]] += max(row["started"] - row["completed"], 1)
    result = []
    for group in groups.values():
        stops = group.pop("stops")
        scored, weight = group.pop("scored"), group.pop("score_weight")
        group["average_score"] = round(scored / weight, 1) if weight else None
        group["stop_lesson"] = stops.most_common(1)[0][0] if stops else ""
        group["completion"] = round(100 * group["completed"] / group["assigned"]) \
            if group["assigned"] else 0
        result.append(group)
    return sorted(result, key=lambda g: (-g["assigned"], str(g["label"])))


def rollup_by_course(*, companies: QuerySet[Company]) -> list[dict]:
    return _summed(rows=_rows(companies=companies, course=None), key="course_id",
                   label="course__title")


def rollup_by_batch(*, companies: QuerySet[Company], course: Course | None = None) -> list[dict]:
    return _summed(rows=_rows(companies=companies, course=course),
                   key="company__enrolment__batch_id",
                   label="company__enrolment__batch__name")


def rollup_by_company(*, companies: QuerySet[Company], course: Course | None = None
                      ) -> list[dict]:
    return _summed(rows=_rows(companies=companies, course=course), key="company_id",
                   label="company__name")


def hours_on_track(*, companies: QuerySet[Company], year: int) -> list[dict]:
    """Each company's members on track for the year's 学时 requirement, as its site reported."""
    rows = (CompanyHoursRollup.objects.filter(company__in=companies, year=year)
            .select_related("company").order_by("company__name"))
    return [{"company": row.company.name, "members": row.members, "on_track": row.on_track,
             "share": round(100 * row.on_track / row.members) if row.members else 0,
             "hours": row.hours} for row in rows]
