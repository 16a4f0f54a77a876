"""The published schema covers both hosts: the company API (/api/v1/ on a company's host, the
ROOT_URLCONF) and staff's (/api/v1/staff/ on the incubator's host, saas.urls_public)."""

from drf_spectacular.generators import SchemaGenerator

STAFF_URLCONF = "saas.urls_public"


class BothHosts(SchemaGenerator):
    def _initialise_endpoints(self):
        if self.endpoints is not None:
            return
        super()._initialise_endpoints()
        if self.urlconf is None and self.patterns is None:
            staff = self.endpoint_inspector_cls(None, STAFF_URLCONF).get_api_endpoints()
            self.endpoints += [e for e in staff if e[0].startswith("/api/v1/staff/")]
