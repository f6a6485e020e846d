"""The permission suite: every endpoint of the API, for every actor of the canonical cast.

Each row of ``CASES`` is one request to one endpoint, from a given state of
customer A's complaint (or cancellation), with the status every actor gets, in
the order of ``ALL_ACTORS``. Anonymous callers get 401; whoever may not see the
object gets the 404 that a missing object gets, with the same body; the
complaint's customer and organisation 1's staff get what ``policy.POLICY`` and
the lifecycle say. A read, or a request refused with any 4xx, changes nothing
in the database; an accepted write changes it. An endpoint of the API without a
row fails ``test_the_table_covers_every_endpoint_of_the_api``.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from plaint.api.tests.api_requests import (
    GHOST_REFERENCE,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    ROOT,
    api_endpoints,
    content,
    send,
)
from plaint.api.tests.permission_cases import CASE_IDS, CASES
from plaint.parties.choices import Role, TokenScope
from plaint.parties.services import api_token_create
from plaint.testing.actors import (
    AGENT,
    ALL_ACTORS,
    ANONYMOUS,
    COMPLAINTS_OFFICER,
    CUSTOMER_A,
    CUSTOMER_B,
    INTERNAL_MARK,
    MANAGER,
    ORG1_STAFF,
    ORG_ADMIN,
    OTHER_ORG_AGENT,
    PLATFORM_ADMIN,
    TEAM_LEADER,
    TOKEN,
)
from plaint.testing.database import all_rows


@pytest.fixture(autouse=True)
def _webhook_urls_may_name_loopback(settings):
    """The webhook endpoint registered by the table is on 127.0.0.1, which production refuses."""
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = True





def test_the_table_covers_every_endpoint_of_the_api():
    # given the endpoints the API object serves
    served = api_endpoints()
    # when the table's endpoints are compared with them
    tested = {c.endpoint for c in CASES}
    # then every served endpoint has a row, and no row names an endpoint that does not exist
    assert served - tested == set(), "endpoints without a row in the permission table"
    assert tested - served == set(), "rows for endpoints the API does not serve"


def test_the_actor_names_of_the_table_header_are_the_canonical_set():
    assert ALL_ACTORS == [ANONYMOUS, CUSTOMER_A, CUSTOMER_B, AGENT, TEAM_LEADER, COMPLAINTS_OFFICER,
                          MANAGER, ORG_ADMIN, OTHER_ORG_AGENT, PLATFORM_ADMIN, TOKEN]


@pytest.mark.parametrize("actor", ALL_ACTORS)
@pytest.mark.parametrize("case_", CASES, ids=CASE_IDS)
def test_each_actor_gets_the_status_the_table_says(cast, case_, actor):
    # given the state the case starts from, and the actor's client
    context = case_.given(cast)
    client = cast.client(actor)
    before = all_rows()
    # when the actor makes the request
    response = send(client, case_, context)
    # then the status is the table's
    expected = case_.statuses[actor]
    body = content(response)
    assert response.status_code == expected, body[:500]
    # and a read or a refusal changes nothing, an accepted write does
    changed = all_rows() != before
    assert changed == (case_.method != "GET" and expected < 400)
    # and a refusal is the one error shape, and tells nothing
    if expected >= 400:
        error = json.loads(body)
        assert set(error) == {"code", "message", "fields"}
    if expected == 401:
        assert error == NOT_AUTHENTICATED
    if expected == 404:
        assert error == NOT_FOUND
    if expected == 403:
        assert error["code"] == "not_permitted"
    # and nobody but organisation 1's staff reads anything internal
    if actor not in ORG1_STAFF:
        assert INTERNAL_MARK.encode() not in body


LIST_SEES = {
    CUSTOMER_A: {"complaint_a"},
    CUSTOMER_B: {"complaint_b"},
    **dict.fromkeys(ORG1_STAFF, {"complaint_a", "complaint_b"}),
    OTHER_ORG_AGENT: {"complaint_other_org"},
    PLATFORM_ADMIN: set(),
}


@pytest.mark.parametrize("actor", sorted(LIST_SEES))
def test_the_list_shows_each_actor_only_the_complaints_they_may_see(cast, actor):
    # given the cast's three complaints: A's and B's in organisation 1, one in organisation 2
    names = {getattr(cast, n).reference: n for n in ("complaint_a", "complaint_b", "complaint_other_org")}
    client = cast.client(actor)
    # when the actor lists complaints, all of them, organisation 1's, and searches for A's reference
    everything = client.get(f"{ROOT}/complaints", {"limit": 200}).json()["items"]
    of_org1 = client.get(f"{ROOT}/complaints", {"organisation_id": cast.org1.pk}).json()["items"]
    search = client.get(f"{ROOT}/complaints", {"q": cast.complaint_a.reference}).json()["items"]
    # then each shows only what the actor may see
    assert {names[c["reference"]] for c in everything} == LIST_SEES[actor]
    assert {names[c["reference"]] for c in of_org1} == LIST_SEES[actor] - {"complaint_other_org"}
    assert {names[c["reference"]] for c in search} == LIST_SEES[actor] & {"complaint_a"}


@pytest.mark.parametrize("case_", CASES, ids=CASE_IDS)
def test_a_read_only_token_may_read_but_not_write(cast, case_):
    # given a read-only token of organisation 1 with the canonical token's role
    _token, secret = api_token_create(organisation=cast.org1, name="Reporting", role=Role.AGENT,
                                      scope=TokenScope.READ)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    context = case_.given(cast)
    before = all_rows()
    # when it makes the case's request
    response = send(client, case_, context)
    # then it reads what the write token reads, and every write is refused, keeping nothing
    if case_.method == "GET":
        assert response.status_code == case_.statuses[TOKEN]
    else:
        assert response.status_code == 403, content(response)[:500]
        assert response.json()["code"] == "permission_denied"
        assert all_rows() == before


GHOSTS = {"reference": GHOST_REFERENCE, "protocol": GHOST_REFERENCE,
          "evidence_id": 987654321, "message_id": 987654321, "promise_id": 987654321,
          "organisation_id": 987654321, "endpoint_id": 987654321, "delivery_id": 987654321,
          "incoming_id": 987654321, "token_id": 987654321}
CASES_WITH_PATH_IDS = [c for c in CASES if "{" in c.path]


@pytest.mark.parametrize("case_", CASES_WITH_PATH_IDS, ids=[c.name for c in CASES_WITH_PATH_IDS])
def test_what_does_not_exist_gets_the_same_404_as_what_is_not_yours(cast, case_):
    # given the case's state, and its path with identifiers of nothing
    context = case_.given(cast)
    ghost = {**context, **{k: v for k, v in GHOSTS.items() if k in context}}
    manager, customer_b = cast.client(MANAGER), cast.client(CUSTOMER_B)
    before = all_rows()
    # when a manager of organisation 1 asks for nothing, and customer B for customer A's
    missing = send(manager, case_, ghost)
    not_theirs = send(customer_b, case_, context)
    # then both get the same answer, and nothing changes
    assert missing.status_code == not_theirs.status_code == 404
    assert missing.json() == not_theirs.json() == NOT_FOUND
    assert all_rows() == before
