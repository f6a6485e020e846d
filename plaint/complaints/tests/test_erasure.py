"""Erasure on request: refused while a complaint is open or referred (nothing changes);
otherwise every personal value the export finds is gone, except complaint records a retention
rule still keeps, which ``plaint retention run`` removes when their period ends. The chains
verify throughout. Both database tiers."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder

from plaint.complaints.actors import customer_actor, staff_actor
from plaint.complaints.audit import audit_verify
from plaint.complaints.choices import EventKind
from plaint.complaints.erasure import ErasureRefused, erasure_request
from plaint.complaints.export import personal_data
from plaint.complaints.lifecycle import State
from plaint.complaints.models import (
    Complaint,
    ErasureChannel,
    ErasureOutcome,
    ErasureRequest,
    Event,
    Evidence,
    RetentionRun,
)
from plaint.complaints.retention import retention_run
from plaint.complaints.services.cancellations import cancellation_request
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.records import message_add
from plaint.core import clock
from plaint.feedback.models import HandlingRating
from plaint.feedback.services import handling_rate
from plaint.parties.actors import Principal
from plaint.parties.choices import Role
from plaint.parties.models import Customer, User
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, PDF, PLATFORM_ADMIN

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NAME, EMAIL, PHONE = "Zuzana Nováková", "zuzana.novakova@example.test", "+420 777 123 456"
ADDRESS, WORDS = "Dlouhá 12, 110 00 Praha", "my neighbour Jiří heard the engineer swear"
TRACES = (NAME, "Nováková", EMAIL, PHONE, ADDRESS, WORDS, "ACC-99-1234")


@pytest.fixture
def frozen(settings, tmp_path):  # noqa: ANN001, ANN201
    settings.MEDIA_ROOT = tmp_path / "files"
    with clock.frozen_at(START):
        yield


def _person(org, *, closed: bool = True):  # noqa: ANN001, ANN202
    """A person with every kind of personal value the export shows, and one complaint."""
    user = builders.user(email=EMAIL, full_name=NAME)
    customer = builders.customer(org, with_user=False, full_name=NAME, email=EMAIL, phone=PHONE,
                                 postal_address=ADDRESS, accessibility_needs="large print")
    Customer.objects.filter(pk=customer.pk).update(user=user)
    customer.refresh_from_db()
    customer.account_numbers.create(organisation=org, number="ACC-99-1234", label="Fibre")
    complaint = builders.complaint(customer, subject=f"{NAME}: router", description=WORDS,
                                   account_number="ACC-99-1234")
    actor = customer_actor(Principal(user=user), org.pk)
    message_add(actor=actor, complaint=complaint, body=f"Call me on {PHONE}. {WORDS}")
    evidence_add(actor=actor, complaint=complaint, stream=io.BytesIO(PDF), name=f"{NAME}.pdf")
    cancellation_request(actor=actor, customer=customer, service_name="Fibre",
                         account_number="ACC-99-1234")
    if closed:
        builders.reach(complaint, State.CLOSED)
        handling_rate(actor=actor, complaint=complaint, resolved=False, satisfaction=1, effort=5,
                      comment=WORDS)
    return user, customer, complaint


def _export_text(user: User) -> str:
    data, files = personal_data(user)
    data.pop("exported_at")
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False) + " ".join(n for n, _ in files)


def test_an_open_complaint_is_a_legal_hold_and_nothing_changes(cast):
    # given customer A, whose complaint A is open
    user = cast.users[CUSTOMER_A]
    before = (_export_text(user), Event.objects.count())
    # when they ask to be erased
    with pytest.raises(ErasureRefused) as refused:
        erasure_request(user=user, channel=ErasureChannel.WEB)
    # then the refusal is coded and names the complaint, and nothing changed
    assert refused.value.code == "erasure_legal_hold"
    assert refused.value.references == [cast.complaint_a.reference]
    assert cast.complaint_a.reference in refused.value.message
    user.refresh_from_db()
    assert user.is_active
    assert user.has_usable_password()
    assert (_export_text(user), Event.objects.count()) == before
    assert not ErasureRequest.objects.exists()


def test_a_complaint_referred_to_an_external_body_is_a_legal_hold(db, frozen):
    org = builders.organisation()
    user, _, complaint = _person(org, closed=False)
    builders.reach(complaint, State.REFERRED_EXTERNALLY)
    with pytest.raises(ErasureRefused) as refused:
        erasure_request(user=user, channel=ErasureChannel.WEB)
    assert refused.value.references == [complaint.reference]


def test_erasure_past_every_period_leaves_no_trace_in_the_export(db, frozen,
                                                                 django_capture_on_commit_callbacks):
    # given a Czech person whose complaint closed more than 3 years ago (CZ keeps 3 years)
    org = builders.organisation()
    user, customer, complaint = _person(org)
    files = list(Evidence.objects.filter(complaint=complaint).values_list("file", flat=True))
    assert all(trace in _export_text(user) for trace in (NAME, EMAIL, PHONE, WORDS))
    clock.advance(timedelta(days=3 * 366))
    # when they ask to be erased
    with django_capture_on_commit_callbacks(execute=True):
        request = erasure_request(user=user, channel=ErasureChannel.WEB, requested_by=user)
    # then it is erased, with nothing kept
    assert (request.outcome, request.kept, request.completed_at) == (ErasureOutcome.ERASED, [], clock.now())
    # and the export finds no trace of the name, the e-mail, the phone, the address or their words
    text = _export_text(user)
    assert [trace for trace in TRACES if trace in text] == []
    # nor in the rating's comment, which the export does not show
    assert HandlingRating.objects.get(complaint=complaint).comment == ""
    # and the account opens for nobody, and the files are gone from the storage
    user.refresh_from_db()
    assert (user.is_active, user.has_usable_password(), user.full_name) == (False, False, "")
    assert user.email == f"erased-{user.pk}@erased.invalid"
    storage = Evidence._meta.get_field("file").storage
    assert files
    assert not any(storage.exists(name) for name in files)
    # and the complaint's chain says so, and still verifies
    event = Event.objects.get(complaint=complaint, kind=EventKind.PERSONAL_DATA_ERASED)
    assert event.data == {"erasure_request": request.pk, "kept": False}
    report = audit_verify()
    assert report.ok, [b.describe() for b in report.broken]


def test_a_record_still_required_is_kept_with_its_rule_and_date_then_removed_by_the_retention_run(
        db, frozen):
    # given a Czech person whose complaint closed today: CZ keeps it 3 years (Civil Code § 629)
    org = builders.organisation()
    user, customer, complaint = _person(org)
    complaint.refresh_from_db()
    closed_at = complaint.state_changed_at
    # when they ask to be erased
    request = erasure_request(user=user, channel=ErasureChannel.WEB)
    # then the account is anonymised but the complaint record is kept, with its rule and date
    until = closed_at.replace(year=closed_at.year + 3)
    assert request.outcome == ErasureOutcome.PARTLY_KEPT
    assert request.kept == [{"complaint": complaint.pk, "reference": complaint.reference,
                             "rule": "CZ.limitation:3y", "until": until.isoformat()}]
    assert (request.kept_until, request.completed_at) == (until, None)
    user.refresh_from_db()
    assert not user.is_active
    assert NAME not in user.full_name
    assert Complaint.objects.get(pk=complaint.pk).description == WORDS
    assert Customer.objects.get(pk=customer.pk).full_name == NAME
    assert audit_verify().ok
    # when the retention run comes a day before the end, nothing is due
    clock.set_now(until - timedelta(days=1))
    assert retention_run(apply=False).due == []
    # and when it comes after the end
    clock.set_now(until + timedelta(days=1))
    report = retention_run(apply=True)
    # then the complaint is gone, the erasure is completed and the customer row anonymised
    assert [d.complaint_id for d in report.removed] == [complaint.pk]
    assert report.erasures_completed == 1
    request.refresh_from_db()
    assert request.completed_at == clock.now()
    assert [trace for trace in TRACES if trace in _export_text(user)] == []
    # and the run recorded what it removed under which rule
    run = RetentionRun.objects.get()
    assert run.removed == [{"record_type": "complaint_record", "rule": "CZ.limitation:3y", "count": 1}]
    assert (run.removed_count, run.erasures_completed, run.started_by) == (1, 1, "command")
    # and the log still verifies, with the tombstone
    verified = audit_verify()
    assert verified.ok
    assert verified.tombstones == 1


def test_a_customer_without_an_account_is_erased_by_the_operator(db, frozen):
    # given a walk-in customer of a US provider (no retention entry: nothing requires keeping)
    org = builders.organisation(country="US", time_zone="America/New_York", languages=["en"],
                                default_language="en")
    customer = builders.customer(org, with_user=False, full_name=NAME, phone=PHONE)
    agent = builders.staff(org, Role.AGENT)
    actor = staff_actor(Principal(user=agent.user), org.pk)
    complaint = builders.complaint(customer, actor=actor, description=WORDS)
    builders.reach(complaint, State.CLOSED)
    # when the operator erases the customer row
    out = io.StringIO()
    call_command("erasure", "customer", str(customer.pk), stdout=out)
    # then its contact details and the complaint's text are gone, the staff account untouched
    assert "erased" in out.getvalue()
    customer.refresh_from_db()
    assert (customer.full_name, customer.phone) == ("", "")
    assert Complaint.objects.get(pk=complaint.pk).description == ""
    assert User.objects.get(pk=agent.user.pk).is_active
    assert audit_verify().ok


def test_the_command_refuses_a_legal_hold_with_the_references(cast):
    with pytest.raises(CommandError, match=cast.complaint_a.reference):
        call_command("erasure", "account", cast.users[CUSTOMER_A].email)


@pytest.mark.parametrize("who", [AGENT, PLATFORM_ADMIN])
def test_a_staff_or_platform_admin_account_is_not_erased_here(cast, who):
    with pytest.raises(ErasureRefused) as refused:
        erasure_request(user=cast.users[who], channel=ErasureChannel.COMMAND)
    assert refused.value.code == "erasure_staff_account"
