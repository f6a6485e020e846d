"""The committed catalogues hold every message the code asks for, without a database.

``makemessages`` runs on a temporary copy of the sources, with a temporary copy of the Czech
catalogue, so the real catalogues are never touched; a message the code has and the committed
catalogue lacks means someone forgot to run ``makemessages`` (and to translate).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

PACKAGE_DIR = Path(__file__).resolve().parents[2]
LANGUAGE = "cs"
# The same as the command that updates the catalogues (see the git log of plaint/locale).
IGNORED = ["testing/*", "*/tests/*", "demo/*"]
NOT_COPIED = shutil.ignore_patterns(
    "__pycache__", "tests", "testing", "demo", "locale", "*.pyc", "*.mo", "*.po"
)


def messages(path: Path) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_every_message_in_the_code_is_in_the_committed_czech_catalogue(tmp_path, monkeypatch):
    for program in ("xgettext", "msgmerge", "msguniq"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (Debian package gettext); "
                        "the catalogues were not compared with the code")
    committed = PACKAGE_DIR / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
    # given a copy of the sources and of the committed catalogue
    sources = tmp_path / "plaint"
    shutil.copytree(PACKAGE_DIR, sources, ignore=NOT_COPIED)
    locale = sources / "locale"
    (locale / LANGUAGE / "LC_MESSAGES").mkdir(parents=True)
    copy = locale / LANGUAGE / "LC_MESSAGES" / "django.po"
    shutil.copyfile(committed, copy)
    # when makemessages updates the copy from the copied sources
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command("makemessages", locale=[LANGUAGE], no_location=True, ignore_patterns=IGNORED,
                     verbosity=0)
    # then the code asks for no message the committed catalogue lacks
    missing = messages(copy) - messages(committed)
    assert not missing, (
        f"messages in the code but not in the {LANGUAGE} catalogue; run makemessages for every "
        "language (see the git log of plaint/locale) and translate them:\n"
        + "\n".join(f"  {msgid!r}" + (f" (context {context!r})" if context else "")
                    for context, msgid in sorted(missing, key=lambda m: (m[1], m[0] or "")))
    )
