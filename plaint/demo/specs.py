"""The shapes of the demo catalogue: what one organisation, its people and its texts are made of.

Plain frozen dataclasses, so that the texts of each language (``texts/``) can be
written as data and checked by reading, apart from the code that loads them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """One kind of complaint the organisation really gets, in its language.

    ``category`` and ``subcategory`` are the same codes in every organisation, so
    that analytics can compare providers; the words are local. Descriptions are
    ``str.format`` templates with ``{amount}`` and ``{currency}``.
    """

    category: str
    subcategory: str
    team: str
    product: str
    subjects: tuple[str, ...]
    descriptions: tuple[str, ...]
    demands: tuple[str, ...]
    amount: tuple[int, int] | None
    evidence_name: str
    evidence_description: str
    evidence_kind: str = "pdf"


@dataclass(frozen=True)
class StaffEvidence:
    """An internal file staff attach: a network log, a delivery record, a call transcript."""

    name: str
    description: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class People:
    """What local names, addresses and jobs look like."""

    male_first: tuple[str, ...]
    female_first: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]
    streets: tuple[str, ...]
    cities: tuple[tuple[str, str], ...]
    positions: dict[str, str]
    locations: tuple[str, ...]
    phone_format: str
    mail_domains: tuple[str, ...]
    accessibility_needs: tuple[str, ...]
    services: tuple[str, ...]


@dataclass(frozen=True)
class Texts:
    """Everything said about complaints in one language.

    What staff write depends on the team (``billing`` or ``technical``): a
    billing complaint is not asked for a photo of the router.
    """

    themes: tuple[Theme, ...]
    customer_messages: tuple[str, ...]
    staff_messages: tuple[str, ...]
    notes: dict[str, tuple[str, ...]]
    questions: dict[str, tuple[tuple[str, str], ...]]
    calls_in: tuple[str, ...]
    calls_out: dict[str, tuple[str, ...]]
    own_calls: tuple[str, ...]
    callback_promise: str
    action_promise: str
    escalation_reasons: tuple[str, ...]
    missed_callback_reason: str
    supervisor_words: tuple[str, ...]
    reasoning_upheld: tuple[str, ...]
    reasoning_partly: dict[str, tuple[str, ...]]
    reasoning_rejected: dict[str, tuple[str, ...]]
    remedy_detail: str
    decision_rejections: tuple[str, ...]
    withdrawals: tuple[str, ...]
    reopenings: tuple[str, ...]
    closing_without_reply: str
    final_response: str
    external_body: str
    external_reference: str
    external_outcomes: tuple[str, ...]
    merge_reason: str
    staff_evidence: dict[str, tuple[StaffEvidence, ...]]


@dataclass(frozen=True)
class OrganisationSpec:
    """A demo provider: who it is, how it is organised, and what its customers say."""

    slug: str
    name: str
    country: str
    sector: str
    time_zone: str
    languages: tuple[str, ...]
    currency: str
    staff_domain: str
    complaint_address: str
    complaint_email: str
    account_prefix: str
    team_names: dict[str, str]
    people: People
    texts: Texts
    referral_days: int | None
    date_format: str
    complaints: int
    foreign_language: str = "en"


@dataclass(frozen=True)
class UnmanagedSpec:
    """A provider known only by name: customers keep their own case files against it."""

    slug: str
    name: str
    country: str
    sector: str
    time_zone: str
    languages: tuple[str, ...]
    complaint_address: str
    complaint_email: str
