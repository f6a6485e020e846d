"""Every account page, as a visitor and as a signed-in person, is markup a strict
content-security policy allows (no inline script, handler or style), has one ``h1`` and the
active language in ``<html lang>`` (both tiers)."""

from __future__ import annotations

import pytest

from plaint.parties.choices import Role
from plaint.testing import builders
from plaint.testing.auth import force_login
from plaint.web.tests.test_public_pages import _assert_csp_clean

pytestmark = pytest.mark.django_db

VISITOR_PAGES = ["/account/sign-in/", "/account/sign-up/", "/account/sign-up/sent/",
                 "/account/confirm/MQ/x-y/",
                 "/account/invitation/MQ/x-y/", "/account/password/reset/", "/account/password/reset/sent/",
                 "/account/password/reset/MQ/x-y/", "/account/password/reset/done/"]
PERSON_PAGES = ["/account/", "/account/password/", "/account/password/changed/"]


@pytest.mark.parametrize("language", ["en", "cs"])
def test_every_account_page_is_csp_clean_with_one_heading_in_the_active_language(client, language):
    client.cookies["django_language"] = language
    pages = [(path, client.get(path)) for path in VISITOR_PAGES]
    agent = builders.staff(builders.organisation(), Role.AGENT).user
    agent.preferred_language = language
    agent.save(update_fields=["preferred_language"])
    force_login(client, agent)
    pages += [(path, client.get(path)) for path in PERSON_PAGES]
    for path, response in pages:
        assert response.status_code == 200, path
        html = response.content.decode()
        _assert_csp_clean(html)
        assert html.count("<h1") == 1, path
        assert f'<html lang="{language}">' in html, path
