"""A complaint's console page and its actions in the shared permission suite (see `pages.py`)."""

from plaint.web.tests.pages import Page

PAGES: list[Page] = []
