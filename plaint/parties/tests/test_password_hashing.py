"""Passwords are hashed with Argon2, and an older hash is rehashed with it at sign-in (the test
settings use a fast hasher; these tests turn the real list on)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password

from plaint.settings import base
from plaint.testing import builders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _real_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_a_new_password_is_stored_as_argon2():
    person = builders.user()
    person.set_password("a long new password")
    person.save()
    person.refresh_from_db()
    assert person.password.startswith("argon2$argon2id$")
    assert person.check_password("a long new password")


def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(client):
    # given an account whose hash was made with PBKDF2
    person = builders.user(email="old@example.test")
    person.password = make_password("an older password", hasher="pbkdf2_sha256")
    person.save()
    # when its owner signs in
    response = client.post("/account/sign-in/", {"username": "old@example.test",
                                                 "password": "an older password"})
    # then they are in, and the stored hash is Argon2 now
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.password.startswith("argon2$")
