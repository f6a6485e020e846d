from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "plaint.demo"
    label = "demo"
