"""A unit added twice at once (a double click) is one unit and a form error, not a 500."""

import threading

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from toolkit.org.models import OrgUnit, UnitKind
from toolkit.org.services import OrgRefused, unit_create


@pytest.mark.django_db(transaction=True)
def test_the_same_unit_added_twice_at_once_is_made_once(make_company, committed_schemas):
    make_company(name="甲公司", slug="alpha")
    with schema_context("alpha"):
        top = unit_create(name="甲公司党委", kind=UnitKind.COMMITTEE)
    barrier, outcomes = threading.Barrier(4), []

    def add():
        try:
            with schema_context("alpha"):
                barrier.wait()
                unit_create(name="第一党支部", kind=UnitKind.BRANCH, parent=top)
                outcomes.append("made")
        except OrgRefused as refusal:
            assert refusal.code == "unit_name_taken"
            outcomes.append(refusal.fields["name"][0])
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["made"] + ["同一上级下已有“第一党支部”。"] * 3
    with schema_context("alpha"):
        assert OrgUnit.objects.filter(name="第一党支部").count() == 1
