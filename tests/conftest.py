"""Shared fixtures. Companies are made through the fast path (a spare schema renamed inside
the test's transaction, rolled back afterwards), so a test pays well under a millisecond."""

import itertools
import os

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name

from tenants import schemas, services
from tenants.models import Company, CompanyStatus

TEST_POOL_SIZE = 6
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After the test database is migrated (public and template), fill the warm pool."""
    with django_db_blocker.unblock():
        services.public_tenant_ensure(domains=[settings.BASE_DOMAIN])
        services.spare_pool_refill(size=TEST_POOL_SIZE)


@pytest.fixture(autouse=True)
def _public_schema_between_tests(request):
    # A request through the tenant middleware leaves the connection on that company's schema.
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploads made by tests go to a folder of the session's (per schema, below it)."""
    from django.conf import settings as django_settings

    django_settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return django_settings.MEDIA_ROOT


@pytest.fixture(scope="session", autouse=True)
def _shared_media_root(tmp_path_factory):
    """The shared catalogue's files (storages["shared"]) go to a folder of the session's."""
    from django.conf import settings as django_settings
    from django.core.files.storage import storages

    root = str(tmp_path_factory.mktemp("shared-media"))
    django_settings.SHARED_MEDIA_ROOT = root
    django_settings.STORAGES["shared"]["OPTIONS"]["location"] = root
    # The models' file fields already hold the storage (made at import): move that one.
    storage = storages["shared"]
    storage._location = root
    storage._clear_cached_properties("MEDIA_ROOT")
    return root


@pytest.fixture(scope="session", autouse=True)
def _metrics_dir(tmp_path_factory):
    """Prometheus samples (saas.metrics) go to a folder of the session's: this process's under
    other/, the test worker's (tests/worker.py passes METRICS_DIR on) under worker-<node>/."""
    from django.conf import settings as django_settings

    from saas.metrics_files import group_dir_use

    root = tmp_path_factory.mktemp("metrics")
    django_settings.METRICS_DIR = root
    group_dir_use(root, "other", wipe=True)
    return root


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: each test starts with none spent."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["shared"].clear()
    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def public_tenant(db):
    # A transactional test's flush empties the pool's table but not its schemas: re-register.
    services.spare_pool_reconcile()
    return services.public_tenant_ensure(domains=[settings.BASE_DOMAIN])


@pytest.fixture
def make_company(db, public_tenant):
    """make_company(name=..., slug=...) -> an active Company, provisioned the fast way."""

    def make(name: str | None = None, slug: str | None = None) -> Company:
        number = next(_numbers)
        company = services.company_create(name=name or f"测试公司{number}",
                                          slug=slug or f"co{number}")
        services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
        return services.company_provision(company_id=company.pk)

    return make


@pytest.fixture
def company_a(make_company):
    return make_company(name="甲公司", slug="alpha")


@pytest.fixture
def company_b(make_company):
    return make_company(name="乙公司", slug="beta")


def drop_company_schemas() -> None:
    """For transactional tests: committed company schemas outlive the flushed tables."""
    keep = {get_public_schema_name(), schemas.TEMPLATE_SCHEMA}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%%' "
            "AND nspname <> 'information_schema' AND NOT starts_with(nspname, %s)",
            [schemas.SPARE_PREFIX],
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        if name not in keep:
            schemas.schema_drop(name=name)
    services.spare_pool_reconcile()


@pytest.fixture
def committed_schemas(transactional_db):
    """Use with transactional_db: drops the company schemas the test committed."""
    yield
    connection.set_schema_to_public()
    drop_company_schemas()
    services.spare_pool_refill(size=TEST_POOL_SIZE)


def celery_settings_for(data_dir, redis_url: str = "") -> dict:
    """The Celery settings a process with DATA_DIR=data_dir (and REDIS_URL) would have."""
    if redis_url:
        return {"broker_url": redis_url, "result_backend": redis_url,
                "broker_transport_options": {}}
    queue, processed, results = (data_dir / "broker" / "queue", data_dir / "broker" / "processed",
                                 data_dir / "results")
    control = data_dir / "broker" / "control"
    for folder in (queue, processed, results, control):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "broker_url": "filesystem://localhost/", "result_backend": f"file://{results}",
        "broker_transport_options": {"data_folder_in": str(queue), "data_folder_out": str(queue),
                                     "processed_folder": str(processed), "store_processed": False,
                                     "control_folder": str(control), "polling_interval": 0.1},
    }


_celery_current: dict = {}


def celery_configure(conf: dict) -> None:
    """Points this process's Celery app at another broker (drops cached connections)."""
    from saas.celery import app

    if conf == _celery_current:
        return
    _celery_current.clear()
    _celery_current.update(conf)
    app.conf.update(conf)
    app.conf.worker_enable_remote_control = not conf["broker_url"].startswith("filesystem")
    # Forget cached pools (kombu keeps the old ones registered; they are simply not used).
    app._pool = None
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = conf["broker_transport_options"]


@pytest.fixture(scope="session")
def _celery_sandbox(tmp_path_factory):
    """Messages queued by tests go to a folder of this session's, never the dev worker's."""
    data_dir = tmp_path_factory.mktemp("celery-data")
    celery_configure(celery_settings_for(data_dir))
    return data_dir


@pytest.fixture(autouse=True)
def _celery_route(request, _celery_sandbox):
    """Tests with a worker publish to it; every other test to the sandbox, which nothing reads,
    so a session's worker never acts on another test's data."""
    if "celery_worker" in request.fixturenames:
        celery_configure(request.getfixturevalue("celery_worker").conf)
    else:
        celery_configure(celery_settings_for(_celery_sandbox))


pytest_plugins = ["tests.worker"]


def task_named(name: str):
    """The Celery task registered as `name` (services queue tasks by name: core.tasks)."""
    from importlib import import_module

    module, _dot, attribute = name.rpartition(".")
    return getattr(import_module(module), attribute)


@pytest.fixture
def tasks_run_here(monkeypatch):
    """Tasks queued through core.tasks.task_send run in this process, at once, in the current
    schema (as the worker would run them); their errors are kept, not raised, as in a worker."""
    from saas.celery import app

    def run(name, args=None, kwargs=None, **options):
        return task_named(name).apply(args=args, kwargs=kwargs)

    monkeypatch.setattr(app, "send_task", run)


# Chromium through Playwright's sync API, for tests marked `browser` in any folder.
@pytest.fixture(scope="session")
def browser():
    from tests.browser.conftest import CHROMIUM

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make test` (it installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the ORM calls the tests make
    # are still synchronous, which is what this Django switch is for.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A fresh browser context the size of a phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()
