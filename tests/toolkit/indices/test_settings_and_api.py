"""The admin's formula page and items, and the API's own index, history and stars."""

import datetime
from decimal import Decimal as D

from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from tests.toolkit.conftest import login
from toolkit.indices import selectors, services
from toolkit.indices.models import IndexItem, ItemRecord, MemberIndex
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award

A = "alpha.localhost"


def test_the_admin_edits_weights_and_items(client, org_a):
    login(client, A, "admin")
    page = client.get("/indices/settings/", HTTP_HOST=A)
    assert page.status_code == 200
    data = {name: value for name, value in page.context["form"].initial.items()}
    data.update({"w_study": "3", "star_rule": "threshold", "star_threshold": "40",
                 "flag_title": "先锋支部"})
    data = {k: v for k, v in data.items() if k != "id"}
    assert client.post("/indices/settings/", data, HTTP_HOST=A).status_code == 302
    assert client.post("/indices/settings/items/", {"name": "表彰", "kind": "positive",
                                                    "points": "5", "active": "on"},
                       HTTP_HOST=A).status_code == 302
    with schema_context("alpha"):
        row = selectors.settings_row()
        assert (row.w_study, row.star_rule, row.flag_title) == (D(3), "threshold", "先锋支部")
        item = IndexItem.objects.get(name="表彰")
    assert client.post(f"/indices/settings/items/{item.pk}/", {
        f"item{item.pk}-name": "上级表彰", f"item{item.pk}-kind": "positive",
        f"item{item.pk}-points": "8"}, HTTP_HOST=A).status_code == 302
    with schema_context("alpha"):
        item.refresh_from_db()
        assert (item.name, item.points, item.active) == ("上级表彰", D(8), False)


def test_a_secretary_records_items_for_their_members_only(org_a):
    m = org_a.members
    with schema_context("alpha"):
        item = services.index_item_save(name="表彰", kind="positive", points=D(5))
        services.index_item_record(member=m[2], item=item, note="", by=m[0].user)
        assert ItemRecord.objects.filter(member=m[2]).count() == 1
        for member, by in ((m[3], m[0].user), (m[0], m[0].user), (m[4], m[2].user)):
            try:
                services.index_item_record(member=member, item=item, note="", by=by)
            except services.Forbidden:
                continue
            raise AssertionError(f"{by} recorded an item for {member}")


def test_the_api_reads_my_index_history_and_stars(org_a):
    m = org_a.members
    with schema_context("alpha"):
        points_award(member=m[2], rule=RuleCode.STUDY, amount=10,
                     at=timezone.make_aware(datetime.datetime(2026, 5, 3, 9)))
        quarter = services.quarter_open(start=datetime.date(2026, 4, 1))
        for result in MemberIndex.objects.filter(quarter=quarter).select_related("member"):
            services.index_self_assess(result=result, member=result.member, text="自评")
            reviewer = org_a.admin if result.member.unit.secretary_id == result.member_id \
                else result.member.unit.secretary.user
            services.index_review(result=result, by=reviewer, adjustment=D(0), reason="")
        services.index_confirm(quarter=quarter, by=org_a.admin)
        services.stars_name(quarter=quarter, by=org_a.admin)
    token = api_login(Client(), A, m[2].user.mobile)

    def get(path):
        return Client().get(path, HTTP_HOST=A, HTTP_AUTHORIZATION=f"Token {token}").json()

    mine = get("/api/v1/indices/mine/")["index"]
    assert (mine["quarter"], mine["step"], mine["final"], mine["star"]) == (
        "2026Q2", "done", "10.00", True)
    history = get("/api/v1/indices/history/")
    assert [r["quarter"] for r in history["results"]] == ["2026Q2"]
    stars = get("/api/v1/indices/stars/")
    assert [(s["member_id"], s["final"]) for s in stars] == [(m[2].pk, "10.00")]
