"""Crashes lose nothing and double nothing: the web server and the task workers are killed with
SIGKILL, again and again, while clients file complaints and clocks run out (issue 6, "Trust").

Real processes on loopback against this test's PostgreSQL database: ``plaint serve`` (granian,
two web workers with two threads) and two ``plaint worker`` processes with the real task queue
(``PLAINT_TEST_USE_TEST_DATABASE``, ``PLAINT_TEST_TASKS``). The time of every process comes from
``PLAINT_TEST_CLOCK_FILE``, which the test moves forward during the run so that clocks run out
while the workers are being killed.

Client threads file complaints through the API, each with its own ``Idempotency-Key``; on a
connection error or a 5xx they retry with the same key and body until they get their answer
(201, or 200 for a replay whose first answer was lost), as a real integration would. Another
thread files on the public complaint form as a browser would and sends the same form (its
submission key) again until the page shows the reference. Meanwhile a
chaos thread kills the web server (its whole process group) and each worker several times and
restarts them. The moments are seeded and counted in finished intakes, not in seconds, so that a
slow machine runs the same scenario more slowly rather than a different one.

Afterwards, every answered key is exactly one complaint (and no complaint exists without its
key), every clock that ran out was acted on exactly once (one expiry event per clock, one
escalation or deemed decision per expiry that asked for it), the clock rows are what the events
say (``plaint clocks rebuild --check``), every event chain verifies, and the
outgoing e-mail the flow queued was sent and each webhook delivery reached the test's HTTPS
receiver on loopback at least once.
PostgreSQL tier only: SQLite's crash durability has its own test (``test_sqlite_durability``).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.db import connections, transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from plaint.channels.models import OutgoingMessage, OutgoingState
from plaint.clocks.models import Clock
from plaint.clocks.rebuild import clocks_rebuild
from plaint.complaints.audit import audit_verify
from plaint.complaints.models import Complaint, Event, IdempotencyRecord
from plaint.core import clock, references
from plaint.parties.choices import Role
from plaint.parties.services import api_token_create
from plaint.testing import builders
from plaint.webhooks.models import WebhookDelivery
from plaint.webhooks.tests.receiver import Receiver, RunningReceiver

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]

# Another seed explores other moments: PLAINT_TEST_FAULT_SEED=7 pytest tests/test_faults.py -s
SEED = int(os.environ.get("PLAINT_TEST_FAULT_SEED", "20261206"))
CLIENTS = 3  # through the API
WEB_CLIENTS = 1  # through the public complaint form
PER_CLIENT = 24
KILLS_PER_PROCESS = 4  # the web server and each of the two workers
START = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
# The test clock moves at these shares of the intake: past the acknowledgement deadlines
# (a working day), then past the Polish 14-day answer deadline (deemed accepted).
CLOCK_STEPS = ((0.3, START + timedelta(days=3)), (0.6, START + timedelta(days=20)))
FINAL = START + timedelta(days=60)  # after the chaos: everything filed has run out
# Then time runs on past the leases that the workers killed at FINAL held (an e-mail being sent
# is claimed for five minutes, so that a crash delays it rather than losing it).
SETTLED = FINAL + timedelta(hours=1)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
READY_TIMEOUT = 60.0  # seconds for a restarted server to answer; only a bound, never a wait
REQUEST_DEADLINE = 90.0  # seconds a client keeps retrying one complaint
SETTLE_TIMEOUT = 120.0  # seconds for the workers to finish what is due after the chaos
WEBHOOK_TYPES = ["complaint.received", "clock.breached", "complaint.escalated", "complaint.decided"]


# ---- the processes ---------------------------------------------------------------------------


class Service:
    """One process we start in a session of its own, so that SIGKILL reaches all its children
    (``plaint serve`` runs granian, which runs its web workers)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name, self.command, self.env = name, command, env
        self.log = log_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        with self.log.open("ab") as log:
            log.write(f"---- start {self.starts}\n".encode())
            log.flush()
            self.process = subprocess.Popen(  # noqa: S603
                self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self) -> str:
        return f"== {self.name}\n" + self.log.read_text(errors="replace")[-3000:]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(server: Service, port: int, token: str) -> None:
    """Poll the API until the (re)started server answers; fail if it died or never answers."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if not server.running():
            raise AssertionError(f"the web server stopped\n{server.tail()}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _ = _request(port, "GET", "/api/v1/complaints?limit=1", token)
            if status == 200:
                return
        time.sleep(0.1)
    raise AssertionError(f"the web server did not answer within {READY_TIMEOUT} s\n{server.tail()}")


def _request(port: int, method: str, path: str, token: str, body: dict | None = None,
             key: str | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if key is not None:
            headers["Idempotency-Key"] = key
        connection.request(method, path, body=json.dumps(body) if body else None, headers=headers)
        response = connection.getresponse()
        content = response.read()
        try:
            data = json.loads(content) if content else {}
        except ValueError:
            data = {"raw": content[:200].decode(errors="replace")}
        return response.status, data
    finally:
        connection.close()


def _move_clock(clock_file: Path, moment: datetime) -> None:
    """Every process reads the file on each ``clock.now()``: replace it in one step."""
    temporary = clock_file.with_suffix(".tmp")
    temporary.write_text(moment.isoformat())
    temporary.replace(clock_file)


# ---- the clients -----------------------------------------------------------------------------


@dataclass
class Answer:
    key: str
    status: int
    reference: str
    attempts: int


@dataclass
class Run:
    """What the clients were told, shared by the threads (appends and len are atomic)."""

    answers: list[Answer] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    retries: Counter[str] = field(default_factory=Counter)
    done: threading.Event = field(default_factory=threading.Event)


def _client(number: int, port: int, organisations: list[tuple[int, str, str, str]], run: Run) -> None:
    try:
        _file(number, port, organisations, run)
    except Exception as error:  # noqa: BLE001 - reported by the test thread
        run.failures.append(f"client {number}: {error!r}")


def _file(number: int, port: int, organisations: list[tuple[int, str, str, str]], run: Run) -> None:
    """File PER_CLIENT complaints; retry each with the same key until it is answered."""
    for n in range(PER_CLIENT):
        organisation_id, token, currency, _slug = organisations[(number + n) % len(organisations)]
        key = f"fault-{number}-{n}"
        body = {
            "organisation_id": organisation_id, "channel": "web",
            "subject": f"Charged twice ({number}/{n})",
            "description": "The invoice was charged twice to my card. Please refund it.",
            "customer": {"full_name": f"Customer {number}-{n}", "email": f"c{number}-{n}@example.test"},
            "demands": [{"kind": "refund", "amount": "25.00", "currency": currency}],
        }
        deadline = time.monotonic() + REQUEST_DEADLINE
        attempts = 0
        while True:
            attempts += 1
            try:
                status, data = _request(port, "POST", "/api/v1/complaints", token, body, key)
            except (OSError, http.client.HTTPException) as error:
                status, data = 0, {"error": type(error).__name__}
            if status in (200, 201):
                run.answers.append(Answer(key, status, data["reference"], attempts))
                break
            if status != 0 and status < 500:
                run.failures.append(f"{key}: {status} {data}")
                break
            run.retries[f"{status or data.get('error')}"] += 1
            if time.monotonic() > deadline:
                run.failures.append(f"{key}: no answer after {attempts} attempts ({status} {data})")
                break
            time.sleep(0.05 * min(attempts, 10))


def _sweeps_woken() -> None:
    """Queue two clock sweeps and an outbox sweep, so that both workers sweep at once now rather
    than at their chains' next turn (extra sweeps are harmless: that is what is tested)."""
    from plaint.channels.tasks import outbox_sweep
    from plaint.clocks.tasks import clock_sweep
    from plaint.webhooks.tasks import webhook_sweep

    clock_sweep.enqueue()
    clock_sweep.enqueue()
    outbox_sweep.enqueue()
    webhook_sweep.enqueue()


