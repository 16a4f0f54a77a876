"""Months, quarters and years in Asia/Shanghai, as the first day of each month."""

import datetime

from django.utils import timezone


def month_start(day: datetime.date | None = None) -> datetime.date:
    day = day or timezone.localdate()
    return day.replace(day=1)


def quarter_start(day: datetime.date | None = None) -> datetime.date:
    """The first day of the quarter (Jan, Apr, Jul, Oct) that `day` (today) falls in."""
    first = month_start(day)
    return first.replace(month=(first.month - 1) // 3 * 3 + 1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def previous_month(day: datetime.date | None = None) -> datetime.date:
    return add_months(month_start(day), -1)


def months_of(period: str, day: datetime.date) -> list[datetime.date]:
    """The months of the month, quarter or year that `day` falls in."""
    first = month_start(day)
    if period == "month":
        return [first]
    if period == "quarter":
        start = first.replace(month=(first.month - 1) // 3 * 3 + 1)
        return [add_months(start, i) for i in range(3)]
    if period == "year":
        return [datetime.date(first.year, m, 1) for m in range(1, 13)]
    raise ValueError(period)


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def local_month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(month, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(add_months(month, 1), datetime.time.min))
    return start, end
