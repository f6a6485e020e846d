"""The access functions: every branch, and the same NotFound whether missing or not the caller's."""

from __future__ import annotations

import io

import pytest

from plaint.complaints.access import (
    access_cancellation_by_protocol,
    access_complaint_by_reference,
    access_evidence_by_id,
    access_message_by_id,
    access_organisation_for_intake,
    actor_towards,
    complaints_visible_to,
)
from plaint.complaints.actors import SYSTEM_ACTOR, customer_actor
from plaint.complaints.models import Evidence, Message
from plaint.complaints.policy import Who
from plaint.complaints.services.cancellations import cancellation_request
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.records import message_add
from plaint.core import references
from plaint.core.exceptions import NotFound
from plaint.parties.actors import ANONYMOUS, ActorKind, Principal
from plaint.parties.choices import Role
from plaint.parties.models import ApiToken, Membership
from plaint.parties.services import api_token_create
from plaint.testing import builders
from plaint.testing.actors import (
    AGENT,
    CUSTOMER_A,
    CUSTOMER_B,
    MANAGER,
    ORG_ADMIN,
    OTHER_ORG_AGENT,
    PDF,
    PLATFORM_ADMIN,
)

UNKNOWN_REFERENCE = "00000000" + references.check_character("00000000")


def _user(cast, name):
    return Principal(user=cast.users[name])


def _token(cast, organisation=None):
    token = ApiToken.objects.filter(organisation=organisation or cast.org1).first()
    if token is None:
        token, _ = api_token_create(organisation=organisation, name="Other CRM", role=Role.MANAGER)
    return Principal(token=token)


def _cancellation(cast, name=CUSTOMER_A):
    customer = cast.customers[name]
    return cancellation_request(actor=customer_actor(Principal(user=customer.user), cast.org1.pk),
                                customer=customer, service_name="Home internet 300")


# actor_towards


def test_staff_of_the_organisation_stand_towards_its_complaint_in_their_role(cast):
    actor = actor_towards(_user(cast, MANAGER), cast.complaint_b)
    assert actor is not None
    assert (actor.kind, actor.who, actor.organisation_id) == (
        ActorKind.STAFF, Who.MANAGER, cast.org1.pk
    )
    assert actor.membership == cast.memberships[MANAGER]


def test_a_token_stands_towards_its_organisations_complaint_as_an_integration(cast):
    actor = actor_towards(_token(cast), cast.complaint_a)
    assert actor is not None
    assert (actor.kind, actor.who, actor.membership) == (ActorKind.INTEGRATION, Who.AGENT, None)


def test_the_customer_of_a_complaint_stands_towards_it_as_its_customer(cast):
    actor = actor_towards(_user(cast, CUSTOMER_A), cast.complaint_a)
    assert actor is not None
    assert (actor.kind, actor.who, actor.organisation_id) == (
        ActorKind.CUSTOMER, Who.CUSTOMER, cast.org1.pk
    )


@pytest.mark.parametrize("name", [CUSTOMER_B, OTHER_ORG_AGENT, PLATFORM_ADMIN])
def test_anybody_else_signed_in_stands_in_no_relation_to_a_complaint(cast, name):
    assert actor_towards(_user(cast, name), cast.complaint_a) is None


def test_a_token_of_another_organisation_stands_in_no_relation_to_a_complaint(cast):
    assert actor_towards(_token(cast, cast.org2), cast.complaint_a) is None


def test_an_anonymous_caller_stands_in_no_relation_to_a_complaint(cast):
    assert actor_towards(ANONYMOUS, cast.complaint_a) is None


def test_a_staff_member_who_is_also_the_customer_acts_as_staff(cast):
    # given an agent who also has a customer account with the organisation
    agent = cast.memberships[AGENT]
    own = builders.complaint(builders.customer(cast.org1, with_user=False, email="x@example.test"))
    own.customer.user = agent.user
    own.customer.save(update_fields=["user"])
    # when / then
    actor = actor_towards(_user(cast, AGENT), own)
    assert actor is not None
    assert actor.who is Who.AGENT


