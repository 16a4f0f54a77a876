def test_pages_are_chinese_by_default(client, company_a):
    body = client.get("/", HTTP_HOST="alpha.localhost").content.decode()
    assert '<html lang="zh-hans"' in body and "登录" in body


def test_language_switch_to_english_and_back(client, company_a):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"},
                           HTTP_HOST="alpha.localhost", follow=True)
    body = response.content.decode()
    assert '<html lang="en"' in body
    assert "Log in" in body and "Digital party-building toolkit" in body
    body = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"},
                       HTTP_HOST="alpha.localhost", follow=True).content.decode()
    assert "数字党建工具包" in body


def test_chinese_even_when_the_browser_asks_for_english(client, public_tenant):
    body = client.get("/", HTTP_HOST="localhost",
                      HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans"' in body and "工作人员登录" in body


def test_unknown_host_page_is_in_the_chosen_language(client, public_tenant):
    body = client.get("/", HTTP_HOST="nobody.localhost").content.decode()
    assert "站点不存在" in body
    client.cookies["django_language"] = "en"
    body = client.get("/", HTTP_HOST="nobody.localhost").content.decode()
    assert "No such site" in body and '<html lang="en"' in body


def test_every_message_has_an_english_translation():
    """A string added without its English stays Chinese on English pages: catch it here."""
    import subprocess
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po"
    stats = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                           capture_output=True, text=True, check=True).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats
