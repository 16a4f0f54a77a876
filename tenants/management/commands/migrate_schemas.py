"""migrate_schemas (also installed as `migrate`) for this project's lifecycle:

- it migrates only companies that have a schema (active, suspended, archived): a pending or
  failed company has none yet, and stock django-tenants would stop on it;
- it also migrates the schema template and the warm pool's spare schemas, since spares become
  companies by a rename and the template is the source of every new schema;
- it holds an exclusive advisory lock, so no schema is built from the template's SQL while the
  migrations change it (provisioning takes the same lock shared);
- at scale (docs/decisions/0030-migrations-at-scale.md): the template first, then only the
  schemas whose applied migrations differ from the template's, in a pool of --processes, with
  a line per schema and p50/p95 at the end. A run killed halfway is simply run again.
"""

import os
import time

from django.db import connection
from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)
from django_tenants.utils import get_public_schema_name

from tenants.migrate_parallel import percentile, schemas_migrate
from tenants.schemas import BUILD_LOCK_ID, TEMPLATE_SCHEMA, migration_keys
from tenants.selectors import companies_with_schemas, internal_schema_names
from tenants.services import template_schema_ensure

_PLAIN = (str, int, float, bool, type(None), list, tuple)


class Command(MigrateSchemasCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--processes", type=int, default=int(os.environ.get("MIGRATE_PROCESSES", "2")),
            help="company schemas migrated at once (default MIGRATE_PROCESSES or 2)")

    def handle(self, *args, **options):
        if options.get("schema_name"):
            return super().handle(*args, **options)  # one named schema: the stock behaviour
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [BUILD_LOCK_ID])
        try:
            self._migrate_all(*args, **options)
        finally:
            connection.set_schema_to_public()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [BUILD_LOCK_ID])

    def _migrate_all(self, *args, **options):
        # SyncCommon.handle reads the options (shared/tenant, executor) without migrating.
        super(MigrateSchemasCommand, self).handle(*args, **options)
        executor = GET_EXECUTOR_FUNCTION(codename=self.executor)(self.args, self.options)
        if self.sync_public:
            executor.run_migrations(tenants=[get_public_schema_name()])
        if not self.sync_tenant:
            return
        template_schema_ensure()
        names = companies_with_schemas() + [
            name for name in internal_schema_names() if name != TEMPLATE_SCHEMA]
        if options.get("app_label") or options.get("plan") or options.get("check_unapplied"):
            # A target migration (forwards or back), a plan or a check: every schema, as stock.
            executor.run_migrations(tenants=[TEMPLATE_SCHEMA, *names])
            return
        executor.run_migrations(tenants=[TEMPLATE_SCHEMA])
        keys = migration_keys([TEMPLATE_SCHEMA, *names])
        current = keys.pop(TEMPLATE_SCHEMA)
        behind = [name for name in names if keys[name] != current]
        self._say(f"{len(names) - len(behind)} company and spare schemas up to date, "
                  f"{len(behind)} to migrate")
        if behind:
            self._migrate_behind(behind, options)

    def _migrate_behind(self, behind: list[str], options: dict) -> None:
        child_options = {key: value for key, value in options.items()
                         if isinstance(value, _PLAIN)}
        child_options["verbosity"] = max(0, int(options.get("verbosity", 1)) - 1)
        started, took = time.perf_counter(), []
        for done, (schema, ms) in enumerate(schemas_migrate(
                schemas=behind, args=self.args, options=child_options,
                processes=options["processes"]), 1):
            took.append(ms)
            self._say(f"[{done}/{len(behind)}] {schema} migrated in {ms:.0f} ms")
        self._say(f"{len(behind)} schemas migrated in {time.perf_counter() - started:.1f} s, "
                  f"per schema p50 {percentile(took, 0.5):.0f} ms, "
                  f"p95 {percentile(took, 0.95):.0f} ms")

    def _say(self, line: str) -> None:
        if int(self.options.get("verbosity", 1)) >= 1:
            self.stdout.write(line)
            self.stdout.flush()
