from django.apps import AppConfig


class ClocksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plaint.clocks"
    label = "clocks"
