"""The handbook prints the indices' rules as the company set them, and the latest quarter's
党员之星 (issue 13 asks for the stars in the handbook; issue 11 for the index rules)."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.documents.conftest import pdf_text
from toolkit.documents import services
from toolkit.documents.models import Edition, RenderStatus
from toolkit.indices.models import IndexSettings, MemberIndex, Quarter, Step


def test_the_handbook_has_the_index_rules_and_the_quarters_stars(org_a, tmp_path):
    with schema_context("alpha"):
        IndexSettings.objects.update_or_create(pk=1, defaults={
            "w_study": Decimal("1.50"), "flag_title": "先锋支部"})
        quarter = Quarter.objects.create(
            start=datetime.date(2026, 7, 1), formula={}, self_deadline=datetime.date(2026, 10, 8),
            review_deadline=datetime.date(2026, 10, 15),
            confirm_deadline=datetime.date(2026, 10, 22), stars_named_at=timezone.now())
        star = org_a.members[2]
        star.user.full_name = "韩琇垚"
        star.user.save()
        MemberIndex.objects.create(quarter=quarter, member=star, unit=star.unit, breakdown={},
                                   draft=Decimal("88"), final=Decimal("91.5"), step=Step.DONE,
                                   star=True)
        render = services.handbook_render(
            render_id=services.handbook_request(edition=Edition.MEMBER).pk)
        assert render.status == RenderStatus.DONE, render.error
        text = pdf_text(render.file.read(), tmp_path)
    for expected in ["先锋指数和堡垒指数", "1.50", "先锋支部", "最近一季的党员之星", "2026Q3",
                     "韩琇垚", "91.50"]:
        assert expected in text, expected
