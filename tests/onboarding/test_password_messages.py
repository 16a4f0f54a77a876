"""Every message of the set-password form is in the page's language: Chinese by default."""

import re

import pytest

from tests.onboarding.conftest import committed  # noqa: F401 - fixture
from tests.onboarding.test_invitation import invited  # noqa: F401 - fixture

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _main_text(response) -> str:
    body = response.content.decode()
    main = body[body.index("<main"):body.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    return text.replace("admin", "")  # the username shown on the page


@pytest.mark.parametrize("password, message", [
    ("abc", "密码长度太短"),  # too short
    ("password", "这个密码太常见了"),  # too common
    ("83920174659", "密码只包含数字"),  # numeric
])
def test_every_password_message_on_the_invitation_page_is_chinese(client, invited,  # noqa: F811
                                                                  password, message):
    _company, token = invited
    response = client.post(f"/invite/{token}/", {"new_password1": password,
                                                  "new_password2": password},
                           HTTP_HOST="xinghuo.localhost")
    assert response.status_code == 200
    text = _main_text(response)
    assert message in text
    assert not LATIN_WORD.findall(text), LATIN_WORD.findall(text)


def test_the_same_messages_are_english_for_whoever_chose_english(client, invited):  # noqa: F811
    _company, token = invited
    client.cookies["django_language"] = "en"
    response = client.post(f"/invite/{token}/", {"new_password1": "abc", "new_password2": "abc"},
                           HTTP_HOST="xinghuo.localhost")
    assert "This password is too short. It must contain at least 8 characters." in \
        response.content.decode()
