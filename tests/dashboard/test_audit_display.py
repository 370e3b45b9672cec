"""Audit entries worded for people (dashboard.audit_display): structured data in, sentences out."""

from stockline.audit.models import AuditEntry
from stockline.dashboard.audit_display import METADATA_DISPLAY_LIMIT, audit_lines
from tests.factories import make_product


def entry(
    company, action: str, metadata: dict, entity_type: str = "product", entity_id: str = "bulk"
) -> AuditEntry:
    return AuditEntry(
        company=company,
        action=action,
        actor_type="USER",
        actor_label="Olivia",
        entity_type=entity_type,
        entity_id=entity_id,
        metadata=metadata,
    )


def test_bulk_delta_reads_as_one_sentence_with_each_products_before_and_after(company):
    meta = {
        "field": "stock",
        "mode": "DELTA",
        "value": -5,
        "changed": 2,
        "clamped": 1,
        "products": [
            {"id": "a", "sku": "A-1", "before": 3, "after": 0},
            {"id": "b", "sku": "B-1", "before": 20, "after": 15},
        ],
    }
    [line] = audit_lines([entry(company, "ProductBulkUpdated", meta)])
    assert line.summary == "Bulk stock delta -5 on 2 products (1 clamped at 0)"
    assert [(c.label, c.before, c.after) for c in line.changes] == [("A-1", "3", "0"), ("B-1", "20", "15")]


def test_bulk_deactivate_and_role_change_and_status_change(company):
    lines = audit_lines(
        [
            entry(company, "ProductBulkUpdated", {"field": "is_active", "value": False, "changed": 3}),
            entry(
                company,
                "MemberRoleChanged",
                {"email": "m@example.com", "changes": {"role": ["MEMBER", "ADMIN"]}},
                "membership",
                "x",
            ),
            entry(
                company,
                "OrderStatusChanged",
                {"status": ["SUBMITTED", "CANCELLED"], "restocked": True},
                "order",
                "x",
            ),
        ]
    )
    assert lines[0].summary == "Deactivated 3 products"
    assert (lines[1].changes[0].before, lines[1].changes[0].after) == ("Member", "Admin")
    assert lines[2].summary.endswith("and restocked its items")
    assert (lines[2].changes[0].before, lines[2].changes[0].after) == ("Submitted", "Cancelled")


def test_an_action_added_later_still_reads_sensibly(company):
    [line] = audit_lines([entry(company, "ProductsImported", {"changes": {"price": ["1.5", "2"]}})])
    assert line.summary == "Products imported"
    assert (line.changes[0].label, line.changes[0].before, line.changes[0].after) == (
        "Price",
        "$1.50",
        "$2.00",
    )


def test_entity_links_only_for_this_companys_existing_objects(company):
    product = make_product(company, name="Tape")
    [known, gone] = audit_lines(
        [
            entry(company, "ProductUpdated", {"changes": {}}, "product", str(product.id)),
            entry(
                company, "ProductUpdated", {"changes": {}}, "product", "01234567-89ab-7def-8123-456789abcdef"
            ),
        ]
    )
    assert known.url == f"/dashboard/inventory/{product.id}" and known.summary == "Updated product Tape"
    assert gone.url is None


def test_raw_metadata_is_capped(company):
    [line] = audit_lines([entry(company, "ProductUpdated", {"blob": "x" * (2 * METADATA_DISPLAY_LIMIT)})])
    assert len(line.metadata_json) < METADATA_DISPLAY_LIMIT + 50 and line.metadata_json.endswith(
        "(truncated)"
    )
