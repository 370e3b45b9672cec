"""SPEC §3 Low-stock email: who gets it, what it lists, and which orders send it."""

from django.core import mail

from stockline.accounts.models import Membership, Role
from stockline.core.channels import Channel
from stockline.notifications.models import LowStockAlert
from tests.factories import make_member, make_product, place


def html_part(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_one_email_per_storefront_order_lists_every_product_now_low(company, storefront_order, run_worker):
    bolts = make_product(company, name="Hex bolts M8", sku="HB-M8", stock=7)
    nuts = make_product(company, name="Nuts M8", sku="NT-M8", stock=12)
    washers = make_product(company, name="Washers M8", sku="WS-M8", stock=4)
    plenty = make_product(company, name="Anchors", sku="AN-10", stock=100)
    order = storefront_order([(bolts, 3), (nuts, 12), (washers, 1), (plenty, 10)])

    run_worker()

    [message] = mail.outbox
    body, html = message.body, html_part(message)
    for text in (body, html):
        assert "Hex bolts M8" in text and "HB-M8" in text
        assert "Nuts M8" in text and "NT-M8" in text
        assert "Washers M8" in text and "WS-M8" in text
        assert "Anchors" not in text and "AN-10" not in text
        assert order.display_number in text
    assert "- Hex bolts M8 (SKU: HB-M8): 4 in stock (low-stock threshold 5)" in body
    assert "- Nuts M8 (SKU: NT-M8): 0 in stock - OUT OF STOCK" in body
    assert "- Washers M8 (SKU: WS-M8): 3 in stock (low-stock threshold 5)" in body
    assert body.count("OUT OF STOCK") == 1
    assert html.count("(out of stock)") == 1
    # out of stock first, then the low ones by name
    assert body.index("Nuts M8") < body.index("Hex bolts M8") < body.index("Washers M8")
    assert LowStockAlert.objects.get().sent_at is not None


def test_subject_names_the_company_the_order_and_what_to_restock(company, storefront_order, run_worker):
    a = make_product(company, stock=6)
    b = make_product(company, stock=2)
    order = storefront_order([(a, 2), (b, 2)])
    run_worker()
    assert mail.outbox[0].subject == (
        f"[Acme Distributors] Low stock: 2 products to restock, 1 out of stock (order {order.display_number})"
    )


def test_subject_for_a_single_low_product_has_no_out_of_stock_count(company, storefront_order, run_worker):
    order = storefront_order([(make_product(company, stock=6), 1)])
    run_worker()
    assert mail.outbox[0].subject == (
        f"[Acme Distributors] Low stock: 1 product to restock (order {order.display_number})"
    )


def test_email_goes_to_every_owner_and_admin_and_not_to_members(company, owner, storefront_order, run_worker):
    make_member(company, Role.ADMIN, email="ada@example.com")
    make_member(company, Role.ADMIN, email="bo@example.com")
    make_member(company, Role.MEMBER, email="member@example.com")
    inactive = make_member(company, Role.ADMIN, email="gone@example.com")
    inactive.user.is_active = False
    inactive.user.save(update_fields=["is_active"])
    storefront_order([(make_product(company, stock=5), 1)])

    run_worker()

    [message] = mail.outbox
    assert sorted(message.to) == sorted(["ada@example.com", "bo@example.com", owner.user.email])
    assert not message.cc and not message.bcc
    assert sorted(LowStockAlert.objects.get().recipients) == sorted(message.to)


def test_recipients_are_the_owners_and_admins_at_sending_time(company, owner, storefront_order, run_worker):
    leaving = make_member(company, Role.ADMIN, email="leaving@example.com")
    promoted = make_member(company, Role.MEMBER, email="promoted@example.com")
    storefront_order([(make_product(company, stock=5), 1)])
    leaving.delete()
    Membership.objects.filter(id=promoted.id).update(role=Role.ADMIN)

    run_worker()

    assert sorted(mail.outbox[0].to) == sorted([owner.user.email, "promoted@example.com"])


def test_only_products_at_or_below_their_effective_threshold_are_listed(
    company, storefront_order, run_worker
):
    at_default = make_product(company, name="At default", stock=8)  # 5 ≤ 5
    above_default = make_product(company, name="Above default", stock=9)  # 6 > 5
    override_zero = make_product(company, name="Override zero", stock=3, low_stock_threshold=0)  # 1 > 0
    override_high = make_product(company, name="Override high", stock=60, low_stock_threshold=40)  # 40 ≤ 40
    override_below = make_product(company, name="Override below", stock=9, low_stock_threshold=3)  # 4 > 3
    storefront_order(
        [(at_default, 3), (above_default, 3), (override_zero, 2), (override_high, 20), (override_below, 5)]
    )

    run_worker()

    [message] = mail.outbox
    listed = [line for line in message.body.splitlines() if line.startswith("- ")]
    assert listed == [
        f"- At default (SKU: {at_default.sku}): 5 in stock (low-stock threshold 5)",
        f"- Override high (SKU: {override_high.sku}): 40 in stock (low-stock threshold 40)",
    ]


def test_company_default_threshold_decides_when_there_is_no_override(company, storefront_order, run_worker):
    company.low_stock_threshold = 20
    company.save(update_fields=["low_stock_threshold"])
    storefront_order([(make_product(company, name="Rope", sku="RP-1", stock=30), 10)])
    run_worker()
    assert "- Rope (SKU: RP-1): 20 in stock (low-stock threshold 20)" in mail.outbox[0].body


def test_product_without_sku_is_listed_as_such(company, storefront_order, run_worker):
    storefront_order([(make_product(company, name="Loose twine", sku=None, stock=2), 1)])
    run_worker()
    assert "- Loose twine (SKU: none): 1 in stock" in mail.outbox[0].body


def test_dashboard_and_api_orders_send_no_email(company, run_worker):
    product = make_product(company, stock=10)
    place(company, [(product, 6)], channel=Channel.DASHBOARD)
    place(company, [(product, 4)], channel=Channel.API)  # now out of stock
    run_worker()
    assert mail.outbox == []
    assert not LowStockAlert.objects.exists()


def test_no_email_when_no_ordered_product_is_at_or_below_its_threshold(company, storefront_order, run_worker):
    make_product(company, name="Low but not ordered", stock=1)
    storefront_order([(make_product(company, stock=20), 14)])  # 6 > 5
    run_worker()
    assert mail.outbox == []
    assert not LowStockAlert.objects.exists()


def test_each_storefront_order_sends_its_own_email(company, storefront_order, run_worker):
    product = make_product(company, stock=10)
    first = storefront_order([(product, 6)])
    second = storefront_order([(product, 1)])
    run_worker()
    assert sorted(m.subject.rsplit(" ", 1)[1] for m in mail.outbox) == sorted(
        [f"{first.display_number})", f"{second.display_number})"]
    )


def test_email_is_sent_outside_any_database_transaction(company, settings, storefront_order, run_worker):
    settings.EMAIL_BACKEND = "tests.notifications.mail_probe.TransactionProbeBackend"
    storefront_order([(make_product(company, stock=3), 1)])
    run_worker()
    [message] = mail.outbox
    assert message.sent_inside_transaction is False


def test_each_product_links_to_its_dashboard_page_at_the_site_url(
    company, settings, storefront_order, run_worker
):
    settings.SITE_URL = "https://stock.harbor.example"
    bolts = make_product(company, name="Hex bolts M8", sku="HB-M8", stock=7)
    storefront_order([(bolts, 3)])

    run_worker()

    [message] = mail.outbox
    link = f"https://stock.harbor.example/dashboard/inventory/{bolts.id}"
    assert f"- Hex bolts M8 (SKU: HB-M8): 4 in stock (low-stock threshold 5)\n  {link}" in message.body
    assert f'<a href="{link}">Open in dashboard</a>' in html_part(message)


def test_an_alert_stored_without_product_ids_still_sends_without_links(company, storefront_order, run_worker):
    bolts = make_product(company, name="Hex bolts M8", sku="HB-M8", stock=7)
    storefront_order([(bolts, 3)])
    alert = LowStockAlert.objects.get()
    LowStockAlert.objects.filter(id=alert.id).update(
        items=[{k: v for k, v in item.items() if k != "product_id"} for item in alert.items]
    )

    run_worker()

    [message] = mail.outbox
    assert "Hex bolts M8" in message.body
    assert "/dashboard/inventory/" not in message.body
