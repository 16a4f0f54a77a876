"""The handbook's versions: asked for (by the admin, or by the incubator when it issues the
toolkit), rendered in the company's schema with progress, downloaded."""

import gc
import logging
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing.limits import feature_require
from billing.models import Feature
from core.errors import Refused
from core.tasks import task_send
from tenants.locks import company_xact_lock
from tenants.models import Company
from tenants.selectors import current_company
from toolkit.documents import selectors
from toolkit.documents.handbook import (
    HandbookFacts,
    cover_html,
    data_fingerprint,
    handbook_sections,
)
from toolkit.documents.models import Edition, HandbookDownload, HandbookRender, RenderStatus
from toolkit.documents.renderer import pdf_warm, sections_render
from toolkit.documents.signals import handbook_changed

logger = logging.getLogger(__name__)
RENDER_TASK = "toolkit.documents.tasks.handbook_render_task"
PROGRESS_EVERY = 0.5  # seconds between two progress updates of a render


class HandbookRefused(Refused):
    """A handbook action that does not fit the version's state; shown on the page."""


@transaction.atomic
def handbook_request(*, edition: str = Edition.FULL, by=None, batch_name: str | None = None,
                     issuer: str | None = None, issued: bool = False) -> HandbookRender:
    """Queues a new version of an edition (or returns the one already on its way: a double
    click renders once). The cover's batch and issuer are the incubator's words when it issues
    the toolkit, and the last issue's otherwise."""
    if not issued:  # the company's own re-render is a paid feature; the incubator's issue is not
        feature_require(Feature.HANDBOOK_PDF)
    company_xact_lock(f"documents.handbook_request.{edition}")  # two clicks at once: in turn
    running = selectors.running_render(edition=edition)
    if running is not None:
        return running
    known = selectors.cover_facts_from(edition=edition)
    render = HandbookRender.objects.create(
        edition=edition, requested_by=by, issued=issued, step=_("排队等待生成"),
        batch_name=batch_name if batch_name is not None else (known.batch_name if known else ""),
        issuer=issuer if issuer is not None else (known.issuer if known else ""))
    _announce(render)
    _render_later(render)
    return render


def _render_later(render: HandbookRender) -> None:
    # The schema now, not when the commit comes: the message must carry this company's.
    schema = connection.schema_name

    def send() -> None:
        with schema_context(schema):
            task_send(RENDER_TASK, render.pk)

    transaction.on_commit(send)


def handbook_issue(*, batch_name: str, issuer: str) -> list[HandbookRender]:
    """The incubator issued the toolkit (发放党建工具包): both editions, with its cover."""
    return [handbook_request(edition=edition, batch_name=batch_name, issuer=issuer, issued=True)
            for edition in (Edition.FULL, Edition.MEMBER)]


@transaction.atomic
def handbook_retry(*, render: HandbookRender) -> HandbookRender:
    render = HandbookRender.objects.select_for_update().get(pk=render.pk)
    if render.status != RenderStatus.FAILED:
        raise HandbookRefused(_("只有生成失败的版本可以重试。"), code="handbook_not_failed")
    render.status, render.error, render.progress = RenderStatus.QUEUED, "", 0
    render.step = _("排队等待生成")
    render.save(update_fields=["status", "error", "progress", "step"])
    _announce(render)
    _render_later(render)
    return render


def handbook_render(*, render_id: int) -> HandbookRender:
    """Renders one version (the task's work; safe to run twice: a finished version is left
    as it is). Not one transaction: the progress it writes is read by the page meanwhile."""
    render = HandbookRender.objects.get(pk=render_id)
    if render.status == RenderStatus.DONE:
        return render
    _progress(render, status=RenderStatus.RENDERING, progress=1, step=_("正在收集数据"))
    try:
        _render(render)
    except Exception as error:  # a render that fails says why, and can be retried
        logger.exception("handbook render %s failed", render.pk)
        render.status, render.step = RenderStatus.FAILED, _("生成失败")
        render.error = f"{type(error).__name__}: {error}"[:2000]
        render.finished_at = timezone.now()
        render.save(update_fields=["status", "step", "error", "finished_at"])
    _announce(render)
    return render


