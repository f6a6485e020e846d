"""Messages to the customer are written in the customer's preferred language."""

from __future__ import annotations

from pathlib import Path

import pytest

from plaint.core import references
from plaint.testing import builders

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"

# The translations of "Your complaint %(reference)s has been received" and of the salutation
# "Dear %(name)s," in the catalogues.
EXPECTED = {
    "cs": ("Vaše stížnost {reference} byla přijata", "Dobrý den, {name},"),
    "pl": ("Państwa reklamacja {reference} została przyjęta", "Dzień dobry, {name},"),
    "ro": ("Reclamația dumneavoastră {reference} a fost primită", "Bună ziua, {name},"),
    "pt-br": ("Sua reclamação {reference} foi recebida", "Prezado(a) {name},"),
}


def assert_compiled(language: str) -> None:
    folder = LOCALE_DIR / language.replace("-br", "_BR") / "LC_MESSAGES"
    po, mo = folder / "django.po", folder / "django.mo"
    hint = "run `make install` to compile the catalogues"
    assert mo.exists(), f"{mo} is missing: {hint}"
    assert mo.stat().st_mtime >= po.stat().st_mtime, f"{mo} is older than its .po: {hint}"


@pytest.mark.parametrize("language", list(EXPECTED))
def test_the_acknowledgement_is_written_in_the_customers_language(
    language, db, mailoutbox, django_capture_on_commit_callbacks
):
    # given a customer who prefers the language, and compiled catalogues
    assert_compiled(language)
    org = builders.organisation(languages=[language, "en"], default_language=language)
    customer = builders.customer(org, preferred_language=language, full_name="Eva Svobodová")
    # when they file a complaint and the outbox sends after commit
    with django_capture_on_commit_callbacks(execute=True):
        complaint = builders.complaint(customer)
    # then the acknowledgement's subject and greeting are in their language
    subject, greeting = EXPECTED[language]
    [mail] = mailoutbox
    assert mail.to == [customer.email]
    assert mail.subject == subject.format(reference=references.display(complaint.reference))
    assert mail.body.startswith(greeting.format(name="Eva Svobodová"))


def test_the_acknowledgement_stays_in_english_for_an_english_speaking_customer(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    # given a customer who prefers English, in an organisation whose default is Czech
    customer = builders.customer(builders.organisation(), preferred_language="en")
    # when they file a complaint
    with django_capture_on_commit_callbacks(execute=True):
        complaint = builders.complaint(customer)
    # then the message is in English
    [mail] = mailoutbox
    assert mail.subject == f"Your complaint {references.display(complaint.reference)} has been received"
