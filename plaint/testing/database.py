"""What is in the database, to show that a refused request changed nothing."""

from __future__ import annotations

from typing import Any

from django.apps import apps

#: The apps whose rows a request may write: Plaint's own and the task queue.
WRITABLE_APPS = ("parties", "channels", "complaints", "feedback", "webhooks", "django_tasks_database")
#: Logs that every request may write, a read or a refusal too: the count of an API token's uses.
USE_LOGS = frozenset({"parties.ApiTokenUse"})
#: Logs that a read itself writes (who read which complaint): not a change to anything.
READ_LOGS = frozenset({"complaints.ComplaintRead"})


def row_counts() -> dict[str, int]:
    """The number of rows of every model a request may write, by model label."""
    return {
        model._meta.label: model._default_manager.count()
        for label in WRITABLE_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in USE_LOGS | READ_LOGS
    }


def all_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model a request may write, by model label, in key order.

    Stricter than ``row_counts``: an update (a state, a timestamp) shows too.
    """
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for label in WRITABLE_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in USE_LOGS | READ_LOGS
    }
