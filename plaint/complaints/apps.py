from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "plaint.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from plaint.channels.services import incoming_observers
        from plaint.complaints.tasks import incoming_message_enqueue

        if incoming_message_enqueue not in incoming_observers:
            incoming_observers.append(incoming_message_enqueue)
