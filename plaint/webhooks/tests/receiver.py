"""A real HTTPS receiver on 127.0.0.1 for the webhook tests, with a certificate from ``trustme``.

It runs in a thread, records every request it gets, and answers with the statuses a test lines
up (200 once they run out). The test CA's certificate is written to a file that the test names
in ``PLAINT_WEBHOOKS_CA_BUNDLE``, so that the sender verifies TLS exactly as in production.
"""

from __future__ import annotations

import ssl
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import trustme


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What a test sees of the receiver: its base URL, what it received, what it will answer."""

    url: str
    ca_file: Path
    requests: list[Received] = field(default_factory=list)
    statuses: deque[int] = field(default_factory=deque)

    def answer(self, *statuses: int) -> None:
        """Answer the next requests with these statuses, in order."""
        self.statuses.extend(statuses)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            status = receiver.statuses.popleft() if receiver.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
            pass

    return Handler


class RunningReceiver:
    """Start with ``start()``, stop with ``stop()``; ``names`` are the certificate's names."""

    def __init__(self, directory: Path, *names: str) -> None:
        self.ca = trustme.CA()
        certificate = self.ca.issue_cert(*(names or ("127.0.0.1", "localhost")))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        ca_file = directory / "webhook-test-ca.pem"
        self.ca.cert_pem.write_to_path(str(ca_file))
        self.receiver = Receiver(url="", ca_file=ca_file)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.receiver))
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.receiver.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Receiver:
        self.thread.start()
        return self.receiver

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
