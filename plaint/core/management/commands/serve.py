"""``plaint serve``: the WSGI web server (granian), optionally with one task worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Plaint over WSGI with granian; --with-worker also runs one task worker."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")
        parser.add_argument("--threads", type=int, default=1,
                            help="blocking threads per web worker")
        parser.add_argument("--with-worker", action="store_true",
                            help="also run one task worker (outgoing mail and other tasks)")

    def handle(self, *args: Any, **options: Any) -> None:
        env = {**os.environ}
        web = [
            sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", options["host"], "--port", str(options["port"]),
            "--workers", str(options["workers"]),
            "--blocking-threads", str(options["threads"]),
            "--no-ws", "plaint.wsgi:application",
        ]
        processes = [subprocess.Popen(web, env=env)]
        if options["with_worker"]:
            processes.append(
                subprocess.Popen([sys.executable, "-m", "plaint.cli", "worker"], env=env)
            )
        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/ (Ctrl-C stops)")
        self._wait(processes)

    def _wait(self, processes: list[subprocess.Popen[bytes]]) -> None:
        def stop(*_: object) -> None:
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
