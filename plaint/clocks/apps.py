from django.apps import AppConfig


class ClocksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plaint.clocks"
    label = "clocks"

    def ready(self) -> None:
        from plaint.clocks.refresh import clocks_observe_event
        from plaint.complaints.services.common import event_observers

        if clocks_observe_event not in event_observers:
            event_observers.append(clocks_observe_event)
        from plaint.clocks import signals  # noqa: F401 - connects the receivers
        from plaint.clocks.notifications import answer_deadline_context
        from plaint.complaints.notifications import customer_context_providers

        if answer_deadline_context not in customer_context_providers:
            customer_context_providers.append(answer_deadline_context)
