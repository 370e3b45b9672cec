from django.core.management.base import BaseCommand, CommandError

from stockline.accounts.models import Company
from stockline.imports.export import export_csv


class Command(BaseCommand):
    help = "Write a company's products as CSV (the import's columns) to standard output or --output."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="company slug")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, company, output, **options):
        found = Company.objects.filter(slug=company).first()
        if found is None:
            raise CommandError(f"No company with slug {company!r}.")
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                for block in export_csv(found.id):
                    out.write(block)
        else:
            for block in export_csv(found.id):
                self.stdout.write(block, ending="")