# access_complaint_by_reference


@pytest.mark.parametrize("reference", ["", "not-a-reference", "0000-0000-1"])
def test_a_malformed_reference_is_not_found(cast, reference):
    with pytest.raises(NotFound):
        access_complaint_by_reference(principal=_user(cast, MANAGER), reference=reference)


def test_a_well_formed_reference_of_no_complaint_is_not_found(cast):
    with pytest.raises(NotFound):
        access_complaint_by_reference(principal=_user(cast, MANAGER), reference=UNKNOWN_REFERENCE)


@pytest.mark.parametrize("name", [CUSTOMER_B, OTHER_ORG_AGENT, PLATFORM_ADMIN])
def test_another_persons_complaint_is_not_found(cast, name):
    with pytest.raises(NotFound):
        access_complaint_by_reference(principal=_user(cast, name),
                                      reference=cast.complaint_a.reference)


def test_a_complaint_is_not_found_by_an_anonymous_caller_or_another_organisations_token(cast):
    for principal in (ANONYMOUS, _token(cast, cast.org2)):
        with pytest.raises(NotFound):
            access_complaint_by_reference(principal=principal,
                                          reference=cast.complaint_a.reference)


def test_the_customer_gets_their_complaint_by_its_displayed_reference_as_its_customer(cast):
    # given the reference as printed on a letter, typed in lower case
    typed = references.display(cast.complaint_a.reference).lower()
    # when
    complaint, actor = access_complaint_by_reference(principal=_user(cast, CUSTOMER_A),
                                                     reference=typed)
    # then
    assert complaint == cast.complaint_a
    assert actor.is_customer


@pytest.mark.parametrize("for_update", [False, True])
def test_staff_get_their_organisations_complaint_with_organisation_and_customer_loaded(
    cast, for_update, django_assert_num_queries
):
    principal = _user(cast, ORG_ADMIN)
    # when (one query for the complaint, one for the memberships)
    with django_assert_num_queries(2):
        complaint, actor = access_complaint_by_reference(
            principal=principal, reference=cast.complaint_b.reference, for_update=for_update)
        names = (complaint.organisation.name, complaint.customer.email)
    # then
    assert complaint == cast.complaint_b
    assert names == (cast.org1.name, cast.customers[CUSTOMER_B].email)
    assert actor.who is Who.ORG_ADMIN


# access_evidence_by_id


def _visible_evidence(cast):
    return evidence_add(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a,
                        stream=io.BytesIO(PDF), name="bill.pdf")


def test_the_customer_gets_evidence_visible_to_them(cast):
    evidence = _visible_evidence(cast)
    found, actor = access_evidence_by_id(principal=_user(cast, CUSTOMER_A),
                                         reference=cast.complaint_a.reference,
                                         evidence_id=evidence.pk)
    assert found == evidence
    assert found.complaint == cast.complaint_a
    assert actor.is_customer


def test_the_customer_does_not_get_internal_evidence_of_their_complaint(cast):
    internal = Evidence.objects.get(complaint=cast.complaint_a, visibility="internal")
    with pytest.raises(NotFound):
        access_evidence_by_id(principal=_user(cast, CUSTOMER_A),
                              reference=cast.complaint_a.reference, evidence_id=internal.pk)


def test_staff_get_internal_evidence(cast):
    internal = Evidence.objects.get(complaint=cast.complaint_a, visibility="internal")
    found, actor = access_evidence_by_id(principal=_user(cast, AGENT),
                                         reference=cast.complaint_a.reference,
                                         evidence_id=internal.pk)
    assert found == internal
    assert actor.who is Who.AGENT


