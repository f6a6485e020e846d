"""The public pages: everyone reads them, and they show nothing of any complaint."""

from plaint.web.tests.pages import Page, everyone

PAGES = [
    Page("home", lambda cast: "/", everyone()),
    Page("procedure", lambda cast: f"/providers/{cast.org1.slug}/procedure/", everyone()),
    Page("complain", lambda cast: f"/providers/{cast.org1.slug}/complain/", everyone()),
    # The confirmation is only for the session that filed; everyone else is sent to the form.
    Page("complaint-filed", lambda cast: f"/providers/{cast.org1.slug}/complain/received/", everyone(302)),
    Page("rights-index", lambda cast: "/rights/", everyone()),
    Page("rights", lambda cast: "/rights/cz/internet/", everyone()),
]
