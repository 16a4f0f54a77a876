from django.core.management.base import BaseCommand

from demo.services import DEMO_PASSWORD, NEWCOMERS, TRAINER, demo_seed
from tenants.selectors import company_primary_url


class Command(BaseCommand):
    help = "Creates (or finds) the demo incubator: staff, a trainer and companies with members."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, **options):
        summary = demo_seed()
        port = options["port"]
        self.stdout.write(self.style.SUCCESS("Demo ready."))
        self.stdout.write(f"  Incubator (public): http://localhost:{port}/   "
                          f"staff: {', '.join(summary.staff)} / {DEMO_PASSWORD}")
        self.stdout.write(f"  Trainer of the demo batch (courses, offline session): "
                          f"http://localhost:{port}/training/sessions/   "
                          f"{TRAINER} / {DEMO_PASSWORD}")
        for company, members in summary.companies:
            self.stdout.write(
                f"  {company.name}: {company_primary_url(company=company, port=port)}   "
                f"admin / {DEMO_PASSWORD}; {members} members ({NEWCOMERS} not yet activated), e.g. "
                f"{self._first_member(company)} / {DEMO_PASSWORD}"
            )
            if company.schema_name in summary.screens:  # the plans that have the big screen
                self.stdout.write(f"    big screen (1920×1080, no sign-in): "
                                  f"{company_primary_url(company=company, port=port).rstrip('/')}"
                                  f"/screen/d/{summary.screens[company.schema_name]}/")

    @staticmethod
    def _first_member(company) -> str:
        from django_tenants.utils import schema_context

        from toolkit.org.models import Member

        with schema_context(company.schema_name):
            member = Member.objects.select_related("user").order_by("id").first()
            return member.user.username if member else "-"
