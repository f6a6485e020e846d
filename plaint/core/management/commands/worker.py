"""``plaint worker``: runs queued tasks (outgoing mail, and more as Plaint grows)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the task worker (django-tasks database backend)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch", action="store_true",
                            help="run every queued task, then exit")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between polls of an empty queue")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_args = ["--interval", str(options["interval"]), "--no-reload", "--queue-name", "*"]
        if options["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args, verbosity=options["verbosity"])
