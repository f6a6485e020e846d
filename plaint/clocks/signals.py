"""A closing day added, changed or removed (admin, shell, data migration) changes the
organisation's calendar: bump its ``rules_version`` so that no process keeps the old one."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from plaint.clocks.context import rules_changed
from plaint.clocks.models import ClosingDay


@receiver(post_save, sender=ClosingDay)
@receiver(post_delete, sender=ClosingDay)
def closing_days_changed(sender: type[ClosingDay], instance: ClosingDay, **kwargs: Any) -> None:
    rules_changed(instance.organisation)
