"""Every API error is {"error": "<message>"} (plus structured extras); this maps the typed
errors of the services to their status codes in one place."""

from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError

from stockline.accounts.permissions import PermissionDenied
from stockline.catalog.errors import (
    InsufficientStock,
    ProductUnavailable,
    StockConflict,
    StockWouldGoNegative,
)
from stockline.orders.errors import CustomerNotFound, InvalidTransition, OrderError, OrderNotFound
from stockline.orders.services import OrderInvalid
from stockline.webhooks.services import WebhookNotFound


class ApiError(Exception):
    def __init__(self, status: int, message: str, **extra):
        self.status = status
        self.message = message
        self.extra = extra
        super().__init__(message)

    @property
    def body(self) -> dict:
        return {"error": self.message, **self.extra}


def path_id(raw: str, *, not_found: str) -> UUID:
    """An id from the URL; anything that is not one is simply not found (404, never 400/500)."""
    try:
        return UUID(raw)
    except ValueError as exc:
        raise ApiError(404, not_found) from exc


class RateLimited(ApiError):
    def __init__(self, retry_after: int):
        super().__init__(
            429,
            f"Rate limit exceeded. Try again in {retry_after} seconds.",
            retryAfter=retry_after,
        )
        self.retry_after = retry_after


def validation_error_message(exc: DjangoValidationError) -> str:
    if hasattr(exc, "error_dict"):
        parts = []
        for field, errors in exc.message_dict.items():
            label = "" if field == "__all__" else f"{field}: "
            parts.append(label + " ".join(errors))
        return "Validation failed. " + "; ".join(parts)
    return "Validation failed. " + " ".join(exc.messages)


def api_error_from(exc: Exception) -> ApiError | None:
    """The API rendering of a service error, or None if it is not one we know."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, InsufficientStock):
        return ApiError(
            422,
            exc.message,
            details=[
                {
                    "productId": str(line.product_id),
                    "productName": line.product_name,
                    "requested": line.requested,
                    "available": line.available,
                    "message": line.message,
                }
                for line in exc.lines
            ],
        )
    if isinstance(exc, ProductUnavailable):
        return ApiError(404 if exc.missing else 422, exc.message)
    if isinstance(exc, StockConflict):
        return ApiError(409, exc.message, currentStock=exc.actual)
    if isinstance(exc, StockWouldGoNegative):
        return ApiError(422, exc.message, currentStock=exc.stock)
    if isinstance(exc, OrderInvalid):
        return ApiError(400, exc.message)
    if isinstance(exc, OrderNotFound | CustomerNotFound):
        return ApiError(404, exc.message)
    if isinstance(exc, InvalidTransition | OrderError):
        return ApiError(422, exc.message)
    if isinstance(exc, WebhookNotFound):
        return ApiError(404, exc.message)
    if isinstance(exc, PermissionDenied):
        return ApiError(403, str(exc))
    if isinstance(exc, DjangoValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return ApiError(400, validation_error_message(exc), details=details)
    if isinstance(exc, DataError):  # a value the database cannot store, e.g. stock past its integer
        return ApiError(400, "Validation failed. A value is out of range for storage.")
    return None


def pydantic_error_message(errors: list[dict]) -> str:
    """One readable sentence for the first schema error (e.g. "quantity must be a whole number")."""
    if not errors:
        return "Validation failed."
    error = errors[0]
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
    field = loc[-1] if loc else "body"
    kind = error.get("type", "")
    if kind == "extra_forbidden":  # a strict body: name every field it does not know
        unknown = [
            ".".join(str(p) for p in e["loc"] if p not in ("body", "payload"))
            for e in errors
            if e.get("type") == "extra_forbidden"
        ]
        return f"Unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}."
    if kind == "missing":
        return f"{field} is required" if loc else "Invalid JSON body."  # no body at all
    if kind in {"int_from_float"}:
        return f"{field} must be a whole number"
    if kind in {"int_parsing", "int_type", "decimal_parsing", "decimal_type", "float_parsing"}:
        return f"{field} must be a number"
    if kind == "uuid_parsing" or kind == "uuid_type":
        return f"{field} must be a valid id"
    if kind == "greater_than_equal":
        return f"{field} must be at least {error['ctx']['ge']}"
    if kind == "less_than_equal":
        return f"{field} must be at most {error['ctx']['le']}"
    if kind == "value_error":  # our own validators (schemas.Text): the message names the rule
        return f"{field} {error['ctx']['error']}"
    if kind == "model_attributes_type" or kind == "dict_type":
        return "Invalid JSON body."
    return f"{'.'.join(loc) or 'body'}: {error.get('msg', 'is invalid')}"
