from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction
from stockline.audit.services import audit_record
from stockline.customers.models import Customer, CustomerStatus

_EMAIL_TAKEN = "A customer with this email already exists."


def customer_create(
    *,
    actor: Actor,
    channel: str,
    email: str,
    name: str,
    password: str | None = None,
    status: str = CustomerStatus.ACTIVE,
) -> Customer:
    """Create a customer of the actor's company; the email is stored lower-case."""
    customer = Customer(
        company_id=actor.company_id,
        email=(email or "").strip().lower(),
        name=(name or "").strip(),
        status=status,
    )
    if password:
        customer.set_password(password)
    # The (company, email) uniqueness is left to the database, so a plain duplicate and a lost
    # race both end in the one message below.
    customer.full_clean(exclude=["password"], validate_constraints=False)
    try:
        with transaction.atomic():
            customer.save()
            audit_record(
                actor=actor,
                action=AuditAction.CUSTOMER_CREATED,
                entity_type="customer",
                entity_id=customer.id,
                channel=channel,
                metadata={"email": customer.email, "name": customer.name},
            )
    except IntegrityError as exc:
        raise ValidationError({"email": [_EMAIL_TAKEN]}) from exc
    return customer
