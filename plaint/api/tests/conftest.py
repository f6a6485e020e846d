"""The API tests build the canonical cast once per module, as Django's ``setUpTestData`` does.

The cast is written inside a transaction that stays open for the module and is
rolled back after it; each test runs in a savepoint inside it (pytest-django's
``db``) and gets its own deep copy of the cast's objects, so that nothing a test
does reaches the next. Evidence files go to one directory per module.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from plaint.testing.actors import Cast, build_cast


@pytest.fixture(scope="module")
def module_cast(django_db_setup: None, django_db_blocker: Any,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cast]:
    files = tmp_path_factory.mktemp("files")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=files):
        block = transaction.atomic()
        block.__enter__()
        try:
            yield build_cast()
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def cast(module_cast: Cast, db: None) -> Cast:
    """The canonical cast (see ``plaint.testing.actors``), fresh for each test."""
    return copy.deepcopy(module_cast)
