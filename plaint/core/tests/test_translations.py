"""The gettext catalogues, without a database: complete, clean, and accepted by msgfmt.

Whether the catalogues are up to date with the code needs ``makemessages``; here the
catalogues are at least checked to hold the same messages as each other.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["cs", "pl", "ro", "pt_BR"]
REFERENCE_LANGUAGE = "cs"
# A named python-format placeholder such as %(name)s or %(limit)d; "%%" is a literal percent.
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(catalogue_path(language)))


def placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text.replace("%%", ""))}


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def listed(entries: list[polib.POEntry]) -> str:
    return "\n".join(f"  {entry.msgid!r}" for entry in entries)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    # given the catalogue, when looking for empty translations
    untranslated = [
        entry for entry in catalogue(language)
        if not entry.obsolete and not all(text.strip() for text in translations(entry))
    ]
    # then there are none
    assert not untranslated, f"{language}: untranslated messages:\n{listed(untranslated)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_message_and_not_the_header_is_fuzzy(language):
    po = catalogue(language)
    fuzzy = [entry for entry in po if not entry.obsolete and "fuzzy" in entry.flags]
    assert not po.metadata_is_fuzzy, f"{language}: the header is marked fuzzy"
    assert not fuzzy, f"{language}: fuzzy messages (check them, then remove the flag):\n{listed(fuzzy)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_message_is_obsolete(language):
    obsolete = catalogue(language).obsolete_entries()
    assert not obsolete, f"{language}: obsolete messages (#~), delete them:\n{listed(obsolete)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_exactly_the_placeholders_of_their_message(language):
    # given each message and its translations (every plural form keeps the plural's placeholders)
    wrong = []
    for entry in catalogue(language):
        if entry.obsolete:
            continue
        expected = placeholders(entry.msgid_plural or entry.msgid)
        # when their named placeholders are compared
        for text in translations(entry):
            if text and placeholders(text) != expected:
                wrong.append(f"  {entry.msgid!r}: expected {sorted(expected)}, "
                             f"found {sorted(placeholders(text))}")
    # then they are the same
    assert not wrong, f"{language}: placeholders differ from the message:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_names_the_language_and_utf8(language):
    metadata = catalogue(language).metadata
    assert metadata["Language"] == language
    assert "charset=UTF-8" in metadata["Content-Type"]
    assert metadata.get("Plural-Forms", "").startswith("nplurals=")


@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(language):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt is not installed (Debian package gettext); the catalogues were not checked")
    # when msgfmt checks the catalogue (format strings, header, plural forms)
    result = subprocess.run(  # noqa: S603 - our own tool on our own file
        [msgfmt, "--check", "-o", os.devnull, str(catalogue_path(language))],
        capture_output=True, text=True, check=False,
    )
    # then it finds nothing wrong
    assert result.returncode == 0, f"{language}: msgfmt --check failed:\n{result.stderr}"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != REFERENCE_LANGUAGE])
def test_every_catalogue_holds_the_same_messages_as_the_czech_one(language):
    # given the message sets of the reference catalogue and of another
    def messages(po: polib.POFile) -> set[tuple[str | None, str]]:
        return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}

    reference, other = messages(catalogue(REFERENCE_LANGUAGE)), messages(catalogue(language))
    # then they are equal (run makemessages for every language at once)
    assert not reference - other, f"missing in {language}: {sorted(m for _, m in reference - other)}"
    assert not other - reference, f"only in {language}: {sorted(m for _, m in other - reference)}"
