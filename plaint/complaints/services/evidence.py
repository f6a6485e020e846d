"""Evidence files: type checked on content, size limited, hashed, stored outside the web root."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
import uuid
from dataclasses import dataclass
from typing import IO

import magic
from django.conf import settings
from django.core.files.base import File
from django.utils.text import get_valid_filename
from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.models import Complaint, Evidence
from plaint.complaints.policy import Operation
from plaint.complaints.services.common import authorise, event_record, service, touch
from plaint.core import clock
from plaint.core.exceptions import Conflict, ValidationFailed

logger = logging.getLogger(__name__)

SNIFF_BYTES = 8192
CHUNK = 1024 * 1024
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "text/plain": ".txt",
    "audio/mpeg": ".mp3",
    "audio/x-wav": ".wav",
    "audio/ogg": ".ogg",
    "audio/mp4": ".m4a",
    "message/rfc822": ".eml",
}


def _refuse(code: ComplaintErrorCode, message: str) -> ValidationFailed:
    return ValidationFailed(code, message, fields={"file": [message]})


def evidence_inspect(stream: IO[bytes]) -> tuple[str, int, str]:
    """Detect the type from the content and hash the stream: (type, size, sha256).

    Refuses an empty file, a file over the size limit (reading stops at the
    limit, so a huge upload is not read to the end), and a type not allowed.
    """
    limit: int = settings.PLAINT_EVIDENCE_MAX_BYTES
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    if not head:
        raise _refuse(ComplaintErrorCode.EVIDENCE_EMPTY, gettext("The file is empty."))
    content_type = magic.from_buffer(head, mime=True)
    if content_type not in settings.PLAINT_EVIDENCE_ALLOWED_TYPES:
        raise _refuse(
            ComplaintErrorCode.EVIDENCE_TYPE_NOT_ALLOWED,
            gettext("This type of file is not accepted. Send a PDF, a picture, a text "
                    "or a sound recording."),
        )
    digest = hashlib.sha256(head)
    size = len(head)
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            break
        digest.update(chunk)
    if size > limit:
        raise _refuse(
            ComplaintErrorCode.EVIDENCE_TOO_LARGE,
            gettext("The file is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)},
        )
    stream.seek(0)
    return content_type, size, digest.hexdigest()


NAME_LIMIT = 120
# The endings a file of each type may keep when it is offered for download; another ending gets
# the type's own added (``invoice.html`` that is text is offered as ``invoice.html.txt``), so a
# file saved from Plaint never opens as something else, e.g. as a web page that runs.
ENDINGS = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg", ".jpe"},
    "image/png": {".png"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "image/heic": {".heic", ".heif"},
    "text/plain": {".txt"},
    "audio/mpeg": {".mp3"},
    "audio/x-wav": {".wav"},
    "audio/ogg": {".ogg", ".oga", ".opus"},
    "audio/mp4": {".m4a", ".mp4"},
    "message/rfc822": {".eml"},
}


def sanitise_name(name: str) -> str:
    """A file name safe to show and to offer for download: no path, no control or direction
    characters (a right-to-left override makes ``gpj.exe`` read as ``exe.jpg``), no leading dot,
    at most NAME_LIMIT characters with its ending kept."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    # isprintable() is False for control (Cc), format (Cf: bidi overrides, zero-width) and
    # separator characters other than the space.
    cleaned = "".join(ch for ch in base if ch.isprintable())
    try:
        valid = get_valid_filename(cleaned)
    except Exception:  # noqa: BLE001 - Django raises SuspiciousFileOperation for '.', '..'
        valid = ""
    valid = valid.lstrip("._-")
    if len(valid) > NAME_LIMIT:
        stem, dot, ending = valid.rpartition(".")
        ending = dot + ending if stem and len(ending) <= 10 else ""
        valid = (stem if ending else valid)[: NAME_LIMIT - len(ending)] + ending
    return valid or "file"


def download_name(name: str, content_type: str) -> str:
    """The name a file is stored under and offered as: sanitised, with an ending that fits the
    type found in its content."""
    safe = sanitise_name(name)
    endings = ENDINGS.get(content_type)
    if endings is None or any(safe.lower().endswith(ending) for ending in endings):
        return safe
    ending = EXTENSIONS[content_type]
    return safe[: NAME_LIMIT - len(ending)].rstrip(".") + ending


@dataclass(frozen=True)
class Inspected:
    """What ``evidence_inspect`` found out about a file."""

    content_type: str
    size: int
    sha256: str


def evidence_store(
    *,
    actor: Actor,
    complaint: Complaint,
    stream: IO[bytes],
    name: str,
    inspected: Inspected,
    description: str = "",
    visibility: str = Visibility.CUSTOMER,
) -> Evidence:
    """Store an inspected file as evidence of the complaint, without an event: the
    caller's service records the one event of its change (``evidence_add``, a letter)."""
    evidence = Evidence(
        complaint=complaint,
        original_name=download_name(name, inspected.content_type),
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        description=description[:300],
        visibility=visibility,
        added_by_kind=actor.kind,
        added_by=actor.user,
        created_at=clock.now(),
    )
    stored_name = uuid.uuid4().hex + EXTENSIONS.get(inspected.content_type, "")
    evidence.file.save(stored_name, File(stream), save=False)
    evidence.save(force_insert=True)
    return evidence


@service
def evidence_add(
    *,
    actor: Actor,
    complaint: Complaint,
    stream: IO[bytes],
    name: str,
    description: str = "",
    internal: bool = False,
) -> Evidence:
    """Attach a file to the complaint. Customers' files are always visible to them."""
    authorise(actor, Operation.ADD_EVIDENCE, complaint)
    inspected = Inspected(*evidence_inspect(stream))
    visibility = Visibility.INTERNAL if internal and not actor.is_customer else Visibility.CUSTOMER
    evidence = evidence_store(actor=actor, complaint=complaint, stream=stream, name=name,
                              inspected=inspected, description=description, visibility=visibility)
    touch(complaint)
    event_record(
        actor=actor,
        kind=EventKind.EVIDENCE_ADDED,
        complaint=complaint,
        visibility=visibility,
        data={"evidence": evidence.pk, "sha256": inspected.sha256, "size": inspected.size,
              "type": inspected.content_type},
    )
    return evidence


def evidence_open(*, evidence: Evidence) -> IO[bytes]:
    """The stored file, open for reading, once its SHA-256 matches the one stored with it.

    Every download goes through here: a file changed (or lost) on disk since it was stored is
    not sent as if it were the evidence. The refusal is a ``Conflict`` (409,
    ``evidence_altered``): the request is fine, the stored state is not; it is logged as an error
    so that someone looks at the storage. The file is read twice (hash, then send); evidence is
    at most ``PLAINT_EVIDENCE_MAX_BYTES``.
    """
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        found = "(missing)"
    else:
        digest = hashlib.sha256()
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
        found = digest.hexdigest()
        if found == evidence.sha256:
            handle.seek(0)
            return handle
        handle.close()
    logger.error("evidence %s of complaint %s altered on disk: stored sha256 %s, file %s",
                 evidence.pk, evidence.complaint_id, evidence.sha256, found)
    raise Conflict(
        ComplaintErrorCode.EVIDENCE_ALTERED,
        gettext("This file was changed after it was stored, so it is not sent. The provider has "
                "been told."),
    )
