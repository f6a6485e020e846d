"""``plaint backup`` and ``plaint restore`` round-trip a whole instance on both databases: after a
restore every row of every table and every file is as it was when the backup was taken. A damaged
archive, or one of the other database kind, is refused before anything is touched."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from plaint.complaints.models import Complaint
from plaint.parties.models import Customer
from plaint.testing import builders
from plaint.testing.actors import build_cast

pytestmark = pytest.mark.django_db(transaction=True)


def _rows() -> dict[str, list[dict]]:
    """Every row of every table Plaint and Django keep, in primary-key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file()
    }


@pytest.fixture
def instance(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    cast = build_cast()
    assert _files(), "the cast's evidence file is on disk"
    return cast


def test_a_backup_restores_every_row_and_every_file_as_they_were(instance, tmp_path, capsys):
    # given an instance with complaints, events and an evidence file, backed up
    rows, files = _rows(), _files()
    archive = tmp_path / "plaint.tar"
    call_command("backup", str(archive))
    assert "Backed up the" in capsys.readouterr().out
    # when it changes afterwards: a row edited, a row added, a file altered and a file added
    Complaint.objects.filter(pk=instance.complaint_a.pk).update(subject="Changed after the backup")
    builders.customer(instance.org1, full_name="Added after the backup")
    media = Path(settings.MEDIA_ROOT)
    evidence_file = next(path for path in media.rglob("*") if path.is_file())
    evidence_file.write_bytes(b"tampered")
    (media / "stray.txt").write_text("added after the backup")
    # and the backup is restored
    call_command("restore", str(archive), "--yes")
    # then every table and every file is exactly as at the backup
    assert _rows() == rows
    assert _files() == files
    assert not Customer.objects.filter(full_name="Added after the backup").exists()


def test_a_damaged_archive_is_refused_and_nothing_changes(instance, tmp_path):
    # given a backup whose database copy was altered after it was written
    archive = tmp_path / "plaint.tar"
    call_command("backup", str(archive))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("database."):
                data = data[:-1] + bytes([data[-1] ^ 1])
            member.size = len(data)
            target.addfile(member, fileobj=io.BytesIO(data))
    Complaint.objects.filter(pk=instance.complaint_a.pk).update(subject="Kept")
    # when it is restored, then it is refused, naming the damaged member, and nothing changed
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), "--yes")
    assert Complaint.objects.get(pk=instance.complaint_a.pk).subject == "Kept"


def test_an_archive_of_the_other_database_kind_or_from_a_newer_plaint_is_refused(instance, tmp_path):
    archive = tmp_path / "plaint.tar"
    call_command("backup", str(archive))
    for change, message in ((lambda m: m.update(vendor="oracle"), "oracle"),
                            (lambda m: m["migrations"].append(["complaints", "9999_future"]), "newer")):
        with tarfile.open(archive) as source:
            manifest = json.loads(source.extractfile("manifest.json").read())
        change(manifest)
        edited = tmp_path / f"edited-{message}.tar"
        with tarfile.open(archive) as source, tarfile.open(edited, "w") as target:
            for member in source.getmembers():
                data = source.extractfile(member).read()
                if member.name == "manifest.json":
                    data = json.dumps(manifest).encode()
                member.size = len(data)
                target.addfile(member, fileobj=io.BytesIO(data))
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(edited), "--yes")


def test_restore_asks_for_confirmation_and_backup_never_overwrites(instance, tmp_path):
    archive = tmp_path / "plaint.tar"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(archive))
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
