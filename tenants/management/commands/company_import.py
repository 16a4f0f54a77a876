from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import Refused
from tenants.portability import company_import


class Command(BaseCommand):
    help = "Restores a company_export archive as a company, under its own slug or --slug."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--slug", help="another subdomain (default: the archive's)")
        parser.add_argument("--name", help="another name (default: the archive's)")

    def handle(self, *args, archive, slug=None, name=None, **options):
        try:
            company = company_import(path=Path(archive), slug=slug, name=name)
        except Refused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"imported as {company.slug} (schema {company.schema_name})")
