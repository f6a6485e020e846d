from django.apps import AppConfig


class WebConfig(AppConfig):
    """The pages people read in a browser (an adapter, like ``plaint.api``)."""

    name = "plaint.web"
    label = "web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from plaint.web.accounts.middleware import session_signed_in

        # The database cache's table (sign-in counters, rate limits) is created by ``plaint
        # migrate``: ``plaint.core.apps``.
        user_logged_in.connect(session_signed_in, dispatch_uid="plaint-session-signed-in")
