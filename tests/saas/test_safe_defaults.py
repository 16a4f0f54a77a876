"""The settings module's own defaults, read in fresh processes with a clean environment
(pytest-django forces DEBUG off in the test process, so only a new process shows the default)."""

import json
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Y-" + "x7Qp9Lm2Vb8Rt4Wz6Nc1Hd5Jf0Gs3Ak" * 2  # 68 characters, many different
OLD_PUBLIC_KEY = "dev-only-insecure-key-change-me-in-production"


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
             "DJANGO_SETTINGS_MODULE": "saas.settings", "DATA_DIR": str(tmp_path / "data"),
             **env}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=120)


def _setting(tmp_path: Path, expression: str, **env: str) -> subprocess.CompletedProcess:
    code = ("import json, django; django.setup(); from django.conf import settings; "
            f"print(json.dumps({expression}))")
    return _run(["-c", code], tmp_path, **env)


def test_debug_is_off_unless_asked_for(tmp_path):
    assert json.loads(_setting(tmp_path, "settings.DEBUG").stdout) is False
    assert json.loads(_setting(tmp_path, "settings.DEBUG", DEBUG="1").stdout) is True


def test_without_a_key_one_is_made_once_private_and_reused(tmp_path):
    first = _setting(tmp_path, "settings.SECRET_KEY")
    second = _setting(tmp_path, "settings.SECRET_KEY")
    key = json.loads(first.stdout)
    assert key == json.loads(second.stdout)
    assert len(key) >= 50 and len(set(key)) >= 5 and key != OLD_PUBLIC_KEY
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir() if p.name.startswith(".secret_key")] == []


def test_processes_starting_together_agree_on_one_key(tmp_path):
    with ThreadPoolExecutor(max_workers=6) as pool:
        runs = list(pool.map(lambda _: _setting(tmp_path, "settings.SECRET_KEY"), range(6)))
    keys = {json.loads(run.stdout) for run in runs}
    assert len(keys) == 1
    assert (tmp_path / "data" / "secret_key").read_text().strip() in keys


def test_a_key_in_the_environment_is_used(tmp_path):
    assert json.loads(_setting(tmp_path, "settings.SECRET_KEY", SECRET_KEY=STRONG_KEY).stdout) \
        == STRONG_KEY
    assert not (tmp_path / "data" / "secret_key").exists()


@pytest.mark.parametrize("key", ["", OLD_PUBLIC_KEY, "short-but-random-Q8x", "ab" * 40],
                         ids=["missing", "published", "short", "few-characters"])
def test_production_refuses_to_start_without_a_strong_key(tmp_path, key):
    env = {"HTTPS": "1"} | ({"SECRET_KEY": key} if key else {})
    run = _setting(tmp_path, "settings.SECRET_KEY", **env)
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr and "SECRET_KEY" in run.stderr
    assert not (tmp_path / "data" / "secret_key").exists()  # no silent fallback to a file


def test_production_passes_the_deployment_checks(tmp_path):
    run = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path,
               HTTPS="1", SECRET_KEY=STRONG_KEY, BASE_DOMAIN="incubator.example.cn",
               REDIS_URL="redis://127.0.0.1:6379/0", SMS_BACKEND="accounts.sms.aliyun.SmsBackend")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout, run.stdout + run.stderr


def test_production_with_the_console_sms_backend_is_warned(tmp_path):
    # Codes printed to a log are no secret: the deployment check says so.
    run = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path,
               HTTPS="1", SECRET_KEY=STRONG_KEY, BASE_DOMAIN="incubator.example.cn",
               REDIS_URL="redis://127.0.0.1:6379/0")
    assert run.returncode != 0 and "accounts.W001" in run.stderr + run.stdout


def test_without_https_the_deployment_checks_do_complain(tmp_path):
    # The check above is not vacuous: the same command warns when HTTPS is off.
    run = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path,
               SECRET_KEY=STRONG_KEY)
    assert run.returncode != 0
    assert "security.W008" in run.stderr + run.stdout


def test_production_trusts_the_incubator_and_its_companies_over_https_only(tmp_path):
    names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
             "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER",
             "CSRF_TRUSTED_ORIGINS", "SITE_SCHEME"]
    expression = "{" + ", ".join(f"'{n}': settings.{n}" for n in names) + "}"
    run = _setting(tmp_path, expression, HTTPS="1", SECRET_KEY=STRONG_KEY,
                   BASE_DOMAIN="incubator.example.cn")
    values = json.loads(run.stdout)
    assert values == {
        "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True, "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "CSRF_TRUSTED_ORIGINS": ["https://incubator.example.cn", "https://*.incubator.example.cn"],
        "SITE_SCHEME": "https",
    }
    # Without HTTPS=1 a forged X-Forwarded-Proto is not believed.
    plain = json.loads(_setting(tmp_path, "settings.SECURE_PROXY_SSL_HEADER").stdout)
    assert plain is None
