"""Signatures as Plaint writes them, checked by the receiver code of the documentation."""

from plaint.webhooks.signing import SECRET_PREFIX, body_render, secret_generate, signature_header
from plaint.webhooks.tests.documented import documented_verifier

SECRET = "whsec_test-secret"
BODY = body_render({"type": "complaint.received", "event_id": 7, "complaint": "K7Q2M9XW4"})
T = 1_764_979_200


def test_the_documented_snippet_accepts_a_fresh_signature():
    # given a body signed at T
    header = signature_header(SECRET, T, BODY)
    # when the receiver checks it a minute later, then it is valid
    assert documented_verifier()(SECRET, BODY, header, now=T + 60)


def test_a_tampered_body_fails_verification():
    header = signature_header(SECRET, T, BODY)
    tampered = BODY.replace(b"K7Q2M9XW4", b"K7Q2M9XW5")
    assert not documented_verifier()(SECRET, tampered, header, now=T)


def test_an_old_timestamp_fails_verification():
    # given a delivery signed ten minutes before it is checked (a replay)
    header = signature_header(SECRET, T, BODY)
    # then the documented tolerance of five minutes refuses it
    assert not documented_verifier()(SECRET, BODY, header, now=T + 600)


def test_another_secret_or_a_forged_timestamp_fails_verification():
    verify = documented_verifier()
    header = signature_header(SECRET, T, BODY)
    assert not verify("whsec_other", BODY, header, now=T)
    # the timestamp is signed too: moving it forward breaks the signature
    forged = header.replace(f"t={T}", f"t={T + 500}")
    assert not verify(SECRET, BODY, forged, now=T + 500)
    assert not verify(SECRET, BODY, "v1=abc", now=T)
    assert not verify(SECRET, BODY, "", now=T)


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    import hashlib
    import hmac

    header = signature_header(SECRET, T, BODY)
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={T},v1={expected}"


def test_the_body_is_the_same_bytes_whatever_the_order_of_the_keys():
    assert body_render({"b": 1, "a": [1, 2]}) == body_render({"a": [1, 2], "b": 1}) == b'{"a":[1,2],"b":1}'


def test_secrets_are_long_random_and_recognisable():
    first, second = secret_generate(), secret_generate()
    assert first != second
    assert first.startswith(SECRET_PREFIX)
    assert len(first) >= len(SECRET_PREFIX) + 40
