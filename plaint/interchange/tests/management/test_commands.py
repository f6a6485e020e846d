from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from plaint.complaints.models import Complaint
from plaint.interchange import cfpb, plaint_csv
from plaint.interchange.tests.helpers import GOOD_ROW, every_count, read_csv, write_csv

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command(*args, *(["--quiet"] if args[0] == "import" else []), stdout=out)
    return out.getvalue()


def test_import_prints_the_counts_and_writes_the_refused_rows_to_a_report(tmp_path):
    # given a file with a good row and two bad ones
    source = write_csv(tmp_path / "complaints.csv", [
        GOOD_ROW,
        GOOD_ROW | {"Complaint ID": "7", "Submitted via": "Carrier pigeon"},
        GOOD_ROW,
    ])
    # when imported
    out = _run("import", "cfpb", str(source))
    # then the counts and reasons are printed
    assert "rows: 3" in out
    assert "imported: 1" in out
    assert "refused: 2" in out
    assert "Submitted via: Unknown channel." in out
    # and the report beside the input names each refused row
    report = read_csv(tmp_path / "complaints.refused.csv")
    assert report == [
        ["row", "external_id", "field", "reason"],
        ["3", "7", "Submitted via", "Unknown channel."],
        ["4", "3384392", "Complaint ID", "This complaint ID is already in the file."],
    ]


def test_the_report_goes_to_the_current_folder_when_the_input_folder_is_read_only(
        tmp_path, monkeypatch):
    # given an input in a read-only folder, and another current folder
    data, here = tmp_path / "data", tmp_path / "here"
    data.mkdir()
    here.mkdir()
    source = write_csv(data / "complaints.csv", [GOOD_ROW | {"Complaint ID": "x"}])
    data.chmod(0o555)
    monkeypatch.chdir(here)
    try:
        # when imported without --report
        out = _run("import", "cfpb", str(source))
    finally:
        data.chmod(0o755)
    # then the report is in the current folder and nothing was written beside the input
    assert f"report of refused rows: {here / 'complaints.refused.csv'}" in out
    assert read_csv(here / "complaints.refused.csv")[1][2] == "Complaint ID"
    assert sorted(p.name for p in data.iterdir()) == ["complaints.csv"]


def test_a_second_import_reports_everything_unchanged(tmp_path):
    # given a file imported once
    source = write_csv(tmp_path / "complaints.csv", [GOOD_ROW])
    _run("import", "cfpb", str(source), "--report", str(tmp_path / "r.csv"))
    before = every_count()
    # when imported again / then nothing is imported and nothing changes
    out = _run("import", "cfpb", str(source), "--report", str(tmp_path / "r.csv"))
    assert "imported: 0" in out
    assert "unchanged (already imported): 1" in out
    assert every_count() == before
    assert read_csv(tmp_path / "r.csv") == [["row", "external_id", "field", "reason"]]


def test_a_wrong_header_refuses_the_file(tmp_path):
    # given a file whose header lacks a column and has one of its own
    header = [c for c in cfpb.COLUMNS if c != "Tags"] + ["Notes"]
    source = write_csv(tmp_path / "wrong.csv", [GOOD_ROW], header=header)
    before = every_count()
    # when imported / then the command fails, names the columns, and writes nothing
    with pytest.raises(CommandError, match="Missing columns: Tags") as error:
        _run("import", "cfpb", str(source))
    assert "Unknown columns: Notes" in str(error.value)
    assert every_count() == before
    assert read_csv(tmp_path / "wrong.refused.csv")[1][:3] == ["1", "", "header"]


def test_a_row_with_too_few_cells_is_refused(tmp_path):
    # given a row cut short
    source = write_csv(tmp_path / "short.csv", [GOOD_ROW])
    source.write_text(source.read_text() + "2019-01-01,Mortgage\n")
    # when imported / then it is refused as a row
    out = _run("import", "cfpb", str(source))
    assert "imported: 1" in out
    assert "row: Expected 18 cells, found 2." in out


def test_the_exports_write_escaped_files_that_import_back(tmp_path):
    # given a complaint with a formula in it
    source = write_csv(tmp_path / "in.csv", [GOOD_ROW | {"Company": "=cmd|' /C calc'!A0"}])
    _run("import", "cfpb", str(source))
    # when exported in both formats
    call_command("export", "cfpb", "--output", str(tmp_path / "out.csv"))
    slug = Complaint.objects.get().organisation.slug
    plaint_out = _run("export", "plaint", "--organisation", slug)
    # then the cells are escaped
    exported = read_csv(tmp_path / "out.csv")
    assert exported[0] == list(cfpb.COLUMNS)
    assert exported[1][cfpb.COLUMNS.index("Company")] == "'=cmd|' /C calc'!A0"
    assert plaint_out.splitlines()[0] == ",".join(plaint_csv.HEADER)
    # and the CFPB export imports back as the same complaint
    out = _run("import", "cfpb", str(tmp_path / "out.csv"))
    assert "unchanged (already imported): 1" in out


def test_export_refuses_an_unknown_organisation():
    with pytest.raises(CommandError, match="No organisation"):
        _run("export", "cfpb", "--organisation", "nobody")
