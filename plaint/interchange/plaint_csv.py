"""The Plaint CSV format: one row per complaint, nested records as JSON cells.

Pure: no ORM. ``row_render`` turns a complaint's values (as plain Python values) into cells,
``row_parse`` checks the cells and gives the values back, or every problem found. Every check
the database would make (choices, sizes, amounts with currencies) is made here, so that a batch
never fails half-way. The columns are documented in docs/channels-csv.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext

from plaint.complaints.choices import (
    DEMANDS_WITH_AMOUNT,
    Channel,
    DemandKind,
    Direction,
    Outcome,
    Priority,
    PromiseKind,
    PromiseState,
    RemedyKind,
    Visibility,
)
from plaint.complaints.lifecycle import Level, State
from plaint.core import references
from plaint.interchange.cfpb import Problem
from plaint.parties.actors import ActorKind

CURRENCY = re.compile(r"^[A-Z]{3}$")
CUSTOMER_RESPONSES = ("pending", "accepted", "rejected")
ORIGINS = ("cfpb",)


class Invalid(ValueError):
    """A value that does not fit its column; the message is for people."""


# ---- value types: (parse from the file, render to the file) ------------------------------


def _text(limit: int | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise Invalid(gettext("Expected text."))
        if limit is not None and len(value) > limit:
            raise Invalid(gettext("Longer than %d characters.") % limit)
        return value
    return parse


def _choice(values: Any) -> Callable[[Any], str]:
    allowed = [str(v) for v in values]

    def parse(value: Any) -> str:
        if value not in allowed:
            raise Invalid(gettext("Not one of: %s.") % ", ".join(allowed))
        return str(value)
    return parse


def _bool(value: Any) -> bool:
    if value in (True, "true"):
        return True
    if value in (False, "false"):
        return False
    raise Invalid(gettext("Give true or false."))


def _int(minimum: int, maximum: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        try:
            number = int(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or not minimum <= number <= maximum:
            raise Invalid(gettext("A whole number from %(min)d to %(max)d.") % {"min": minimum,
                                                                                "max": maximum})
        return number
    return parse


def _decimal(value: Any) -> Decimal | None:
    if value in ("", None):
        return None
    try:
        number = Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number != number.quantize(
            Decimal("0.01")) or number >= Decimal("1e12"):
        raise Invalid(gettext("An amount such as 25.00."))
    return number


def _moment(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Invalid(gettext("A date and time with its offset (ISO 8601)."))
    return moment.astimezone(UTC)


def _optional_moment(value: Any) -> datetime | None:
    return None if value in ("", None) else _moment(value)


def _references(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(gettext("A list of texts."))
    return value


def _reference(value: Any) -> str:
    if not isinstance(value, str) or references.normalise(value) != value:
        raise Invalid(gettext("Not a Plaint reference."))
    return value


def _render(value: Any) -> Any:
    """A value as JSON holds it: times in UTC ISO 8601, amounts as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_render(v) for v in value]
    if isinstance(value, dict):
        return {k: _render(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    """A complaint field as a cell: JSON for lists and mappings, ``true``/``false``, text."""
    if isinstance(value, list | dict):
        return json.dumps(_render(value), ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(_render(value))


# ---- the records -------------------------------------------------------------------------

Spec = Mapping[str, Callable[[Any], Any]]

PROMISE: Spec = {
    "kind": _choice(PromiseKind.values), "due_at": _moment, "description": _text(),
    "state": _choice(PromiseState.values),
}
DEMAND: Spec = {
    "kind": _choice(DemandKind.values), "amount": _decimal, "currency": _text(3),
    "detail": _text(),
}
INTERACTION: Spec = {
    "channel": _choice(Channel.values), "direction": _choice(Direction.values),
    "started_at": _moment, "duration_seconds": _int(0, 2**31 - 1), "staff_name": _text(200),
    "staff_position": _text(120), "staff_location": _text(120),
    "references_quoted": _references, "notes": _text(), "visibility": _choice(Visibility.values),
    "recorded_by_kind": _choice(ActorKind.values), "created_at": _moment,
    "promises": lambda value: _list(value, PROMISE),
}
DECISION: Spec = {
    "outcome": _choice(Outcome.values), "remedy_kind": _choice(RemedyKind.values),
    "remedy_amount": _decimal, "remedy_currency": _text(3), "remedy_detail": _text(),
    "reasoning": _text(), "decided_by_kind": _choice(ActorKind.values), "decided_at": _moment,
    "customer_response": _choice(CUSTOMER_RESPONSES), "deemed_by_rule": _text(100),
}
ORIGIN_COLUMNS: Callable[[Any], Any] = lambda value: _mapping(value)  # noqa: E731

#: The columns, in order, with the check of each cell.
COLUMNS: Spec = {
    "reference": _reference,
    "organisation": _text(80),
    "customer_name": _text(200),
    "customer_email": _text(254),
    "customer_phone": _text(40),
    "account_number": _text(64),
    "channel": _choice(Channel.values),
    "language": _text(8),
    "category": _text(64),
    "subcategory": _text(64),
    "product": _text(120),
    "subject": _text(200),
    "description": _text(),
    "demands_recorded": _bool,
    "amount_in_dispute": _decimal,
    "currency": _text(3),
    "priority": _choice(Priority.values),
    "state": _choice([s.value for s in State]),
    "level": _int(Level.FRONTLINE, Level.SENIOR_MANAGEMENT),
    "final_response_due": _bool,
    "received_at": _moment,
    "created_at": _moment,
    "updated_at": _moment,
    "state_changed_at": _moment,
    "closed_at": _optional_moment,
    "demands": lambda value: _list(_json(value), DEMAND),
    "interactions": lambda value: _list(_json(value), INTERACTION),
    "decisions": lambda value: _list(_json(value), DECISION),
    "origin_source": _choice(("", *ORIGINS)),
    "origin_id": _text(64),
    "origin_columns": lambda value: _mapping(_json(value or "{}")),
}
HEADER: tuple[str, ...] = tuple(COLUMNS)
#: The columns that are fields of the complaint itself.
COMPLAINT_FIELDS: tuple[str, ...] = (
    "reference", "account_number", "channel", "language", "category", "subcategory", "product",
    "subject", "description", "demands_recorded", "amount_in_dispute", "currency", "priority",
    "state", "level", "final_response_due", "received_at", "created_at", "updated_at",
    "state_changed_at", "closed_at",
)


def _json(value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        raise Invalid(gettext("Not valid JSON.")) from error


def _mapping(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Invalid(gettext("A JSON object of texts."))
    return value


def _list(value: Any, spec: Spec) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise Invalid(gettext("A JSON list."))
    return [_record(item, spec) for item in value]


def _record(item: Any, spec: Spec) -> dict[str, Any]:
    if not isinstance(item, dict) or set(item) != set(spec):
        raise Invalid(gettext("Each entry needs exactly: %s.") % ", ".join(spec))
    return {name: parse(item[name]) for name, parse in spec.items()}


def _money_problem(amount: Decimal | None, currency: str, *, positive: bool) -> str:
    if (amount is None) != (not currency):
        return gettext("An amount needs a currency, and a currency an amount.")
    if currency and not CURRENCY.match(currency):
        return gettext("Give the currency as a three-letter code.")
    if positive and amount is not None and amount <= 0:
        return gettext("The amount must be more than zero.")
    return ""


def _rules(values: dict[str, Any]) -> list[Problem]:
    """The database's cross-field rules, checked before anything is written."""
    problems = []
    if message := _money_problem(values["amount_in_dispute"], values["currency"], positive=False):
        problems.append(Problem("amount_in_dispute", message))
    if values["state"] == State.CLOSED and values["closed_at"] is None:
        problems.append(Problem("closed_at", gettext("A closed complaint needs its closing time.")))
    for demand in values["demands"]:
        message = _money_problem(demand["amount"], demand["currency"], positive=True)
        if not message and demand["kind"] in DEMANDS_WITH_AMOUNT and demand["amount"] is None:
            message = gettext("This demand needs an amount.")
        if message:
            problems.append(Problem("demands", message))
    for decision in values["decisions"]:
        message = _money_problem(decision["remedy_amount"], decision["remedy_currency"], positive=True)
        if message:
            problems.append(Problem("decisions", message))
    if values["origin_source"] and not values["origin_id"]:
        problems.append(Problem("origin_id", gettext("An origin needs its identifier.")))
    if not values["subject"].strip():
        problems.append(Problem("subject", gettext("The subject is missing.")))
    return problems


@dataclass(frozen=True)
class Parsed:
    values: dict[str, Any]


def row_parse(cells: Mapping[str, str]) -> Parsed | list[Problem]:
    """Check a row (cells by column name); its values, or every problem found."""
    values: dict[str, Any] = {}
    problems = []
    for name, parse in COLUMNS.items():
        try:
            values[name] = parse(cells[name])
        except Invalid as error:
            problems.append(Problem(name, str(error)))
    if problems:
        return problems
    return _rules(values) or Parsed(values)


def row_render(values: Mapping[str, Any]) -> list[str]:
    """A complaint's values (as ``row_parse`` gives them) as the row's cells, in order."""
    return [_cell(values[name]) for name in HEADER]
