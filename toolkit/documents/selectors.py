"""Reads of the handbook's versions, and who may download which."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from toolkit.documents.models import Edition, HandbookRender, RenderStatus


def renders(*, edition: str | None = None) -> QuerySet[HandbookRender]:
    """Every version, newest first (the admin's list)."""
    qs = HandbookRender.objects.select_related("requested_by").prefetch_related("downloads")
    return qs.filter(edition=edition) if edition else qs


def current_render(*, edition: str) -> HandbookRender | None:
    """The newest finished version of an edition: what a download gives."""
    return (HandbookRender.objects.filter(edition=edition, status=RenderStatus.DONE)
            .order_by("-finished_at", "-id").first())


# A render takes seconds; one queued or rendering for longer was lost (a worker killed) and
# no longer holds back a new one.
STALE_AFTER = datetime.timedelta(minutes=30)


def running_render(*, edition: str) -> HandbookRender | None:
    return (HandbookRender.objects.filter(
        edition=edition, status__in=[RenderStatus.QUEUED, RenderStatus.RENDERING],
        created_at__gte=timezone.now() - STALE_AFTER).order_by("-id").first())


def render_downloadable_by(*, user, render: HandbookRender) -> bool:
    """The admin downloads every version; members the members' edition only (rules, calendar
    and forms): the full edition lists every member and the organisation."""
    if render.status != RenderStatus.DONE or not user.is_authenticated:
        return False
    if user.is_company_admin:
        return True
    return render.edition == Edition.MEMBER


def earlier_with_same_data(*, render: HandbookRender, data_sha256: str) -> HandbookRender | None:
    """A finished version of the same data: its date is the data's date (reproducible)."""
    return (HandbookRender.objects.filter(edition=render.edition, data_sha256=data_sha256,
                                          status=RenderStatus.DONE)
            .exclude(pk=render.pk).order_by("id").first())


def cover_facts_from(*, edition: str) -> HandbookRender | None:
    """The latest version that knows its batch and issuer (a re-render keeps them)."""
    return (HandbookRender.objects.filter(edition=edition).exclude(issuer="")
            .order_by("-id").first())
