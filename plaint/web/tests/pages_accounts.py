"""The accounts pages in the shared permission suite (see `pages.py`)."""

from plaint.web.tests.pages import Page

PAGES: list[Page] = []
