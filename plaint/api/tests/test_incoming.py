"""Staff find what came in by e-mail, and what waits for a person, and can download it as it came."""

from __future__ import annotations

from plaint.channels.models import Mailbox
from plaint.channels.services import incoming_message_store
from plaint.complaints.services.inbound import incoming_message_process
from plaint.testing.actors import AGENT, OTHER_ORG_AGENT

GARBAGE = b"\x00\xff not an e-mail at all"
MAIL = (b"From: jana@example.test\r\nTo: desk@org1.test\r\nSubject: Nefunguje\r\n"
        b"Message-ID: <a@b>\r\n\r\nText\r\n")


def _take(raw: bytes) -> int:
    message, _ = incoming_message_store(raw=raw, source="pipe", recipient="desk@org1.test")
    return incoming_message_process(message_id=message.pk).pk


def test_staff_list_what_waits_for_a_person_and_download_it_as_it_came(cast, django_assert_max_num_queries):
    # given a readable mail (it opened a complaint) and an unreadable one (held)
    Mailbox.objects.create(organisation=cast.org1, address="desk@org1.test")
    opened, held = _take(MAIL), _take(GARBAGE)
    agent = cast.client(AGENT)
    # when an agent lists what is held
    with django_assert_max_num_queries(4):
        page = agent.get("/api/v1/incoming-messages", {"state": "held"}).json()
    # then only the unreadable one is there, saying why
    assert [(m["id"], m["state"], m["complaint_reference"]) for m in page["items"]] == [(held, "held", None)]
    assert page["items"][0]["problem"]
    # and the full list also shows the mail that opened a complaint
    everything = agent.get("/api/v1/incoming-messages").json()["items"]
    assert [m["id"] for m in everything] == [held, opened]
    assert everything[1]["complaint_reference"] is not None
    # and the raw message comes back byte for byte, as a download that is never rendered
    raw = agent.get(f"/api/v1/incoming-messages/{held}/raw")
    assert (raw.status_code, raw.content, raw["Content-Type"], raw["X-Content-Type-Options"]) == (
        200, GARBAGE, "message/rfc822", "nosniff"
    )
    assert raw["Content-Disposition"].startswith("attachment;")


def test_another_organisations_staff_see_nothing_of_it(cast):
    Mailbox.objects.create(organisation=cast.org1, address="desk@org1.test")
    held = _take(GARBAGE)
    other = cast.client(OTHER_ORG_AGENT)
    assert other.get("/api/v1/incoming-messages").json()["items"] == []
    assert other.get(f"/api/v1/incoming-messages/{held}").status_code == 404
    assert other.get(f"/api/v1/incoming-messages/{held}/raw").status_code == 404
