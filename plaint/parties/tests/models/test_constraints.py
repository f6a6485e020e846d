"""The database refuses invalid parties: every check and unique constraint of the app."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from plaint.core import clock
from plaint.parties.choices import Role
from plaint.parties.models import (
    AdminEvent,
    ApiToken,
    Category,
    Customer,
    CustomerAccountNumber,
    Membership,
    Organisation,
    Team,
)
from plaint.testing import builders


@pytest.fixture
def rows(db):
    organisation = builders.organisation()
    return {
        Organisation: {"name": "Acme", "slug": "acme", "country": "CZ", "sector": "energy"},
        Team: {"organisation": organisation, "name": "Billing", "kind": "billing"},
        Membership: {"user": builders.user(), "organisation": organisation, "role": "agent"},
        ApiToken: {"organisation": organisation, "name": "CRM", "key_sha256": "a" * 64,
                   "prefix": "abcdefgh", "role": "agent", "created_at": clock.now()},
        Category: {"organisation": organisation, "code": "billing", "name": "Billing"},
        AdminEvent: {"organisation": organisation, "at": clock.now(), "kind": "team_created",
                     "subject_type": "team", "subject_label": "Billing"},
        "organisation": organisation,
    }


CHECKS = [
    (Organisation, {"sector": "mining"}, "parties_organisation_sector_valid"),
    (Organisation, {"clock_warning_at": 1.0}, "parties_organisation_warning_fraction"),
    (Team, {"kind": "party"}, "parties_team_kind_valid"),
    (Membership, {"role": "owner"}, "parties_membership_role_valid"),
    (ApiToken, {"role": "root"}, "parties_apitoken_role_valid"),
    (Category, {"code": ""}, "parties_category_code_given"),
    (AdminEvent, {"kind": "team_deleted"}, "parties_adminevent_kind_valid"),
]


@pytest.mark.parametrize("model", [Organisation, Team, Membership, ApiToken, Category, AdminEvent])
def test_a_valid_row_is_accepted(rows, model):
    assert model.objects.create(**rows[model]).pk is not None


@pytest.mark.parametrize(("model", "change", "constraint"), CHECKS,
                         ids=[constraint for _, _, constraint in CHECKS])
def test_a_row_breaking_a_check_constraint_is_refused(rows, model, change, constraint):
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        model.objects.create(**{**rows[model], **change})
    assert constraint in str(refused.value)


def test_every_check_constraint_of_the_parties_app_is_tested():
    declared = {
        constraint.name % {"app_label": "parties", "class": model.__name__.lower()}
        for model in apps.get_app_config("parties").get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    }
    assert declared == {constraint for _, _, constraint in CHECKS}


def test_team_names_are_unique_within_an_organisation_only(rows):
    Team.objects.create(**rows[Team])
    Team.objects.create(**{**rows[Team], "organisation": builders.organisation()})
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(**rows[Team])


def test_a_person_has_one_role_per_organisation(rows):
    Membership.objects.create(**rows[Membership])
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(**{**rows[Membership], "role": Role.MANAGER})


def test_a_user_has_one_customer_account_per_organisation_but_many_have_none(rows):
    organisation = rows["organisation"]
    person = builders.user()
    Customer.objects.create(organisation=organisation, user=person)
    Customer.objects.create(organisation=organisation, user=None)
    Customer.objects.create(organisation=organisation, user=None)
    Customer.objects.create(organisation=builders.organisation(), user=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(organisation=organisation, user=person)


def test_an_account_number_belongs_to_one_customer_of_an_organisation(rows):
    organisation = rows["organisation"]
    first = Customer.objects.create(organisation=organisation)
    second = Customer.objects.create(organisation=organisation)
    CustomerAccountNumber.objects.create(customer=first, organisation=organisation, number="42")
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerAccountNumber.objects.create(customer=second, organisation=organisation,
                                             number="42")


def test_organisation_slugs_and_token_hashes_are_unique(rows):
    Organisation.objects.create(**rows[Organisation])
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(**{**rows[Organisation], "name": "Other"})
    ApiToken.objects.create(**rows[ApiToken])
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(**{**rows[ApiToken], "name": "Copy"})


def test_category_codes_are_unique_within_an_organisation_only(rows):
    Category.objects.create(**rows[Category])
    Category.objects.create(**{**rows[Category], "organisation": builders.organisation()})
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(**{**rows[Category], "name": "Invoices"})
