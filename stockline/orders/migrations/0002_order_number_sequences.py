"""Give every existing company its PostgreSQL order-number sequence, continuing its counter."""

from django.db import migrations


def create_sequences(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Company = apps.get_model("accounts", "Company")
    Order = apps.get_model("orders", "Order")
    with schema_editor.connection.cursor() as cursor:
        for company in Company.objects.all():
            last = (
                Order.objects.filter(company_id=company.id).order_by("-number").values_list("number", flat=True).first()
            )
            start = max(last or 0, company.order_number_seq) + 1
            name = schema_editor.connection.ops.quote_name(f"order_number_{company.id.hex}")
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {int(start)}")


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_sequences, migrations.RunPython.noop)]
