"""The project's settings with Django's psycopg 3 connection pool instead of persistent
connections: only for bench/load.py's comparison in docs/decisions/0029 (psycopg 3 on the
server's PYTHONPATH; the project itself runs psycopg2)."""

from saas.settings import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 - a pool and persistence exclude each other
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": 4}  # noqa: F405
