"""Deciding what kind of message came in: a person's mail, or a machine answering ours.

Precedence, strongest first: UNPARSEABLE > BOUNCE > REPORT > AUTO_REPLY > SPAM > NORMAL.
A bounce is checked before anything else because a bounce answering one of our
messages must never open a complaint or be read as the customer's reply; it
often quotes an auto-reply or a spam-flagged message, and its own headers can
look like an auto-reply (null Return-Path, Auto-Submitted). Reports (abuse
feedback, read receipts) are likewise about our mail, not from a customer.
Auto-replies come before spam because a spam score on an out-of-office tells us
nothing useful. Spam is last: it relies on marks that filters upstream added,
and a false SPAM only parks a message for a person to look at.
"""

from __future__ import annotations

import logging
import re
from email.message import Message

from plaint.channels.mail.decoding import addresses, message_ids
from plaint.channels.mail.structure import Structure
from plaint.channels.mail.types import BounceInfo, MessageKind

_I = re.IGNORECASE

DAEMON_LOCAL_PARTS = re.compile(r"^(mailer-?daemon|postmaster|mail-?daemon|mdaemon|mail\.?delivery\w*|"
                                r"bounces?|mailerdaemon|nobody)$", _I)
DAEMON_NAMES = re.compile(r"^(mail delivery (subsystem|system|service)|mailer[- ]daemon|postmaster|"
                          r"microsoft outlook|mail administrator|system administrator)$", _I)
FAILURE_SUBJECTS = re.compile(
    r"undeliver|undelivered|delivery (status|failure|failed|has failed|problem|report|delayed|notification|"
    r"incomplete)|failure notice|returned mail|mail delivery (failed|failure)|could not be delivered|"
    r"non.?delivery|delayed mail|warning: could not send|returned to sender|mail system error|"
    r"delivery request status|"
    r"nedoručiteln|nedoručen|nelze doručit|doručení se nezdařilo|"
    r"niedostarcz|nie można dostarczyć|nie dostarczono|"
    r"nelivrat|nu a putut fi livrat|eșec la livrare|"
    r"não (foi )?entregue|falha na entrega|não foi possível entregar|"
    r"unzustellbar|nicht zustellbar|zustellung fehlgeschlagen|non remis|no entregado",
    _I,
)
DELAY_SUBJECTS = re.compile(r"delay|still being retried|warning|opožděn|opóźni|întârzi|atrasad|verzögert", _I)
AUTO_SUBJECTS = re.compile(
    r"^\s*(?:Automatic reply|Auto(?:matic)?[- ]?(?:reply|response|answer)|Autoreply|"
    r"Out of (?:the )?office(?: reply| autoreply)?|Away from (?:the )?office|On vacation|Vacation reply|"
    r"Automatická odpověď|Automatická odpoveď|Nepřítomnost|Mimo kancelář|Jsem mimo kancelář|"
    r"Odpowiedź automatyczna|Autoodpowiedź|Automatyczna odpowiedź|Poza biurem|Nieobecność|"
    r"Răspuns automat|Raspuns automat|Absent|În afara biroului|"
    r"Resposta automática|Resposta automatica|Ausente|Fora do escritório|Ausência|"
    r"Respuesta automática|Fuera de la oficina|Abwesenheitsnotiz|Automatische Antwort|Abwesend|"
    r"Réponse automatique|Absence)\s*(?::|$)",
    _I,
)
SPAM_SUBJECT_TAGS = re.compile(r"^\s*(?:\[SPAM\]|\*{2,3}\s*SPAM\s*\*{2,3}|\{SPAM\??\}|SPAM:)", _I)
SPAM_SCORE_THRESHOLD = 5.0
SPAM_LEVEL_THRESHOLD = 5  # stars in X-Spam-Level


def _first(headers: dict[str, list[str]], name: str) -> str:
    values = headers.get(name.lower())
    return values[0].strip() if values else ""


def _has(headers: dict[str, list[str]], name: str) -> bool:
    return name.lower() in headers


def _local_part(address: str) -> str:
    return address.split("@", 1)[0]


