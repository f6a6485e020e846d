"""Hand-made messages for the parsing tests (nothing copied from third-party mail)."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP


def mail(body: str = "Dobrý den,\nzásilka nedorazila.\n", *, subject: str = "Reklamace",
         sender: str = "Jana Nováková <jana@example.test>", to: str = "stiznosti@plaint.test",
         headers: dict[str, str] | None = None, charset: str = "utf-8", html: str | None = None) -> bytes:
    """A simple message as bytes; ``headers`` are added as given."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = "Thu, 03 Dec 2026 10:15:00 +0100"
    message["Message-ID"] = "<m1@example.test>"
    for name, value in (headers or {}).items():
        message[name] = value
    if html is not None and not body:
        message.set_content(html, subtype="html", charset=charset)
    else:
        message.set_content(body, charset=charset)
        if html is not None:
            message.add_alternative(html, subtype="html", charset=charset)
    return message.as_bytes(policy=SMTP)


def raw(text: str) -> bytes:
    """A message written out by hand (header lines, blank line, body) with CRLF line ends."""
    return text.lstrip("\n").replace("\n", "\r\n").encode("utf-8")
