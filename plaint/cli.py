"""The ``plaint`` command: Django's management commands with Plaint's settings.

``plaint serve``, ``plaint worker``, ``plaint demo``, ``plaint complaint show REF``,
and every Django command (``plaint migrate``, ``plaint createsuperuser``…).
Settings default to ``plaint.settings.local`` (SQLite under ./var); set
DJANGO_SETTINGS_MODULE=plaint.settings.production in production.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaint.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["plaint", *sys.argv[1:]])


if __name__ == "__main__":
    main()
