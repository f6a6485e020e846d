"""What the console tells a staff member: a complaint assigned to them, a customer's reply, a clock
at risk or run out. Written beside the e-mail (``complaints.notifications.notify_staff``), whatever
the person's e-mail preferences say: the console always shows them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffNotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned to you")
    CUSTOMER_REPLIED = "customer_replied", _("The customer replied")
    CLOCK_AT_RISK = "clock_at_risk", _("A deadline is close")
    CLOCK_BREACHED = "clock_breached", _("A deadline was missed")


class StaffNotification(models.Model):
    """One notice to one person about one complaint; ``read_at`` is set when they mark it read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_notifications"
    )
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="staff_notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StaffNotificationKind.choices)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        indexes = [
            # The console's unread count and list: one person's notices in one organisation.
            models.Index(fields=["recipient", "organisation", "read_at", "-id"],
                         name="staff_notice_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.complaint_id} → {self.recipient_id}"
