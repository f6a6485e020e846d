"""Every page of the permission table carries the content-security policy and the other security
headers (docs/security.md "Production settings and headers"): no inline script, no eval, no
framing, the referrer kept to this site, no sniffing."""

from __future__ import annotations

import pytest

from plaint.testing.actors import ALL_ACTORS
from plaint.web.tests.test_page_permissions import PAGES

pytestmark = pytest.mark.django_db

UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")


def directives(header: str) -> dict[str, list[str]]:
    """``"a b c; d e"`` as ``{"a": ["b", "c"], "d": ["e"]}``."""
    parsed = {}
    for part in header.split(";"):
        if words := part.split():
            parsed[words[0]] = words[1:]
    return parsed


def _reader(page) -> str:
    """An actor the page answers with its content (200), or any actor when none does."""
    return next((who for who in ALL_ACTORS if page.expect[who] == 200), ALL_ACTORS[0])


def test_every_page_sends_a_policy_without_inline_script_or_eval_and_the_other_headers(cast):
    wrong = []
    for page in PAGES:
        # given the page as an actor who may read it
        who = _reader(page)
        response = getattr(cast.client(who), page.method)(page.path(cast), page.data(cast))
        # then its policy allows only our own scripts, is never framed, and no header is missing
        policy = directives(response.get("Content-Security-Policy", ""))
        script = policy.get("script-src", policy.get("default-src"))
        if not policy or script is None or set(script) & set(UNSAFE):
            wrong.append((page.name, who, "script-src", script))
        objects = policy.get("object-src", policy.get("default-src"))
        if policy.get("frame-ancestors") != ["'none'"] or objects != ["'none'"]:
            wrong.append((page.name, who, "frame-ancestors/object-src", policy))
        if page.download and response.status_code == 200 and "sandbox" not in policy:
            wrong.append((page.name, who, "download without sandbox", policy))
        if "'unsafe-inline'" in policy.get("style-src", []):
            wrong.append((page.name, who, "style-src", policy.get("style-src")))
        expected = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin"}
        for header, value in expected.items():
            if response.get(header) != value:
                wrong.append((page.name, who, header, response.get(header)))
    assert wrong == []


def test_the_api_and_its_documentation_carry_the_policy_too(client):
    # when the API's documentation page and its schema are read
    for path in ("/api/v1/docs", "/api/v1/openapi.json"):
        response = client.get(path)
        # then they carry the same strict policy (Swagger UI needs no inline script)
        assert response.status_code == 200, path
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
