"""Managers' dashboard and the organisation admins' pages, each scoped to one organisation."""