def _kill(services: dict[str, Service], restart: dict[str, Callable[[], None]], victim: str,
          log: list[str], when: str) -> None:
    services[victim].kill()
    log.append(f"killed {victim} {when} ({time.monotonic():.1f})")
    restart[victim]()


def _web_client(number: int, port: int, organisations: list[tuple[int, str, str, str]], run: Run) -> None:
    try:
        _file_on_the_form(number, port, organisations, run)
    except Exception as error:  # noqa: BLE001 - reported by the test thread
        run.failures.append(f"web client {number}: {error!r}")


def _file_on_the_form(number: int, port: int, organisations: list[tuple[int, str, str, str]],
                      run: Run) -> None:
    """File PER_CLIENT complaints on the public form, as a browser would: get the form (its
    CSRF token and submission key), send it, follow the redirect to the page that shows the
    reference. On a connection error or a 5xx send the same form again, until the reference is
    shown."""
    base = f"http://127.0.0.1:{port}"
    for n in range(PER_CLIENT):
        _id, _token, currency, slug = organisations[(number + n) % len(organisations)]
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        deadline = time.monotonic() + REQUEST_DEADLINE
        attempts, form = 0, None
        while True:
            attempts += 1
            try:
                if form is None:
                    with browser.open(f"{base}/providers/{slug}/complain/", timeout=30) as page:
                        html = page.read().decode()
                    form = {
                        "csrfmiddlewaretoken": _field(html, "csrfmiddlewaretoken"),
                        "submission": _field(html, "submission"),
                        "full_name": f"Web customer {number}-{n}", "email": f"w{number}-{n}@example.test",
                        "subject": f"Parcel never came ({number}/{n})",
                        "description": "The order was paid but never delivered.",
                        "demand": "refund", "amount": "25.00", "currency": currency, "language": "en",
                    }
                body = urllib.parse.urlencode(form).encode()
                with browser.open(f"{base}/providers/{slug}/complain/", data=body, timeout=30) as page:
                    html, status = page.read().decode(), page.status
                shown = re.search(r'<output id="reference">([^<]+)</output>', html)
                if shown is None:
                    run.failures.append(f"web {number}-{n}: {status}, no reference: {html[:300]}")
                    return
                run.answers.append(Answer(form["submission"], status, references.normalise(shown[1]),
                                          attempts))
                break
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    run.failures.append(f"web {number}-{n}: {error.code}")
                    return
                run.retries[f"web {error.code}"] += 1
            except (OSError, http.client.HTTPException) as error:
                run.retries[f"web {type(error).__name__}"] += 1
            if time.monotonic() > deadline:
                run.failures.append(f"web {number}-{n}: no reference after {attempts} attempts")
                return
            time.sleep(0.05 * min(attempts, 10))


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)" name="{name}"', html)
    assert found, f"no {name} in the form"
    return found[1]


