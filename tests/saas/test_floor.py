from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_floor_answers_on_a_company_host_in_its_schema_with_one_query(client, company_a):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/floor/", HTTP_HOST="alpha.localhost")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert [q["sql"] for q in queries.captured_queries][-1] == "SELECT 1"


def test_floor_answers_nothing_on_an_unknown_host(client, company_a):
    assert client.get("/floor/", HTTP_HOST="nobody.localhost").status_code == 404
