"""Who may read a complaint in the customer portal, and as which ``Actor``.

Two kinds of person reach a complaint's page:

- a **signed-in owner**: the user linked to the complaint's ``Customer`` row. The actor is built
  exactly as ``plaint.complaints.access.actor_towards`` builds it for a customer
  (``customer_actor(Principal(user=...))``);
- a **follow session**: someone without an account (or not signed in) who proved, on
  ``/my/follow/``, that they know the reference and the e-mail address or phone number the
  complaint was filed with; the session keeps the complaint's id (``FOLLOWED_SESSION_KEY``).
  The services take any customer ``Actor`` of the complaint's organisation, with or without a
  user, so the actor is the complaint's own customer, as ``complaints.services.inbound`` builds
  it for an e-mail reply that matched the customer's address:
  ``customer_actor(Principal(user=complaint.customer.user))`` (the user is ``None`` for a
  customer without an account). Events then say "customer", as for that e-mail.

Staff are not customers here: the console is their place, so a staff member who neither owns the
complaint nor followed it gets 404 like anybody else. A missing complaint and a complaint that is
not the caller's are the same 404, so that nobody can probe for references.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from plaint.complaints.access import COMPLAINT_JOINS
from plaint.complaints.actors import Actor, customer_actor
from plaint.complaints.models import Complaint
from plaint.core import references
from plaint.parties.actors import Principal

#: The ids of the complaints this browser session was granted (by following or by filing).
FOLLOWED_SESSION_KEY = "web.followed_complaints"
#: A session follows at most this many complaints (the oldest grant is dropped first).
MAX_FOLLOWED = 50


def followed_ids(request: HttpRequest) -> list[int]:
    value = request.session.get(FOLLOWED_SESSION_KEY) or []
    return [i for i in value if isinstance(i, int)]


def follow_grant(request: HttpRequest, complaint: Complaint) -> None:
    """Let this session read and act on ``complaint`` as its customer."""
    ids = [i for i in followed_ids(request) if i != complaint.pk]
    request.session[FOLLOWED_SESSION_KEY] = [*ids, complaint.pk][-MAX_FOLLOWED:]


def customer_complaint(
    request: HttpRequest, reference: str, *, for_update: bool = False
) -> tuple[Complaint, Actor]:
    """The complaint with this reference and the caller as its customer, or 404."""
    normalised = references.normalise(reference)
    if normalised is None:
        raise Http404
    queryset = Complaint.objects.select_related(*COMPLAINT_JOINS)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    complaint = queryset.filter(reference=normalised).first()
    if complaint is None:
        raise Http404
    user = request.user if request.user.is_authenticated else None
    if user is not None and complaint.customer.user_id == user.pk:
        return complaint, customer_actor(Principal(user=user), complaint.organisation_id)  # type: ignore[arg-type]
    if complaint.pk in followed_ids(request):
        owner = Principal(user=complaint.customer.user)
        return complaint, customer_actor(owner, complaint.organisation_id)
    raise Http404
