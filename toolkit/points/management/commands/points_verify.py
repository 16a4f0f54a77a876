from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from tenants.selectors import companies_with_schemas
from toolkit.points.ledger import chain_check


class Command(BaseCommand):
    help = "Proves each company's points ledger intact, or names its first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="one company's schema (default: every company)")

    def handle(self, *args, **options):
        schemas = [options["schema"]] if options["schema"] else companies_with_schemas()
        broken = []
        for schema in schemas:
            with schema_context(schema):
                check = chain_check()
            if check.intact:
                self.stdout.write(f"{schema}: intact, {check.entries} entries")
            else:
                broken.append(schema)
                self.stdout.write(self.style.ERROR(
                    f"{schema}: BROKEN at entry #{check.broken_seq}: {check.reason} "
                    f"({check.entries} entries before it are intact)"))
        if broken:
            raise CommandError(f"ledger broken in: {', '.join(broken)}")
