"""``demo_load``: the whole demo, idempotent, in one transaction.

Idempotent by key, not by diff: an organisation whose slug exists is left as it
is (its complaints were created by an earlier run, or someone has been using
it since); the platform admin is found by e-mail and the API token by the hash
of its secret. The secret itself is derived from the instance's SECRET_KEY, so
every run prints the same working token without storing it anywhere.

Dates are relative to today: complaints were received over the last ninety
days, and each step of each complaint is written with the clock set to when it
happened, so that events, deadlines and analytics look like a desk in use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from plaint.channels.models import Mailbox
from plaint.core import clock
from plaint.demo import catalogue
from plaint.demo.desk import desk_fill
from plaint.demo.people import organisation_build, unmanaged_ensure
from plaint.parties.choices import Role
from plaint.parties.models import ApiToken, Customer, Membership, Organisation, User
from plaint.parties.selectors import api_token_by_secret
from plaint.parties.services import api_token_create, api_token_hash
from plaint.parties.two_factor import (
    ROLES_REQUIRING_TWO_FACTOR,
    TOTP_DEVICE_NAME,
    demo_totp_key,
    totp_secret_base32,
)

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
ROLE_ORDER = [role.value for role in Role]


@dataclass
class DemoResult:
    """What a run did and what a person needs to try the demo."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    complaints_created: int = 0
    token_created: bool = False
    token_usable: bool = True
    credentials: dict[str, object] = field(default_factory=dict)
    credentials_path: Path | None = None


def demo_token_secret() -> str:
    """The demo API token: HMAC-SHA256 of a fixed message under the instance's SECRET_KEY.

    Stable across runs of one instance and different on every other instance.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), catalogue.TOKEN_MESSAGE.encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def demo_load(*, base_url: str = DEFAULT_BASE_URL) -> DemoResult:
    """Load whatever part of the demo is missing and write the credentials file."""
    result = DemoResult()
    now = clock.now()
    password_hash = make_password(catalogue.DEMO_PASSWORD)
    with clock.frozen_at(now), transaction.atomic():
        admin = _platform_admin(password_hash)
        for spec in catalogue.MANAGED:
            if Organisation.objects.filter(slug=spec.slug).exists():
                result.existing.append(spec.slug)
                continue
            rng = random.Random(f"{catalogue.SEED}-{spec.slug}")
            cast = organisation_build(spec, rng, password_hash)
            result.complaints_created += len(desk_fill(cast, rng, now))
            result.created.append(spec.slug)
            clock.set_now(now)
        _mailboxes_ensure()
        _totp_devices_ensure()
        if unmanaged_ensure(catalogue.UNMANAGED):
            result.created.append(catalogue.UNMANAGED.slug)
        else:
            result.existing.append(catalogue.UNMANAGED.slug)
        home = Organisation.objects.get(slug=catalogue.RYCHLONET.slug)
        secret = demo_token_secret()
        result.token_created = _token_ensure(home, secret, admin)
        result.token_usable = api_token_by_secret(secret) is not None
        result.credentials = credentials(home, secret, base_url)
    result.credentials_path = credentials_write(result.credentials)
    return result


def _mailboxes_ensure() -> None:
    """Each managed provider's complaints address is a mailbox, so that mail piped to
    ``plaint ingest-email`` (or added with ``plaint mailbox add --imap-…``) reaches its desk."""
    for organisation in Organisation.objects.filter(slug__in=[s.slug for s in catalogue.MANAGED]):
        if organisation.complaint_email:
            Mailbox.objects.get_or_create(
                address=organisation.complaint_email.lower(), defaults={"organisation": organisation}
            )


def _totp_devices_ensure() -> None:
    """Every demo manager and organisation admin, and the platform admin, signs in with a second
    factor (their roles require one): each gets an authenticator whose secret is derived from
    SECRET_KEY, so that every run prints the same secrets (and an app set up once keeps working)."""
    memberships = Membership.objects.filter(
        organisation__slug__in=[s.slug for s in catalogue.MANAGED],
        role__in=ROLES_REQUIRING_TWO_FACTOR).select_related("user")
    people = [m.user for m in memberships]
    people.extend(User.objects.filter(email=catalogue.ADMIN_EMAIL))  # the platform admin, too
    for person in people:
        key = demo_totp_key(secret_key=settings.SECRET_KEY, email=person.email)
        TOTPDevice.objects.filter(user=person).exclude(key=key).delete()
        TOTPDevice.objects.get_or_create(user=person, key=key,
                                         defaults={"name": TOTP_DEVICE_NAME, "confirmed": True})


def _totp_of(user: User) -> dict[str, object]:
    """The secret of a demo login's authenticator, to type or scan into an app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return {}
    return {"totp_secret": totp_secret_base32(device), "totp_uri": device.config_url}


