from typing import Any

from django.apps import AppConfig, apps
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
        # post_migrate is sent only for apps with models, which core has none of: hang it on
        # parties, which every Plaint has (once per migrate, not once per app).
        post_migrate.connect(_create_cache_table, sender=apps.get_app_config("parties"),
                             dispatch_uid="plaint.core.create_cache_table")
