from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """``plaint migrate`` also creates the database cache's table (rate-limit counters), so that
    a fresh clone works after one command; it does nothing when the table exists or when the
    cache is not the database's."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "plaint.core"
    label = "core"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self,
                             dispatch_uid="plaint.core.create_cache_table")
