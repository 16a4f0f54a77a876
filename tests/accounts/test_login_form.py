"""The login forms refuse an over-long username before any backend (and django-axes) sees it."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("host", "path"), [
    ("localhost", "/login/"), ("localhost", "/admin/login/"), ("alpha.localhost", "/login/")])
def test_a_five_thousand_character_username_is_a_form_error_not_a_500(client, make_company,
                                                                      host, path):
    make_company(name="甲公司", slug="alpha")
    client.raise_request_exception = False
    response = client.post(path, {"username": "x" * 5000, "password": "y"}, HTTP_HOST=host)
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
