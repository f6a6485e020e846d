"""User text is escaped everywhere (docs/security.md): no page template turns autoescaping off
or marks a value safe, no Python code builds markup by hand, and mail is text only (the .txt
templates are the only ones with autoescaping off, because they are not HTML)."""

from __future__ import annotations

import re
from pathlib import Path

import plaint

ROOT = Path(plaint.__file__).parent
UNSAFE_TEMPLATE = re.compile(r"\|\s*safe\b|\|\s*safeseq\b|autoescape\s+off")
UNSAFE_PYTHON = re.compile(r"\bmark_safe\(|\bSafeString\(|\bhtml_message\s*=|\battach_alternative\(|"
                           r"html_email_template_name\s*=\s*['\"]")


def _sources(pattern: str) -> list[Path]:
    return [p for p in ROOT.rglob(pattern) if "tests" not in p.parts]


def test_no_page_template_turns_escaping_off():
    found = [str(p.relative_to(ROOT)) for p in _sources("*.html") if UNSAFE_TEMPLATE.search(p.read_text())]
    assert found == []


def test_only_plain_text_mail_templates_turn_escaping_off():
    for path in _sources("*.txt"):
        if "autoescape off" in path.read_text():
            assert "email" in path.parts, path


def test_no_code_marks_text_safe_or_sends_html_mail():
    found = [str(p.relative_to(ROOT)) for p in _sources("*.py") if UNSAFE_PYTHON.search(p.read_text())]
    assert found == []
