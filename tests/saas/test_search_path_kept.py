"""The search path is set again only when it changes (saas/postgresql_backend): choosing the
path already set costs no `SET`, and any other path, or a rollback, still sets it."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


def _sets(run) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SET search_path")]


def _query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        return cursor.fetchone()[0]


def test_the_same_path_again_sets_nothing_another_path_sets_it(company_a):
    connection.set_schema_to_public()
    _query()
    connection.set_schema_to_public()  # what the tenant middleware does on every request
    assert _sets(_query) == []
    connection.set_tenant(company_a)
    sets = _sets(_query)
    assert sets == [f'SET search_path = "{company_a.schema_name}","public"']
    assert _query().split(",")[0].strip() == company_a.schema_name
    connection.set_schema_to_public()
    assert _sets(_query) == ['SET search_path = "public"']
    assert _query() == "public"


@pytest.mark.django_db(transaction=True)
def test_a_rollback_takes_the_path_back_and_it_is_set_again(make_company, committed_schemas):
    company_a = make_company(name="甲公司", slug="alpha")
    connection.set_schema_to_public()
    _query()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        connection.set_tenant(company_a)
        _query()  # sets the company's path inside the transaction
        raise ZeroDivisionError  # rolled back: PostgreSQL takes the SET back to `public`
    # The same company chosen again: the session's path is `public` now, so it is set again.
    connection.set_tenant(company_a)
    assert _sets(_query) == [f'SET search_path = "{company_a.schema_name}","public"']
    assert _query().split(",")[0].strip() == company_a.schema_name
    connection.set_schema_to_public()
