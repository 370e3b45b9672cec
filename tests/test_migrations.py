"""The squashed migrations: a database migrated before the squash has nothing left to apply,
and orders' migration still gives existing companies their PostgreSQL order-number sequence."""

import importlib

from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from stockline.orders.numbers import order_number_next_sql
from tests.conftest import requires_postgres
from tests.factories import make_product, place

# What django_migrations holds for the project's apps on a database migrated before the squash.
MIGRATIONS_BEFORE_THE_SQUASH = {
    "accounts": [
        "0001_initial",
        "0002_invitation",
        "0003_created_at_unindexed",
        "0004_order_counter_dropped",
        "0005_loginthrottle",
    ],
    "api": ["0001_initial"],
    "audit": [
        "0001_initial",
        "0002_alter_auditentry_action",
        "0003_team_audit_actions",
        "0004_unsearched_references_unindexed",
        "0005_newest_index_ascending",
        "0006_alter_auditentry_action",
    ],
    "catalog": [
        "0001_initial",
        "0002_initial",
        "0003_stock_max",
        "0004_product_stock_index_covers_threshold",
        "0005_unsearched_references_unindexed",
        "0006_product_storefront_catalog_index",
        "0007_drop_redundant_indexes",
    ],
    "customers": ["0001_initial", "0002_customer_company_newest"],
    "imports": ["0001_initial"],
    "notifications": ["0001_initial", "0002_lowstockalert_claimed_until", "0003_created_at_unindexed"],
    "orders": [
        "0001_initial",
        "0002_order_number_sequences",
        "0003_unsearched_references_unindexed",
        "0004_created_at_unindexed",
        "0005_newest_index_ascending",
    ],
    "storefront": ["0001_initial", "0002_delete_loginthrottle"],
}


def test_database_migrated_before_the_squash_has_nothing_to_apply(db):
    recorded = MigrationRecorder(connection).migration_qs
    recorded.filter(app__in=MIGRATIONS_BEFORE_THE_SQUASH).delete()
    recorded.bulk_create(
        recorded.model(app=app, name=name)
        for app, names in MIGRATIONS_BEFORE_THE_SQUASH.items()
        for name in names
    )
    executor = MigrationExecutor(connection)
    squashed = {
        key: migration for key, migration in executor.loader.disk_migrations.items() if migration.replaces
    }
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    # only migrations written after the squash are left to apply, forwards
    assert all(not backwards and (m.app_label, m.name) not in squashed for m, backwards in plan)
    assert set(squashed) <= set(executor.loader.applied_migrations)
    replaced = sorted(key for migration in squashed.values() for key in migration.replaces)
    assert replaced == sorted(
        (app, name) for app, names in MIGRATIONS_BEFORE_THE_SQUASH.items() for name in names
    )


@requires_postgres
def test_orders_migration_starts_an_existing_companys_sequence_after_its_last_order(company):
    product = make_product(company, stock=10)
    place(company, [(product, 1)])
    place(company, [(product, 1)])
    sequence = f"order_number_{company.id.hex}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SEQUENCE {connection.ops.quote_name(sequence)}")
    migration = importlib.import_module("stockline.orders.migrations.0001_squashed_initial")
    with connection.schema_editor() as schema_editor:
        migration.create_sequences(apps, schema_editor)
    with connection.cursor() as cursor:
        cursor.execute(*order_number_next_sql(company.id))
        assert cursor.fetchone()[0] == 3
