from django.apps import AppConfig


class WebConfig(AppConfig):
    """The pages people read in a browser (an adapter, like ``plaint.api``)."""

    name = "plaint.web"
    label = "web"