def _chaos(rng: random.Random, run: Run, services: dict[str, Service],
           restart: dict[str, Callable[[], None]], clock_file: Path, total: int,
           log: list[str]) -> None:
    """Kill each process KILLS_PER_PROCESS times at seeded moments (counted in answered
    intakes, each plus a seeded fraction of a second so that kills land inside requests) and
    restart it; at each clock step, move the clock, wake the sweeps and kill a worker while they
    run."""
    victims = [name for name in services for _ in range(KILLS_PER_PROCESS)]
    rng.shuffle(victims)
    marks = sorted(rng.sample(range(2, int(total * 0.9)), len(victims)))
    plan = sorted([(mark, "kill", victim) for mark, victim in zip(marks, victims, strict=True)]
                  + [(int(share * total), "clock", moment) for share, moment in CLOCK_STEPS])
    for mark, action, what in plan:
        while len(run.answers) < mark and not run.done.is_set():
            time.sleep(0.02)
        if action == "clock":
            _move_clock(clock_file, what)
            _sweeps_woken()
            log.append(f"clock -> {what:%Y-%m-%d} after {len(run.answers)} answers ({time.monotonic():.1f})")
            time.sleep(rng.uniform(0.05, 0.5))
            _kill(services, restart, rng.choice(["worker-1", "worker-2"]), log, "while sweeping")
        else:
            time.sleep(rng.uniform(0, 0.3))
            _kill(services, restart, what, log, f"after {len(run.answers)} answers")


# ---- the scenario ----------------------------------------------------------------------------


def _organisations(webhook_url: str) -> list[tuple[int, str, str, str]]:
    """A Polish shop (answer in 14 days or deemed accepted) and a German provider (only the
    ISO 10002 acknowledgement: escalate and tell the managers), each with a manager, an
    integration's token exempt from rate limits and a webhook endpoint: (id, token, currency,
    slug) of each."""
    from plaint.complaints.actors import SYSTEM_ACTOR
    from plaint.webhooks.services import webhook_endpoint_create

    shop = builders.organisation(country="PL", sector="retail", time_zone="Europe/Warsaw",
                                 default_language="pl", languages=["pl", "en"])
    provider = builders.organisation(country="DE", sector="other", time_zone="Europe/Berlin")
    result = []
    for organisation, currency in ((shop, "PLN"), (provider, "EUR")):
        builders.staff(organisation, Role.MANAGER)
        _token, secret = api_token_create(organisation=organisation, name="fault test",
                                         role=Role.COMPLAINTS_OFFICER, rate_limit_exempt=True)
        with override_settings(PLAINT_WEBHOOKS_ALLOW_PRIVATE=True):
            webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=organisation,
                                    url=f"{webhook_url}/{organisation.slug}", event_types=WEBHOOK_TYPES)
        result.append((organisation.pk, secret, currency, organisation.slug))
    return result


