from django.apps import AppConfig


class WebConfig(AppConfig):
    """The pages people read in a browser (an adapter, like ``plaint.api``)."""

    name = "plaint.web"
    label = "web"

    def ready(self) -> None:
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from plaint.web.accounts.middleware import session_signed_in

        user_logged_in.connect(session_signed_in, dispatch_uid="plaint-session-signed-in")
        post_migrate.connect(_cache_table_create, sender=apps.get_app_config("parties"),
                             dispatch_uid="plaint-cache-table")


def _cache_table_create(using: str = "default", **kwargs: object) -> None:
    """`plaint migrate` also creates the database cache's table (sign-in counters live there:
    docs/security.md), so no deployment step is forgotten (sent once, after the
    `parties` app, as this app has no models). Django's test databases get it from
    the test runner; the command does nothing when the table exists or Redis is used."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
