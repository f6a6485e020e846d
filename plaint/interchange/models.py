"""Where an imported complaint came from, and what of its source row Plaint has no field for."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    CFPB = "cfpb", _("US CFPB Consumer Complaint Database")
    PLAINT = "plaint", _("Plaint CSV")


class ImportedRecord(models.Model):
    """One imported complaint's identity in its source, and the source's own cells.

    ``(source, external_id)`` is unique: it is what makes an import idempotent (a second run
    finds every row here and changes nothing). ``columns`` holds, by column name, the verbatim
    values the complaint's own fields cannot give back: the columns without a home in Plaint
    (tags, consent, ZIP code, …) and any mapped value that Plaint stores in another form (a
    channel both "Fax" and "Postal mail" become, an issue longer than a category). The exports
    read them back, so a round trip returns the source row exactly. Written only by the
    importers (``interchange.services``).
    """

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="imported_record"
    )
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    external_id = models.CharField(_("identifier in the source"), max_length=64)
    columns = models.JSONField(_("source columns kept verbatim"), default=dict)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="%(app_label)s_%(class)s_unique_external_id"
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="%(app_label)s_%(class)s_source_valid"
            ),
            models.CheckConstraint(
                condition=~Q(external_id=""), name="%(app_label)s_%(class)s_has_external_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"
