from django.db.models import Q
from ninja import Query, Router, Schema, Status

from stockline.api.auth import ApiKeyAuth
from stockline.api.errors import ApiError, path_id
from stockline.api.pagination import paginate
from stockline.api.schemas import (
    COMMON_ERRORS,
    CustomerCreateIn,
    CustomerEnvelope,
    CustomerListOut,
    ErrorOut,
    Text,
)
from stockline.api.serializers import customer_json
from stockline.core.channels import Channel
from stockline.customers.models import Customer, CustomerStatus
from stockline.customers.services import customer_create

router = Router(tags=["customers"], auth=ApiKeyAuth("customers"))

NOT_FOUND = "Customer not found."


class CustomerFilters(Schema):
    limit: str | None = None
    cursor: str | None = None
    status: str | None = None
    search: Text | None = None


@router.get("/customers", response={200: CustomerListOut, **COMMON_ERRORS})
def customers_list(request, filters: Query[CustomerFilters]):
    qs = Customer.objects.filter(company_id=request.company_id)
    if filters.status:
        if filters.status not in CustomerStatus.values:
            raise ApiError(400, "Invalid customer status.")
        qs = qs.filter(status=filters.status)
    if filters.search:
        term = filters.search.strip()
        qs = qs.filter(Q(email__icontains=term) | Q(name__icontains=term))
    items, pagination = paginate(qs, limit=filters.limit, cursor=filters.cursor)
    return {"data": [customer_json(c) for c in items], "pagination": pagination}


@router.get("/customers/{customer_id}", response={200: CustomerEnvelope, 404: ErrorOut, **COMMON_ERRORS})
def customers_get(request, customer_id: str):
    cid = path_id(customer_id, not_found=NOT_FOUND)
    customer = Customer.objects.filter(company_id=request.company_id, id=cid).first()
    if customer is None:
        raise ApiError(404, NOT_FOUND)
    return {"data": customer_json(customer)}


@router.post("/customers", response={201: CustomerEnvelope, **COMMON_ERRORS})
def customers_create(request, payload: CustomerCreateIn):
    customer = customer_create(
        actor=request.actor,
        channel=Channel.API,
        email=payload.email,
        name=payload.name,
        password=payload.password,
        status=payload.status,
    )
    return Status(201, {"data": customer_json(customer)})
