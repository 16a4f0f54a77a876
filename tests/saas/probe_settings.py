"""The project's settings with probe views added (tests/saas/probe_urls.py), for a server the
connection tests start as a subprocess."""

from saas.settings import *  # noqa: F403

ROOT_URLCONF = "tests.saas.probe_urls"
