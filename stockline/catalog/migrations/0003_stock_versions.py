"""Product.version and StockMovement.version: each product's movements numbered 1, 2, 3, …
in ledger order, and the product at the number of its last one."""

from django.db import migrations, models


def number_movements(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    StockMovement = apps.get_model("catalog", "StockMovement")
    for product_id in Product.objects.values_list("id", flat=True).iterator():
        movements = list(StockMovement.objects.filter(product_id=product_id).order_by("created_at", "id").only("id"))
        for version, movement in enumerate(movements, start=1):
            movement.version = version
        StockMovement.objects.bulk_update(movements, ["version"], batch_size=500)
        Product.objects.filter(id=product_id).update(version=max(len(movements), 1))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_squashed_movement_order")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="version",
            field=models.PositiveBigIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="stockmovement",
            name="version",
            field=models.PositiveBigIntegerField(
                default=0, help_text="The product's version after this movement: 1, 2, 3, …"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(number_movements, migrations.RunPython.noop),
    ]
