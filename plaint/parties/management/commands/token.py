"""``plaint token create|list|revoke``: the operator's way to hand out API tokens, the only one
that can make a token exempt from rate limits (for the benchmarks, a trusted bulk import)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plaint.core import clock
from plaint.parties.choices import Role, TokenScope
from plaint.parties.models import ApiToken, Organisation
from plaint.parties.selectors import api_token_list
from plaint.parties.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke an organisation's API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print its secret once.")
        create.add_argument("organisation", help="the organisation's slug")
        create.add_argument("name")
        create.add_argument("--role", choices=Role.values, default=Role.AGENT)
        create.add_argument("--scope", choices=TokenScope.values, default=TokenScope.WRITE)
        create.add_argument("--expires-in-days", type=int, default=None)
        create.add_argument("--rate-limit-exempt", action="store_true",
                            help="never count it against the rate limits")
        listing = actions.add_parser("list", help="List the tokens with their last use.")
        listing.add_argument("organisation", help="the organisation's slug")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:  # noqa: ANN401
        action = options["action"]
        if action == "revoke":
            token = ApiToken.objects.filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError(f"no token {options['token_id']}")
            token = api_token_revoke(token=token)
            self.stdout.write(f"revoked {token.pk} {token.name} at {token.revoked_at.isoformat()}")
            return
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"no organisation {options['organisation']!r}")
        if action == "create":
            days = options["expires_in_days"]
            if days is not None and days < 1:
                raise CommandError("--expires-in-days must be at least 1")
            token, secret = api_token_create(
                organisation=organisation, name=options["name"], role=Role(options["role"]),
                scope=TokenScope(options["scope"]),
                expires_at=clock.now() + timedelta(days=days) if days else None,
                rate_limit_exempt=options["rate_limit_exempt"])
            self.stdout.write(f"token {token.pk} ({token.role}, {token.scope}"
                              f"{', rate-limit exempt' if token.rate_limit_exempt else ''}); "
                              "the secret is shown only now:")
            self.stdout.write(secret)
            return
        for token in api_token_list(organisation=organisation):
            last = token.last_used_at.isoformat() if token.last_used_at else "never"
            state = ("revoked" if token.revoked_at else
                     "expired" if token.expires_at and token.expires_at <= clock.now() else "active")
            self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.name}\t{token.role}\t{token.scope}\t"
                              f"{state}\tlast used {last} from {token.last_address or '-'}")
