"""The accounts pages in the shared permission suite (see `pages.py`)."""

from plaint.web.tests.pages import Page, everyone

PAGES: list[Page] = [
    Page("sign-in", lambda cast: "/account/sign-in/", everyone()),
    # Signing out is a POST (a link could sign anyone out); it ends the session and goes home.
    Page("sign-out", lambda cast: "/account/sign-out/", everyone(302), method="post"),
]
