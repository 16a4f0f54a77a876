"""The 缺席未请假 code on an item: only on a negative (减分) item, and one item at a time even
when two admins save it at once."""

from decimal import Decimal as D

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.indices.models import IndexItem, ItemCode, ItemKind
from toolkit.indices.services import IndexRefused, index_item_save

A = "alpha.localhost"


def test_the_code_is_refused_on_a_positive_item(org_a):
    with schema_context("alpha"):
        with pytest.raises(IndexRefused) as refused:
            index_item_save(name="缺席", kind=ItemKind.POSITIVE, points=D(3),
                            code=ItemCode.ABSENT_WITHOUT_LEAVE)
        assert refused.value.code == "index_item_code_not_negative"
        item = index_item_save(name="缺席", kind=ItemKind.NEGATIVE, points=D(3),
                               code=ItemCode.ABSENT_WITHOUT_LEAVE)
        with pytest.raises(IndexRefused):  # nor may it become positive later
            index_item_save(item=item, name="缺席", kind=ItemKind.POSITIVE, points=D(3),
                            code=ItemCode.ABSENT_WITHOUT_LEAVE)
        item.refresh_from_db()
        assert item.kind == ItemKind.NEGATIVE


def test_the_settings_page_flashes_the_refusal(org_a):
    client = Client()
    login(client, A, "admin")
    response = client.post("/indices/settings/items/", {
        "name": "缺席", "kind": "positive", "points": "3", "active": "on",
        "code": ItemCode.ABSENT_WITHOUT_LEAVE}, HTTP_HOST=A, follow=True)
    assert "只能用于减分项" in response.content.decode()
    with schema_context("alpha"):
        assert not IndexItem.objects.exists()


def test_two_admins_saving_the_code_at_once_get_a_refusal_not_an_error(org_a, monkeypatch):
    with schema_context("alpha"):
        index_item_save(name="无故缺席", kind=ItemKind.NEGATIVE, points=D(3),
                        code=ItemCode.ABSENT_WITHOUT_LEAVE)
        # The other admin's check ran before this row was committed: it saw no such code.
        monkeypatch.setattr(IndexItem, "validate_constraints", lambda self, exclude=None: None)
        monkeypatch.setattr(IndexItem, "validate_unique", lambda self, exclude=None: None)
        with pytest.raises(IndexRefused) as refused:
            index_item_save(name="缺席未请假", kind=ItemKind.NEGATIVE, points=D(2),
                            code=ItemCode.ABSENT_WITHOUT_LEAVE)
        assert refused.value.code == "index_item_code_taken"
        with pytest.raises(IndexRefused) as refused:
            index_item_save(name="无故缺席", kind=ItemKind.NEGATIVE, points=D(2))
        assert refused.value.code == "index_item_name_taken"
        assert IndexItem.objects.count() == 1  # and the transaction is still usable
