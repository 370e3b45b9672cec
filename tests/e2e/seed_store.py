"""Build the store of the end-to-end test in the database DATABASE_URL points at; print its
slug, staff and products as JSON. Run as `python -m tests.e2e.seed_store` (after migrate)."""

import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stockline.settings")
    import django

    django.setup()
    from stockline.accounts.models import Role
    from tests.factories import make_company, make_member, make_product

    company, owner = make_company("Harbor Supply")
    admins = [make_member(company, Role.ADMIN) for _ in range(2)]
    member = make_member(company, Role.MEMBER)
    products = {
        # ordered below: 6 - 2 = 4 <= 5 (company default)
        "gloves": make_product(company, name="Nitrile Gloves", sku="GLV-1", stock=6),
        # 3 - 3 = 0: out of stock
        "masks": make_product(company, name="Safety Masks", sku="MSK-1", stock=3),
        # 12 - 2 = 10 <= 10 (its own threshold)
        "aprons": make_product(company, name="Work Aprons", sku="APR-1", stock=12, low_stock_threshold=10),
        # 100 - 1 = 99: stays healthy, not in the email
        "towels": make_product(company, name="Paper Towels", sku="PPR-1", stock=100),
    }
    print(
        json.dumps(
            {
                "slug": company.slug,
                "owner": owner.user.email,
                "admins": [m.user.email for m in admins],
                "member": member.user.email,
                "products": {key: str(p.id) for key, p in products.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
