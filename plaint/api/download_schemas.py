"""The OpenAPI description of the API's downloads: a file in the type found in its content.

ninja describes a ``bytes`` response as ``application/json``; a download is not JSON, and a
client (or schemathesis, ``docs/api.md``) that trusts the schema must learn the types it may
receive. An endpoint that sends a file declares none of its own 200 and passes
``openapi_extra=download(...)``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from plaint.complaints.services.evidence import EXTENSIONS

BINARY = {"schema": {"type": "string", "format": "binary"}}


def download(description: str, content_types: list[str]) -> dict[str, Any]:
    """``openapi_extra`` for an operation whose 200 is a file of one of ``content_types``."""
    return {"responses": {200: {"description": description,
                                "content": dict.fromkeys(content_types, BINARY)}}}


def evidence_types() -> list[str]:
    """Every type an evidence file may have: the configured ones and those Plaint names."""
    return sorted(set(EXTENSIONS) | set(settings.PLAINT_EVIDENCE_ALLOWED_TYPES))