def test_evidence_named_with_another_complaints_reference_is_not_found(cast):
    evidence = _visible_evidence(cast)
    with pytest.raises(NotFound):
        access_evidence_by_id(principal=_user(cast, AGENT), reference=cast.complaint_b.reference,
                              evidence_id=evidence.pk)


def test_evidence_of_a_complaint_the_caller_may_not_see_is_not_found(cast):
    evidence = _visible_evidence(cast)
    with pytest.raises(NotFound):
        access_evidence_by_id(principal=_user(cast, CUSTOMER_B),
                              reference=cast.complaint_a.reference, evidence_id=evidence.pk)


def test_unknown_evidence_is_not_found(cast):
    with pytest.raises(NotFound):
        access_evidence_by_id(principal=_user(cast, AGENT), reference=cast.complaint_a.reference,
                              evidence_id=10**9)


# access_message_by_id


@pytest.mark.parametrize("for_update", [False, True])
def test_staff_of_the_organisation_get_a_message_to_move(cast, for_update):
    message = Message.objects.filter(complaint=cast.complaint_a).first()
    found, actor = access_message_by_id(principal=_user(cast, MANAGER), message_id=message.pk,
                                        for_update=for_update)
    assert found == message
    assert found.complaint == cast.complaint_a
    assert actor.who is Who.MANAGER


def test_a_token_of_the_organisation_gets_a_message(cast):
    message = Message.objects.filter(complaint=cast.complaint_a).first()
    _, actor = access_message_by_id(principal=_token(cast), message_id=message.pk)
    assert actor.kind == ActorKind.INTEGRATION


@pytest.mark.parametrize("name", [CUSTOMER_A, OTHER_ORG_AGENT])
def test_a_message_is_not_found_by_anybody_but_the_organisations_staff(cast, name):
    # given a customer-visible message on customer A's own complaint
    message = message_add(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a, body="Hi")
    # when / then
    with pytest.raises(NotFound):
        access_message_by_id(principal=_user(cast, name), message_id=message.pk)


def test_an_unknown_message_is_not_found(cast):
    with pytest.raises(NotFound):
        access_message_by_id(principal=_user(cast, MANAGER), message_id=10**9)


# access_organisation_for_intake


def test_staff_file_for_their_own_organisation_in_their_role(cast):
    organisation, actor = access_organisation_for_intake(principal=_user(cast, AGENT),
                                                         organisation_id=cast.org1.pk)
    assert organisation == cast.org1
    assert (actor.kind, actor.who) == (ActorKind.STAFF, Who.AGENT)


def test_a_token_files_for_its_organisation_as_an_integration(cast):
    _, actor = access_organisation_for_intake(principal=_token(cast), organisation_id=cast.org1.pk)
    assert actor.kind == ActorKind.INTEGRATION


def test_a_signed_in_person_files_as_a_customer_even_if_staff_elsewhere(cast):
    # given the agent of organisation 2, filing against organisation 1
    organisation, actor = access_organisation_for_intake(principal=_user(cast, OTHER_ORG_AGENT),
                                                         organisation_id=cast.org1.pk)
    # then they file as a customer
    assert organisation == cast.org1
    assert (actor.kind, actor.who, actor.organisation_id) == (
        ActorKind.CUSTOMER, Who.CUSTOMER, cast.org1.pk
    )


def test_a_token_of_another_organisation_or_an_anonymous_caller_cannot_file(cast):
    for principal in (_token(cast, cast.org2), ANONYMOUS):
        with pytest.raises(NotFound):
            access_organisation_for_intake(principal=principal, organisation_id=cast.org1.pk)


def test_an_unknown_or_unmanaged_organisation_takes_no_complaints(cast):
    unmanaged = builders.organisation(is_managed=False)
    for organisation_id in (unmanaged.pk, 10**9):
        with pytest.raises(NotFound):
            access_organisation_for_intake(principal=_user(cast, CUSTOMER_A),
                                           organisation_id=organisation_id)


# access_cancellation_by_protocol


