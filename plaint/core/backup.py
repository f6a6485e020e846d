"""``plaint backup`` and ``plaint restore``: a whole instance in one tar file, and back.

The archive holds the database and every evidence file, so that a restored instance is the same
instance: same rows (ids, hashes, sequences), same files byte for byte.

    manifest.json        format, when, which database, Django's applied migrations, and the
                         SHA-256 and size of every other member
    database.sqlite3     SQLite: a consistent copy taken with SQLite's online backup API, safe
                         while Plaint runs (readers and the writer go on)
    database.dump        PostgreSQL: ``pg_dump --format=custom`` (consistent: one snapshot)
    files/…              MEDIA_ROOT (evidence, letters), as stored

Restoring checks every member against the manifest before it touches anything, refuses an
archive of the other database kind or of migrations this code does not have, and then replaces
the database and the files. Stop the web server and the workers first: a restore is not a merge.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder

from plaint.core import clock

FORMAT = "plaint-backup/1"
MANIFEST = "manifest.json"
FILES = "files"


class BackupError(Exception):
    """The archive cannot be made or used; the message says why, for the operator."""


@dataclass(frozen=True)
class Summary:
    path: Path
    vendor: str
    files: int
    size: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> Iterator[Path]:
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


# -------------------------------------------------------------------------------------- PostgreSQL


def _pg_tool(name: str) -> str:
    """The PostgreSQL client tool of the newest installed version (Debian keeps them per version)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client (postgresql-client).")
    return found


def _pg_arguments() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432),
            "--username", str(db.get("USER") or "postgres"), "--dbname", str(db["NAME"])]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return args, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


# ---------------------------------------------------------------------------------------- backup


def _dump_database(folder: Path) -> tuple[str, Path]:
    vendor = connection.vendor
    if vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return vendor, target
    if vendor == "postgresql":
        target = folder / "database.dump"
        args, environment = _pg_arguments()
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(target), *args], environment)
        return vendor, target
    raise BackupError(f"Backing up a {vendor} database is not supported.")


def backup_create(*, destination: Path) -> Summary:
    """Write the instance (database and files) to ``destination`` (a new tar file)."""
    if destination.exists():
        raise BackupError(f"{destination} exists already: choose a new file.")
    media = _media_root()
    with tempfile.TemporaryDirectory(prefix="plaint-backup-") as scratch:
        vendor, dump = _dump_database(Path(scratch))
        members = {dump.name: {"sha256": _sha256(dump), "size": dump.stat().st_size}}
        files = list(_media_files(media))
        for path in files:
            name = f"{FILES}/{path.relative_to(media).as_posix()}"
            members[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest = {
            "format": FORMAT, "created_at": clock.now().isoformat(), "vendor": vendor,
            "migrations": _applied_migrations(), "members": members,
        }
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(clock.now().timestamp())
            archive.addfile(info, fileobj=io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for path in files:
                archive.add(path, arcname=f"{FILES}/{path.relative_to(media).as_posix()}")
        # Only a complete archive gets the name asked for: a crash leaves a ``.partial``.
        with partial.open("rb") as stream:
            os.fsync(stream.fileno())
        partial.replace(destination)
    return Summary(path=destination, vendor=vendor, files=len(files), size=destination.stat().st_size)


# --------------------------------------------------------------------------------------- restore


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError("This is not a Plaint backup: it has no manifest.json.") from None
    stream = archive.extractfile(member)
    assert stream is not None
    manifest = json.loads(stream.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}; this Plaint reads {FORMAT}.")
    return manifest


def _check_compatible(manifest: dict) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"The backup is of a {manifest['vendor']} database; this instance runs on {connection.vendor}."
        )
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if f"{app}.{name}" not in known]
    if unknown:
        raise BackupError(
            "The backup comes from a newer Plaint (migrations this code does not have: "
            + ", ".join(unknown[:5]) + "). Upgrade Plaint first."
        )


def _extract_checked(archive: tarfile.TarFile, manifest: dict, folder: Path) -> None:
    """Extract every member into ``folder`` and check it against the manifest."""
    names = {member.name for member in archive.getmembers() if member.isfile()} - {MANIFEST}
    expected = set(manifest["members"])
    if names != expected:
        missing, extra = sorted(expected - names), sorted(names - expected)
        raise BackupError(
            f"The archive does not match its manifest (missing {missing[:5]}, extra {extra[:5]})."
        )
    # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
    archive.extractall(folder, members=[m for m in archive.getmembers() if m.name in expected],
                       filter="data")
    for name, facts in manifest["members"].items():
        path = folder / name
        if path.stat().st_size != facts["size"] or _sha256(path) != facts["sha256"]:
            raise BackupError(f"{name} in the archive is damaged (its SHA-256 does not match).")


def _restore_database(folder: Path, vendor: str) -> None:
    if vendor == "sqlite":
        source = sqlite3.connect(folder / "database.sqlite3")
        try:
            connection.ensure_connection()
            # The online backup API replaces every page of the live database in one step, under
            # SQLite's own lock; Django's connection must not be inside a transaction.
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    args, environment = _pg_arguments()
    connections.close_all()
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", *args, str(folder / "database.dump")], environment)


def _restore_files(folder: Path) -> int:
    media = _media_root()
    restored = folder / FILES
    media.mkdir(parents=True, exist_ok=True)
    # Empty the folder rather than remove it: it may be a mount point.
    for child in media.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if restored.exists():
        shutil.copytree(restored, media, dirs_exist_ok=True)
    return sum(1 for _ in _media_files(media))


def backup_restore(*, source: Path) -> Summary:
    """Replace this instance's database and files with those of the archive ``source``."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with (
        tarfile.open(source, "r") as archive,
        tempfile.TemporaryDirectory(prefix="plaint-restore-") as scratch,
    ):
        manifest = _read_manifest(archive)
        _check_compatible(manifest)
        _extract_checked(archive, manifest, Path(scratch))
        _restore_database(Path(scratch), manifest["vendor"])
        files = _restore_files(Path(scratch))
    return Summary(path=source, vendor=manifest["vendor"], files=files, size=source.stat().st_size)
