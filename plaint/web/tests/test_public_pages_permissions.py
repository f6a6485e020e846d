"""The shared permission suite for the public pages: every actor of the canonical set reads the
same public page, and no page shows anything of any complaint or anyone's data."""

from __future__ import annotations

import pytest

from plaint.testing.actors import ALL_ACTORS, INTERNAL_MARK

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ALL_ACTORS)
def test_every_actor_reads_the_public_pages_and_nothing_of_any_complaint(cast, who):
    # given the canonical actors, their complaints and internal items
    client = cast.client(who)
    urls = ["/", f"/providers/{cast.org1.slug}/procedure/", f"/providers/{cast.org1.slug}/complain/",
            "/rights/", "/rights/cz/internet/"]
    private = [
        INTERNAL_MARK,
        cast.complaint_a.reference, cast.complaint_b.reference, cast.complaint_other_org.reference,
        *(c.full_name for c in cast.customers.values() if c.full_name),
        *(c.email for c in cast.customers.values() if c.email),
    ]
    for url in urls:
        # when the page is read
        response = client.get(url)
        # then it is there for everyone, the same, and shows no complaint, customer or internal item
        assert response.status_code == 200, (who, url)
        html = response.content.decode()
        for secret in private:
            assert secret not in html, (who, url, secret)


@pytest.mark.parametrize("who", ALL_ACTORS)
def test_no_actor_reads_a_confirmation_they_did_not_file(cast, who):
    # given the canonical actors, none of whom filed through the form in their session
    client = cast.client(who)
    # when the confirmation page is read, then it sends them to the form and shows no reference
    response = client.get(f"/providers/{cast.org1.slug}/complain/received/")
    assert response.status_code == 302, who
    assert response["Location"] == f"/providers/{cast.org1.slug}/complain/"
