"""Test helpers shared by every app's tests: the canonical actors and builders.

Lives in the package (not under tests/) because it sits above every domain and
the permission suites of all apps use it.
"""
