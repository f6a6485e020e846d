"""The production settings: everything from the environment, refused without it, DEBUG never on,
and Django's deployment checks clean (docs/security.md "Production settings and headers")."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

MODULE = "plaint.settings.production"
REQUIRED = ["PLAINT_SECRET_KEY", "PLAINT_ALLOWED_HOSTS", "PLAINT_DATABASE_URL", "PLAINT_MEDIA_ROOT",
            "PLAINT_EMAIL_HOST", "PLAINT_DEFAULT_FROM_EMAIL"]


def sample_environment(tmp_path: Path) -> dict[str, str]:
    """What an operator sets: made-up values, no server is ever contacted."""
    return {
        "PLAINT_SECRET_KEY": "k3y-" + "aZ09_-" * 10,
        "PLAINT_ALLOWED_HOSTS": "complaints.example.com",
        "PLAINT_DATABASE_URL": "postgres://plaint:secret@db.example.com:5432/plaint",
        "PLAINT_MEDIA_ROOT": str(tmp_path / "files"),
        "PLAINT_EMAIL_HOST": "smtp.example.com",
        "PLAINT_DEFAULT_FROM_EMAIL": "Plaint <complaints@example.com>",
    }


def _load(monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]):  # type: ignore[no-untyped-def]
    for name in REQUIRED:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, MODULE, raising=False)
    try:
        return importlib.import_module(MODULE)
    finally:
        sys.modules.pop(MODULE, None)


def test_debug_stays_off_whatever_the_environment_says(monkeypatch, tmp_path):
    # given an environment that asks for debugging every way it could
    environment = sample_environment(tmp_path) | {"DEBUG": "1", "DJANGO_DEBUG": "True", "PLAINT_DEBUG": "1"}
    # when the production settings are read
    settings = _load(monkeypatch, environment)
    # then DEBUG is off and the secrets and addresses are the environment's
    assert settings.DEBUG is False
    assert environment["PLAINT_SECRET_KEY"] == settings.SECRET_KEY
    assert settings.ALLOWED_HOSTS == ["complaints.example.com"]
    assert settings.DATABASES["default"]["HOST"] == "db.example.com"
    assert settings.EMAIL_HOST == "smtp.example.com"
    assert settings.DEFAULT_FROM_EMAIL == "Plaint <complaints@example.com>"


def test_https_is_required_and_remembered_only_in_production(monkeypatch, tmp_path):
    # when the production settings are read
    settings = _load(monkeypatch, sample_environment(tmp_path))
    # then plain http is redirected, HSTS covers subdomains and preload, cookies are https only
    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.SECURE_HSTS_SECONDS >= 365 * 24 * 3600
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert settings.SECURE_HSTS_PRELOAD is True
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    # and the shared settings (local, tests) do not: a laptop serves plain http
    from plaint.settings import base
    assert not hasattr(base, "SECURE_SSL_REDIRECT")
    assert not hasattr(base, "SECURE_HSTS_SECONDS")


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_each_required_variable(monkeypatch, tmp_path, missing):
    # given the sample environment without one variable
    environment = sample_environment(tmp_path)
    del environment[missing]
    # when the settings are read, then they refuse, naming it
    with pytest.raises(ImproperlyConfigured, match=missing):
        _load(monkeypatch, environment)


@pytest.mark.parametrize("key", ["short", "django-insecure-" + "x" * 50, "a" * 60])
def test_a_weak_secret_key_is_refused(monkeypatch, tmp_path, key):
    # given a short, a Django-generated development or a repetitive key
    environment = sample_environment(tmp_path) | {"PLAINT_SECRET_KEY": key}
    # then the settings refuse it
    with pytest.raises(ImproperlyConfigured, match="PLAINT_SECRET_KEY"):
        _load(monkeypatch, environment)


def test_the_deployment_checks_find_nothing_with_production_settings(tmp_path):
    # given the production settings and the sample environment (with DEBUG asked for)
    environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8",
                   "DJANGO_SETTINGS_MODULE": MODULE, "DEBUG": "1", **sample_environment(tmp_path)}
    # when Django's deployment checks run
    result = subprocess.run(  # noqa: S603 -- our own command, no shell
        [sys.executable, "-m", "plaint.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment, capture_output=True, text=True, timeout=120, check=False,
    )
    # then they pass with no warning at all, and nothing is silenced
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
