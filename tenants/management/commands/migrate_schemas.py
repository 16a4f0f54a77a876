"""migrate_schemas (also installed as `migrate`) for this project's lifecycle:

- it migrates only companies that have a schema (active, suspended, archived): a pending or
  failed company has none yet, and stock django-tenants would stop on it;
- it also migrates the schema template and the warm pool's spare schemas, since spares become
  companies by a rename and the template is the source of every new schema;
- it holds an exclusive advisory lock, so no schema is built from the template's SQL while the
  migrations change it (provisioning takes the same lock shared).
"""

from django.db import connection
from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)
from django_tenants.utils import get_public_schema_name

from tenants.schemas import BUILD_LOCK_ID
from tenants.selectors import companies_with_schemas, internal_schema_names
from tenants.services import template_schema_ensure


class Command(MigrateSchemasCommand):
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
        if self.sync_tenant:
            template_schema_ensure()
            executor.run_migrations(tenants=companies_with_schemas() + internal_schema_names())
