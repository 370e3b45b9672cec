from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stockline.accounts.models import Membership, Role
from stockline.api.keys import api_key_create
from stockline.audit.actors import Actor


class Command(BaseCommand):
    help = "Create an API key for a company (created as its OWNER); prints the key once."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="company slug")
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--scopes", required=True, help="comma-separated, e.g. products:read,orders:write"
        )

    def handle(self, *args, company: str, name: str, scopes: str, **options):
        membership = (
            Membership.objects.select_related("user", "company")
            .filter(company__slug=company, role=Role.OWNER)
            .first()
        )
        if membership is None:
            raise CommandError(f"No company with slug {company!r}.")
        try:
            _, plaintext = api_key_create(
                actor=Actor.staff(membership),
                name=name,
                scopes=[s.strip() for s in scopes.split(",") if s.strip()],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc
        self.stdout.write(plaintext)
