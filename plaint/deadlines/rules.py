"""Deadline rules as data: the vocabulary of a rule and the loader of the rule files.

Pure Python: no ORM. Statutory rule sets ("packs") live in ``rules/*.toml`` beside this module,
one file per jurisdiction, reviewed like code. A file holds ids and parameters only; what a person
reads about a rule (its title, what happens at expiry) is a translatable string in
``explanations.py``, keyed by the rule's id. A test fails when a rule has no explanation.

A rule is versioned: the same ``id`` may appear several times with different ``version`` numbers
and effective dates, and a clock gets the version in force on the day it starts (RULES.md § 10.3).
Organisations' own policy rules use the same ``ClockRule`` type, built from the database.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

from plaint.deadlines.durations import Duration, EndRollover, StartRule, Unit

RULES_DIR = Path(__file__).with_name("rules")


class RuleKind(StrEnum):
    STATUTORY = "statutory"  # law or a regulator's rule; not editable by organisations
    POLICY = "policy"  # an organisation's own service target or escalation tier
    PROMISE = "promise"  # something a staff member promised in an interaction


class Party(StrEnum):
    """Who must act before the clock runs out."""

    PROVIDER = "provider"
    CONSUMER = "consumer"


class Start(StrEnum):
    """The event that starts a clock."""

    RECEIVED = "received"  # the complaint was received (CFPB: sent to the company)
    FORMAL = "formal"  # the complaint became a formal complaint (level 3)
    FINAL_RESPONSE = "final_response"  # the provider issued its final response
    HISTORY_REQUESTED = "history_requested"  # the customer asked for the case history (BR SAC)


class MetBy(StrEnum):
    """What stops a clock in time."""

    ACKNOWLEDGEMENT = "acknowledgement"  # the complaint left "received"
    ANSWER = "answer"  # a decision or a final response was sent
    FINAL_RESPONSE = "final_response"  # the final response was sent
    REFERRAL = "referral"  # the customer took the case to an external body
    HISTORY_SENT = "history_sent"  # the case history was sent to the customer


class Pause(StrEnum):
    """Conditions a rule may list under which its clock stops."""

    AWAITING_CUSTOMER = "awaiting_customer"
    EXTERNAL_PROCEDURE = "external_procedure"  # an ADR procedure runs (limitation periods)


class ExpiryAction(StrEnum):
    """What Plaint does when a clock runs out (RULES.md § 10.1 ``Action``)."""

    ESCALATE = "escalate"  # one level up, the rule as the reason
    NOTIFY_MANAGER = "notify_manager"  # the organisation's managers, through the outbox
    DEEMED_ACCEPTED = "deemed_accepted"  # a system decision upholding the demands
    OPEN_EXTERNAL_ROUTE = "open_external_route"  # the customer may now go to the external body
    MARK_UNTIMELY = "mark_untimely"  # the response is untimely (CFPB, regulator reporting)
    CONSUMER_RIGHTS = "consumer_rights"  # the consumer may withdraw, claim a discount…
    SANCTION_RISK = "sanction_risk"  # the provider is exposed to an administrative fine
    LAPSE_RIGHT = "lapse_right"  # a consumer's window closed (FOS 6 months, ČTÚ objection)


class Confidence(StrEnum):
    """How sure RULES.md is of the rule: verified, secondary source, background knowledge."""

    VERIFIED = "V"
    SECONDARY = "S"
    KNOWLEDGE = "K"


@dataclass(frozen=True, slots=True)
class Source:
    law: str
    article: str
    confidence: Confidence
    url: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Extension:
    """A reasoned extension the rule allows: up to ``max_total`` from the clock's start
    (``None``: the law sets no cap, as in CZ § 19(3) where only an agreement extends)."""

    max_total: Duration | None = None
    by_agreement_only: bool = False


@dataclass(frozen=True, slots=True)
class ClockRule:
    id: str
    version: int
    kind: RuleKind
    party: Party
    start: Start
    duration: Duration
    met_by: MetBy
    source: Source
    start_rule: StartRule = StartRule.NEXT_DAY
    end_rollover: EndRollover = EndRollover.NONE
    pauses: frozenset[Pause] = frozenset()
    extension: Extension | None = None
    warning_at: float | None = None
    on_expiry: tuple[ExpiryAction, ...] = ()
    external_body: str = ""
    consumer_rights: tuple[str, ...] = ()
    countries: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()  # empty: every sector
    channels: frozenset[str] = frozenset()  # empty: every channel
    effective_from: date = date(1900, 1, 1)
    effective_to: date | None = None  # the last day in force
    pack: str = ""

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def applies_to(self, *, country: str, sector: str, channel: str) -> bool:
        return (
            (not self.countries or country in self.countries)
            and (not self.sectors or sector in self.sectors)
            and (not self.channels or channel in self.channels)
        )


class RuleFileError(ValueError):
    """A rule file does not follow the schema; the message names the file and the rule."""


_RULE_KEYS = {
    "id", "version", "party", "start", "duration", "met_by", "source", "start_rule", "end_rollover",
    "pauses", "extension", "warning_at", "on_expiry", "external_body", "consumer_rights", "sectors",
    "channels", "effective_from", "effective_to",
}
_REQUIRED = {"id", "version", "start", "duration", "met_by", "source"}


def _duration(raw: dict[str, object], where: str) -> Duration:
    try:
        return Duration(int(raw["value"]), Unit(raw["unit"]))  # type: ignore[call-overload]
    except (KeyError, ValueError, TypeError) as error:
        raise RuleFileError(f"{where}: a duration needs an integer value and a known unit") from error


_LIST_KEYS = ("pauses", "on_expiry", "consumer_rights", "sectors", "channels")
_DATE_KEYS = ("effective_from", "effective_to")


def _check_types(raw: dict[str, object], where: str) -> None:
    """Lists are lists and dates are dates: ``sectors = "retail"`` would otherwise become the
    set of its letters, and a quoted date would fail only when a complaint came in."""
    for key in _LIST_KEYS:
        if key in raw and not (
            isinstance(raw[key], list) and all(isinstance(v, str) for v in raw[key])  # type: ignore[attr-defined]
        ):
            raise RuleFileError(f"{where}: {key} is a list of strings")
    for key in _DATE_KEYS:
        if key in raw and not isinstance(raw[key], date):
            raise RuleFileError(f"{where}: {key} is a date written without quotes (2023-01-01)")


def rule_from_data(
    raw: dict[str, object], *, pack: str, countries: Iterable[str], where: str,
    kind: RuleKind = RuleKind.STATUTORY,
) -> ClockRule:
    """One ``[[rule]]`` table as a ``ClockRule``; ``RuleFileError`` on anything unexpected."""
    unknown = set(raw) - _RULE_KEYS
    missing = _REQUIRED - set(raw)
    if unknown or missing:
        raise RuleFileError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    _check_types(raw, where)
    try:
        source = dict(raw["source"])  # type: ignore[call-overload]
        extension = raw.get("extension")
        warning_at = raw.get("warning_at")
        if warning_at is not None and not 0 < float(warning_at) < 1:  # type: ignore[arg-type]
            raise RuleFileError(f"{where}: warning_at is a fraction between 0 and 1")
        rule = ClockRule(
            id=str(raw["id"]),
            version=int(raw["version"]),  # type: ignore[call-overload]
            kind=kind,
            party=Party(raw.get("party", Party.PROVIDER)),
            start=Start(raw["start"]),
            duration=_duration(raw["duration"], where),  # type: ignore[arg-type]
            met_by=MetBy(raw["met_by"]),
            source=Source(
                law=source.pop("law"),
                article=source.pop("article"),
                confidence=Confidence(source.pop("confidence")),
                url=source.pop("url", ""),
                note=source.pop("note", ""),
            ),
            start_rule=StartRule(raw.get("start_rule", StartRule.NEXT_DAY)),
            end_rollover=EndRollover(raw.get("end_rollover", EndRollover.NONE)),
            pauses=frozenset(Pause(p) for p in raw.get("pauses", ())),  # type: ignore[attr-defined]
            extension=(
                None
                if extension is None
                else Extension(
                    max_total=(
                        _duration(extension["max_total"], where)  # type: ignore[index]
                        if "max_total" in extension  # type: ignore[operator]
                        else None
                    ),
                    by_agreement_only=bool(extension.get("by_agreement_only", False)),  # type: ignore[attr-defined]
                )
            ),
            warning_at=None if warning_at is None else float(warning_at),  # type: ignore[arg-type]
            on_expiry=tuple(ExpiryAction(a) for a in raw.get("on_expiry", ())),  # type: ignore[attr-defined]
            external_body=str(raw.get("external_body", "")),
            consumer_rights=tuple(raw.get("consumer_rights", ())),  # type: ignore[arg-type]
            countries=frozenset(countries),
            sectors=frozenset(raw.get("sectors", ())),  # type: ignore[arg-type]
            channels=frozenset(raw.get("channels", ())),  # type: ignore[arg-type]
            effective_from=raw.get("effective_from", date(1900, 1, 1)),  # type: ignore[arg-type]
            effective_to=raw.get("effective_to"),  # type: ignore[arg-type]
            pack=pack,
        )
    except (KeyError, ValueError, TypeError) as error:
        if isinstance(error, RuleFileError):
            raise
        raise RuleFileError(f"{where}: {error!r}") from error
    if source:
        raise RuleFileError(f"{where}: unknown source keys {sorted(source)}")
    if ExpiryAction.OPEN_EXTERNAL_ROUTE in rule.on_expiry and not rule.external_body:
        raise RuleFileError(f"{where}: open_external_route needs external_body")
    if ExpiryAction.CONSUMER_RIGHTS in rule.on_expiry and not rule.consumer_rights:
        raise RuleFileError(f"{where}: consumer_rights needs the rights it opens")
    return rule


def rules_from_file(path: Path) -> list[ClockRule]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pack = data.get("pack")
    if not isinstance(pack, str):
        raise RuleFileError(f"{path.name}: a rule file names its pack")
    countries = data.get("countries", [])
    kind = RuleKind(data.get("kind", RuleKind.STATUTORY))
    return [
        rule_from_data(raw, pack=pack, countries=countries, kind=kind, where=f"{path.name} rule {i}")
        for i, raw in enumerate(data.get("rule", []), start=1)
    ]


def _check_versions(rules: list[ClockRule]) -> None:
    """Versions of one rule are numbered uniquely and their effective periods do not overlap."""
    by_id: dict[str, list[ClockRule]] = {}
    for rule in rules:
        by_id.setdefault(rule.id, []).append(rule)
    for rule_id, versions in by_id.items():
        versions.sort(key=lambda r: r.effective_from)
        if len({r.version for r in versions}) != len(versions):
            raise RuleFileError(f"{rule_id}: two versions share a number")
        for earlier, later in zip(versions, versions[1:], strict=False):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise RuleFileError(f"{rule_id}: versions {earlier.version} and {later.version} overlap")


@dataclass(frozen=True)
class RuleBook:
    """Every statutory rule, every version; asks which are in force for a complaint."""

    rules: tuple[ClockRule, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _check_versions(list(self.rules))

    def get(self, rule_id: str, version: int) -> ClockRule | None:
        for rule in self.rules:
            if rule.id == rule_id and rule.version == version:
                return rule
        return None

    def applicable(
        self, *, country: str, sector: str, channel: str, start: Start, day: date
    ) -> list[ClockRule]:
        """The rules starting at ``start`` that apply, each in its version in force on ``day``."""
        return [
            rule
            for rule in self.rules
            if rule.start is start
            and rule.in_force_on(day)
            and rule.applies_to(country=country, sector=sector, channel=channel)
        ]


@cache
def statutory_rules() -> RuleBook:
    """Every rule file in ``rules/``, loaded once per process."""
    rules: list[ClockRule] = []
    for path in sorted(RULES_DIR.glob("*.toml")):
        rules.extend(rules_from_file(path))
    return RuleBook(tuple(rules))
