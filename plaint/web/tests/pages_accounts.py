"""The accounts pages in the shared permission suite (see `pages.py`).

Every page about the person themselves needs a browser session (the API token has none); the
pages before signing in are open to all, and a form posted empty shows its errors (200)."""

from plaint.testing.actors import (
    ALL_ACTORS,
    ANONYMOUS,
    CUSTOMER_A,
    CUSTOMER_B,
    MANAGER,
    ORG_ADMIN,
    PLATFORM_ADMIN,
    TOKEN,
)
from plaint.web.tests.pages import Page, everyone, only

#: A link whose uid and token are made up: the page says the link does not work.
BAD_LINK = "MQ/not-a-token"


def signed_in(status: int = 200) -> dict[str, int]:
    """A page for any signed-in person; visitors (and the token) are sent to sign in."""
    return only(dict.fromkeys(set(ALL_ACTORS) - {ANONYMOUS, TOKEN}, status))


def visitors(status: int = 200, *, signed_in_others: int = 302) -> dict[str, int]:
    """A page for visitors; a signed-in person is sent to their account page."""
    expect = dict.fromkeys(ALL_ACTORS, signed_in_others)
    expect[ANONYMOUS] = expect[TOKEN] = status
    return expect


PAGES: list[Page] = [
    Page("account", lambda cast: "/account/", signed_in()),
    Page("account", lambda cast: "/account/", signed_in(), method="post"),  # errors shown
    # Notification settings are for staff: a customer or a platform admin without a membership
    # has none (403); staff are sent back to the account page.
    Page("account-notifications", lambda cast: "/account/notifications/",
         only({CUSTOMER_A: 403, CUSTOMER_B: 403, PLATFORM_ADMIN: 403}, signed_in_others=302),
         method="post"),
    Page("sign-in", lambda cast: "/account/sign-in/", everyone()),
    Page("sign-in", lambda cast: "/account/sign-in/", everyone(), method="post"),  # errors shown
    # Signing out is a POST (a link could sign anyone out); it ends the session and goes home.
    Page("sign-out", lambda cast: "/account/sign-out/", everyone(302), method="post"),
    Page("sign-up", lambda cast: "/account/sign-up/", visitors()),
    Page("sign-up", lambda cast: "/account/sign-up/", visitors(), method="post"),
    Page("sign-up-sent", lambda cast: "/account/sign-up/sent/", everyone()),
    Page("sign-up-confirm", lambda cast: f"/account/confirm/{BAD_LINK}/", everyone()),
    Page("sign-up-confirm", lambda cast: f"/account/confirm/{BAD_LINK}/", everyone(), method="post"),
    # A staff invitation's link works for whoever holds it (signed in or not); a made-up one
    # says it does not work, and its POST changes nothing.
    Page("invitation", lambda cast: f"/account/invitation/{BAD_LINK}/", everyone()),
    Page("invitation", lambda cast: f"/account/invitation/{BAD_LINK}/", everyone(), method="post"),
    Page("password-change", lambda cast: "/account/password/", signed_in()),
    Page("password-change", lambda cast: "/account/password/", signed_in(), method="post"),
    Page("password-change-done", lambda cast: "/account/password/changed/", signed_in()),
    Page("password-reset", lambda cast: "/account/password/reset/", everyone()),
    Page("password-reset", lambda cast: "/account/password/reset/", everyone(), method="post"),
    Page("password-reset-done", lambda cast: "/account/password/reset/sent/", everyone()),
    Page("password-reset-confirm", lambda cast: f"/account/password/reset/{BAD_LINK}/", everyone()),
    Page("password-reset-complete", lambda cast: "/account/password/reset/done/", everyone()),
    # Two-factor sign-in (docs/security.md). The cast's manager, organisation admin and platform
    # admin must have it (their clients are signed in with a device, `plaint.testing.auth`);
    # nobody else has it.
    Page("two-factor", lambda cast: "/account/two-factor/", signed_in()),
    Page("two-factor-setup", lambda cast: "/account/two-factor/set-up/", signed_in()),
    Page("two-factor-setup", lambda cast: "/account/two-factor/set-up/", signed_in(),
         method="post"),  # errors shown
    Page("two-factor-qr", lambda cast: "/account/two-factor/set-up/qr.svg", signed_in()),
    # The second step is only for a session that owes a code; the others go on (302).
    Page("two-factor-verify", lambda cast: "/account/two-factor/verify/", everyone(302)),
    Page("two-factor-verify", lambda cast: "/account/two-factor/verify/", everyone(302), method="post"),
    # The codes are for people with a device; the others are sent to set one up.
    Page("two-factor-recovery-codes", lambda cast: "/account/two-factor/recovery-codes/",
         only({MANAGER: 200, ORG_ADMIN: 200, PLATFORM_ADMIN: 200}, signed_in_others=302)),
    Page("two-factor-recovery-codes", lambda cast: "/account/two-factor/recovery-codes/",
         signed_in(302), method="post"),
    # Turning it off is refused to the roles that require it.
    Page("two-factor-off", lambda cast: "/account/two-factor/off/",
         only({MANAGER: 403, ORG_ADMIN: 403, PLATFORM_ADMIN: 403}, signed_in_others=302), method="post"),
]
