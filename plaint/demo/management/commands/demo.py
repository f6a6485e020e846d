"""``plaint demo``: load the demo data (again, harmlessly) and print how to try it."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from plaint.demo.loader import DEFAULT_BASE_URL, demo_load

SHOWN_PER_ORGANISATION = {"agent", "team_leader", "complaints_officer", "manager", "org_admin",
                          "customer"}


class Command(BaseCommand):
    help = (
        "Load demo organisations, people and about 200 complaints, dated over the last 90 days. "
        "Running it again creates nothing new and prints the same logins and API token."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL,
                            help="where the server will be reached (for the printed URLs)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = demo_load(base_url=options["base_url"])
        elapsed = time.monotonic() - started
        out, data = self.stdout.write, result.credentials
        if result.created:
            out(self.style.SUCCESS(
                f"Created {', '.join(result.created)} with {result.complaints_created} complaints "
                f"in {elapsed:.1f} s."
            ))
        if result.existing:
            out(f"Already there, left as they are: {', '.join(result.existing)}.")
        out("")
        urls = data["urls"]
        out(f"Pages:     {urls['public_pages']}")  # type: ignore[index]
        out(f"API docs:  {urls['api_docs']}")  # type: ignore[index]
        out(f"OpenAPI:   {urls['openapi']}")  # type: ignore[index]
        out(f"Admin:     {urls['admin']}")  # type: ignore[index]
        out(f"Sign in:   {urls['sign_in']}  (customers: {urls['my_complaints']})")  # type: ignore[index]
        for slug, console in urls["console"].items():  # type: ignore[index]
            out(f"Console:   {console}  (managers: {urls['dashboard'][slug]})")  # type: ignore[index]
        out("")
        out(f"API token ({data['api_token_role']}, {data['organisation']}, "
            f"organisation_id {data['organisation_id']}):")
        out(f"  {data['api_token']}")
        out(f"  curl -H 'Authorization: Bearer {data['api_token']}' {data['base_url']}/api/v1/complaints")
        if not result.token_usable:
            out(self.style.WARNING("  This token was revoked or has expired: it will not work."))
        out("")
        out(f"Demo logins, all with the password {data['password']!r}:")
        seen: set[tuple[object, object]] = set()
        for user in data["users"]:  # type: ignore[attr-defined]
            key = (user["organisation"], user["role"])
            if key in seen:
                continue
            seen.add(key)
            where = user["organisation"] or "the whole platform"
            out(f"  {user['email']:<44} {user['role']:<19} {where}")
        out("")
        out("Managers, organisation admins and the platform admin also give a code from an authenticator app "
            "(two-factor sign-in). Add each one's key to the app (or scan its otpauth URI as a QR code):")
        for user in data["users"]:  # type: ignore[attr-defined]
            if user.get("totp_secret"):
                out(f"  {user['email']:<44} {user['totp_secret']}")
        out("")
        out(f"Every login, key and the token are in {result.credentials_path}.")
