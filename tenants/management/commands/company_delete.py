from django.core.management.base import BaseCommand

from tenants.models import Company
from tenants.portability import company_delete


class Command(BaseCommand):
    help = "Deletes an archived company for good, after writing its export (DATA_DIR/exports)."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug, **options):
        path = company_delete(company=Company.objects.get(slug=slug))
        self.stdout.write(f"deleted {slug}; its export: {path}")
