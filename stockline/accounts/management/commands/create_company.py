from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stockline.accounts.services import company_create


class Command(BaseCommand):
    help = "Create a company and its OWNER; prints the new company's slug."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-password", required=True)
        parser.add_argument("--owner-name", default="")

    def handle(self, *args, name, owner_email, owner_password, owner_name, **options):
        try:
            company, _ = company_create(
                name=name,
                owner_email=owner_email,
                owner_password=owner_password,
                owner_name=owner_name,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc
        self.stdout.write(company.slug)