@pytest.mark.parametrize("for_update", [False, True])
def test_the_customer_gets_their_cancellation_by_its_displayed_protocol_number(cast, for_update):
    cancellation = _cancellation(cast)
    found, actor = access_cancellation_by_protocol(
        principal=_user(cast, CUSTOMER_A),
        protocol_number=references.display(cancellation.protocol_number),
        for_update=for_update,
    )
    assert found == cancellation
    assert actor.is_customer
    assert actor.organisation_id == cast.org1.pk


@pytest.mark.parametrize("name", [AGENT, ORG_ADMIN])
def test_staff_of_the_organisation_get_a_cancellation(cast, name):
    cancellation = _cancellation(cast)
    _, actor = access_cancellation_by_protocol(principal=_user(cast, name),
                                               protocol_number=cancellation.protocol_number)
    assert actor.who == Who(Role(cast.memberships[name].role).value)


def test_a_token_of_the_organisation_gets_a_cancellation(cast):
    cancellation = _cancellation(cast)
    _, actor = access_cancellation_by_protocol(principal=_token(cast),
                                               protocol_number=cancellation.protocol_number)
    assert actor.kind == ActorKind.INTEGRATION


@pytest.mark.parametrize("name", [CUSTOMER_B, OTHER_ORG_AGENT, PLATFORM_ADMIN])
def test_another_persons_cancellation_is_not_found(cast, name):
    cancellation = _cancellation(cast)
    with pytest.raises(NotFound):
        access_cancellation_by_protocol(principal=_user(cast, name),
                                        protocol_number=cancellation.protocol_number)


def test_a_cancellation_is_not_found_by_another_organisations_token_or_anonymously(cast):
    cancellation = _cancellation(cast)
    for principal in (_token(cast, cast.org2), ANONYMOUS):
        with pytest.raises(NotFound):
            access_cancellation_by_protocol(principal=principal,
                                            protocol_number=cancellation.protocol_number)


@pytest.mark.parametrize("protocol", ["nonsense", UNKNOWN_REFERENCE])
def test_a_malformed_or_unknown_protocol_number_is_not_found(cast, protocol):
    with pytest.raises(NotFound):
        access_cancellation_by_protocol(principal=_user(cast, AGENT), protocol_number=protocol)


# complaints_visible_to


def test_staff_see_every_complaint_of_their_organisation_and_none_of_another(cast):
    visible = set(complaints_visible_to(_user(cast, AGENT)))
    assert visible == {cast.complaint_a, cast.complaint_b}


def test_a_token_sees_its_organisations_complaints(cast):
    assert set(complaints_visible_to(_token(cast))) == {cast.complaint_a, cast.complaint_b}


def test_a_customer_sees_only_their_own_complaints(cast):
    assert list(complaints_visible_to(_user(cast, CUSTOMER_A))) == [cast.complaint_a]


def test_a_person_who_is_staff_of_one_organisation_and_customer_of_another_sees_both(cast):
    # given the agent of organisation 2 who complains about organisation 1
    person = cast.users[OTHER_ORG_AGENT]
    account = builders.customer(cast.org1, with_user=False)
    account.user = person
    account.save(update_fields=["user"])
    own = builders.complaint(account, actor=SYSTEM_ACTOR)
    # when / then
    assert set(complaints_visible_to(Principal(user=person))) == {own, cast.complaint_other_org}


def test_an_inactive_membership_shows_nothing(cast):
    Membership.objects.filter(pk=cast.memberships[AGENT].pk).update(is_active=False)
    assert not complaints_visible_to(_user(cast, AGENT)).exists()


@pytest.mark.parametrize("name", [PLATFORM_ADMIN, "anonymous"])
def test_the_platform_admin_and_an_anonymous_caller_see_no_complaints(cast, name):
    principal = ANONYMOUS if name == "anonymous" else _user(cast, name)
    assert not complaints_visible_to(principal).exists()