@contextlib.contextmanager
def _processes(tmp_path: Path, clock_file: Path, port: int, ca_file: Path) -> Iterator[dict[str, Service]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plaint.settings.test",
        "PLAINT_TEST_CLOCK_FILE": str(clock_file),
        "PLAINT_TEST_USE_TEST_DATABASE": "1",
        "PLAINT_TEST_TASKS": "database",
        "PLAINT_TEST_WEBHOOKS_CA_BUNDLE": str(ca_file),
    }
    plaint = [sys.executable, "-m", "plaint.cli"]
    services = {
        "web": Service("web", [*plaint, "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--workers", "2", "--threads", "2"], env, tmp_path),
        **{
            name: Service(name, [*plaint, "worker", "--no-startup-delay", "--interval", "0.1"],
                          env, tmp_path)
            for name in ("worker-1", "worker-2")
        },
    }
    try:
        yield services
    finally:
        for service in services.values():
            service.kill()


def _settle(services: dict[str, Service]) -> None:
    """After the chaos: wait until nothing due at SETTLED is left."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        for service in services.values():
            assert service.running(), service.tail()
        due_clocks = list(Clock.objects.filter(next_action_at__lte=SETTLED)
                          .values_list("complaint__reference", "key", "state", "next_action_at"))
        queued = list(OutgoingMessage.objects.filter(state=OutgoingState.QUEUED)
                      .values_list("pk", "kind", "attempts", "next_attempt_at", "claimed_until"))
        undelivered = list(WebhookDelivery.objects.exclude(state="delivered")
                           .values_list("event_type", "state", "attempts", "next_attempt_at"))
        if not due_clocks and not queued and not undelivered:
            return
        time.sleep(0.25)
    tasks = list(DBTaskResult.objects.exclude(status="SUCCESSFUL")
                 .values_list("task_path", "status", "run_after", "enqueued_at"))
    raise AssertionError(
        f"the workers left due clocks {due_clocks[:10]} ({len(due_clocks)}), queued messages "
        f"{queued[:10]} ({len(queued)}), undelivered webhooks {undelivered[:10]} ({len(undelivered)}); "
        f"tasks not done {tasks}\n"
        + "\n".join(s.tail() for s in services.values())
    )


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    """The webhook tests' HTTPS receiver on 127.0.0.1; the processes trust its CA."""
    running = RunningReceiver(tmp_path, "127.0.0.1")
    try:
        yield running.start()
    finally:
        running.stop()


