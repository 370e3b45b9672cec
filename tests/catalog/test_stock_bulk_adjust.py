"""SPEC §2 adjustment 2: bulk Set N / Delta ±N on selected products, clamped at 0."""

from types import SimpleNamespace
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.errors import ProductUnavailable
from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.services import BulkMode, stock_bulk_adjust, stock_bulk_plan
from stockline.core.channels import Channel
from tests.catalog.writes import rows_written
from tests.factories import make_company, make_product


def bulk(actor, products, mode, value):
    return stock_bulk_adjust(
        actor=actor, channel=Channel.DASHBOARD, product_ids=[p.id for p in products], mode=mode, value=value
    )


def stocks(products) -> list[int]:
    by_id = dict(Product.objects.filter(id__in=[p.id for p in products]).values_list("id", "stock"))
    return [by_id[p.id] for p in products]


def bulk_movements(products):
    return {
        m.product_id: m
        for m in StockMovement.objects.filter(
            product__in=products, reason__in=[MovementReason.BULK_SET, MovementReason.BULK_DELTA]
        )
    }


def test_set_puts_every_selected_product_at_n(actor, company):
    products = [make_product(company, stock=s) for s in (0, 7, 250)]
    bulk(actor, products, BulkMode.SET, 100)
    assert stocks(products) == [100, 100, 100]
    moves = bulk_movements(products)
    assert [(moves[p.id].stock_before, moves[p.id].delta) for p in products] == [
        (0, 100),
        (7, 93),
        (250, -150),
    ]
    assert {m.reason for m in moves.values()} == {MovementReason.BULK_SET}


def test_set_leaves_unselected_products_alone(actor, company):
    selected = make_product(company, stock=1)
    other = make_product(company, stock=1)
    bulk(actor, [selected], BulkMode.SET, 9)
    assert stocks([selected, other]) == [9, 1]


def test_delta_adds_to_every_selected_product(actor, company):
    products = [make_product(company, stock=s) for s in (0, 5)]
    bulk(actor, products, BulkMode.DELTA, 10)
    assert stocks(products) == [10, 15]
    assert {m.delta for m in bulk_movements(products).values()} == {10}
    assert {m.reason for m in bulk_movements(products).values()} == {MovementReason.BULK_DELTA}


def test_delta_subtracts_from_every_selected_product(actor, company):
    products = [make_product(company, stock=s) for s in (20, 35)]
    bulk(actor, products, BulkMode.DELTA, -10)
    assert stocks(products) == [10, 25]


def test_delta_below_zero_is_clamped_and_logs_the_applied_delta(actor, company):
    short = make_product(company, stock=4)
    enough = make_product(company, stock=30)
    plan = bulk(actor, [short, enough], BulkMode.DELTA, -10)
    assert stocks([short, enough]) == [0, 20]
    moves = bulk_movements([short, enough])
    assert (moves[short.id].stock_before, moves[short.id].delta, moves[short.id].stock_after) == (4, -4, 0)
    assert moves[short.id].note == "Clamped at 0"
    assert (moves[enough.id].delta, moves[enough.id].note) == (-10, "")
    assert [(c.product_id, c.before, c.after) for c in plan.clamped] == [(short.id, 4, 0)]


def test_one_product_bulk_updated_entry_covers_the_batch(actor, company):
    products = [make_product(company, stock=s) for s in (3, 30, 0)]
    bulk(actor, products, BulkMode.DELTA, -5)
    entry = AuditEntry.objects.get(action=AuditAction.PRODUCT_BULK_UPDATED)
    assert entry.metadata["mode"] == "DELTA"
    assert entry.metadata["value"] == -5
    assert (entry.metadata["selected"], entry.metadata["changed"], entry.metadata["clamped"]) == (3, 2, 1)
    listed = {row["id"]: (row["before"], row["after"]) for row in entry.metadata["products"]}
    assert listed == {str(products[0].id): (3, 0), str(products[1].id): (30, 25)}
    assert {m.audit_entry_id for m in bulk_movements(products).values()} == {entry.id}


def test_products_already_at_the_target_get_no_movement(actor, company):
    at_target = make_product(company, stock=50)
    empty = make_product(company, stock=0)
    changed = make_product(company, stock=1)
    plan = bulk(actor, [at_target, changed], BulkMode.SET, 50)
    assert set(bulk_movements([at_target, changed])) == {changed.id}
    assert plan.unchanged == 1
    plan = bulk(actor, [empty], BulkMode.DELTA, -3)  # already 0: clamping changes nothing
    assert bulk_movements([empty]) == {}
    assert plan.unchanged == 1


def test_a_batch_that_changes_nothing_writes_nothing(actor, company):
    products = [make_product(company, stock=8), make_product(company, stock=8)]
    before = rows_written()
    plan = bulk(actor, products, BulkMode.SET, 8)
    assert (plan.changes, plan.unchanged) == ([], 2)
    assert rows_written() == before


