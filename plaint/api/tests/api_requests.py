"""What every API test sends and expects: the API's root, its error bodies, and one request
described as a ``Case`` of the permission table (``permission_cases``), sent by ``send``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponseBase
from django.test import Client

from plaint.api.v1 import api
from plaint.core import references
from plaint.testing.actors import (
    ALL_ACTORS,
    Cast,
)

ROOT = "/api/v1"
#: A well-formed reference (its check character right) that no complaint has.
GHOST_REFERENCE = "GH0STREF" + references.check_character("GH0STREF")
NOT_FOUND = {"code": "not_found", "message": "Not found.", "fields": {}}
NOT_AUTHENTICATED = {
    "code": "not_authenticated", "message": "Sign in or send a valid API token.", "fields": {},
}

Context = dict[str, Any]
Body = dict[str, Any] | Callable[[Context], dict[str, Any]] | None


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    given: Callable[[Cast], Context]
    body: Body
    statuses: dict[str, int]
    multipart: bool = False

    @property
    def endpoint(self) -> tuple[str, str]:
        return self.method, self.path


def case(name: str, endpoint: str, given: Callable[[Cast], Context], body: Body,
         *statuses: int, multipart: bool = False) -> Case:
    method, path = endpoint.split()
    assert len(statuses) == len(ALL_ACTORS), name
    return Case(name, method, path, given, body, dict(zip(ALL_ACTORS, statuses, strict=True)),
                multipart)


def send(client: Client, case_: Case, context: Context) -> HttpResponseBase:
    """Make the case's request with ``client``, the path filled in from ``context``."""
    url = ROOT + case_.path.format(**context)
    body = case_.body(context) if callable(case_.body) else case_.body
    if case_.method == "GET":
        return client.get(url, body or {})
    if case_.multipart:
        return client.post(url, body or {})
    return client.generic(case_.method, url, json.dumps(body or {}),
                          content_type="application/json")


def content(response: HttpResponseBase) -> bytes:
    """The whole body of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined]


def api_endpoints() -> set[tuple[str, str]]:
    """Every (method, path) the API object serves, from its routers' path operations."""
    _ = api.urls  # binds the routers, nested ones too, so that ``_routers`` lists them all
    found = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.add((method, (prefix.rstrip("/") + path) or "/"))
    return found

