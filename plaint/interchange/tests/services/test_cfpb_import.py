from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from plaint.channels.models import OutgoingMessage
from plaint.clocks.models import Clock
from plaint.complaints.choices import EventKind
from plaint.complaints.models import Complaint, Decision, Event
from plaint.interchange import cfpb
from plaint.interchange.csvfiles import Outcome, read_table, records_as_dicts
from plaint.interchange.escaping import escape
from plaint.interchange.exports import cfpb_rows
from plaint.interchange.models import ImportedRecord
from plaint.interchange.services.cfpb_import import cfpb_import
from plaint.interchange.tests.helpers import GOOD_ROW, every_count, read_csv, write_csv
from plaint.parties.models import Organisation
from plaint.testing import builders

pytestmark = pytest.mark.django_db


def _import(path):
    table = read_table(path)
    outcome = Outcome()
    cfpb_import(records=records_as_dicts(table, cfpb.COLUMNS, outcome, "Complaint ID"),
                outcome=outcome)
    return outcome


def test_the_cfpb_sample_imports_completely_twice_without_change_and_starts_no_clock(cfpb_sample):
    # given the real CFPB sample / when imported
    first = _import(cfpb_sample)
    # the counts are part of what the test shows (pytest -s)
    print(f"\nCFPB sample: {first.rows} rows, {first.imported} imported, "  # noqa: T201
          f"{first.unchanged} unchanged, {first.refused_rows} refused")
    for field, reason, count in first.reasons():
        print(f"  refused {count} × {field}: {reason}")  # noqa: T201
    # then every row is imported or refused with a reason
    assert first.rows == 6623
    assert first.imported + first.refused_rows == first.rows
    assert first.imported == 6623  # the sample is clean: nothing refused
    assert Complaint.objects.count() == ImportedRecord.objects.count() == 6623
    assert Organisation.objects.filter(is_managed=False, country="US").count() == 710
    # and they are history: no clock, no message, one ``imported`` event each
    assert not Complaint.objects.filter(is_historical=False).exists()
    assert Clock.objects.count() == 0
    assert OutgoingMessage.objects.count() == 0
    assert Event.objects.filter(kind=EventKind.IMPORTED).count() == 6623
    assert Event.objects.exclude(kind=EventKind.IMPORTED).count() == 0
    states = Counter(Complaint.objects.values_list("state", flat=True))
    assert states == {"closed": 6588, "investigating": 35}
    assert Decision.objects.count() == 5557 + 779 + 211 + 0  # explanation, non-monetary, monetary
    # when imported again / then nothing changes
    before = every_count()
    second = _import(cfpb_sample)
    assert (second.imported, second.unchanged, second.refused_rows) == (0, 6623, 0)
    assert every_count() == before


def test_the_cfpb_export_of_the_imported_sample_is_the_sample(cfpb_sample, tmp_path):
    # given the sample imported with `plaint import cfpb`
    out = StringIO()
    call_command("import", "cfpb", str(cfpb_sample), "--quiet", "--report",
                 str(tmp_path / "refused.csv"), stdout=out)
    assert "imported: 6623" in out.getvalue()
    # when exported with `plaint export cfpb`
    call_command("export", "cfpb", "--output", str(tmp_path / "export.csv"))
    # then, read as an import reads it (escaping undone), it is the input, row for row, every
    # column included, in the input's order
    source, exported = read_table(cfpb_sample), read_table(tmp_path / "export.csv")
    assert exported.header == list(cfpb.COLUMNS) == source.header
    assert exported.records == source.records
    # and byte for byte the only differences are the escaped formulas (one narrative
    # starting with "-")
    raw_in, raw_out = read_csv(cfpb_sample), read_csv(tmp_path / "export.csv")
    different = [(a, b) for row_in, row_out in zip(raw_in, raw_out, strict=True)
                 for a, b in zip(row_in, row_out, strict=True) if a != b]
    assert len(different) == 1
    assert all(b == escape(a) == "'" + a for a, b in different)


