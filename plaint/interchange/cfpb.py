"""The US CFPB Consumer Complaint Database format, and how its 18 columns map onto Plaint.

Pure: no ORM. ``row_parse`` checks one row and says what Plaint stores for it;
``row_render`` gives the row back from what Plaint stores. The two are written so that
``row_render`` of a parsed row is the row itself: whatever the mapping cannot give back (the
columns without a home, a channel that "Fax" and "Postal mail" share, an issue longer than a
category) is kept verbatim in ``columns``, which ``row_render`` lays over what it derives.
The mapping is documented in docs/channels-csv.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.text import slugify
from django.utils.translation import gettext

from plaint.complaints.lifecycle import State

#: The official columns, in the official order and spelling.
COLUMNS: tuple[str, ...] = (
    "Date received",
    "Product",
    "Sub-product",
    "Issue",
    "Sub-issue",
    "Consumer complaint narrative",
    "Company public response",
    "Company",
    "State",
    "ZIP code",
    "Tags",
    "Consumer consent provided?",
    "Submitted via",
    "Date sent to company",
    "Company response to consumer",
    "Timely response?",
    "Consumer disputed?",
    "Complaint ID",
)

#: Columns without a home in Plaint's fields: kept verbatim with the complaint. Some are read
#: too (the date sent, timeliness, the dispute), but the stored cell is the source's own.
VERBATIM: tuple[str, ...] = (
    "Sub-product",
    "Company public response",
    "State",
    "ZIP code",
    "Tags",
    "Consumer consent provided?",
    "Date sent to company",
    "Timely response?",
    "Consumer disputed?",
)

#: "Submitted via" → ``Channel``.
CHANNELS: dict[str, str] = {
    "Web": "web",
    "Web Referral": "regulator",
    "Referral": "regulator",
    "Phone": "phone",
    "Email": "email",
    "Postal mail": "letter",
    "Fax": "letter",
}
#: ``Channel`` → "Submitted via", for complaints that did not come from the CFPB.
CHANNELS_BACK: dict[str, str] = {
    "web": "Web", "chat": "Web", "social": "Web", "api": "Web", "sms": "Phone",
    "phone": "Phone", "email": "Email", "letter": "Postal mail", "visit": "Postal mail",
    "regulator": "Referral",
}

MONETARY_REMEDIES = frozenset({"compensation", "refund", "credit", "price_reduction"})


@dataclass(frozen=True)
class Resolution:
    """What a "Company response to consumer" means in Plaint: a state and maybe a decision."""

    state: str
    outcome: str = ""  # no decision when empty
    remedy_kind: str = "none"


RESPONSES: dict[str, Resolution] = {
    "Closed with monetary relief": Resolution(State.CLOSED, "upheld", "compensation"),
    "Closed with non-monetary relief": Resolution(State.CLOSED, "upheld", "repair"),
    "Closed with relief": Resolution(State.CLOSED, "upheld", "none"),
    "Closed with explanation": Resolution(State.CLOSED, "rejected", "explanation"),
    "Closed without relief": Resolution(State.CLOSED, "rejected", "none"),
    "Closed": Resolution(State.CLOSED),
    "Untimely response": Resolution(State.CLOSED),
    "In progress": Resolution(State.INVESTIGATING),
}
#: "Consumer disputed?" → the customer's response to the decision.
DISPUTED: dict[str, str] = {"Yes": "rejected", "No": "accepted", "N/A": "pending", "": "pending"}
TIMELY: dict[str, bool] = {"Yes": True, "No": False}
CLOSED_STATES = frozenset({State.CLOSED, State.WITHDRAWN, State.EXTERNALLY_RESOLVED})

# Plaint's field sizes (complaints.models.Complaint, parties.models.Organisation).
PRODUCT_MAX, CATEGORY_MAX, SUBJECT_MAX, COMPANY_MAX, ID_MAX = 120, 64, 200, 200, 64
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_US_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
_ID = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class Problem:
    """Why a row was refused: the column at fault (or "row") and a sentence for people."""

    field: str
    reason: str


@dataclass(frozen=True)
class Facts:
    """What Plaint knows of a complaint that the CFPB format can show."""

    external_id: str
    company: str
    received_on: date
    product: str = ""
    category: str = ""
    subcategory: str = ""
    description: str = ""
    channel: str = "web"
    state: str = State.RECEIVED
    outcome: str = ""
    remedy_kind: str = "none"
    customer_response: str = "pending"
    overdue: bool = False
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """A valid row as Plaint stores it."""

    facts: Facts
    subject: str
    sent_on: date
    timely: bool


def parse_date(text: str) -> date | None:
    """A CFPB date: ``2019-09-24`` (the current files) or ``09/24/2019`` (older ones)."""
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        if _US_DATE.match(text):
            return datetime.strptime(text, "%m/%d/%Y").date()  # noqa: DTZ007 - a date, no time
    except ValueError:
        return None
    return None


def header_problems(header: list[str]) -> list[Problem]:
    """Why the header is not the CFPB's 18 columns (in any order), or nothing."""
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if missing:
        problems.append(Problem("header", gettext("Missing columns: %s.") % ", ".join(missing)))
    if unknown:
        problems.append(Problem("header", gettext("Unknown columns: %s.") % ", ".join(unknown)))
    if duplicated:
        problems.append(
            Problem("header", gettext("Repeated columns: %s.") % ", ".join(duplicated))
        )
    return problems


