from unittest import mock

from django.db import connection

from saas import health
from saas.celery import app


def test_healthz_ok_when_database_and_broker_answer(client, public_tenant):
    response = client.get("/healthz", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_healthz_answers_on_any_host(client, company_a):
    assert client.get("/healthz", HTTP_HOST="alpha.localhost").status_code == 200
    assert client.get("/healthz", HTTP_HOST="nobody.localhost").status_code == 200


def test_healthz_503_when_the_broker_is_down(client, public_tenant):
    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz", HTTP_HOST="localhost")
    finally:
        app.conf.broker_url = saved
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable",
                               "checks": {"database": "ok", "broker": "down"}}


def test_healthz_503_when_the_broker_folder_is_gone(client, public_tenant, settings, tmp_path):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "missing")}
    response = client.get("/healthz", HTTP_HOST="localhost")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "down"


def test_healthz_503_when_the_database_is_down(client, public_tenant):
    # A real connection to a port where no PostgreSQL listens.
    dead = connection.__class__({**connection.settings_dict, "PORT": "1"}, alias="dead")
    with mock.patch.object(health, "connection", dead):
        response = client.get("/healthz", HTTP_HOST="localhost")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "down", "broker": "ok"}
