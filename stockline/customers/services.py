from uuid import UUID

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction
from stockline.audit.services import audit_record
from stockline.core.channels import Channel
from stockline.customers.models import Customer, CustomerStatus
from stockline.events.feed import events_record
from stockline.events.models import EventType
from stockline.events.payloads import customer_data, event_rows

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
    """Create a customer of the actor's company; the email is stored lower-case. Writes its
    customer.created event."""
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
            events_record(
                event_rows(
                    actor.company_id,
                    EventType.CUSTOMER_CREATED,
                    [customer_data(customer)],
                    customer.created_at,
                )
            )
    except IntegrityError as exc:
        raise ValidationError({"email": [_EMAIL_TAKEN]}) from exc
    return customer


# ---------------------------------------------------------------- storefront self-service

PASSWORD_MIN = 8
PASSWORD_MAX = 100
REGISTRATION_EMAIL_TAKEN = "An account with this email already exists. Sign in instead."
LOGIN_INVALID = "Invalid email or password."
LOGIN_SUSPENDED = "Your account has been suspended. Please contact the store."
CURRENT_PASSWORD_WRONG = "Your current password was entered incorrectly."


class CustomerLoginRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def customer_register(*, company_id: UUID, email: str, name: str, password: str) -> Customer:
    """A buyer signs themselves up on the store: ACTIVE, audited as CustomerCreated from the
    storefront (the actor is the store itself: the customer does not exist before this)."""
    if not PASSWORD_MIN <= len(password or "") <= PASSWORD_MAX:
        raise ValidationError(
            {"password": [f"Password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters."]}
        )
    try:
        return customer_create(
            actor=Actor.system(company_id, label="Storefront registration"),
            channel=Channel.STOREFRONT,
            email=email,
            name=name,
            password=password,
        )
    except ValidationError as exc:
        if _EMAIL_TAKEN in exc.message_dict.get("email", []):
            raise ValidationError({"email": [REGISTRATION_EMAIL_TAKEN]}) from exc
        raise


def customer_authenticate(*, company_id: UUID, email: str, password: str) -> Customer:
    """The store's customer with these credentials, or CustomerLoginRefused.

    Only a blocked customer who knows the password learns that the account is suspended;
    every other failure reads the same, and an unknown email costs one hash like a known one.
    """
    customer = Customer.objects.filter(company_id=company_id, email=(email or "").strip().lower()).first()
    if customer is None:
        make_password(password)  # the same work as a wrong password: no timing tell
        raise CustomerLoginRefused(LOGIN_INVALID)
    if not customer.check_password(password):
        raise CustomerLoginRefused(LOGIN_INVALID)
    if customer.is_blocked:
        raise CustomerLoginRefused(LOGIN_SUSPENDED)
    return customer


def customer_password_change(*, customer: Customer, current_password: str, new_password: str) -> Customer:
    """The signed-in customer changes their own password: the current one must be right and the
    new one passes AUTH_PASSWORD_VALIDATORS (as the reset flow's SetPasswordForm checks it).

    Raises ValidationError keyed by "current_password" or "new_password" and changes nothing.
    The new hash ends every storefront session of the customer (storefront/session.py keeps an
    HMAC of it): the caller signs the current session in again.
    """
    if not customer.check_password(current_password or ""):
        raise ValidationError({"current_password": [CURRENT_PASSWORD_WRONG]})
    try:
        password_validation.validate_password(new_password, customer)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    return customer_password_set(customer=customer, new_password=new_password)


def customer_password_reset_find(*, company_id: UUID, email: str) -> Customer | None:
    """The customer of this store a reset link may be sent to: active, with a password."""
    customer = Customer.objects.filter(company_id=company_id, email=(email or "").strip().lower()).first()
    if customer is None or customer.is_blocked or not customer.password:
        return None
    return customer


def customer_password_set(*, customer: Customer, new_password: str) -> Customer:
    """Store a new (already validated) password. The new hash ends every storefront session
    of the customer (storefront/session.py keeps an HMAC of it)."""
    customer.set_password(new_password)
    customer.save(update_fields=["password", "updated_at"])
    return customer
