"""``plaint erasure account <e-mail> | customer <id> | list``: the operator carries out a
person's request to be erased (``plaint.complaints.erasure``; docs/security.md).

``account`` erases everything of the person who signs in with that e-mail (every provider's
customer row and the account); ``customer`` one provider's customer row (a person without an
account). A legal hold refuses with the references and exit status 1; nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plaint.complaints.erasure import ErasureRefused, erasure_request
from plaint.complaints.models import ErasureChannel, ErasureRequest
from plaint.parties.models import Customer, User


def describe(request: ErasureRequest) -> list[str]:
    lines = [f"erasure {request.pk}: {request.outcome} at {request.requested_at.isoformat()}"
             + (f", completed {request.completed_at.isoformat()}" if request.completed_at else "")]
    lines += [f"  kept {item['reference']} until {item['until']} ({item['rule']})"
              for item in request.kept]
    return lines


class Command(BaseCommand):
    help = "Erase a person's data on their request, keeping what the law requires until it ends."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        account = actions.add_parser("account", help="Erase the person who signs in with this e-mail.")
        account.add_argument("email")
        customer = actions.add_parser("customer", help="Erase one customer row (by id).")
        customer.add_argument("customer_id", type=int)
        actions.add_parser("list", help="List the erasure requests and what each still keeps.")

    def handle(self, *args: Any, **options: Any) -> None:  # noqa: ANN401
        action = options["action"]
        if action == "list":
            for request in ErasureRequest.objects.order_by("pk"):
                self.stdout.write("\n".join(describe(request)))
            return
        if action == "account":
            user = User.objects.filter(email__iexact=options["email"]).first()
            if user is None:
                raise CommandError(f"no account {options['email']!r}")
            target: dict[str, Any] = {"user": user}
        else:
            customer = Customer.objects.filter(pk=options["customer_id"]).first()
            if customer is None:
                raise CommandError(f"no customer {options['customer_id']}")
            target = {"customer": customer}
        try:
            request = erasure_request(**target, channel=ErasureChannel.COMMAND)
        except ErasureRefused as refused:
            raise CommandError(f"{refused.code}: {refused.message}") from refused
        self.stdout.write("\n".join(describe(request)))
