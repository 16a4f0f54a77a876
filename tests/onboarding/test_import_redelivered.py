"""A second delivery of the same member import while the first is writing it (the sweep, or
Redis giving the message back): it waits on the company's import lock, then reads the job again
inside the lock, finds it done and writes nothing. Two real connections, one a thread each."""

import threading

from django.db import connection, connections
from django_tenants.utils import schema_context

from onboarding.company import import_services
from onboarding.company.models import ImportStatus
from onboarding.models import CompanyEvent, EventKind
from tests.locks import waiting_on_an_advisory_lock
from tests.onboarding.rosters import import_confirmed
from toolkit.org.models import Member

ROWS = 5


def test_a_second_delivery_waits_for_the_first_and_writes_nothing(make_company,
                                                                  committed_schemas,
                                                                  monkeypatch):
    company = make_company(name="甲公司", slug="alpha")
    job = import_confirmed(rows=ROWS)

    upsert, calls = import_services.members_bulk_upsert, []
    written, go_on = threading.Event(), threading.Event()

    def held_upsert(**kwargs):
        # The first delivery writes its rows, then keeps its transaction (and the lock) open
        # until the test lets it go.
        calls.append(threading.current_thread().name)
        result = upsert(**kwargs)
        if len(calls) == 1:
            written.set()
            go_on.wait(30)
        return result

    monkeypatch.setattr(import_services, "members_bulk_upsert", held_upsert)
    outcomes = {}

    def deliver():
        name = threading.current_thread().name
        try:
            with schema_context("alpha"):
                outcomes[name] = import_services.member_import_run(job_id=job.pk).status
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[name] = error
        finally:
            connections.close_all()

    first = threading.Thread(target=deliver, name="first")
    second = threading.Thread(target=deliver, name="second")
    try:
        first.start()
        assert written.wait(30)  # the first holds the lock, its rows written, not committed
        second.start()
        assert waiting_on_an_advisory_lock()  # the second queues behind it
        assert second.is_alive() and calls == ["first"]
    finally:
        go_on.set()
        first.join(30)
        second.join(30)
    assert outcomes == {"first": ImportStatus.DONE, "second": ImportStatus.DONE}
    assert calls == ["first"]  # the second found the job done once it had the lock
    with schema_context("alpha"):
        job.refresh_from_db()
        assert (job.created_count, job.updated_count) == (ROWS, 0)
        assert Member.objects.count() == ROWS
        assert import_services.member_import_run(job_id=job.pk).status == ImportStatus.DONE
        assert calls == ["first"] and Member.objects.count() == ROWS
    connection.set_schema_to_public()
    assert CompanyEvent.objects.filter(company=company,
                                       kind=EventKind.MEMBERS_IMPORTED).count() == 1
