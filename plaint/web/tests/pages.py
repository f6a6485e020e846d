"""The table behind the shared permission suite for pages (``test_page_permissions.py``).

Every URL of the ``web`` namespace is listed in one ``pages_<area>.py`` module beside this one, as
a ``Page``: how to build its address for the canonical cast (``plaint.testing.actors``) and the
status each actor must get. The suite then reads each page as each actor, checks the status, and
checks that a page an actor may read shows nothing of anyone else's: no reference of a complaint
the actor may not see, no other customer's name or address, and, to customers, nothing internal.
A URL that is in no table fails ``test_every_web_url_is_in_the_permission_table``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from plaint.testing.actors import (
    ALL_ACTORS,
    ANONYMOUS,
    CUSTOMER_A,
    CUSTOMER_B,
    OTHER_ORG_AGENT,
    PLATFORM_ADMIN,
    STAFF_ROLES,
    TOKEN,
    Cast,
)

#: What an actor who must sign in first gets: a redirect to the sign-in page.
SIGN_IN = 302


@dataclass(frozen=True)
class Page:
    """One page (or one form's POST) and what each actor of the cast must get from it."""

    name: str  # the URL's name in the ``web`` namespace
    path: Callable[[Cast], str]
    expect: Mapping[str, int]  # the status per actor; every actor of ALL_ACTORS must be there
    method: str = "get"
    data: Callable[[Cast], dict] = field(default=lambda cast: {})  # noqa: ARG005
    # A file to download (sent as an attachment), not a page: no browser renders it.
    download: bool = False

    def __post_init__(self) -> None:
        missing = set(ALL_ACTORS) - set(self.expect)
        assert not missing, f"{self.name}: no expected status for {sorted(missing)}"


def everyone(status: int = 200) -> dict[str, int]:
    """A public page: the same for every actor."""
    return dict.fromkeys(ALL_ACTORS, status)


def only(allowed: Mapping[str, int], *, signed_in_others: int = 403) -> dict[str, int]:
    """A page for some actors: anonymous visitors (and the API token, which is no browser
    session) are sent to sign in; other signed-in actors get ``signed_in_others``."""
    expect = dict.fromkeys(ALL_ACTORS, signed_in_others)
    expect[ANONYMOUS] = SIGN_IN
    expect[TOKEN] = SIGN_IN
    expect.update(allowed)
    return expect


def staff_of_org1(status: int = 200, *, roles: tuple[str, ...] = tuple(STAFF_ROLES)) -> dict[str, int]:
    return dict.fromkeys(roles, status)


def customers(status: int = 200) -> dict[str, int]:
    return {CUSTOMER_A: status, CUSTOMER_B: status}


def visible_complaints(cast: Cast, who: str) -> set[str]:
    """The references ``who`` may see anywhere in the pages."""
    if who == CUSTOMER_A:
        return {cast.complaint_a.reference}
    if who == CUSTOMER_B:
        return {cast.complaint_b.reference}
    if who in STAFF_ROLES:
        return {cast.complaint_a.reference, cast.complaint_b.reference}
    if who == OTHER_ORG_AGENT:
        return {cast.complaint_other_org.reference}
    assert who in (ANONYMOUS, PLATFORM_ADMIN, TOKEN), who
    return set()


def private_texts(cast: Cast, who: str) -> set[str]:
    """Texts that must not appear in any page ``who`` reads: references of complaints they may not
    see and the names and addresses of customers who are not theirs."""
    all_complaints = [cast.complaint_a, cast.complaint_b, cast.complaint_other_org]
    seen = visible_complaints(cast, who)
    texts = {c.reference for c in all_complaints if c.reference not in seen}
    for complaint in all_complaints:
        if complaint.reference in seen:
            continue
        customer = complaint.customer
        texts.update(t for t in (customer.full_name, customer.email) if t)
    return texts - _own_texts(cast, who)


def _own_texts(cast: Cast, who: str) -> set[str]:
    """What the actor may show of themselves (a name shared by chance with another person)."""
    user = cast.users.get(who)
    return {t for t in (getattr(user, "full_name", ""), getattr(user, "email", "")) if t}