def test_killing_web_and_workers_loses_no_acknowledged_complaint_and_doubles_no_clock_action(
    tmp_path, receiver,
):
    rng = random.Random(SEED)
    # given two organisations with tokens and webhook endpoints, at a fixed time for every process
    clock_file = tmp_path / "now"
    _move_clock(clock_file, START)
    with override_settings(PLAINT_TEST_CLOCK_FILE=str(clock_file)):
        organisations = _organisations(receiver.url)
    token = organisations[0][1]
    port = _free_port()
    total = (CLIENTS + WEB_CLIENTS) * PER_CLIENT
    run, log = Run(), []
    with override_settings(TASKS=DATABASE_TASKS), _processes(
        tmp_path, clock_file, port, receiver.ca_file
    ) as services:
        # and the web server and two workers running
        for service in services.values():
            service.start()
        _wait_until_ready(services["web"], port, token)
        log.append(f"ready ({time.monotonic():.1f})")

        def restart_web() -> None:
            services["web"].start()
            _wait_until_ready(services["web"], port, token)

        restart = {"web": restart_web, "worker-1": services["worker-1"].start,
                   "worker-2": services["worker-2"].start}
        # when clients file complaints while the processes are killed and the clock moves
        clients = [threading.Thread(target=_client, args=(n, port, organisations, run), daemon=True)
                   for n in range(CLIENTS)]
        clients += [threading.Thread(target=_web_client, args=(n, port, organisations, run), daemon=True)
                    for n in range(WEB_CLIENTS)]
        chaos_errors: list[BaseException] = []

        def chaos() -> None:
            try:
                _chaos(rng, run, services, restart, clock_file, total, log)
            except BaseException as error:  # noqa: BLE001 - reported by the test thread
                chaos_errors.append(error)
            finally:
                connections.close_all()

        chaos_thread = threading.Thread(target=chaos, daemon=True)
        chaos_thread.start()
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(REQUEST_DEADLINE * PER_CLIENT)
        run.done.set()
        chaos_thread.join(READY_TIMEOUT * 2)
        assert not chaos_errors, chaos_errors
        assert not run.failures, run.failures
        assert len(run.answers) == total
        log.append(f"answered ({time.monotonic():.1f})")
        # and then time runs on past every deadline, and both workers are killed while they act
        _move_clock(clock_file, FINAL)
        _sweeps_woken()
        time.sleep(rng.uniform(0.05, 0.5))
        for name in ("worker-1", "worker-2"):
            _kill(services, restart, name, log, "while sweeping at the end")
        _move_clock(clock_file, SETTLED)
        _sweeps_woken()  # what the killed sweeps left; their chains would take their turn
        _settle(services)
        log.append(f"settled ({time.monotonic():.1f})")
    print(f"seed {SEED}:", *log, sep="\n  ")  # noqa: T201 - shown with -s
    replays = sum(1 for a in run.answers if a.status == 200 and a.key.startswith("fault-"))
    print("answered after a retry:", sum(1 for a in run.answers if a.attempts > 1),  # noqa: T201
          "API replays of a lost 201:", replays, "retries:", dict(run.retries))
    print("webhook deliveries received twice:",  # noqa: T201
          sum(1 for n in Counter(r.headers["Plaint-Delivery"] for r in receiver.requests).values() if n > 1))
    print("tasks left running by a kill:", Counter(  # noqa: T201
        DBTaskResult.objects.filter(status="RUNNING").values_list("task_path", flat=True)))

    assert sum(1 for line in log if line.startswith("killed")) == 3 * KILLS_PER_PROCESS + len(CLOCK_STEPS) + 2

    # then every answered key is exactly one complaint, the one its answer named
    by_key = {a.key: a for a in run.answers}
    assert len(by_key) == total
    records = dict(IdempotencyRecord.objects.values_list("key", "complaint__reference"))
    assert records == {key: a.reference for key, a in by_key.items()}
    complaints = dict(Complaint.objects.values_list("pk", "reference"))
    assert Counter(complaints.values()) == Counter(a.reference for a in run.answers)
    received = Counter(Event.objects.filter(kind="received").values_list("complaint_id", flat=True))
    assert set(received.values()) == {1}
    assert set(received) == set(complaints)

    # and every clock that ran out was acted on exactly once
    assert not Clock.objects.filter(next_action_at__lte=SETTLED).exists()
    breached = set(Clock.objects.filter(state="breached").values_list("complaint_id", "key"))
    expiries = list(Event.objects.filter(kind="clock_expired").values_list("complaint_id", "data"))
    expired = Counter((complaint_id, data["clock"]) for complaint_id, data in expiries)
    assert breached, "no clock ran out: the scenario tests nothing"
    assert set(expired) == breached
    assert set(expired.values()) == {1}, [k for k, n in expired.items() if n > 1]
    warnings = Event.objects.filter(kind="clock_warned").values_list("complaint_id", "data")
    warned = Counter((complaint_id, data["clock"]) for complaint_id, data in warnings)
    assert set(warned.values()) <= {1}
    asked = Counter()
    for complaint_id, data in expiries:
        for action in data["actions"]:
            asked[complaint_id, action] += 1
    escalations = Counter(Event.objects.filter(kind="escalated").values_list("complaint_id", flat=True))
    decisions = Counter(Event.objects.filter(kind="decided").values_list("complaint_id", flat=True))
    assert escalations == Counter({c: n for (c, a), n in asked.items() if a == "escalate"})
    assert decisions == Counter({c: n for (c, a), n in asked.items() if a == "deemed_accepted"})
    assert escalations, "the scenario must escalate"
    assert decisions, "the scenario must deem complaints accepted"

    # and the clock rows are what the events say (nothing a crash left half-written)
    with transaction.atomic(), clock.frozen_at(SETTLED):
        rebuilt = clocks_rebuild(dry_run=True)
    assert rebuilt.changed == 0, rebuilt

    # and every event chain verifies
    report = audit_verify()
    assert report.ok, [b.describe() for b in report.broken]

    # and what the flow queued for the outside world went out: each acknowledgement e-mail, and
    # one webhook delivery per subscribed event, received at least once
    acknowledgements = Counter(
        OutgoingMessage.objects.filter(kind="received").values_list("thread_reference", flat=True)
    )
    assert acknowledgements == Counter(set(complaints.values()))
    assert not OutgoingMessage.objects.exclude(state=OutgoingState.SENT).exists()
    subscribed = set(Event.objects.filter(kind__in=["received", "clock_expired", "escalated", "decided"])
                     .values_list("pk", flat=True))
    delivered = Counter(WebhookDelivery.objects.values_list("event_id", flat=True))
    assert set(delivered) == subscribed
    assert set(delivered.values()) == {1}
    queued_ids = {str(d) for d in WebhookDelivery.objects.values_list("delivery_id", flat=True)}
    assert {r.headers["Plaint-Delivery"] for r in receiver.requests} == queued_ids
    assert not WebhookDelivery.objects.exclude(state="delivered").exists()
