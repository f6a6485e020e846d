from datetime import date

import pytest

from plaint.interchange import cfpb
from plaint.interchange.tests.helpers import GOOD_ROW

# The helpers' good row, with a tag and a later "Date sent to company" (mapping checks both).
ROW = {**GOOD_ROW, "Tags": "Servicemember", "Date sent to company": "2019-09-25"}


def test_a_row_maps_onto_plaint_fields():
    # given a CFPB row / when parsed
    row = cfpb.row_parse(ROW)
    # then the mapped columns land in Plaint's fields
    assert isinstance(row, cfpb.Row)
    facts = row.facts
    assert (facts.external_id, facts.company, facts.received_on) == (
        "3384392", "TRANSWORLD SYSTEMS INC", date(2019, 9, 24))
    assert (facts.product, facts.category, facts.subcategory) == (
        "Debt collection", "Attempts to collect debt not owed", "Debt is not yours")
    assert (facts.channel, facts.state, facts.outcome, facts.remedy_kind) == (
        "web", "closed", "rejected", "explanation")
    assert row.subject == "Attempts to collect debt not owed"
    assert row.sent_on == date(2019, 9, 25)
    assert row.timely is True
    # and the columns without a home are kept verbatim, nothing else
    assert dict(facts.columns) == {name: ROW[name] for name in cfpb.VERBATIM}


@pytest.mark.parametrize(("via", "channel"), [
    ("Web", "web"), ("Phone", "phone"), ("Email", "email"), ("Postal mail", "letter"),
    ("Fax", "letter"), ("Referral", "regulator"), ("Web Referral", "regulator"),
])
def test_every_cfpb_channel_maps_and_comes_back(via, channel):
    # given a row submitted via each channel / when parsed and rendered
    row = cfpb.row_parse({**ROW, "Submitted via": via})
    # then the channel is Plaint's and the rendered row is the source row
    assert row.facts.channel == channel
    assert cfpb.row_render(row.facts) == ROW | {"Submitted via": via}


@pytest.mark.parametrize("response", sorted(cfpb.RESPONSES))
@pytest.mark.parametrize("disputed", ["Yes", "No", "N/A"])
def test_every_company_response_comes_back_exactly(response, disputed):
    # given each response the CFPB publishes / when parsed and rendered / then it is unchanged
    source = ROW | {"Company response to consumer": response, "Consumer disputed?": disputed}
    row = cfpb.row_parse(source)
    assert cfpb.row_render(row.facts) == source
    assert row.facts.state == cfpb.RESPONSES[response].state


def test_monetary_relief_is_an_upheld_decision_with_an_unknown_amount():
    # given monetary relief / when parsed / then upheld with compensation, no amount
    row = cfpb.row_parse(ROW | {"Company response to consumer": "Closed with monetary relief",
                                "Consumer disputed?": "Yes"})
    assert (row.facts.outcome, row.facts.remedy_kind, row.facts.customer_response) == (
        "upheld", "compensation", "rejected")


def test_in_progress_is_not_final():
    # given a complaint still in progress / when parsed / then it is open, with no decision
    row = cfpb.row_parse(ROW | {"Company response to consumer": "In progress"})
    assert (row.facts.state, row.facts.outcome) == ("investigating", "")


def test_values_too_long_for_a_field_are_shortened_and_kept_whole():
    # given an issue longer than a category / when parsed
    issue = "Problem with a credit reporting company's investigation into an existing problem"
    row = cfpb.row_parse(ROW | {"Issue": issue})
    # then the category holds what fits and the whole issue is kept to give back
    assert len(row.facts.category) == cfpb.CATEGORY_MAX
    assert row.facts.category.endswith("…")
    assert row.facts.columns["Issue"] == issue
    assert cfpb.row_render(row.facts)["Issue"] == issue


def test_us_dates_are_read_and_given_back_as_written():
    # given an older file's date format / when parsed and rendered
    row = cfpb.row_parse(ROW | {"Date received": "09/24/2019"})
    assert row.facts.received_on == date(2019, 9, 24)
    assert cfpb.row_render(row.facts)["Date received"] == "09/24/2019"


@pytest.mark.parametrize(("column", "value"), [
    ("Complaint ID", ""), ("Complaint ID", "12a"), ("Date received", "2019-02-30"),
    ("Date received", "yesterday"), ("Date sent to company", ""), ("Company", " "),
    ("Submitted via", "Carrier pigeon"), ("Company response to consumer", "Ignored"),
    ("Timely response?", "Maybe"), ("Consumer disputed?", "Perhaps"),
])
def test_a_bad_cell_refuses_the_row_naming_the_column(column, value):
    # given a row with one bad cell / when parsed / then it is refused for that column
    problems = cfpb.row_parse(ROW | {column: value})
    assert isinstance(problems, list)
    assert [p.field for p in problems] == [column]
    assert all(p.reason for p in problems)


def test_every_problem_of_a_row_is_reported():
    # given a row with two bad cells / when parsed / then both are named
    problems = cfpb.row_parse(ROW | {"Complaint ID": "", "Date received": "nope"})
    assert {p.field for p in problems} == {"Complaint ID", "Date received"}


def test_the_header_must_be_the_eighteen_columns():
    # given headers with a column missing, an unknown one, a repeated one / then each is named
    assert cfpb.header_problems(list(cfpb.COLUMNS)) == []
    assert cfpb.header_problems(list(reversed(cfpb.COLUMNS))) == []
    missing = cfpb.header_problems(list(cfpb.COLUMNS[:-1]))
    assert "Complaint ID" in missing[0].reason
    unknown = cfpb.header_problems([*cfpb.COLUMNS, "Extra"])
    assert "Extra" in unknown[0].reason
    repeated = cfpb.header_problems([*cfpb.COLUMNS, "Tags"])
    assert "Tags" in repeated[0].reason


def test_a_plaint_complaint_renders_as_a_cfpb_row():
    # given what Plaint knows of one of its own complaints / when rendered
    facts = cfpb.Facts(external_id="7K3MQ9XD4", company="Acme", received_on=date(2026, 1, 2),
                       category="Billing", channel="letter", state="decided", outcome="upheld",
                       remedy_kind="refund", customer_response="accepted", overdue=True)
    row = cfpb.row_render(facts)
    # then the columns say it in the CFPB's words
    assert list(row) == list(cfpb.COLUMNS)
    assert row["Submitted via"] == "Postal mail"
    assert row["Company response to consumer"] == "Closed with monetary relief"
    assert (row["Timely response?"], row["Consumer disputed?"]) == ("No", "No")
    assert row["Date sent to company"] == "2026-01-02"


def test_organisation_slugs_come_from_the_company_name():
    assert cfpb.organisation_slug("TRANSUNION INTERMEDIATE HOLDINGS, INC.") == (
        "transunion-intermediate-holdings-inc")
    assert cfpb.organisation_slug("!!!") == "company"
