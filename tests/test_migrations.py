"""The migrations in the repository match the models."""

import pytest
from django.core.management import call_command


@pytest.mark.sqlite_only
def test_no_model_change_lacks_its_migration(db, capsys):
    # makemigrations --check exits non-zero when a model differs from its migrations
    call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    assert "No changes detected" in capsys.readouterr().out
