from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.lifecycle import State
from plaint.complaints.models import Complaint
from plaint.complaints.retention import chain_removal
from plaint.complaints.services.records import InteractionSpec, PromiseSpec, interaction_log
from plaint.core import clock
from plaint.interchange import cfpb, plaint_csv
from plaint.interchange.csvfiles import Outcome, read_table, records_as_dicts, write_rows
from plaint.interchange.exports import cfpb_rows, plaint_rows
from plaint.interchange.services.cfpb_import import cfpb_import
from plaint.interchange.services.plaint_import import plaint_import
from plaint.interchange.tests.helpers import GOOD_ROW, every_count, write_csv
from plaint.parties.models import Customer
from plaint.testing import builders

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _export(path):
    with path.open("w", newline="", encoding="utf-8") as handle:
        write_rows(handle, plaint_csv.HEADER, plaint_rows())
    return path.read_text(encoding="utf-8")


def _import(path, organisation=None):
    table = read_table(path)
    outcome = Outcome()
    plaint_import(records=records_as_dicts(table, plaint_csv.HEADER, outcome, "reference"),
                  outcome=outcome, organisation=organisation)
    return outcome


def _some_complaints(tmp_path):
    """Complaints of every kind the format carries: demands, interactions with promises,
    decisions, a formula in a subject, a closed one, and one imported from the CFPB."""
    org = builders.organisation()
    with clock.frozen_at(NOW):
        first = builders.complaint(builders.customer(org), subject="=SUM(A1:A3) charged twice",
                                   amount_in_dispute=Decimal("12.50"), currency="CZK")
        interaction_log(actor=SYSTEM_ACTOR, complaint=first, spec=InteractionSpec(
            channel="phone", direction="outbound", started_at=NOW - timedelta(hours=1),
            duration_seconds=300, notes="-called back", references_quoted=["A-1"],
            staff_name="Jana", promises=[PromiseSpec(kind="callback", due_at=NOW + timedelta(days=1),
                                                     description="+ call again")]))
        closed = builders.reach(builders.complaint(builders.customer(org, with_user=False)),
                                State.CLOSED)
        builders.complaint(builders.customer(org), demands=False, channel="letter")
    outcome = Outcome()
    cfpb_import(records=records_as_dicts(read_table(write_csv(tmp_path / "c.csv", [GOOD_ROW])),
                                         cfpb.COLUMNS, outcome, "Complaint ID"), outcome=outcome)
    return org, first, closed


def _forget_complaints():
    with chain_removal():  # on PostgreSQL, events are deleted only where chains may be removed
        Complaint.objects.all().delete()
    Customer.objects.filter(user__isnull=True, email="").delete()


def test_the_plaint_csv_imports_back_without_loss(tmp_path):
    # given complaints of every kind, exported
    _some_complaints(tmp_path)
    first = _export(tmp_path / "first.csv")
    cfpb_before = list(cfpb_rows())
    # when the complaints are gone and the file is imported again
    _forget_complaints()
    outcome = _import(tmp_path / "first.csv")
    # then every complaint is back, and exporting again gives the same file
    assert (outcome.rows, outcome.imported, outcome.refused_rows) == (4, 4, 0)
    assert _export(tmp_path / "second.csv") == first
    # and the complaint that came from the CFPB still gives its CFPB row back
    assert list(cfpb_rows())[-1] == cfpb_before[-1]
    # and imported complaints are history
    assert not Complaint.objects.filter(is_historical=False).exists()


def test_the_plaint_csv_escapes_formulas_and_reads_them_back(tmp_path):
    # given a complaint whose subject is a formula, exported
    _some_complaints(tmp_path)
    text = _export(tmp_path / "out.csv")
    # then the file carries it escaped
    assert ",'=SUM(A1:A3) charged twice," in text
    # and an import reads it back as it was
    _forget_complaints()
    _import(tmp_path / "out.csv")
    assert Complaint.objects.filter(subject="=SUM(A1:A3) charged twice").exists()


