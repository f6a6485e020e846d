"""Template filters of the console: ``{% load console %}``."""

from __future__ import annotations

from django import template

from plaint.core import references

register = template.Library()


@register.filter
def reference(value: str) -> str:
    """A complaint's reference grouped for reading aloud on a call: ``7K3M-Q9XD-4``."""
    return references.display(value) if value else ""
