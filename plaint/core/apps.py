from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plaint.core"
    label = "core"
