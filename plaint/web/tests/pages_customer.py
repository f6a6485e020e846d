"""The customer pages in the shared permission suite (see `pages.py`).

"My complaints" needs a signed-in person: anybody signed in gets their own list (staff too,
empty: they are customers of nobody in the cast), a visitor is sent to sign in. A complaint's
page and every action on it are for its customer only (customer A for complaint A); everyone
else gets 404, a visitor too (**404 rather than a sign-in redirect**: a complaint may be followed
without an account, and a redirect would tell that the reference exists). Staff read complaints
in the console, never here. The action rows post empty forms: customer A gets the page again with
the errors (200) and nothing is written; the happy paths are in ``test_customer_portal.py``.
"""

from plaint.core import references
from plaint.testing.actors import ALL_ACTORS, CUSTOMER_A
from plaint.web.tests.pages import Page, everyone, only


def _complaint(cast, suffix: str = "") -> str:  # noqa: ANN001 - a Cast
    return f"/my/complaints/{cast.complaint_a.reference}/{suffix}"


def customer_a_only(status: int = 200) -> dict[str, int]:
    expect = dict.fromkeys(ALL_ACTORS, 404)
    expect[CUSTOMER_A] = status
    return expect


def _internal_evidence(cast) -> str:  # noqa: ANN001 - a Cast
    evidence = cast.complaint_a.evidence.get(visibility="internal")
    return _complaint(cast, f"evidence/{evidence.pk}/")


ACTIONS = ("my-add-information", "information/"), ("my-log-call", "calls/"), \
    ("my-request-supervisor", "supervisor/"), ("my-request-cancellation", "cancellation/"), \
    ("my-respond-to-decision", "decision/"), ("my-rate-handling", "rating/"), \
    ("my-withdraw", "withdrawal/"), ("my-reopen", "reopening/"), ("my-refer", "referral/"), \
    ("my-record-external-outcome", "referral/outcome/")

PAGES = [
    Page("my-complaints", lambda cast: "/my/", only({}, signed_in_others=200)),
    Page("my-follow", lambda cast: "/my/follow/", everyone()),
    # Everyone signed in downloads their own data (test_personal_data.py reads what is in it).
    Page("my-data", lambda cast: "/my/data/", only({}, signed_in_others=200)),
    Page("my-data", lambda cast: "/my/data/", only({}, signed_in_others=200), method="post",
         download=True),
    # Erasure: everyone signed in may ask (an empty form: the password is missing, 200 with the
    # error; the staff's accounts are refused by the service). The outcome page shows only the
    # erasure asked in the same browser session: to everybody else, a line that says how to ask.
    Page("my-data-erase", lambda cast: "/my/data/erase/", only({}, signed_in_others=200)),
    Page("my-data-erase", lambda cast: "/my/data/erase/", only({}, signed_in_others=200),
         method="post"),
    Page("my-data-erased", lambda cast: "/my/data/erased/", everyone()),
    # A wrong address: the generic error, nothing granted (200 with the form again, which shows
    # the reference as the person typed it, grouped as printed on the confirmation).
    Page("my-follow", lambda cast: "/my/follow/", everyone(), method="post",
         data=lambda cast: {"reference": references.display(cast.complaint_a.reference),
                            "contact": "nobody@example.test"}),
    Page("my-complaint", _complaint, customer_a_only()),
    # An internal file is nobody's download here, not even the complaint's customer's.
    Page("my-evidence", _internal_evidence, dict.fromkeys(ALL_ACTORS, 404)),
    *[Page(name, lambda cast, suffix=suffix: _complaint(cast, suffix), customer_a_only(), method="post")
      for name, suffix in ACTIONS],
    Page("my-feedback", lambda cast: f"/my/feedback/{cast.org1.slug}/", everyone()),
    Page("my-feedback", lambda cast: f"/my/feedback/{cast.org1.slug}/", everyone(), method="post"),
]
