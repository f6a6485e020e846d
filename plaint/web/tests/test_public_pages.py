"""The public pages through Django's test client (both database tiers): statuses, 404s, query
counts, the rules' texts, and markup that a strict content-security policy would allow."""

from __future__ import annotations

import re

import pytest

from plaint.clocks.context import rules_changed
from plaint.clocks.models import PolicyRule
from plaint.core import clock
from plaint.parties.choices import Sector
from plaint.testing import builders

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
HTMX_CONFIG = """<meta name="htmx-config" content='{"allowEval":false,"includeIndicatorStyles":false}'>"""
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def _page(client, url: str, language: str = "en", status: int = 200) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status, url
    return response.content.decode()


def _assert_csp_clean(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html)
    assert not INLINE_STYLE.search(html)
    assert "hx-on" not in html


def _public_urls(slug: str) -> list[str]:
    return ["/", f"/providers/{slug}/procedure/", f"/providers/{slug}/complain/", "/rights/",
            "/rights/cz/telecom/"]


def test_home_lists_managed_providers_only(client, django_assert_max_num_queries):
    # given a managed and an unmanaged provider
    builders.organisation(name="Managed Telco", slug="managed-telco")
    builders.organisation(name="Unknown Shop", slug="unknown-shop", is_managed=False)
    # when the home page is read
    with django_assert_max_num_queries(1):
        html = _page(client, "/")
    # then only the managed one is linked, to its procedure
    assert 'href="/providers/managed-telco/procedure/"' in html
    assert "Unknown Shop" not in html


def test_every_public_page_has_no_inline_script_handler_or_style(client):
    # given a provider
    org = builders.organisation()
    # when each public page is read, then none has inline code or styles, and htmx loads from a file
    for url in _public_urls(org.slug):
        html = _page(client, url)
        _assert_csp_clean(html)
        assert '<script src="/static/vendor/htmx.org/htmx.min.js" defer></script>' in html
        assert HTMX_CONFIG in html
        assert '<main id="main"' in html
        assert 'href="#main"' in html


def test_htmx_is_served_from_the_installed_package(client):
    # when the script the pages load is fetched, then it is the npm package's file
    response = client.get("/static/vendor/htmx.org/htmx.min.js")
    assert response.status_code == 200
    assert b"htmx" in b"".join(response.streaming_content)


def test_procedure_shows_channels_levels_statutory_and_policy_deadlines(
    client, django_assert_max_num_queries
):
    # given a Czech internet provider with an e-mail, a postal address and one policy rule
    org = builders.organisation(
        name="Net CZ", country="CZ", sector=Sector.INTERNET, complaint_email="stiznosti@net.test",
        complaint_address="Main street 1\nPrague",
    )
    PolicyRule.objects.create(
        organisation=org, code="reply-fast", version=1, title="Reply within five working days",
        start="received", duration_value=5, duration_unit="business_days", on_expiry=["escalate"],
        effective_from=clock.now(),
    )
    rules_changed(org)
    # when its procedure page is read
    with django_assert_max_num_queries(2):
        html = _page(client, f"/providers/{org.slug}/procedure/")
    # then it shows how to complain, every level, the law's and its own deadlines and the regulator
    assert "stiznosti@net.test" in html
    assert "Main street 1" in html
    for level in ("Frontline", "Supervisor", "Formal complaint", "Senior management"):
        assert level in html
    assert "Handle a complaint about electronic communications (Czech law)" in html
    assert "within 1 month" in html
    assert "Act 127/2005 Sb. (Electronic Communications), § 129" in html
    assert "checked against the text of the rule" in html
    assert "Reply within five working days" in html
    assert "within 5 working days" in html
    assert "the complaint is escalated one level" in html
    assert "ČTÚ (Czech Telecommunication Office)" in html
    assert 'href="/rights/cz/internet/"' in html


def test_procedure_leaves_out_inactive_and_ended_policy_rules(client):
    # given a provider with an inactive rule
    org = builders.organisation()
    PolicyRule.objects.create(
        organisation=org, code="old", version=1, title="An abandoned target", start="received",
        duration_value=2, duration_unit="calendar_days", is_active=False, effective_from=clock.now(),
    )
    # when its page is read, then the rule is not there
    assert "An abandoned target" not in _page(client, f"/providers/{org.slug}/procedure/")


def test_procedure_names_who_is_responsible_for_complaints_when_the_provider_says(client):
    # given a provider that names the owner of its complaints process, and one that does not
    named = builders.organisation(complaints_owner="Jana Nováková, Head of Customer Care")
    unnamed = builders.organisation()
    # when their pages are read, then the first names the owner and the second has no such section
    assert "responsibility of Jana Nováková, Head of Customer Care." in _page(
        client, f"/providers/{named.slug}/procedure/")
    assert "Who is responsible" not in _page(client, f"/providers/{unnamed.slug}/procedure/")


def test_procedure_of_unknown_or_unmanaged_provider_is_not_found(client):
    # given an unmanaged provider
    org = builders.organisation(is_managed=False)
    # when the pages are read, then both are 404
    _page(client, "/providers/nobody/procedure/", status=404)
    _page(client, f"/providers/{org.slug}/procedure/", status=404)


def test_rights_index_lists_countries_and_sectors_without_queries(client, django_assert_num_queries):
    # when the index is read, then it needs no query and links each country's sectors
    with django_assert_num_queries(0):
        html = _page(client, "/rights/")
    assert 'href="/rights/cz/telecom/"' in html
    assert 'href="/rights/pl/finance/"' in html
    assert 'href="/rights/br/retail/"' in html
    assert "Czechia" in html
    assert "Brazil" in html


def test_rights_page_says_what_the_provider_must_do_and_what_happens_if_not(client):
    # when the Polish telecoms rights page is read
    html = _page(client, "/rights/pl/telecom/")
    # then it has the rule's title, time, consequence and source with its confidence
    assert "Reply to a telecoms complaint (Polish law)" in html
    assert "within 30 days" in html
    assert "the complaint is deemed accepted as the customer asked" in html
    assert "Telecommunications" in html
    assert "Poland" in html


def test_rights_page_shows_what_the_consumer_must_do_by_when(client):
    # when the Czech telecoms page is read, then the consumer's own time limit is shown as such
    html = _page(client, "/rights/cz/telecom/")
    assert "Object to the handling before the Czech Telecommunication Office" in html
    assert "Time you have" in html
    assert "the right lapses" in html


def test_rights_page_in_czech_uses_the_translated_texts(client):
    # when the page is read in Czech, then the html says so and the rule title is translated
    html = _page(client, "/rights/cz/telecom/", language="cs")
    assert '<html lang="cs">' in html
    assert "Handle a complaint about electronic communications" not in html


def test_rights_of_unknown_country_or_sector_are_not_found(client):
    _page(client, "/rights/xx/telecom/", status=404)
    _page(client, "/rights/cz/spaceflight/", status=404)


def test_public_pages_refuse_posts(client):
    org = builders.organisation()
    for url in _public_urls(org.slug):
        if not url.endswith("/complain/"):  # the complaint form takes posts
            assert client.post(url).status_code == 405


def test_language_switcher_sets_the_language(client):
    # when Czech is chosen in the switcher's form
    response = client.post("/i18n/setlang/", {"language": "pl", "next": "/rights/"})
    # then the next page comes back in Polish
    assert response.status_code == 302
    assert response["Location"] == "/rights/"
    assert '<html lang="pl">' in _page(client, "/rights/")
