"""django-tenants' PostgreSQL backend, which forgets the search path it set whenever a tenant
is chosen; this one keeps it when the path chosen is the one already set (docs/decisions/
0029): the tenant middleware chooses `public` for the host lookup and then the host's tenant,
so a request to the incubator's own site (staff, trainers, Stripe's webhooks) paid a second
`SET search_path = public` round trip for nothing.

Safe for the same reason the upstream cache is: `search_path_set_schemas` is what the
connection's session has (upstream clears it on close, rollback and savepoint rollback, which
take a `SET` back); a different path, a new connection or a rollback still sets it."""

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        was_set = self.search_path_set_schemas
        super().set_tenant(tenant, include_public)
        if was_set is not None and self._get_cursor_search_paths() == was_set:
            self.search_path_set_schemas = was_set