def is_bounce(headers: dict[str, list[str]], subject: str, from_address: str, from_name: str,
              structure: Structure, failed_recipients: list[str]) -> list[str]:
    """Reasons why this is a bounce (empty if it is not)."""
    reasons: list[str] = []
    if structure.report_type == "delivery-status" or structure.delivery_status:
        reasons.append("delivery status report (RFC 3464)")
        return reasons
    from_daemon = bool(DAEMON_LOCAL_PARTS.match(_local_part(from_address))) or bool(
        DAEMON_NAMES.match(from_name.strip()))
    return_path = _first(headers, "return-path").replace(" ", "")
    null_sender = (_has(headers, "return-path") and return_path in ("<>", "")) or \
        _first(headers, "x-envelope-from").replace(" ", "") == "<>"
    failure_subject = bool(FAILURE_SUBJECTS.search(subject))
    if _has(headers, "x-failed-recipients"):
        reasons.append("X-Failed-Recipients")
    if from_daemon:
        reasons.append(f"sender {from_address or from_name!r}")
    if null_sender:
        reasons.append("null return path")
    if failure_subject:
        reasons.append("delivery failure subject")
    if failed_recipients:
        reasons.append("failed recipients found in the text")
    sender_signal = from_daemon or null_sender or _has(headers, "x-failed-recipients")
    content_signal = failure_subject or bool(failed_recipients)
    return reasons if sender_signal and content_signal else []


def report_reasons(structure: Structure) -> list[str]:
    if structure.feedback_reports or structure.report_type == "feedback-report":
        return ["abuse feedback report (ARF, RFC 5965)"]
    if structure.dispositions or structure.report_type == "disposition-notification":
        return ["message disposition notification (read receipt, RFC 8098)"]
    if structure.report_type:
        return [f"multipart/report of type {structure.report_type!r}"]
    return []


