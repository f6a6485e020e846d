"""The console pages in the shared permission suite (see `pages.py`): organisation 1's staff of
every role may open them; anyone else signed in gets 403, a visitor is sent to sign in. Forms
that post redirect back (302) after they act, or after refusing what the role may not do."""

from __future__ import annotations

from django.urls import reverse

from plaint.channels.models import Mailbox
from plaint.channels.services import incoming_message_store
from plaint.complaints.services.inbound import incoming_message_process
from plaint.testing.actors import CUSTOMER_A, Cast
from plaint.web.tests.pages import SIGN_IN, Page, only, staff_of_org1


def _url(name: str, *args: object):  # noqa: ANN202 - a path builder
    return lambda cast: reverse(f"web:{name}", args=[cast.org1.slug, *args])


def _held_message_id(cast: Cast) -> int:
    """An e-mail to organisation 1's mailbox that could not be read: held for a person."""
    if "held_id" not in cast.extra:
        Mailbox.objects.create(organisation=cast.org1, address="desk@org1.test")
        message, _ = incoming_message_store(raw=b"\x00 not an e-mail", source="pipe",
                                            recipient="desk@org1.test")
        incoming_message_process(message_id=message.pk)
        cast.extra["held_id"] = message.pk
    return cast.extra["held_id"]


def _staff_page(status: int = 200) -> dict[str, int]:
    return only(staff_of_org1(status))


PAGES: list[Page] = [
    Page("console-queue", _url("console-queue"), _staff_page()),
    Page("console-bulk-assign", _url("console-bulk-assign"), _staff_page(302), method="post",
         data=lambda cast: {"complaint": [cast.complaint_b.reference],
                            "assignee": cast.memberships["agent"].pk}),
    Page("console-notifications", _url("console-notifications"), _staff_page()),
    Page("console-notifications-read", _url("console-notifications-read"), _staff_page(302),
         method="post"),
    Page("console-held", _url("console-held"), _staff_page()),
    Page("console-held-raw",
         lambda cast: reverse("web:console-held-raw", args=[cast.org1.slug, _held_message_id(cast)]),
         _staff_page(), download=True),
    Page("console-calls",
         lambda cast: reverse("web:console-calls", args=[cast.org1.slug])
         + f"?email={cast.customers[CUSTOMER_A].email}",
         _staff_page()),
    Page("console-call-new-customer", _url("console-call-new-customer"), _staff_page()),
    Page("console-call-new-complaint",
         lambda cast: reverse("web:console-call-new-complaint",
                              args=[cast.org1.slug, cast.customers[CUSTOMER_A].pk]),
         _staff_page()),
    Page("console-call-log",
         lambda cast: reverse("web:console-call-log", args=[cast.org1.slug, cast.complaint_a.reference]),
         _staff_page()),
]

assert SIGN_IN == 302  # the posts' redirect and the sign-in redirect share a status on purpose
