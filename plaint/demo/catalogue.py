"""Who is in the demo: three providers with staff and customers, and one with neither.

Slugs and e-mail addresses are the demo's keys: the loader finds what an earlier
run created by them, so they must never change between releases without a
reason. Every domain is under ``.example`` (RFC 2606), so that no demo mail can
reach a real mailbox.
"""

from __future__ import annotations

from plaint.demo.specs import OrganisationSpec, UnmanagedSpec
from plaint.demo.texts import cs, pl, pt_br
from plaint.parties.choices import Role, Sector, TeamKind

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - documented, shared by every demo login
ADMIN_EMAIL = "admin@plaint.example"
ADMIN_NAME = "Platform Admin"
TOKEN_MESSAGE = "plaint-demo-token"  # noqa: S105 - the HMAC message the token is derived from
TOKEN_NAME = "Demo integration"  # noqa: S105 - a label, not a secret
SEED = 20260301

#: Staff of every managed organisation: (role, team kind or None, how many).
STAFF_PLAN: tuple[tuple[Role, str | None, int], ...] = (
    (Role.AGENT, TeamKind.BILLING, 2),
    (Role.AGENT, TeamKind.TECHNICAL, 2),
    (Role.TEAM_LEADER, TeamKind.BILLING, 1),
    (Role.TEAM_LEADER, TeamKind.TECHNICAL, 1),
    (Role.COMPLAINTS_OFFICER, TeamKind.COMPLAINTS, 2),
    (Role.MANAGER, TeamKind.MANAGEMENT, 1),
    (Role.ORG_ADMIN, None, 1),
)
CUSTOMERS_PER_ORGANISATION = 24

#: How a managed organisation's complaints are spread over the states they end in.
#: "merged" complaints end closed, merged into another open complaint of the same
#: customer. Whatever the counts leave of ``complaints`` ends "closed".
STATE_QUOTA: dict[str, int] = {
    "received": 5,
    "acknowledged": 5,
    "investigating": 10,
    "awaiting_customer": 5,
    "decided": 6,
    "final_response_issued": 4,
    "referred_externally": 3,
    "externally_resolved": 2,
    "reopened": 3,
    "withdrawn": 4,
    "merged": 2,
}
CANCELLATIONS_PER_ORGANISATION = (5, 3)  # (executed, still open)

RYCHLONET = OrganisationSpec(
    slug="demo-rychlonet",
    name="Rychlonet s.r.o.",
    country="CZ",
    sector=Sector.INTERNET,
    time_zone="Europe/Prague",
    languages=("cs", "en"),
    currency="CZK",
    staff_domain="rychlonet.example",
    complaint_email="reklamace@rychlonet.example",
    complaint_address="Rychlonet s.r.o.\nReklamační oddělení\nSokolovská 100\n186 00 Praha 8",
    account_prefix="RN",
    team_names={
        TeamKind.BILLING: "Fakturace",
        TeamKind.TECHNICAL: "Technická podpora",
        TeamKind.COMPLAINTS: "Reklamační oddělení",
        TeamKind.MANAGEMENT: "Vedení",
    },
    people=cs.PEOPLE,
    texts=cs.TEXTS,
    referral_days=30,  # the objection to ČTÚ: one month from the handling decision
    date_format="{d.day}. {d.month}. {d.year}",
    complaints=67,
)

WISLA = OrganisationSpec(
    slug="demo-wisla-telekom",
    name="Wisła Telekom S.A.",
    country="PL",
    sector=Sector.TELECOM,
    time_zone="Europe/Warsaw",
    languages=("pl", "en"),
    currency="PLN",
    staff_domain="wislatelekom.example",
    complaint_email="reklamacje@wislatelekom.example",
    complaint_address="Wisła Telekom S.A.\nDział Reklamacji\nul. Puławska 145\n02-715 Warszawa",
    account_prefix="WT",
    team_names={
        TeamKind.BILLING: "Rozliczenia",
        TeamKind.TECHNICAL: "Wsparcie techniczne",
        TeamKind.COMPLAINTS: "Dział reklamacji",
        TeamKind.MANAGEMENT: "Zarząd",
    },
    people=pl.PEOPLE,
    texts=pl.TEXTS,
    referral_days=365,  # a demo value: UKE mediation sets no statutory window
    date_format="{d:%d.%m.%Y}",
    complaints=67,
)

CASA_AURORA = OrganisationSpec(
    slug="demo-casa-aurora",
    name="Casa Aurora Magazines Ltda.",
    country="BR",
    sector=Sector.RETAIL,
    time_zone="America/Sao_Paulo",
    languages=("pt-br",),
    currency="BRL",
    staff_domain="casaaurora.example",
    complaint_email="ouvidoria@casaaurora.example",
    complaint_address="Casa Aurora Magazines Ltda.\nOuvidoria\nAvenida Paulista, 1500\n"
                      "01310-100 São Paulo – SP",
    account_prefix="CA",
    team_names={
        TeamKind.BILLING: "Financeiro",
        TeamKind.TECHNICAL: "Logística e assistência técnica",
        TeamKind.COMPLAINTS: "Ouvidoria",
        TeamKind.MANAGEMENT: "Diretoria",
    },
    people=pt_br.PEOPLE,
    texts=pt_br.TEXTS,
    referral_days=None,  # consumidor.gov.br and Procon set no time limit
    date_format="{d:%d/%m/%Y}",
    complaints=66,
    foreign_language="",
)

MANAGED: tuple[OrganisationSpec, ...] = (RYCHLONET, WISLA, CASA_AURORA)

UNMANAGED = UnmanagedSpec(
    slug="demo-voltra-energie",
    name="Voltra Energie a.s.",
    country="CZ",
    sector=Sector.ENERGY,
    time_zone="Europe/Prague",
    languages=("cs",),
    complaint_address="Voltra Energie a.s.\nZákaznické centrum\nNádražní 25\n702 00 Ostrava",
    complaint_email="stiznosti@voltra-energie.example",
)
