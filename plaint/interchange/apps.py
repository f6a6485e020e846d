from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plaint.interchange"
    label = "interchange"

    def ready(self) -> None:
        from plaint.complaints.erasure import complaint_anonymisers

        complaint_anonymisers.append(_source_columns_anonymise)


def _source_columns_anonymise(complaint_ids: list[int]) -> None:
    """Erasure on request: the source's own cells (a narrative, a ZIP code) are the person's data;
    the source and its identifier stay, so that a re-import still finds the complaint."""
    from plaint.interchange.models import ImportedRecord

    ImportedRecord.objects.filter(complaint_id__in=complaint_ids).update(columns={})
