"""The demo's organisations and people: teams, staff in every role, customers.

Organisations, teams and memberships have no services yet, so they are written
with the ORM here; customers go through ``customer_find_or_create`` like any
intake. Every demo login shares one password, hashed once: hashing it again
for each of some sixty users would cost most of the demo's running time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from plaint.complaints.actors import Actor, customer_actor, staff_actor
from plaint.demo.catalogue import CUSTOMERS_PER_ORGANISATION, STAFF_PLAN
from plaint.demo.files import ascii_only
from plaint.demo.specs import OrganisationSpec, UnmanagedSpec
from plaint.parties.actors import Principal
from plaint.parties.choices import ContactChannel, Role, TeamKind
from plaint.parties.models import Customer, CustomerAccountNumber, Membership, Organisation, Team, User
from plaint.parties.services import CustomerDetails, customer_find_or_create

#: The role that handles a complaint at each escalation level (see ``policy.HANDLING``).
HANDLER_ROLE = {1: Role.AGENT, 2: Role.TEAM_LEADER, 3: Role.COMPLAINTS_OFFICER, 4: Role.MANAGER}


@dataclass
class StaffMember:
    membership: Membership
    actor: Actor


@dataclass
class DemoCustomer:
    customer: Customer
    actor: Actor
    account_number: str

    @property
    def has_login(self) -> bool:
        return self.customer.user_id is not None


@dataclass
class OrganisationCast:
    """One organisation with everybody who takes part in its complaints."""

    spec: OrganisationSpec
    organisation: Organisation
    teams: dict[str, Team]
    staff: dict[str, list[StaffMember]] = field(default_factory=dict)
    customers: list[DemoCustomer] = field(default_factory=list)

    def handler(self, level: int, team: str, pick: int) -> StaffMember:
        """The staff member who handles a complaint of ``team`` at ``level``.

        Agents and team leaders belong to the complaint's team; ``pick`` chooses
        among several so that work spreads over people.
        """
        role = HANDLER_ROLE[level]
        members = self.staff[role]
        if role in (Role.AGENT, Role.TEAM_LEADER):
            members = [m for m in members if m.membership.team_id == self.teams[team].pk] or members
        return members[pick % len(members)]


class Names:
    """Draws local names and unique e-mail addresses."""

    def __init__(self, spec: OrganisationSpec, rng: random.Random) -> None:
        self.people = spec.people
        self.rng = rng
        self.emails: set[str] = set()

    def person(self) -> tuple[str, str, str]:
        """(full name, ascii first name, ascii surname)."""
        female = self.rng.random() < 0.5
        first = self.rng.choice(self.people.female_first if female else self.people.male_first)
        surname = self.rng.choice(self.people.surnames)[1 if female else 0]
        return f"{first} {surname}", _mailbox(first), _mailbox(surname)

    def email(self, first: str, surname: str, domain: str) -> str:
        base = f"{first}.{surname}"
        candidate, n = f"{base}@{domain}", 1
        while candidate in self.emails or User.objects.filter(email=candidate).exists():
            n += 1
            candidate = f"{base}{n}@{domain}"
        self.emails.add(candidate)
        return candidate

    def phone(self) -> str:
        r = self.rng
        return self.people.phone_format.format(
            a=r.randint(6, 7), b=r.randint(0, 99), c=r.randint(0, 999), d=r.randint(0, 999)
        )

    def address(self, full_name: str) -> str:
        postcode, city = self.rng.choice(self.people.cities)
        return f"{full_name}\n{self.rng.choice(self.people.streets)} {self.rng.randint(1, 180)}\n" \
               f"{postcode} {city}"


def _mailbox(name: str) -> str:
    return "".join(ch for ch in ascii_only(name).lower() if ch.isalnum())


def _user(email: str, full_name: str, language: str, password_hash: str) -> User:
    user, _ = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "preferred_language": language, "password": password_hash},
    )
    return user


def organisation_build(spec: OrganisationSpec, rng: random.Random, password_hash: str) -> OrganisationCast:
    """Create the organisation, its four teams, its staff and its customers."""
    organisation = Organisation.objects.create(
        name=spec.name,
        slug=spec.slug,
        country=spec.country,
        sector=spec.sector,
        time_zone=spec.time_zone,
        languages=list(spec.languages),
        default_language=spec.languages[0],
        is_managed=True,
        complaint_address=spec.complaint_address,
        complaint_email=spec.complaint_email,
    )
    teams = {
        kind: Team.objects.create(organisation=organisation, name=spec.team_names[kind], kind=kind)
        for kind in (TeamKind.BILLING, TeamKind.TECHNICAL, TeamKind.COMPLAINTS, TeamKind.MANAGEMENT)
    }
    cast = OrganisationCast(spec=spec, organisation=organisation, teams=teams)
    names = Names(spec, rng)
    _staff_build(cast, names, password_hash)
    manager = cast.staff[Role.MANAGER][0].membership
    organisation.complaints_owner = f"{manager.user.full_name}, {manager.position}"
    organisation.save(update_fields=["complaints_owner"])
    _customers_build(cast, names, rng, password_hash)
    return cast


def _staff_build(cast: OrganisationCast, names: Names, password_hash: str) -> None:
    spec = cast.spec
    for role, team_kind, count in STAFF_PLAN:
        for index in range(count):
            full_name, first, surname = names.person()
            user = _user(names.email(first, surname, spec.staff_domain), full_name,
                         spec.languages[0], password_hash)
            team = cast.teams[team_kind] if team_kind else None
            position = spec.people.positions[role]
            if role in (Role.AGENT, Role.TEAM_LEADER) and team is not None:
                position = f"{position} – {team.name}"
            membership = Membership.objects.create(
                user=user,
                organisation=cast.organisation,
                role=role,
                team=team,
                position=position,
                location=spec.people.locations[index % len(spec.people.locations)],
            )
            actor = staff_actor(Principal(user=user), cast.organisation.pk)
            assert actor is not None  # the membership was just created
            cast.staff.setdefault(role, []).append(StaffMember(membership, actor))


def _customers_build(
    cast: OrganisationCast, names: Names, rng: random.Random, password_hash: str
) -> None:
    spec, people = cast.spec, cast.spec.people
    numbers: set[str] = set()
    for index in range(CUSTOMERS_PER_ORGANISATION):
        full_name, first, surname = names.person()
        language = spec.languages[0]
        if spec.foreign_language and index % 9 == 4:
            language = spec.foreign_language
        has_login = index % 5 in (0, 2)  # two in five sign in to the portal
        email = names.email(first, surname, rng.choice(people.mail_domains))
        no_email = not has_login and index % 7 == 3  # a few are reached by phone or letter only
        user = _user(email, full_name, language, password_hash) if has_login else None
        number = _account_number(spec, rng, numbers)
        vulnerable = index % 8 == 5
        channel = ContactChannel.PORTAL if has_login else rng.choice(
            [ContactChannel.EMAIL, ContactChannel.EMAIL, ContactChannel.PHONE, ContactChannel.SMS]
        )
        if no_email:
            channel = ContactChannel.LETTER if vulnerable else ContactChannel.PHONE
        customer = customer_find_or_create(
            organisation=cast.organisation,
            user=user,
            details=CustomerDetails(
                full_name=full_name,
                email="" if no_email else email,
                phone=names.phone(),
                account_number=number,
                preferred_language=language,
                preferred_channel=channel,
                accessibility_needs=rng.choice(people.accessibility_needs) if index % 8 == 1 else "",
                is_vulnerable=vulnerable,
            ),
        )
        customer.postal_address = names.address(full_name)
        customer.save(update_fields=["postal_address"])
        CustomerAccountNumber.objects.filter(customer=customer, number=number).update(
            label=rng.choice(people.services)
        )
        if index % 4 == 1:  # a second contract, e.g. TV beside internet
            second = _account_number(spec, rng, numbers)
            CustomerAccountNumber.objects.create(
                customer=customer, organisation=cast.organisation, number=second,
                label=rng.choice(people.services),
            )
        actor = customer_actor(Principal(user=user), cast.organisation.pk)
        cast.customers.append(DemoCustomer(customer, actor, number))


def _account_number(spec: OrganisationSpec, rng: random.Random, taken: set[str]) -> str:
    while True:
        number = f"{spec.account_prefix}-{rng.randint(1_000_000, 9_999_999)}"
        if number not in taken:
            taken.add(number)
            return number


def unmanaged_ensure(spec: UnmanagedSpec) -> bool:
    """Create the provider without staff unless it exists; True if created."""
    _, created = Organisation.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "country": spec.country,
            "sector": spec.sector,
            "time_zone": spec.time_zone,
            "languages": list(spec.languages),
            "default_language": spec.languages[0],
            "is_managed": False,
            "complaint_address": spec.complaint_address,
            "complaint_email": spec.complaint_email,
        },
    )
    return created
