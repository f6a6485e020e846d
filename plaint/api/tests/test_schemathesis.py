"""Schemathesis against the running server: every operation of the OpenAPI schema, as each kind
of caller, answers without a 5xx and as the schema declares (status code, content type, body).

The server is the real one (``plaint serve``: granian, WSGI) in a subprocess on 127.0.0.1, on the
PostgreSQL test database that this test seeded and committed: two organisations, their staff, API
tokens (read and write, per organisation), customers with complaints, evidence, messages, a
cancellation, an incoming message and a webhook endpoint. Path parameters are drawn from those
real objects as well as generated, so that the requests reach the code behind the 404; bodies and
queries are generated from the schema, valid (positive) and invalid (negative) ones.

Callers: nobody, organisation 1's write token and read-only token, organisation 2's token, and
customer A's signed-in session (with its CSRF token). The tokens are exempt from the intake rate
limit (as the benchmarks' token is) and the test settings raise the other limits out of reach;
a 429 is declared by the operations that may give one and is not expected elsewhere.

PostgreSQL tier (it fuzzes a real server). ``PLAINT_SCHEMATHESIS_EXAMPLES`` sets the number of
examples per operation and caller: a few in CI, from Hypothesis' fixed seed (derandomize),
e.g. ``PLAINT_SCHEMATHESIS_EXAMPLES=200 … pytest plaint/api/tests/test_schemathesis.py`` for
random ones on demand (docs/contributing/testing.md).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import schemathesis
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from plaint.channels.services.inbound import incoming_message_store
from plaint.complaints.models import Evidence, Message
from plaint.complaints.services.cancellations import cancellation_request
from plaint.parties.choices import Role, TokenScope
from plaint.parties.services import api_token_create
from plaint.testing import builders
from plaint.testing.actors import CUSTOMER_A, ORG_ADMIN, Cast, build_cast
from plaint.webhooks.event_types import PUBLIC_TYPES
from plaint.webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.postgresql_only

ROOT = Path(__file__).resolve().parents[3]
SCHEMA_PATH = "/api/v1/openapi.json"
# CI: a few derandomized examples per operation and caller (the whole run stays within about
# three minutes on two busy cores); a number in the environment runs that many random ones.
EXAMPLES = int(os.environ.get("PLAINT_SCHEMATHESIS_EXAMPLES", "0"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection,
          ignored_auth]
# ``ignored_auth`` replays a request with a made-up bearer token and expects 401/403. A customer
# signs in by session cookie, which the replay still carries, and either scheme is enough
# (docs/api.md), so for them the check would only report the cookie doing its job.
CHECKS_BY_CALLER = {"customer": [c for c in CHECKS if c is not ignored_auth]}
# ``negative_data_rejection`` is not run on multipart bodies: a form field carries only text, so
# a value generated as the wrong type (a number or an object for a text field) arrives as valid
# text, and its acceptance is right (seen on POST …/evidence as the customer).
MULTIPART_EXEMPT = (negative_data_rejection,)
# Body fields that name an object, and the path parameter whose real values they take.
BODY_IDS = {"organisation_id": "organisation_id", "into_reference": "reference",
            "to_reference": "reference"}
# How many operations must answer 2xx at least once for each caller: a floor that shows the
# seeded ids and the credentials work (a run of 401s and 404s would pass every other check).
# (CI's fixed examples reach 16, 12, 9 and 9.)
MIN_SUCCEEDED = {"org1_write_token": 12, "org1_read_token": 9, "org2_token": 6, "customer": 6}
CALLERS = ["anonymous", "org1_write_token", "org1_read_token", "org2_token", "customer"]


@dataclass
class Seeded:
    cast: Cast
    secrets: dict[str, str]
    own_token_ids: set[int]
    path_values: dict[str, list[Any]]
    customer_session: str


def _seed() -> Seeded:
    """Two organisations with staff, tokens, customers, complaints and the objects that the
    schema's path parameters name; committed, so that the server sees them."""
    cast = build_cast()
    admin = cast.actor(ORG_ADMIN)
    tokens = {
        "org1_write_token": api_token_create(organisation=cast.org1, name="Fuzz write", role=Role.ORG_ADMIN,
                                             rate_limit_exempt=True),
        "org1_read_token": api_token_create(organisation=cast.org1, name="Fuzz read", role=Role.ORG_ADMIN,
                                            scope=TokenScope.READ, rate_limit_exempt=True),
        "org2_token": api_token_create(organisation=cast.org2, name="Fuzz other", role=Role.ORG_ADMIN,
                                       rate_limit_exempt=True),
    }
    victim, _ = api_token_create(organisation=cast.org1, name="To revoke", role=Role.AGENT)
    builders.complaint(cast.customers[CUSTOMER_A], subject="Second complaint of A")
    cancellation = cancellation_request(actor=admin, customer=cast.customers[CUSTOMER_A],
                                        service_name="Internet 100")
    incoming, _ = incoming_message_store(
        raw=b"From: jan@example.test\r\nTo: complaints@example.test\r\nSubject: Outage\r\n"
            b"Message-ID: <fuzz-1@example.test>\r\n\r\nDown again.\r\n",
        source="test")
    with override_settings(PLAINT_WEBHOOKS_ALLOW_PRIVATE=True):
        endpoint, _ = webhook_endpoint_create(actor=admin, organisation=cast.org1,
                                              url="https://127.0.0.1:9/hook",
                                              event_types=list(PUBLIC_TYPES))
    complaints = [cast.complaint_a, cast.complaint_b, cast.complaint_other_org]
    path_values: dict[str, list[Any]] = {
        "reference": [c.reference for c in complaints],
        "organisation_id": [cast.org1.pk, cast.org2.pk],
        "evidence_id": [str(e.pk) for e in Evidence.objects.all()],
        "message_id": [str(m.pk) for m in Message.objects.all()],
        "protocol": [cancellation.protocol_number],
        "incoming_id": [incoming.pk],
        "endpoint_id": [endpoint.pk],
        "token_id": [victim.pk],
    }
    customer = Client()
    customer.force_login(cast.users[CUSTOMER_A])
    return Seeded(cast=cast, secrets={name: secret for name, (_, secret) in tokens.items()},
                  own_token_ids={token.pk for token, _ in tokens.values()}, path_values=path_values,
                  customer_session=customer.cookies["sessionid"].value)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(django_db_setup: None) -> Iterator[str]:
    """``plaint serve`` on the test database (its tasks queued there, never run: no mail and no
    webhook leaves the machine), in a session of its own; its base URL."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "plaint.settings.test",
           "PLAINT_TEST_USE_TEST_DATABASE": "1", "PLAINT_TEST_TASKS": "database"}
    log_path = Path(os.environ.get("PLAINT_VAR_DIR", "/tmp")) / "schemathesis-server.log"  # noqa: S108
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "plaint.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", "1", "--threads", "2"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            with suppress(OSError), urllib.request.urlopen(base + SCHEMA_PATH, timeout=5):  # noqa: S310
                break
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)  # plaint serve stops granian and waits for it
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the session we started
            process.wait()


def _loopback_urls(body: Any) -> Any:
    """A generated webhook URL keeps its shape but names 127.0.0.1 when it names a host: the
    endpoint's checks resolve host names, and a test asks no DNS server. A URL longer than the
    schema allows is left as generated: it is refused before any name is resolved, and a shorter
    host could make it valid."""
    if not isinstance(body, dict) or not isinstance(body.get("url"), str) or len(body["url"]) > 2000:
        return body
    with suppress(ValueError):
        parts = urlsplit(body["url"])
        if parts.hostname:
            netloc = "127.0.0.1" + (f":{parts.port}" if parts.port else "")
            body = {**body, "url": urlunsplit(parts._replace(netloc=netloc))}
    return body


def _with_real_ids(strategy: st.SearchStrategy, seeded: Seeded) -> st.SearchStrategy:
    """Valid cases whose body, half of the time, names real objects (``organisation_id``,
    ``into_reference``, …) where it names any: a random id gets only as far as the 404."""
    ids = st.fixed_dictionaries({key: st.sampled_from(seeded.path_values[source])
                                 for key, source in BODY_IDS.items()})

    def apply(drawn: tuple[Any, bool, dict[str, Any]]) -> Any:
        case, use, real = drawn
        if use and isinstance(case.body, dict):
            case.body = {**case.body, **{k: v for k, v in real.items() if k in case.body}}
        return case

    return st.tuples(strategy, st.booleans(), ids).map(apply)


def _strategy(operation: Any, seeded: Seeded, caller: str) -> st.SearchStrategy:
    names = [p.name for p in operation.path_parameters]
    known = {n: seeded.path_values[n] for n in names if n in seeded.path_values}
    strategies = [_with_real_ids(operation.as_strategy(GenerationMode.POSITIVE), seeded)]
    if known:
        strategies.append(_with_real_ids(
            st.fixed_dictionaries({n: st.sampled_from(v) for n, v in known.items()}).flatmap(
                lambda fixed: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed)),
            seeded))
    if names or operation.body or list(operation.query):
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    strategy = st.one_of(strategies)
    if operation.path.endswith("/revocation") and caller != "anonymous":
        # The caller's own token stays usable for the rest of the run.
        strategy = strategy.filter(
            lambda case: str(case.path_parameters.get("token_id")) not in map(str, seeded.own_token_ids))
    return strategy


def _caller(seeded: Seeded, caller: str) -> dict[str, Any]:
    """What each request of ``caller`` carries (headers, cookies)."""
    if caller == "anonymous":
        return {}
    if caller == "customer":
        csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked CSRF secret
        return {"headers": {"X-CSRFToken": csrf},
                "cookies": {"sessionid": seeded.customer_session, "csrftoken": csrf}}
    return {"headers": {"Authorization": f"Bearer {seeded.secrets[caller]}"}}


def _run(operation: Any, strategy: st.SearchStrategy, call: Callable[[Any], None]) -> None:
    @settings(max_examples=EXAMPLES or 6, derandomize=not EXAMPLES, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
    @given(case=strategy)
    def fuzz(case: Any) -> None:
        call(case)

    fuzz()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("caller", CALLERS)
def test_every_operation_answers_as_its_schema_declares_and_never_with_a_server_error(server, caller):
    # given the seeded organisations and the schema the running server publishes
    seeded = _seed()
    schema = schemathesis.openapi.from_url(server + SCHEMA_PATH)
    extra = _caller(seeded, caller)
    failures: list[str] = []
    operations = 0
    succeeded: set[str] = set()  # operations that answered 2xx at least once
    # when every operation is called with generated requests as this caller
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        multipart = any(alt.media_type.startswith("multipart/") for alt in operation.body)
        checks = [c for c in CHECKS_BY_CALLER.get(caller, CHECKS)
                  if not (multipart and c in MULTIPART_EXEMPT)]

        def call(case: Any, checks: list = checks) -> None:
            if case.body is not None and "webhooks" in case.path:
                case.body = _loopback_urls(case.body)
            response = case.call_and_validate(
                base_url=server, checks=checks, timeout=30,
                headers=dict(extra.get("headers", {})), cookies=dict(extra.get("cookies", {})))
            if response.status_code < 300:
                succeeded.add(case.operation.label)

        try:
            _run(operation, _strategy(operation, seeded, caller), call)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported together below
            failures.append(f"{operation.label}: {exc}")
    # then every operation was tried and none failed a check
    assert not failures, f"{len(failures)} operations failed as {caller}:\n\n" + "\n\n".join(failures)
    declared = sum(len(methods) for methods in schema.raw_schema["paths"].values())
    assert operations == declared > 40
    # and the callers got through where they may: nobody nowhere, the others somewhere
    if caller == "anonymous":
        assert succeeded == set()
    else:
        assert len(succeeded) >= MIN_SUCCEEDED[caller], sorted(succeeded)
