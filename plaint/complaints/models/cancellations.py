from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.complaints.choices import CancellationState, Channel


class CancellationRequest(models.Model):
    """A customer's request to cancel a service. Not a complaint.

    Confirmed at once with a protocol number and effective from the moment of the
    request, whatever the customer's balance; it stays open in the provider's
    queue until someone records that it was executed.
    """

    protocol_number = models.CharField(_("protocol number"), max_length=9, unique=True)
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, related_name="cancellations"
    )
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="cancellations"
    )
    account_number = models.CharField(_("account number"), max_length=64, blank=True)
    service = models.CharField(_("service to cancel"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    requested_at = models.DateTimeField(_("requested at"))
    effective_at = models.DateTimeField(_("effective at"))
    state = models.CharField(
        max_length=10, choices=CancellationState.choices, default=CancellationState.OPEN
    )
    executed_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["organisation", "state", "requested_at"])]

    def __str__(self) -> str:
        return self.protocol_number