def auto_reply_reasons(headers: dict[str, list[str]], subject: str) -> list[str]:
    reasons: list[str] = []
    auto_submitted = _first(headers, "auto-submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        reasons.append(f"Auto-Submitted: {auto_submitted[:40]}")
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder", "x-autogenerated"):
        if _has(headers, name) and _first(headers, name).lower() not in ("no", "false", "0"):
            reasons.append(name)
    precedence = _first(headers, "precedence").lower()
    # Not "list": a customer writing through a mailing list or group is still a person.
    if precedence in ("bulk", "junk", "auto_reply"):
        reasons.append(f"Precedence: {precedence}")
    if _first(headers, "x-precedence").lower() in ("auto_reply", "bulk"):
        reasons.append("X-Precedence")
    if AUTO_SUBJECTS.match(subject):
        reasons.append("auto-reply subject")
        if _has(headers, "x-auto-response-suppress"):
            reasons.append("X-Auto-Response-Suppress")
    return reasons


def spam_reasons(headers: dict[str, list[str]], subject: str) -> list[str]:
    reasons: list[str] = []
    if _first(headers, "x-spam-flag").upper().startswith("YES"):
        reasons.append("X-Spam-Flag: YES")
    if re.match(r"^\s*yes\b", _first(headers, "x-spam-status"), _I):
        reasons.append("X-Spam-Status: Yes")
    if _first(headers, "x-spam").lower() in ("yes", "true", "spam"):
        reasons.append("X-Spam: yes")
    score = _score(_first(headers, "x-spam-score"))
    if score is None:
        match = re.search(r"\bscore=(-?\d+(?:\.\d+)?)", _first(headers, "x-spam-status"), _I)
        score = float(match.group(1)) if match else None
    if score is not None and score >= SPAM_SCORE_THRESHOLD:
        reasons.append(f"spam score {score:g}")
    level = _first(headers, "x-spam-level")
    if level and level.count("*") >= SPAM_LEVEL_THRESHOLD:
        reasons.append(f"X-Spam-Level {level.count('*')} stars")
    scl = _score(_first(headers, "x-ms-exchange-organization-scl"))
    if scl is not None and scl >= 5:
        reasons.append(f"Exchange SCL {scl:g}")
    if SPAM_SUBJECT_TAGS.match(subject):
        reasons.append("subject tagged as spam by a filter")
    return reasons


def _score(value: str) -> float | None:
    match = re.match(r"^\s*(-?\d+(?:\.\d+)?)", value or "")
    return float(match.group(1)) if match else None


# Bounce details ---------------------------------------------------------------

_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_FIELD = re.compile(r"^([A-Za-z-]+)\s*:\s*(.*)$", re.MULTILINE)
_BODY_MESSAGE_ID = re.compile(r"^\s*>?\s*Message-ID\s*:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)


def bounce_info(headers: dict[str, list[str]], subject: str, structure: Structure, text: str,
                flufl_permanent: list[str], flufl_temporary: list[str]) -> BounceInfo:
    """The original message and the failed recipients of a bounce or a report."""
    original: list[str] = []
    for embedded in structure.embedded_headers:
        for message_id in message_ids(str(embedded.get("message-id", "") or "")):
            if message_id not in original:
                original.append(message_id)
    for report in structure.dispositions + structure.feedback_reports:
        for name, value in _FIELD.findall(report):
            if name.lower() == "original-message-id":
                original.extend(m for m in message_ids(value) if m not in original)
    if not original:  # the returned message pasted into the text ("----- Original message -----")
        for message_id in _BODY_MESSAGE_ID.findall(text):
            if message_id not in original:
                original.append(message_id)
    for name in ("in-reply-to", "references"):
        for value in headers.get(name, []):
            original.extend(m for m in message_ids(value) if m not in original)

    recipients: list[str] = []
    statuses: list[str] = []
    actions: list[str] = []
    diagnostic = ""
    for report in structure.delivery_status:
        for name, value in _FIELD.findall(report):
            lowered = name.lower()
            if lowered in ("final-recipient", "original-recipient"):
                address = value.split(";", 1)[-1].strip()
                for _, parsed in addresses([address]):
                    if parsed not in recipients and lowered == "final-recipient":
                        recipients.append(parsed)
            elif lowered == "status":
                statuses.append(value.strip())
            elif lowered == "action":
                actions.append(value.strip().lower())
            elif lowered == "diagnostic-code" and not diagnostic:
                diagnostic = value.strip()[:500]
    for report in structure.feedback_reports:
        for name, value in _FIELD.findall(report):
            if name.lower() in ("original-rcpt-to", "removal-recipient"):
                recipients.extend(a for _, a in addresses([value]) if a not in recipients)
    for value in headers.get("x-failed-recipients", []):
        recipients.extend(a for _, a in addresses([value]) if a not in recipients)
    recipients.extend(a for a in flufl_permanent + flufl_temporary if a not in recipients)

    status = next((s for s in statuses if _STATUS.search(s)), "")
    if not status:
        match = _STATUS.search(diagnostic) or _STATUS.search(text[:5000])
        status = match.group(0) if match else ""
    permanent: bool | None = None
    code = _STATUS.search(status)
    if code:
        permanent = code.group(1) == "5"
    elif actions:
        permanent = "failed" in actions and "delayed" not in actions
    elif flufl_permanent:
        permanent = True
    elif flufl_temporary or DELAY_SUBJECTS.search(subject):
        permanent = False
    elif re.search(r"permanent|failed permanently|does not exist|user unknown", text[:5000], _I):
        permanent = True
    return BounceInfo(
        original_message_ids=original,
        failed_recipients=recipients,
        permanent=permanent,
        status=status[:100],
        diagnostic=diagnostic,
    )


def flufl_failures(message: Message) -> tuple[list[str], list[str]]:
    """(permanent, temporary) failed addresses found by flufl.bounce's detectors; never raises."""
    try:
        from flufl.bounce import all_failures
    except ImportError:  # pragma: no cover - the dependency is declared
        return [], []
    logger = logging.getLogger("flufl.bounce")
    previous = logger.disabled
    logger.disabled = True  # its detectors log every internal error; we record one problem instead
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # noqa: BLE001
        return [], []
    finally:
        logger.disabled = previous

    def readable(found: object) -> list[str]:
        result: list[str] = []
        for item in found or ():  # type: ignore[attr-defined]
            text = item.decode("utf-8", errors="replace") if isinstance(item, bytes) else str(item)
            for _, address in addresses([text]):
                if "@" in address and address not in result:
                    result.append(address)
        return result

    return readable(permanent), readable(temporary)


def classify(*, headers: dict[str, list[str]], subject: str, from_address: str, from_name: str,
             structure: Structure, failed_recipients: list[str]) -> tuple[MessageKind, list[str]]:
    """The kind of a parsed message and the reasons, in the documented order of precedence."""
    reasons = is_bounce(headers, subject, from_address, from_name, structure, failed_recipients)
    if reasons:
        return MessageKind.BOUNCE, reasons
    reasons = report_reasons(structure)
    if reasons:
        return MessageKind.REPORT, reasons
    reasons = auto_reply_reasons(headers, subject)
    if reasons:
        return MessageKind.AUTO_REPLY, reasons
    reasons = spam_reasons(headers, subject)
    if reasons:
        return MessageKind.SPAM, reasons
    return MessageKind.NORMAL, []
