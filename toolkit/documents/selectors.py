"""Reads of the handbook's versions, and who may download which."""

import datetime

from django.db import connection
from django.db.models import Q, QuerySet
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
# no longer holds back a new one. The sweep (renders_abandoned) sends such a render again
# well before that.
STALE_AFTER = datetime.timedelta(minutes=30)
# How long a render may be rendering before the sweep asks whether a worker still has it, and
# how long it may wait in the queue: a queued render holds no lock, so one merely behind a
# backlog (a batch's issue) cannot be told from a lost one; sending it again early would have
# its copy wait on the lock for the whole render, holding a worker.
ABANDONED_AFTER = datetime.timedelta(minutes=10)
QUEUED_ABANDONED_AFTER = datetime.timedelta(minutes=60)


def running_render(*, edition: str) -> HandbookRender | None:
    return (HandbookRender.objects.filter(
        edition=edition, status__in=[RenderStatus.QUEUED, RenderStatus.RENDERING],
        created_at__gte=timezone.now() - STALE_AFTER).order_by("-id").first())


def render_lock_key(*, render_id: int) -> list[str]:
    """The session lock a worker holds while it renders this version (two-key advisory lock:
    the schema's hash and the version's, as tenants.locks)."""
    return [connection.schema_name, f"documents.handbook_render.{render_id}"]


def renders_abandoned(*, older_than: datetime.timedelta = ABANDONED_AFTER) -> list[int]:
    """Versions still queued or rendering `older_than` after they were asked for, whose render
    lock nobody holds (queued ones after QUEUED_ABANDONED_AFTER): no worker is on them (it was
    killed, and on the filesystem broker its message went with it; docs/decisions/0031). A
    version being rendered holds the lock (the task's) and is left alone, however long it
    takes; one still waiting in a queue busy for an hour is sent
    twice, which renders it once (the second delivery finds it done)."""
    now = timezone.now()
    waiting = list(HandbookRender.objects.filter(
        Q(status=RenderStatus.RENDERING, created_at__lt=now - older_than)
        | Q(status=RenderStatus.QUEUED, created_at__lt=now - max(older_than,
                                                                 QUEUED_ABANDONED_AFTER)))
        .order_by("id").values_list("pk", flat=True))
    abandoned = []
    with connection.cursor() as cursor:
        for render_id in waiting:
            key = render_lock_key(render_id=render_id)
            cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s), hashtext(%s))", key)
            if cursor.fetchone()[0]:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s), hashtext(%s))", key)
                abandoned.append(render_id)
    return abandoned


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
