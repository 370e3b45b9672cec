"""The /api/v1 application: routers, auth and the {"error": ...} rendering of every failure."""

import logging

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from stockline.api import customers, events, orders, products, stock_updates, webhooks
from stockline.api.auth import ApiKeyAuth
from stockline.api.errors import RateLimited, api_error_from, pydantic_error_message

logger = logging.getLogger(__name__)


class JsonObjectParser(Parser):
    """A request body is a JSON object: a list, string or null is "Invalid JSON body." too."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


# Every operation's OpenAPI operationId, by view function: what a generated client names
# its methods (listProducts, not stockline_api_products_products_list).
OPERATION_IDS = {
    "products_list": "listProducts",
    "products_get": "getProduct",
    "products_create": "createProduct",
    "products_update": "updateProduct",
    "products_adjust_stock": "adjustProductStock",
    "stock_updates": "syncStock",
    "orders_list": "listOrders",
    "orders_get": "getOrder",
    "orders_create": "createOrder",
    "orders_update": "updateOrder",
    "customers_list": "listCustomers",
    "customers_get": "getCustomer",
    "customers_create": "createCustomer",
    "events_list": "listEvents",
    "webhooks_list": "listWebhooks",
    "webhooks_create": "createWebhook",
    "webhooks_get": "getWebhook",
    "webhooks_update": "updateWebhook",
    "webhooks_delete": "deleteWebhook",
    "webhooks_rotate_secret": "rotateWebhookSecret",
}


class StocklineAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return OPERATION_IDS[operation.view_func.__name__]  # a new route must be named here


api = StocklineAPI(
    title="Stockline API",
    version="1.1.0",  # CHANGELOG.md
    description=(
        "Products, orders, customers, the event feed and webhooks of one company. Authenticate with "
        '`Authorization: Bearer dk_…`. Every error body is `{"error": "<message>"}`. '
        "Every POST accepts an `Idempotency-Key` header: a retry with the same key and body "
        "returns the original response without acting twice."
    ),
    auth=ApiKeyAuth(),
    parser=JsonObjectParser(),
    urls_namespace="api-v1",
)
api.add_router("", products.router)
api.add_router("", orders.router)
api.add_router("", customers.router)
api.add_router("", events.router)
api.add_router("", webhooks.router)
api.add_router("", stock_updates.router)


def _error(request, status: int, body: dict):
    return api.create_response(request, body, status=status)


@api.exception_handler(Exception)
def on_any_error(request, exc: Exception):
    error = api_error_from(exc)
    if error is None:
        logger.exception("Unhandled API error on %s %s", request.method, request.path)
        return _error(request, 500, {"error": "Internal server error."})
    response = _error(request, error.status, error.body)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    return _error(request, 400, {"error": pydantic_error_message(exc.errors)})


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = "Invalid JSON body."
    return _error(request, exc.status_code, {"error": message})


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc: AuthenticationError):
    return _error(request, 401, {"error": "Missing or invalid Authorization header. Use: Bearer <api_key>"})


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return _error(request, 404, {"error": "Not found."})
