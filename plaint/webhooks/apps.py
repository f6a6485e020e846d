from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plaint.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        # Follow every event without the complaints app importing this one (see clocks).
        from plaint.complaints.services.common import event_listeners
        from plaint.webhooks.services import webhooks_observe_event

        if webhooks_observe_event not in event_listeners:
            event_listeners.append(webhooks_observe_event)
