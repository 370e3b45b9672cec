"""Schemathesis over our own /api/v1/openapi.json: no input makes the API answer a 5xx, and every
answer matches the document (status code, content type, body schema).

Runs in-process through the WSGI application on the test's database connection, so it runs in
the SQLite and the PostgreSQL pass alike (PostgreSQL refuses some inputs SQLite stores, e.g. NUL).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stockline.wsgi import application
from tests.api.conftest import make_key

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BOUNDED = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def bearer(company, settings):
    """An all-scopes key of `company`, with rate limiting off so no 429 interrupts the run."""
    settings.API_RATE_LIMIT = 0
    # The application runs in this thread on the test's connection: keep Django from closing
    # it after every request, as django.test.Client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {make_key(company)}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(objects):
    """Path parameters naming real objects of the key's company."""
    return {f"{name}_id": str(obj.id) for name, obj in objects.items()}


@schema.parametrize()
@BOUNDED
def test_generated_requests_get_documented_answers_and_never_a_5xx(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)


@schema.include(path_regex=r"\{").parametrize()
@BOUNDED
def test_generated_requests_on_existing_objects_get_documented_answers(case, bearer, real_ids):
    case.path_parameters = {name: real_ids[name] for name in case.path_parameters}
    case.call_and_validate(headers=bearer, checks=CHECKS)
