"""The OpenAPI schema declares what the API answers, and the docs work offline."""

from __future__ import annotations

import re

import pytest

from plaint.api.tests.api_requests import ROOT, api_endpoints, content
from plaint.api.tests.permission_cases import CASES
from plaint.api.tests.test_malformed_requests import BAD
from plaint.testing.actors import ANONYMOUS, Cast

BODY_METHODS = {"POST", "PUT", "PATCH"}


@pytest.fixture
def schema(cast: Cast) -> dict:
    response = cast.client(ANONYMOUS).get(f"{ROOT}/openapi.json")
    assert response.status_code == 200
    return response.json()


def operation(schema: dict, method: str, path: str) -> dict:
    return schema["paths"][ROOT + path][method.lower()]


def template_of(method: str, path: str) -> tuple[str, str]:
    """The endpoint (method, path template) that serves a concrete path."""
    for served_method, template in api_endpoints():
        pattern = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"
        if served_method == method and re.match(pattern, path):
            return served_method, template
    raise AssertionError(f"no endpoint serves {method} {path}")


def observed_statuses() -> dict[tuple[str, str], set[int]]:
    """Every status the permission suite and the malformed-request suite expect, by endpoint."""
    statuses: dict[tuple[str, str], set[int]] = {}
    for case_ in CASES:
        statuses.setdefault(case_.endpoint, set()).update(case_.statuses.values())
    for bad in BAD:
        method, path = bad.endpoint.split()
        statuses.setdefault(template_of(method, path), set()).add(bad.status)
    return statuses


def test_the_schema_lists_every_endpoint(schema):
    listed = {(m.upper(), p.removeprefix(ROOT)) for p, ops in schema["paths"].items() for m in ops}
    assert listed == api_endpoints()


def test_every_operation_declares_the_errors_every_operation_can_give(schema):
    for method, path in api_endpoints():
        declared = set(operation(schema, method, path)["responses"])
        assert {"401", "422"} <= declared, (method, path)
        if method in BODY_METHODS:
            assert "400" in declared, (method, path)
        if "{" in path:
            assert "404" in declared, (method, path)


def test_every_status_the_suites_observe_is_declared_for_its_operation(schema):
    missing = {
        endpoint: sorted(str(s) for s in statuses
                         if str(s) not in operation(schema, *endpoint)["responses"])
        for endpoint, statuses in observed_statuses().items()
    }
    assert {e: m for e, m in missing.items() if m} == {}


def test_an_error_response_is_declared_as_code_message_and_fields(schema):
    # given the schema of the 404 of reading a complaint
    response = operation(schema, "GET", "/complaints/{reference}")["responses"]["404"]
    reference = response["content"]["application/json"]["schema"]["$ref"]
    error = schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    # then it is the one error shape
    assert set(error["properties"]) == {"code", "message", "fields"}
    assert set(error["required"]) == {"code", "message"}


def test_the_docs_are_served_without_any_other_site(cast):
    # when the docs page is read
    client = cast.client(ANONYMOUS)
    page = client.get(f"{ROOT}/docs")
    # then it loads its scripts and styles from this server only
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(a.startswith("/static/ninja/") for a in assets), assets
    assert not re.search(r"https?://", html)
    # and those files are there
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert content(response)
