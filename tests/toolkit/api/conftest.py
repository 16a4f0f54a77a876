import pytest
from django.db import connection


def api_login(client, host: str, mobile: str, password: str = "pw-123456") -> str:
    response = client.post("/api/v1/auth/login/", {"mobile": mobile, "password": password},
                           content_type="application/json", HTTP_HOST=host)
    connection.set_schema_to_public()
    assert response.status_code == 200, response.content
    return response.json()["token"]


def auth(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


@pytest.fixture
def api(client):
    """api(method, host, path, token=None, **data) -> response (JSON in, JSON out)."""

    def call(method: str, host: str, path: str, token: str | None = None, data=None):
        headers = auth(token) if token else {}
        send = getattr(client, method)
        if method == "get":
            response = send(path, data or {}, HTTP_HOST=host, **headers)
        else:
            response = send(path, data or {}, content_type="application/json",
                            HTTP_HOST=host, **headers)
        connection.set_schema_to_public()
        return response

    return call
