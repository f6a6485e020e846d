"""A complaint's console page and its actions in the shared permission suite (see `pages.py`).

The page is for organisation 1's staff (every role reads it; an organisation admin is offered
no action); staff of organisation 2 get 403 from the console of organisation 1, customers and
the platform admin 403, and visitors without a session are sent to sign in. Each action is
posted empty: a form with fields answers 422 (re-rendered with its errors, nothing written);
acknowledging needs no field, so the handling roles acknowledge customer A's new complaint
(302) and the organisation admin is refused by the service (403).
"""

from plaint.testing.actors import AGENT, COMPLAINTS_OFFICER, MANAGER, ORG_ADMIN, TEAM_LEADER
from plaint.web.console.case.actions import CaseAction
from plaint.web.tests.pages import Page, only, staff_of_org1


def _path(action: str = ""):  # type: ignore[no-untyped-def]
    suffix = f"{action}/" if action else ""
    return lambda cast: f"/console/{cast.org1.slug}/complaints/{cast.complaint_a.reference}/{suffix}"


HANDLING = (AGENT, TEAM_LEADER, COMPLAINTS_OFFICER, MANAGER)

def _internal_evidence(cast) -> str:  # noqa: ANN001 - a Cast
    evidence = cast.complaint_a.evidence.get(visibility="internal")
    return _path()(cast) + f"evidence/{evidence.pk}/"


PAGES: list[Page] = [
    Page("console-complaint", _path(), only(staff_of_org1(200))),
    # Organisation 2's complaint asked for through organisation 1's console: not found.
    Page("console-complaint",
         lambda cast: f"/console/{cast.org1.slug}/complaints/{cast.complaint_other_org.reference}/",
         only(staff_of_org1(404))),
    # Every role of the organisation downloads its files, internal ones too.
    Page("console-complaint-evidence", _internal_evidence, only(staff_of_org1(200)), download=True),
    *(Page(f"console-complaint-{action.value}", _path(action.value), only(staff_of_org1(422)),
           method="post")
      for action in CaseAction if action is not CaseAction.ACKNOWLEDGE),
    Page("console-complaint-acknowledge", _path("acknowledge"),
         only({**staff_of_org1(302, roles=HANDLING), ORG_ADMIN: 403}), method="post"),
]
