from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from tenants.models import Company
from tenants.portability import company_export


class Command(BaseCommand):
    help = "Writes one company's archive: schema (pg_dump -n), media, public rows, manifest."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--output", help="the archive's path (default <slug>-<time>.tar.gz)")

    def handle(self, *args, slug, output=None, **options):
        company = Company.objects.get(slug=slug)
        path = Path(output or f"{slug}-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        manifest = company_export(company=company, path=path)
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"{path}: {len(manifest['tables'])} tables, {rows} rows, "
                          f"{sum(n.startswith('media/') for n in manifest['files'])} media files")
