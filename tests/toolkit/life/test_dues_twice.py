"""A dues payment submitted twice, one after the other or at the same moment, is recorded
once; the second gets the refusal, never a 500."""

import datetime
import threading

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from tests.toolkit.conftest import build_org, login
from toolkit.life import services as life_services
from toolkit.life.models import DuesPayment


def test_a_payment_posted_twice_is_recorded_once(client, org_a):
    login(client, "alpha.localhost", "admin")
    data = {"member": org_a.members[2].pk, "month": "2026-10"}
    first = client.post("/life/dues/manage/", data, HTTP_HOST="alpha.localhost")
    second = client.post("/life/dues/manage/", data, HTTP_HOST="alpha.localhost")
    assert first.status_code == 302
    assert second.status_code == 200 and "2026-10 的党费已经登记过了。" in second.content.decode()
    with schema_context("alpha"):
        assert DuesPayment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_record_one_and_refuse_the_other(make_company, committed_schemas):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=2, branches=1)
    member = org.members[1]
    barrier, outcomes = threading.Barrier(4), []

    def pay():
        try:
            with schema_context("alpha"):
                barrier.wait()
                life_services.dues_payment_record(member=member, month=datetime.date(2026, 10, 1),
                                         by=org.admin)
                outcomes.append("recorded")
        except life_services.DuesRefused:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["recorded", "refused", "refused", "refused"]
    with schema_context("alpha"):
        assert DuesPayment.objects.count() == 1
