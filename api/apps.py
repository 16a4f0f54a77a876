from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"

    def ready(self):
        from django.contrib import admin
        from knox.models import AuthToken

        from api import authentication, cors  # noqa: F401  (connect their signals: the
        # remembered tokens forgotten on writes in any process, the per-company CORS check)

        # knox registers its tokens in Django's admin, which is the public site's; the tokens
        # live in each company's schema (TENANT_APPS), so that page could only fail there.
        if admin.site.is_registered(AuthToken):
            admin.site.unregister(AuthToken)