def test_an_imported_complaint_takes_its_final_state_and_its_own_dates(tmp_path):
    # given one row closed with monetary relief, received and sent on different days
    row = GOOD_ROW | {"Company response to consumer": "Closed with monetary relief",
                      "Date received": "2019-03-09", "Date sent to company": "2019-03-12",
                      "Submitted via": "Fax", "Consumer disputed?": "No"}
    # when imported
    outcome = _import(write_csv(tmp_path / "one.csv", [row]))
    # then the complaint is closed, decided upheld with an unknown amount, on its own dates
    assert outcome.imported == 1
    complaint = Complaint.objects.get()
    assert (complaint.state, complaint.channel, complaint.is_historical) == ("closed", "letter", True)
    assert complaint.received_at.isoformat() == "2019-03-09T05:00:00+00:00"  # midnight in New York
    assert complaint.closed_at.isoformat() == "2019-03-12T04:00:00+00:00"  # after the DST change
    decision = complaint.decisions.get()
    assert (decision.outcome, decision.remedy_kind, decision.remedy_amount) == (
        "upheld", "compensation", None)
    assert decision.customer_response == "accepted"
    organisation = complaint.organisation
    assert (organisation.name, organisation.is_managed, organisation.country,
            organisation.sector, organisation.time_zone) == (
        "TRANSWORLD SYSTEMS INC", False, "US", "finance", "America/New_York")
    event = complaint.events.get()
    assert event.data == {"source": "cfpb", "external_id": "3384392", "state": "closed",
                          "timely_response": True}
    # and the channel the mapping merges is kept to give back
    assert complaint.imported_record.columns["Submitted via"] == "Fax"


def test_rows_of_a_known_company_go_to_its_organisation_and_slugs_stay_unique(tmp_path):
    # given an organisation of the company's name, and another that holds the slug
    known = builders.organisation(name="TRANSWORLD SYSTEMS INC", slug="transworld")
    builders.organisation(name="Someone else", slug="acme-bank")
    rows = [GOOD_ROW, GOOD_ROW | {"Complaint ID": "2", "Company": "ACME Bank"}]
    # when imported
    _import(write_csv(tmp_path / "two.csv", rows))
    # then the known organisation gets its complaint and the new one a free slug
    assert Complaint.objects.get(imported_record__external_id="3384392").organisation == known
    assert Organisation.objects.get(name="ACME Bank").slug == "acme-bank-2"


def test_bad_rows_are_refused_with_their_reasons_and_the_good_ones_imported(tmp_path):
    # given a file with a good row, a bad date, a missing ID and a repeated ID
    rows = [
        GOOD_ROW,
        GOOD_ROW | {"Complaint ID": "11", "Date received": "2019-13-01"},
        GOOD_ROW | {"Complaint ID": ""},
        GOOD_ROW | {"Consumer complaint narrative": "The same ID again."},
    ]
    # when imported
    outcome = _import(write_csv(tmp_path / "bad.csv", rows))
    # then the good row is imported and each bad one refused with its row and column
    assert (outcome.rows, outcome.imported, outcome.refused_rows) == (4, 1, 3)
    assert [(r.row, r.external_id, r.field) for r in outcome.refused] == [
        (3, "11", "Date received"), (4, "", "Complaint ID"), (5, "3384392", "Complaint ID")]
    assert Complaint.objects.count() == 1


def test_formulas_in_a_source_file_are_stored_as_written_and_exported_escaped(tmp_path):
    # given a row whose cells a spreadsheet would run
    row = GOOD_ROW | {"Consumer complaint narrative": '=HYPERLINK("http://evil.test","x")',
                      "Company": "@Evil Corp", "ZIP code": "-1+1"}
    # when imported
    _import(write_csv(tmp_path / "formulas.csv", [row]))
    # then the values are stored as the source wrote them
    complaint = Complaint.objects.get()
    assert complaint.description == '=HYPERLINK("http://evil.test","x")'
    assert complaint.organisation.name == "@Evil Corp"
    # and the export gives them back (escaping happens when the file is written)
    assert next(cfpb_rows()) == [row[name] for name in cfpb.COLUMNS]
