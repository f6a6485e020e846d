"""Real mail servers on loopback for the channel tests: Debian's dovecot (IMAP) and aiosmtpd (SMTP).

Each test that asks for one gets its own server on a free port, with its state in a temporary
folder, and the server is stopped afterwards. Nothing is mocked: Plaint's poller speaks IMAP to
dovecot, and Django's SMTP backend speaks SMTP to aiosmtpd.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, *, up: bool, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            listening = probe.connect_ex(("127.0.0.1", port)) == 0
        if listening == up:
            return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not come {'up' if up else 'down'}")


def _wait_for_exit(pids: list[int], seconds: float = 10) -> None:
    """Wait until none of ``pids`` runs any more (gone, or a zombie waiting to be reaped)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        running = []
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if state != "Z":
                running.append(pid)
        if not running:
            return
        time.sleep(0.05)
    raise RuntimeError(f"processes {pids} did not stop")


@dataclass
class Dovecot:
    """A dovecot IMAP server with one plain-text user per mailbox."""

    root: Path
    port: int = field(default_factory=free_port)
    users: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        # dovecot's auth process runs as its own user: the folder must be readable by it.
        self.root.chmod(0o755)
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        shutil.chown(self.root / "mail", "nobody", "nogroup")
        (self.root / "users").write_text(
            "".join(f"{user}:{{PLAIN}}{password}\n" for user, password in self.users.items())
        )
        (self.root / "dovecot.conf").write_text(CONFIG.format(root=self.root, port=self.port))
        subprocess.run([DOVECOT, "-c", str(self.root / "dovecot.conf")], check=True)
        _wait_for_port(self.port, up=True)

    def stop(self) -> None:
        """Stop the server the hard way, its sessions with it (a server that goes away)."""
        pid_file = self.root / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0])
            # The IMAP sessions and dovecot's helpers (anvil, auth…) outlive a stopped master:
            # kill them too, and wait until they are gone.
            found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
            pids = [pid, *(int(child) for child in found.stdout.split())]
            for each in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(each, signal.SIGKILL)
            _wait_for_exit(pids)
            _wait_for_port(self.port, up=False)
            # A helper's socket left behind makes the next start fail ("Socket already
            # exists"): the run folder is the dead server's alone.
            shutil.rmtree(self.root / "run", ignore_errors=True)

    def client(self, user: str) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(user, self.users[user])
        return connection

    def deliver(self, user: str, raw: bytes) -> None:
        """Put a message into the user's INBOX, as the mail server would."""
        connection = self.client(user)
        try:
            status, _ = connection.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
            assert status == "OK"
        finally:
            connection.logout()

    def flagged(self, user: str, flag: str) -> int:
        """How many messages in the user's INBOX carry ``flag``."""
        connection = self.client(user)
        try:
            connection.select("INBOX")
            _, data = connection.uid("SEARCH", None, f"KEYWORD {flag}")
            return len(data[0].split()) if data and data[0] else 0
        finally:
            connection.logout()


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    if not Path(DOVECOT).exists():
        pytest.fail("dovecot is not installed: make test installs dovecot-imapd")
    # Not pytest's tmp_path: its parent folders are private to root, and dovecot's own users
    # must be able to reach the configuration and the mail.
    root = Path(tempfile.mkdtemp(prefix="plaint-dovecot-"))
    server = Dovecot(root=root, users={"complaints": "secret-pass"})
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class SmtpSink:
    """An SMTP server that keeps every message it is given."""

    port: int
    messages: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        self.messages.append(bytes(envelope.original_content or envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_sink(settings) -> Iterator[SmtpSink]:  # type: ignore[no-untyped-def]
    from aiosmtpd.controller import Controller

    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 10
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield sink
    finally:
        controller.stop()
