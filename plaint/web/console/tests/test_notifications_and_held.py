"""The console's notifications page and unread count, and the held e-mail page with its download."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plaint.channels.models import Mailbox
from plaint.channels.services import incoming_message_store
from plaint.complaints.models import StaffNotification
from plaint.complaints.services.inbound import incoming_message_process
from plaint.web.console.tests.helpers import desk

pytestmark = pytest.mark.django_db


def test_an_assignment_shows_in_the_nav_count_and_on_the_page_until_marked_read():
    # given two complaints assigned to me by the manager
    d = desk()
    first, second = d.complaint(to=d.me), d.complaint(to=d.me)
    client = d.client()
    # when I open the console
    queue = client.get(reverse("web:console-queue", args=[d.org.slug])).content.decode()
    page = client.get(reverse("web:console-notifications", args=[d.org.slug])).content.decode()
    # then the nav says two unread, and the page lists both, linking to each complaint
    assert "(2 unread)" in queue
    assert page.count("Unread:") == 2
    assert first.reference in page
    assert second.reference in page
    assert "Assigned to you" in page
    # when I mark them all read
    response = client.post(reverse("web:console-notifications-read", args=[d.org.slug]), follow=True)
    # then nothing is unread, and the notices are still listed
    html = response.content.decode()
    assert "unread)" not in html
    assert "Unread:" not in html
    assert first.reference in html
    assert StaffNotification.objects.filter(recipient=d.me.user, read_at__isnull=True).count() == 0


def test_someone_elses_notices_are_not_shown_nor_marked_read():
    d = desk()
    complaint = d.complaint(to=d.mate)
    client = d.client()
    assert complaint.reference not in client.get(
        reverse("web:console-notifications", args=[d.org.slug])).content.decode()
    client.post(reverse("web:console-notifications-read", args=[d.org.slug]))
    assert StaffNotification.objects.get(recipient=d.mate.user).read_at is None


def _held(org, address: str) -> int:  # noqa: ANN001
    Mailbox.objects.create(organisation=org, address=address)
    message, _ = incoming_message_store(raw=b"\x00 not an e-mail", source="pipe", recipient=address)
    incoming_message_process(message_id=message.pk)
    return message.pk


def test_held_e_mail_is_listed_with_its_reason_and_downloads_as_it_arrived():
    # given an unreadable e-mail to our mailbox and one to the organisation next door
    d = desk()
    ours = _held(d.org, "desk@org.test")
    theirs = _held(d.other_org, "desk@other.test")
    client = d.client()
    # when I open the held e-mail page
    html = client.get(reverse("web:console-held", args=[d.org.slug])).content.decode()
    # then ours is listed with why it is held and a download link, and theirs is not
    assert "Could not be read" in html
    assert reverse("web:console-held-raw", args=[d.org.slug, ours]) in html
    assert reverse("web:console-held-raw", args=[d.org.slug, theirs]) not in html
    # and the download is the message byte for byte, as an attachment
    raw = client.get(reverse("web:console-held-raw", args=[d.org.slug, ours]))
    assert raw.content == b"\x00 not an e-mail"
    assert raw["Content-Disposition"] == f'attachment; filename="incoming-{ours}.eml"'
    assert raw["X-Content-Type-Options"] == "nosniff"
    # and the other organisation's message is not found through our console
    assert client.get(reverse("web:console-held-raw", args=[d.org.slug, theirs])).status_code == 404


def test_console_pages_carry_no_inline_script_style_or_handler():
    # given every console page with something on it (the strict content-security policy of
    # docs/web.md: no inline JavaScript, no inline styles, no hx-on)
    import re

    d = desk()
    complaint = d.complaint(to=d.me)
    _held(d.org, "desk@org.test")
    client = d.client()
    slug = d.org.slug
    urls = [reverse("web:console-queue", args=[slug]) + "?tab=all",
            reverse("web:console-calls", args=[slug]) + "?name=Person",
            reverse("web:console-call-log", args=[slug, complaint.reference]),
            reverse("web:console-call-new-complaint", args=[slug, complaint.customer_id]),
            reverse("web:console-call-new-customer", args=[slug]),
            reverse("web:console-notifications", args=[slug]),
            reverse("web:console-held", args=[slug])]
    for url in urls:
        html = client.get(url).content.decode()
        # then none is there
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, url
        assert re.search(r"\son[a-z]+=", html) is None, url
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert "hx-on" not in html, url
        assert "javascript:" not in html, url
