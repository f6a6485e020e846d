"""The typed JSON API at /api/v1/: an adapter over the domains' access, services and selectors."""
