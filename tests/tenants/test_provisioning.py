import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from tenants import schemas, services
from tenants.models import Company, CompanyStatus, SpareSchema
from tests.tenants.schema_snapshot import snapshot


def _migrated_schema(name: str) -> None:
    """The stock way: an empty schema brought up by running every migration file."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {name}")
    call_command("migrate_schemas", schema_name=name, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def _pool_reset(size: int) -> set[str]:
    """A fresh pool: spares used by rolled-back tests have advanced sequences (nextval is not
    transactional), which a production spare never has."""
    SpareSchema.objects.all().delete()
    for name in schemas.schema_names_like(schemas.SPARE_PREFIX):
        schemas.schema_drop(name=name)
    services.spare_pool_refill(size=size)
    return set(SpareSchema.objects.values_list("name", flat=True))


def _unapplied(schema: str) -> list:
    from django.db.migrations.executor import MigrationExecutor

    connection.set_schema(schema)
    try:
        executor = MigrationExecutor(connection)
        return executor.migration_plan(executor.loader.graph.leaf_nodes())
    finally:
        connection.set_schema_to_public()


@pytest.mark.django_db(transaction=True)
def test_cold_and_warm_schemas_are_identical_to_migrated_ones(public_tenant, committed_schemas):
    _migrated_schema("by_migrations")
    with transaction.atomic():
        schemas.schema_create_from_template(name="by_replay")
    cold = services.company_create(name="冷启动公司", slug="cold-one")
    services.company_transition(company=cold, to=CompanyStatus.PROVISIONING)
    services.company_provision(company_id=cold.pk, use_pool=False)
    _pool_reset(1)
    warm = services.company_create(name="预备公司", slug="warm-one")
    services.company_transition(company=warm, to=CompanyStatus.PROVISIONING)
    warm = services.company_provision(company_id=warm.pk)
    assert warm.provision_step == "已开通（取自预备库）"

    reference = snapshot("by_migrations")
    assert reference["columns"] and reference["indexes"] and reference["constraints"]
    assert reference["triggers"] and reference["functions"]  # the ledger's append-only guard
    assert reference["sequences"] and reference["django_migrations"]
    for made in ("by_replay", "cold_one", "warm_one"):
        assert snapshot(made) == reference, made
        assert _unapplied(made) == []


@pytest.mark.django_db(transaction=True)
def test_failure_leaves_no_half_made_schema_and_can_be_retried(public_tenant, committed_schemas,
                                                               monkeypatch):
    company = services.company_create(name="失败公司", slug="broken")
    services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    good_sql = schemas.template_sql()
    # The tables are made, then the last statement fails: everything must go.
    monkeypatch.setattr(schemas, "template_sql", lambda: good_sql + "\nSELECT 1/0;")
    with pytest.raises(Exception, match="division by zero"):
        services.company_provision(company_id=company.pk, use_pool=False)
    company.refresh_from_db()
    assert company.status == CompanyStatus.FAILED
    assert "division by zero" in company.provision_error
    assert not schemas.schema_exists("broken")

    monkeypatch.setattr(schemas, "template_sql", lambda: good_sql)
    services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    company = services.company_provision(company_id=company.pk, use_pool=False)
    assert company.status == CompanyStatus.ACTIVE
    assert schemas.schema_exists("broken")


@pytest.mark.django_db(transaction=True)
def test_two_activations_at_once_never_take_the_same_spare(public_tenant, committed_schemas):
    spares = _pool_reset(2)
    companies = []
    for slug in ("twin-a", "twin-b"):
        company = services.company_create(name=slug, slug=slug)
        companies.append(services.company_transition(company=company,
                                                     to=CompanyStatus.PROVISIONING))
    barrier = threading.Barrier(2)
    errors = []

    def activate(company):
        try:
            barrier.wait()
            services.company_provision(company_id=company.pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=activate, args=(c,)) for c in companies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert set(Company.objects.filter(slug__in=["twin-a", "twin-b"])
               .values_list("status", flat=True)) == {CompanyStatus.ACTIVE}
    # Both spares were used, one each: neither company got the other's, none is left over.
    assert schemas.schema_exists("twin_a") and schemas.schema_exists("twin_b")
    assert not any(schemas.schema_exists(name) for name in spares)
    assert SpareSchema.objects.count() == 0


def test_activation_from_the_pool_is_a_rename(make_company):
    before = set(SpareSchema.objects.values_list("name", flat=True))
    assert before, "the test session keeps a warm pool"
    started = time.perf_counter()
    company = make_company(name="快速公司", slug="quick")
    elapsed = time.perf_counter() - started
    assert company.status == CompanyStatus.ACTIVE
    assert company.provision_step == "已开通（取自预备库）"
    after = set(SpareSchema.objects.values_list("name", flat=True))
    (taken,) = before - after  # exactly one spare left the pool…
    assert not schemas.schema_exists(taken)  # …and its schema is now the company's
    assert schemas.schema_exists("quick")
    assert elapsed < 1.0  # a rename, not a build (the build is ~100 ms+; this is a bound)


def test_empty_pool_falls_back_to_cold_creation(public_tenant):
    SpareSchema.objects.all().delete()  # rolled back with the test
    company = services.company_create(name="冷公司", slug="chilly")
    services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    company = services.company_provision(company_id=company.pk)
    assert company.status == CompanyStatus.ACTIVE
    assert company.provision_step == "已开通"
    assert schemas.schema_exists("chilly")


def test_provisioning_twice_changes_nothing(make_company):
    company = make_company(slug="twice")
    again = services.company_provision(company_id=company.pk)
    assert again.status == CompanyStatus.ACTIVE and again.activated_at == company.activated_at


@pytest.mark.django_db(transaction=True)
def test_template_sql_is_rebuilt_when_migrations_change(public_tenant):
    sql = schemas.template_sql()
    assert schemas.PLACEHOLDER in sql and schemas.TEMPLATE_SCHEMA not in sql
    assert "search_path" not in sql
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {schemas.TEMPLATE_SCHEMA}.django_migrations (app, name, "
                       "applied) VALUES ('org', '9999_pretend', now())")
    try:
        rebuilt = schemas.template_sql()  # pg_dump sees only committed rows: hence transaction
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {schemas.TEMPLATE_SCHEMA}.django_migrations "
                           "WHERE name = '9999_pretend'")
    assert "9999_pretend" in rebuilt and "9999_pretend" not in sql
    assert schemas.template_sql() == sql


def test_migrate_brings_spares_and_the_template_up_to_date_and_skips_schemaless_companies(
        make_company):
    """A spare (and the template) missing a migration gets it from `migrate`; a pending or
    failed company (no schema yet) does not stop it."""
    make_company(slug="live-one")
    pending = services.company_create(name="待开通公司", slug="waiting")
    failed = services.company_create(name="失败公司", slug="failing")
    Company.objects.filter(pk=failed.pk).update(status=CompanyStatus.FAILED)
    spare = SpareSchema.objects.first().name
    targets = [spare, schemas.TEMPLATE_SCHEMA]
    with connection.cursor() as cursor:
        for schema in targets:  # as if sessions.0001 were a new migration
            cursor.execute(f"DROP TABLE {schema}.django_session")
            cursor.execute(f"DELETE FROM {schema}.django_migrations WHERE app = 'sessions'")
    call_command("migrate", interactive=False, verbosity=0)
    for schema in targets:
        assert _unapplied(schema) == []
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [f"{schema}.django_session"])
            assert cursor.fetchone()[0] is not None
    assert pending.status == CompanyStatus.PENDING


def test_a_company_stuck_in_provisioning_is_sent_again_by_the_sweep(
        public_tenant, monkeypatch, django_capture_on_commit_callbacks):
    """A lost message (broker down at enqueue, a crashed worker) does not strand a company."""
    import datetime

    from django.utils import timezone

    from saas.celery import app

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(app, "send_task", broker_down)
    company = services.company_create(name="卡住公司", slug="stuck")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.company_provision_start(company=company)  # the enqueue fails, quietly
    assert len(queued) == 1
    company.refresh_from_db()
    assert company.status == CompanyStatus.PROVISIONING
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args=None, **kw: sent.append((name, args)))
    assert services.provisioning_sweep() == []  # too recent to call stuck
    Company.objects.filter(pk=company.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=10))
    assert services.provisioning_sweep() == [company.pk]
    assert sent == [("tenants.tasks.company_provision_task", (company.pk,))]