def _render(render: HandbookRender) -> None:
    facts = HandbookFacts(company=current_company(), batch=render.batch_name,
                          issuer=render.issuer, year=timezone.localdate().year)
    sections = handbook_sections(facts=facts, edition=render.edition)
    fingerprint = data_fingerprint(facts=facts, edition=render.edition, sections=sections)
    earlier = selectors.earlier_with_same_data(render=render, data_sha256=fingerprint)
    # The cover's date is when this data was first seen, not today: unchanged data renders
    # into the same file, with the same hash.
    dated = earlier.data_timestamp if earlier else timezone.now()
    _progress(render, progress=5, step=_("正在排版"))

    schema, owner = connection.schema_name, threading.get_ident()
    reported = [0.0]

    def report(done: int, total: int) -> None:
        # A few updates a second at most: each is a write and a signal (the batch page's row),
        # made by the process that waits for the renderers, on the cores they lay out on.
        if done < total and time.monotonic() - reported[0] < PROGRESS_EVERY:
            return
        reported[0] = time.monotonic()
        fields = {"progress": 5 + 90 * done // max(total, 1),
                  "step": _("正在排版（%(done)s/%(total)s）") % {"done": done, "total": total}}
        if threading.get_ident() == owner:
            _progress(render, **fields)
            _announce(render)  # the incubator's batch page shows the bar too
            return
        # Called from one of the renderer's threads: its own connection, in this company.
        try:
            with schema_context(schema):
                HandbookRender.objects.filter(pk=render.pk).update(**fields)
        finally:
            connection.close()

    result = sections_render(
        cover_html=cover_html(facts=facts, edition=render.edition, dated=dated),
        sections=sections, cache_dir=section_cache_dir(), progress=report,
        contents_title=_("目录"), media_storage=default_storage)  # this company's own files
    render.file.save(f"handbook-{render.edition}-{render.pk}.pdf", ContentFile(result.pdf),
                     save=False)
    render.status, render.progress, render.step = RenderStatus.DONE, 100, _("已完成")
    render.data_timestamp, render.data_sha256 = dated, fingerprint
    render.content_sha256, render.pages = result.sha256, result.pages
    keys = {section.key for section in sections}  # not the cover and contents
    render.sections_rendered = sum(1 for key in result.rendered if key in keys)
    render.finished_at = timezone.now()
    render.save()


def documents_warm(**_signal) -> None:
    """Run once per Celery worker process (worker_process_init, apps.py): the fonts, the
    stylesheets and the printed pages' templates loaded before the first render asks, not in
    it."""
    pdf_warm()
    folder = Path(settings.BASE_DIR) / "templates" / "documents" / "pdf"
    with translation.override("zh-hans"):
        for template in sorted(folder.glob("*.html")):
            get_template(f"documents/pdf/{template.name}")
    # The URLconf, which the forms' and lessons' QR links reverse into: imported on the first
    # reverse() otherwise, with every app's views (~2 s inside a fresh worker's first render).
    get_resolver().reverse_dict  # noqa: B018 - the property imports and indexes it
    # What is loaded now lives as long as the process: moved out of the collector's sight, so
    # no collection traverses it again and forked renderers share its pages untouched.
    gc.collect()
    gc.freeze()


def section_cache_dir() -> Path:
    """Rendered sections are cached per company schema: one company's cache never serves
    another's pages."""
    return Path(settings.PDF_CACHE_DIR) / connection.schema_name


def _progress(render: HandbookRender, **fields) -> None:
    for name, value in fields.items():
        setattr(render, name, value)
    HandbookRender.objects.filter(pk=render.pk).update(**fields)


def _announce(render: HandbookRender) -> None:
    if render.edition != Edition.FULL:
        return  # the incubator follows the full edition, the one it hands over
    handbook_changed.send(sender=Company, company=current_company(), render_id=render.pk,
                          edition=render.edition, status=render.status, pages=render.pages,
                          error=render.error, progress=render.progress, step=render.step)


@transaction.atomic
def handbook_download(*, render: HandbookRender, user=None, staff_name: str = ""
                      ) -> tuple[str, bytes]:
    """The file's name and bytes, with the download recorded. Access is the caller's rule
    (selectors.render_downloadable_by; the incubator's staff through onboarding)."""
    if render.status != RenderStatus.DONE or not render.file:
        raise HandbookRefused(_("这个版本还没有生成好。"), code="handbook_not_ready")
    with render.file.open("rb") as handle:
        data = handle.read()
    HandbookDownload.objects.create(render=render, user=user, by_staff=staff_name[:100])
    name = _("党建工具包手册") if render.edition == Edition.FULL else _("党建工具包手册（党员版）")
    return f"{name}-{timezone.localtime(render.data_timestamp):%Y%m%d}.pdf", data


def handbook_staff_download(*, staff_name: str) -> tuple[str, bytes]:
    """For the incubator's staff (run in the company's schema by onboarding): the company's
    current full handbook."""
    render = selectors.current_render(edition=Edition.FULL)
    if render is None:
        raise HandbookRefused(_("这家公司的工具包手册还没有生成。"), code="handbook_missing")
    return handbook_download(render=render, staff_name=staff_name)