def _fit(value: str, limit: int) -> str:
    """The value as a field of ``limit`` characters holds it (the whole value stays verbatim)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def row_parse(values: Mapping[str, str]) -> Row | list[Problem]:
    """Check one row (a dict by column name); what Plaint stores, or every problem found."""
    problems: list[Problem] = []
    external_id = values["Complaint ID"]
    if not external_id:
        problems.append(Problem("Complaint ID", gettext("The complaint ID is missing.")))
    elif not _ID.match(external_id) or len(external_id) > ID_MAX:
        problems.append(Problem("Complaint ID", gettext("The complaint ID is not a number.")))
    received_on = parse_date(values["Date received"])
    if received_on is None:
        problems.append(Problem("Date received", gettext("Not a date (YYYY-MM-DD or MM/DD/YYYY).")))
    sent_on = parse_date(values["Date sent to company"])
    if sent_on is None:
        problems.append(
            Problem("Date sent to company", gettext("Not a date (YYYY-MM-DD or MM/DD/YYYY)."))
        )
    company = values["Company"]
    if not company.strip():
        problems.append(Problem("Company", gettext("The company is missing.")))
    elif len(company) > COMPANY_MAX:
        problems.append(Problem("Company", gettext("The company's name is too long.")))
    channel = CHANNELS.get(values["Submitted via"])
    if channel is None:
        problems.append(Problem("Submitted via", gettext("Unknown channel.")))
    resolution = RESPONSES.get(values["Company response to consumer"])
    if resolution is None:
        problems.append(Problem("Company response to consumer", gettext("Unknown response.")))
    timely = TIMELY.get(values["Timely response?"])
    if timely is None:
        problems.append(Problem("Timely response?", gettext("Give Yes or No.")))
    if values["Consumer disputed?"] not in DISPUTED:
        problems.append(Problem("Consumer disputed?", gettext("Give Yes, No or N/A.")))
    subject = values["Issue"].strip() or values["Product"].strip()
    if not subject:
        problems.append(Problem("Issue", gettext("Neither an issue nor a product is given.")))
    if problems:
        return problems
    assert received_on and sent_on and channel and resolution and timely is not None  # noqa: PT018
    facts = Facts(
        external_id=external_id,
        company=company,
        received_on=received_on,
        product=_fit(values["Product"], PRODUCT_MAX),
        category=_fit(values["Issue"], CATEGORY_MAX),
        subcategory=_fit(values["Sub-issue"], CATEGORY_MAX),
        description=values["Consumer complaint narrative"],
        channel=channel,
        state=resolution.state,
        outcome=resolution.outcome,
        remedy_kind=resolution.remedy_kind,
        customer_response=DISPUTED[values["Consumer disputed?"]] if resolution.outcome else "pending",
        overdue=not timely,
        columns={name: values[name] for name in VERBATIM},
    )
    derived = row_render(facts)
    kept = {name: values[name] for name in COLUMNS if derived[name] != values[name]}
    facts = Facts(**{**facts.__dict__, "columns": {**facts.columns, **kept}})
    return Row(facts=facts, subject=_fit(subject, SUBJECT_MAX), sent_on=sent_on, timely=timely)


def _response(facts: Facts) -> str:
    if facts.outcome in ("upheld", "partly_upheld"):
        if facts.remedy_kind in MONETARY_REMEDIES:
            return "Closed with monetary relief"
        return "Closed with non-monetary relief"
    if facts.outcome == "rejected":
        return "Closed with explanation"
    return "Closed" if facts.state in CLOSED_STATES else "In progress"


def row_render(facts: Facts) -> dict[str, str]:
    """The 18 cells of a complaint, in the official order; kept source cells win."""
    received = facts.received_on.isoformat()
    derived = {
        "Date received": received,
        "Product": facts.product,
        "Sub-product": "",
        "Issue": facts.category,
        "Sub-issue": facts.subcategory,
        "Consumer complaint narrative": facts.description,
        "Company public response": "",
        "Company": facts.company,
        "State": "",
        "ZIP code": "",
        "Tags": "",
        "Consumer consent provided?": "N/A",
        "Submitted via": CHANNELS_BACK.get(facts.channel, "Web"),
        "Date sent to company": received,
        "Company response to consumer": _response(facts),
        "Timely response?": "No" if facts.overdue else "Yes",
        "Consumer disputed?": {"rejected": "Yes", "accepted": "No"}.get(facts.customer_response, "N/A"),
        "Complaint ID": facts.external_id,
    }
    return {name: facts.columns.get(name, derived[name]) for name in COLUMNS}


def organisation_slug(company: str) -> str:
    """The slug an organisation made for a company starts from (a number is added if taken)."""
    return slugify(company)[:72].rstrip("-") or "company"