def test_a_second_import_of_a_plaint_csv_changes_nothing(tmp_path):
    # given an export imported back once
    _some_complaints(tmp_path)
    _export(tmp_path / "out.csv")
    _forget_complaints()
    _import(tmp_path / "out.csv")
    before = every_count()
    # when imported again / then every row is unchanged and nothing is written
    outcome = _import(tmp_path / "out.csv")
    assert (outcome.imported, outcome.unchanged) == (0, 4)
    assert every_count() == before


def test_a_complaint_already_imported_from_the_cfpb_is_not_imported_twice(tmp_path):
    # given a CFPB complaint exported as Plaint CSV, in a database that still has it
    _some_complaints(tmp_path)
    _export(tmp_path / "out.csv")
    with chain_removal():
        Complaint.objects.exclude(imported_record__source="cfpb").delete()
    cfpb_complaint = Complaint.objects.get()
    Complaint.objects.filter(pk=cfpb_complaint.pk).update(reference="000000000")  # another one
    # when imported / then the CFPB complaint is known by its Complaint ID and left alone
    outcome = _import(tmp_path / "out.csv")
    assert (outcome.imported, outcome.unchanged) == (3, 1)


def test_bad_plaint_rows_are_refused_with_their_columns(tmp_path):
    # given an export with rows broken in different ways
    _some_complaints(tmp_path)
    _export(tmp_path / "out.csv")
    table = read_table(tmp_path / "out.csv")
    header = table.header
    rows = [dict(zip(header, cells, strict=True)) for _, cells in table.records]
    rows[0]["demands"] = "[{not json"
    rows[1]["organisation"] = "no-such-organisation"
    rows[2]["state"] = "lost"
    rows[3]["amount_in_dispute"] = "5.00"  # without a currency
    _forget_complaints()
    # when imported
    outcome = _import(write_csv(tmp_path / "bad.csv", rows, header=header))
    # then every row is refused, naming the column
    assert outcome.imported == 0
    assert [(r.row, r.field) for r in outcome.refused] == [
        (2, "demands"), (4, "state"), (5, "amount_in_dispute"), (3, "organisation")]


def test_an_organisation_can_be_given_for_every_row(tmp_path):
    # given an export, and another organisation
    _some_complaints(tmp_path)
    _export(tmp_path / "out.csv")
    _forget_complaints()
    other = builders.organisation()
    # when imported into it / then every complaint is there
    _import(tmp_path / "out.csv", organisation=other)
    assert Complaint.objects.filter(organisation=other).count() == 4


def test_export_of_one_organisation_has_only_its_complaints(tmp_path):
    # given complaints of two organisations
    org, _, _ = _some_complaints(tmp_path)
    # when one organisation's complaints are exported / then only those
    rows = list(plaint_rows(org))
    assert len(rows) == 3
    assert {row[plaint_csv.HEADER.index("organisation")] for row in rows} == {org.slug}


def test_cfpb_complaints_travel_through_the_plaint_csv_and_give_their_cfpb_rows_back(
        cfpb_sample, tmp_path):
    # given the first 1,500 rows of the real CFPB sample, imported
    source = read_table(cfpb_sample)
    sliced = tmp_path / "slice.csv"
    with sliced.open("w", newline="", encoding="utf-8") as handle:
        write_rows(handle, source.header, [cells for _, cells in source.records[:1500]])
    outcome = Outcome()
    cfpb_import(records=records_as_dicts(read_table(sliced), cfpb.COLUMNS, outcome, "Complaint ID"),
                outcome=outcome)
    cfpb_before = list(cfpb_rows())
    # when exported as Plaint CSV, forgotten, and imported from the Plaint CSV
    first = _export(tmp_path / "plaint.csv")
    _forget_complaints()
    again = _import(tmp_path / "plaint.csv")
    # then every complaint is back: the same Plaint CSV, the same CFPB rows
    assert (again.imported, again.refused_rows) == (1500, 0)
    assert _export(tmp_path / "plaint-again.csv") == first
    assert list(cfpb_rows()) == cfpb_before == [cells for _, cells in source.records[:1500]]
    # and the CFPB file is still known: importing it again changes nothing
    before = every_count()
    outcome = Outcome()
    cfpb_import(records=records_as_dicts(read_table(sliced), cfpb.COLUMNS, outcome, "Complaint ID"),
                outcome=outcome)
    assert (outcome.imported, outcome.unchanged) == (0, 1500)
    assert every_count() == before