def test_a_product_selected_twice_changes_once(actor, company):
    product = make_product(company, stock=10)
    bulk(actor, [product, product], BulkMode.DELTA, 5)
    assert stocks([product]) == [15]
    assert StockMovement.objects.filter(product=product, reason=MovementReason.BULK_DELTA).count() == 1


def test_set_to_a_negative_value_is_a_validation_error(actor, company):
    products = [make_product(company, stock=5)]
    before = rows_written()
    with pytest.raises(ValidationError) as info:
        bulk(actor, products, BulkMode.SET, -1)
    assert info.value.message_dict == {"value": ["Stock cannot be negative."]}
    assert rows_written() == before


def test_delta_of_zero_is_a_validation_error(actor, company):
    with pytest.raises(ValidationError):
        bulk(actor, [make_product(company)], BulkMode.DELTA, 0)


def test_empty_selection_is_a_validation_error(actor):
    with pytest.raises(ValidationError):
        stock_bulk_adjust(actor=actor, channel=Channel.DASHBOARD, product_ids=[], mode=BulkMode.SET, value=1)


def test_product_of_another_company_in_the_selection_refuses_the_whole_batch(actor, company):
    other, _ = make_company()
    mine = make_product(company, stock=5)
    theirs = make_product(other, stock=5)
    before = rows_written()
    with pytest.raises(ProductUnavailable) as info:
        bulk(actor, [mine, theirs], BulkMode.SET, 99)
    assert info.value.product_ids == [theirs.id]
    assert rows_written() == before


def test_unknown_product_in_the_selection_refuses_the_whole_batch(actor, company):
    mine = make_product(company, stock=5)
    with pytest.raises(ProductUnavailable):
        stock_bulk_adjust(
            actor=actor, channel=Channel.DASHBOARD, product_ids=[mine.id, uuid4()], mode=BulkMode.SET, value=1
        )
    assert stocks([mine]) == [5]


def test_plan_writes_nothing(actor, company):
    products = [make_product(company, stock=2)]
    before = rows_written()
    plan = stock_bulk_plan(products=Product.objects.filter(id=products[0].id), mode=BulkMode.DELTA, value=-5)
    assert [(c.before, c.after, c.clamped) for c in plan.changes] == [(2, 0, True)]
    assert rows_written() == before


_stock = st.integers(0, 10_000)


@settings(max_examples=50, deadline=None)
@given(
    befores=st.lists(_stock, min_size=1, max_size=12),
    delta=st.integers(-10_000, 10_000).filter(bool),
)
def test_delta_plan_clamps_exactly_the_products_that_would_go_negative(befores, delta):
    products = [SimpleNamespace(id=i, name=f"p{i}", sku=None, stock=s) for i, s in enumerate(befores)]
    plan = stock_bulk_plan(products=products, mode=BulkMode.DELTA, value=delta)
    changes = {c.product_id: c for c in plan.changes}
    assert plan.unchanged + len(plan.changes) == len(befores)
    for product in products:
        after = max(product.stock + delta, 0)
        if after == product.stock:
            assert product.id not in changes
            continue
        change = changes[product.id]
        assert (change.before, change.after) == (product.stock, after)
        assert change.clamped == (product.stock + delta < 0)
    assert all(c.after >= 0 for c in plan.changes)
    assert {c.product_id for c in plan.clamped} == {
        p.id for p in products if p.stock + delta < 0 and p.stock > 0
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    befores=st.lists(st.integers(0, 30), min_size=1, max_size=5),
    mode=st.sampled_from(BulkMode),
    value=st.integers(-40, 40).filter(bool),
)
def test_bulk_adjust_keeps_stock_non_negative_and_the_ledger_reconciled(actor, befores, mode, value):
    with transaction.atomic():
        products = [
            Product.objects.create(company_id=actor.company_id, name=f"p{i}", price=1, stock=s)
            for i, s in enumerate(befores)
        ]
        for p in products:  # opening rows, as product_create writes them
            StockMovement.objects.create(
                company_id=actor.company_id,
                product=p,
                delta=p.stock,
                stock_before=0,
                stock_after=p.stock,
                reason=MovementReason.EDIT,
                channel=Channel.DASHBOARD,
                actor_type="SYSTEM",
                actor_label="test",
                version=1,
            )
        if mode == BulkMode.SET and value < 0:
            with pytest.raises(ValidationError):
                bulk(actor, products, mode, value)
            after = stocks(products)
            assert after == befores
        else:
            bulk(actor, products, mode, value)
            after = stocks(products)
            expected = [value if mode == BulkMode.SET else max(b + value, 0) for b in befores]
            assert after == expected
        assert all(ledger_reconciles(Product.objects.get(id=p.id)) for p in products)
        transaction.set_rollback(True)
