"""The project's settings plus bench/scaleapp, a company app whose migrations bench/migrate.py
switches between "before" and "after" (BENCH_MIGRATION_STATE)."""

import os

from saas.settings import *  # noqa: F403

TENANT_APPS = [*TENANT_APPS, "bench.scaleapp"]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "bench.scaleapp"]  # noqa: F405
MIGRATION_MODULES = {
    "scaleapp": f"bench.scaleapp.migrations_{os.environ.get('BENCH_MIGRATION_STATE', 'before')}",
}
