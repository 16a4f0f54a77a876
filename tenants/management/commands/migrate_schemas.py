"""migrate_schemas that also migrates the schema template and the warm pool's spare schemas.

Spare schemas become companies by a rename, so they must be exactly as migrated as every
company; the template is the source of the SQL that creates new schemas.
"""

from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)

from tenants.selectors import internal_schema_names
from tenants.services import template_schema_ensure


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        if self.sync_tenant and not options.get("schema_name"):
            template_schema_ensure()
            executor = GET_EXECUTOR_FUNCTION(codename=self.executor)(self.args, self.options)
            executor.run_migrations(tenants=internal_schema_names())
