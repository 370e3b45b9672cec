from django.core.management.base import BaseCommand

from stockline.accounts.models import Company
from stockline.customers.models import Customer
from stockline.demo.catalog import BUYER_EMAIL, PASSWORD, STAFF
from stockline.demo.seed import demo_company, demo_seed


class Command(BaseCommand):
    help = (
        "Create the demo company (staff of every role, a customer, products in every stock state, "
        "order history), or add what is missing from it. Prints the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Write nothing if the demo company already exists (still print the logins).",
        )

    def handle(self, *args, if_empty: bool, **options):
        company = demo_company() if if_empty else None
        if company is not None:
            self.stdout.write(f'Demo company "{company.name}" already exists; left as it is.')
        else:
            seed = demo_seed()
            company = seed.company
            verb = "created" if seed.created else "already exists; added anything missing"
            self.stdout.write(self.style.SUCCESS(f'Demo company "{company.name}" {verb}.'))
            if seed.api_key:
                self.stdout.write(f"  API key (shown once): {seed.api_key}")
        self._logins(company)

    def _logins(self, company: Company) -> None:
        buyer = Customer.objects.filter(company=company, email=BUYER_EMAIL).exists()
        self.stdout.write(f"  Dashboard  /login       password for every login: {PASSWORD}")
        for email, _, role in STAFF:
            self.stdout.write(f"    {role:<7}  {email}")
        self.stdout.write(f"  Storefront /store/{company.slug}/")
        if buyer:
            self.stdout.write(f"    buyer    {BUYER_EMAIL}")