def _platform_admin(password_hash: str) -> User:
    admin = User.objects.filter(email=catalogue.ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create(
            email=catalogue.ADMIN_EMAIL, full_name=catalogue.ADMIN_NAME, password=password_hash,
            is_staff=True, is_superuser=True,
        )
    return admin


def _token_ensure(organisation: Organisation, secret: str, admin: User) -> bool:
    if ApiToken.objects.filter(key_sha256=api_token_hash(secret)).exists():
        return False
    api_token_create(organisation=organisation, name=catalogue.TOKEN_NAME,
                     role=Role.COMPLAINTS_OFFICER, created_by=admin, raw=secret)
    return True


def credentials(home: Organisation, secret: str, base_url: str) -> dict[str, object]:
    """Everything a person or a script needs to sign in, read from the database, so that a
    rerun reports exactly what the first run created."""
    base = base_url.rstrip("/")
    slugs = [spec.slug for spec in catalogue.MANAGED]
    organisations = Organisation.objects.filter(
        slug__in=[*slugs, catalogue.UNMANAGED.slug]
    ).order_by("pk")
    users: list[dict[str, object]] = [
        {"email": catalogue.ADMIN_EMAIL, "full_name": catalogue.ADMIN_NAME,
         "role": "platform_admin", "organisation": None, "organisation_id": None,
         **_totp_of(User.objects.get(email=catalogue.ADMIN_EMAIL))},
    ]
    memberships = Membership.objects.filter(organisation__slug__in=slugs).select_related(
        "user", "organisation", "team"
    )
    for m in sorted(memberships, key=lambda m: (m.organisation_id, ROLE_ORDER.index(m.role), m.pk)):
        users.append({
            "email": m.user.email, "full_name": m.user.full_name, "role": m.role,
            "organisation": m.organisation.name, "organisation_id": m.organisation_id,
            "team": m.team.name if m.team else None, "position": m.position,
            **(_totp_of(m.user) if m.role in ROLES_REQUIRING_TWO_FACTOR else {}),
        })
    customers = Customer.objects.filter(
        organisation__slug__in=slugs, user__isnull=False
    ).select_related("user", "organisation").order_by("organisation_id", "pk")
    for c in customers:
        users.append({
            "email": c.user.email, "full_name": c.full_name, "role": "customer",  # type: ignore[union-attr]
            "organisation": c.organisation.name, "organisation_id": c.organisation_id,
        })
    return {
        "base_url": base,
        "api_token": secret,
        "api_token_role": Role.COMPLAINTS_OFFICER.value,
        "organisation_id": home.pk,
        "organisation": home.name,
        "password": catalogue.DEMO_PASSWORD,
        "urls": {
            "public_pages": f"{base}/",
            "api_docs": f"{base}/api/v1/docs",
            "openapi": f"{base}/api/v1/openapi.json",
            "admin": f"{base}/admin/",
            "sign_in": f"{base}/account/sign-in/",
            "my_complaints": f"{base}/my/",
            "console": {slug: f"{base}/console/{slug}/" for slug in slugs},
            "dashboard": {slug: f"{base}/manage/{slug}/" for slug in slugs},
        },
        "organisations": [
            {"id": o.pk, "slug": o.slug, "name": o.name, "country": o.country,
             "sector": o.sector, "is_managed": o.is_managed}
            for o in organisations
        ],
        "users": users,
    }


def credentials_path() -> Path:
    var_dir = getattr(settings, "VAR_DIR", None) or Path("var").resolve()
    return Path(var_dir) / "demo-credentials.json"


def credentials_write(data: dict[str, object]) -> Path:
    """Write the credentials for scripts, readable by the owner only (it holds a live token)."""
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
