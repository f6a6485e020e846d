from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "plaint.api"
    label = "api"
