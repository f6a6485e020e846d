"""Where a pyinstrument profile's time goes, by library: the "why" behind a missed aim in the API
and clocks benchmarks' reports (``profile_breakdown_ms``, ``profile_breakdown_ms_per_complaint``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

CATEGORIES_BY_PATH = [
    ("/psycopg", "psycopg and waiting for PostgreSQL"),
    ("/django/db/", "Django ORM (SQL compiler, model instances)"),
    ("/django/template/", "Django templates (the acknowledgement e-mail)"),
    ("/django/utils/translation", "Django translation"),
    ("/ninja/", "django-ninja (parsing; response validation in pydantic-core)"),
    ("/pydantic", "pydantic (validation, serialisation)"),
    ("/django_tasks", "django-tasks (enqueue)"),
    ("/django/", "Django request handling and middleware"),
    ("/plaint/", "Plaint's own code"),
]


class DatabaseTimer:
    """A ``connection.execute_wrapper`` that adds up the wall time spent in the database, so that
    a measurement can tell the database's share of a request (or a sweep) from Python's."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,  # noqa: ANN401
                 context: dict[str, Any]) -> Any:  # noqa: ANN401
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def _category(path: str | None) -> str | None:
    if not path or "/lib/python3" not in path and "/plaint/" not in path:
        return None
    if "site-packages" not in path and "/plaint/" not in path:
        return None  # the standard library: charged to whoever called it
    for marker, name in CATEGORIES_BY_PATH:
        if marker in path:
            return name
    return "other libraries"


def profile_breakdown(root: Any) -> dict[str, float]:
    """Seconds of the profile by the innermost library frame's category (the standard
    library and C code are charged to their caller)."""
    totals: Counter[str] = Counter()
    stack = [(root, "other (interpreter, standard library)")]
    while stack:
        frame, inherited = stack.pop()
        category = _category(frame.file_path) or inherited
        if not frame.is_synthetic:
            totals[category] += frame.total_self_time
        else:
            continue
        stack.extend((child, category) for child in frame.children)
    return dict(totals)
