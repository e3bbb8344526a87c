"""A workshop under load (issue 9): 50 participants submit judgements at once.

Run ``python benchmarks/workshop.py`` (``--help`` for the options). It prepares a temporary
SQLite database (the Corona template; a facilitator and 50 participants, each with a session,
as an invitation and a sign-in would leave them; a round on the judgement cells of the first
sections), serves the app with uvicorn in a child process on 127.0.0.1 with sign-in required
(not the local mode), and lets the 50 participants (one thread and one keep-alive httpx client
each, started together) submit their judgements through ``POST /api/studies/{id}/rounds/{round}
/submit`` in several batches, each with their session cookie and CSRF header. The load is
bounded: participants x batches requests, and at most ``--seconds`` in all.

Afterwards the database is read directly: every participant must have exactly one submission
per item with the value they sent last (none lost, none duplicated). The script prints
requests, errors, p50, p95, p99 and max latency, and p95 against the 200 ms floor; it exits 1
when writes were lost or duplicated, a request failed, or p95 is over the floor.

The clients and the server share this machine's cores: the figures are for comparing runs on
one machine, not absolute capacity.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

HOST = "127.0.0.1"
FLOOR_P95_MS = 200.0
STARTUP_S = 60.0
SECRET = "workshop-benchmark"


@dataclass(frozen=True)
class Plan:
    """What the run asks: the study, the round, its items, and who submits."""

    study: int
    round: int
    items: tuple[str, ...]
    tokens: dict[str, str]


def value_of(participant: int, item: int) -> int:
    """The judgement participant ``participant`` gives item ``item``: -3..+3, spread out."""
    return (participant * 7 + item * 3) % 7 - 3


def prepare(database: str, participants: int, sections: int) -> Plan:
    """The study, the accounts with their sessions and the open round, in ``database``."""
    from argon2 import PasswordHasher

    from koers.services.accounts import Accounts
    from koers.services.rounds import Rounds
    from koers.services.workbench import Workbench

    with Workbench.open(database) as workbench:
        study_id = workbench.create_from_template("corona-lokale-besturen")
        study = workbench.get(study_id).study
        accounts = Accounts(workbench.repository, hasher=PasswordHasher(time_cost=1))
        accounts.create_user("facilitator", None)
        accounts.grant("facilitator", study_id, "facilitator")
        tokens = {}
        for number in range(participants):
            name = f"p{number:02d}"
            user = accounts.create_user(name, None)
            accounts.grant(name, study_id, "participant")
            tokens[name] = accounts.start_session(user)
        chosen = [(s.source, s.target) for s in study.judgements[:sections]]
        opened = Rounds(workbench.repository).open_round(
            study_id, "judgements", facilitator="facilitator", selection=chosen
        )
        return Plan(study_id, opened.id, opened.keys, tokens)


def serve(port: int, database: str) -> None:
    """Child process: serve the Koers app as ``koers serve`` does, sign-in required."""
    from koers.web import Settings, create_app, serve

    serve(create_app(Settings(database=database, secret_key=SECRET)), host=HOST, port=port)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def child_server(database: str) -> Iterator[str]:
    """The app in a child process; its base URL while the block runs."""
    port = _free_port()
    command = [sys.executable, __file__, "--serve", "--port", str(port), "--db", database]
    process = subprocess.Popen(command)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the server stopped at start (exit {process.returncode})")
            try:
                httpx.get(base + "/static/koers.css", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"the server did not start in {STARTUP_S:.0f} s") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Outcome:
    """What the clients measured."""

    latencies_ms: list[float]
    errors: list[str]
    seconds: float
    sent: dict[tuple[str, str], int]  # (participant, item) -> the value sent last with a 200


def drive(
    base: str, plan: Plan, batches: int, seconds: float, think: tuple[float, float]
) -> Outcome:
    """Each participant submits their values for every item in ``batches`` requests, and
    between two requests reads and thinks for a random time in ``think`` (seconds; a fixed
    seed per participant, so runs repeat)."""
    from koers.web.auth import CSRF_HEADER, SESSION_COOKIE, csrf_token

    chunks = [plan.items[k::batches] for k in range(batches)]
    latencies: list[float] = []
    errors: list[str] = []
    sent: dict[tuple[str, str], int] = {}
    lock = threading.Lock()
    start = threading.Barrier(len(plan.tokens) + 1)
    deadline = [0.0]
    path = f"/api/studies/{plan.study}/rounds/{plan.round}/submit"

    def participant(number: int, name: str, token: str) -> None:
        pause = random.Random(number)
        headers = {CSRF_HEADER: csrf_token(SECRET.encode(), token)}
        with httpx.Client(
            base_url=base, cookies={SESSION_COOKIE: token}, headers=headers, timeout=30
        ) as client:
            start.wait()
            for index, chunk in enumerate(chunks):
                if think[1] > 0:  # people start reading at once, and finish apart
                    time.sleep(pause.uniform(*think) if index else pause.uniform(0, think[1]))
                if time.monotonic() > deadline[0]:
                    with lock:
                        errors.append(f"{name}: stopped at the time limit")
                    return
                values = {key: value_of(number, plan.items.index(key)) for key in chunk}
                began = time.perf_counter()
                try:
                    response = client.post(path, json={"values": values})
                except httpx.HTTPError as error:
                    with lock:
                        errors.append(f"{name}: {type(error).__name__}")
                    continue
                took = (time.perf_counter() - began) * 1000
                with lock:
                    latencies.append(took)
                    if response.status_code == 200:
                        sent.update({(name, key): value for key, value in values.items()})
                    else:
                        errors.append(f"{name}: HTTP {response.status_code} {response.text[:120]}")

    threads = [
        threading.Thread(target=participant, args=(number, name, token))
        for number, (name, token) in enumerate(plan.tokens.items())
    ]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    return Outcome(latencies, errors, time.perf_counter() - began, sent)


def warm_up(base: str, plan: Plan, requests: int = 20) -> None:
    """A few reads of the round, so the first measured requests do not pay for start-up."""
    from koers.web.auth import SESSION_COOKIE

    token = next(iter(plan.tokens.values()))
    path = f"/api/studies/{plan.study}/rounds/{plan.round}/submit"
    with httpx.Client(base_url=base, cookies={SESSION_COOKIE: token}, timeout=30) as client:
        for _ in range(requests):
            client.get(path).raise_for_status()


def check(database: str, plan: Plan, outcome: Outcome) -> list[str]:
    """What is wrong with the stored submissions: lost, duplicated or wrong values."""
    from koers.model.rounds import item_key
    from koers.store.repository import Repository

    with Repository.open(database) as repository:
        stored = repository.rounds.submissions(plan.round)
    problems = []
    seen: dict[tuple[str, str], float] = {}
    for submission in stored:
        pair = (submission.participant, item_key(submission.item))
        if pair in seen:
            problems.append(f"duplicated: {pair}")
        seen[pair] = submission.value
    expected = {
        (name, key): value_of(number, index)
        for number, name in enumerate(plan.tokens)
        for index, key in enumerate(plan.items)
    }
    lost = [pair for pair in expected if pair not in seen]
    if lost:
        problems.append(f"lost: {len(lost)} values, for example {lost[0]}")
    wrong = [pair for pair, value in seen.items() if expected.get(pair) != value]
    if wrong:
        problems.append(f"wrong or unexpected: {len(wrong)} values, for example {wrong[0]}")
    if len(stored) != len(expected):
        problems.append(f"{len(stored)} submissions stored, {len(expected)} expected")
    return problems


def percentile(values: list[float], share: float) -> float:
    """The value at ``share`` of the sorted values (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(
    plan: Plan, outcome: Outcome, problems: list[str], batches: int, think: tuple[float, float]
) -> bool:
    """Print the figures; whether the run meets the floor."""
    times = outcome.latencies_ms
    p95 = percentile(times, 0.95)
    print(
        f"workshop: {len(plan.tokens)} participants x {batches} batches, "
        f"{len(plan.items)} judgement cells each ({len(plan.items) // batches}-"
        f"{-(-len(plan.items) // batches)} per request), {think[0]:g}-{think[1]:g} s between "
        f"batches; SQLite, sign-in with sessions; {outcome.seconds:.1f} s"
    )
    print(
        f"{'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'req/s':>7} {'p95/floor':>10}"
    )
    print(
        f"{len(times):>9} {len(outcome.errors):>7} {percentile(times, 0.5):>8.1f} "
        f"{p95:>8.1f} {percentile(times, 0.99):>8.1f} {max(times, default=float('nan')):>8.1f} "
        f"{len(times) / outcome.seconds:>7.1f} {p95 / FLOOR_P95_MS:>10.2f}"
    )
    stored = len(plan.tokens) * len(plan.items)
    print(
        f"writes: {stored} values expected; "
        + ("; ".join(problems) or "none lost, none duplicated")
    )
    for error in outcome.errors[:5]:
        print(f"error: {error}")
    ok = not problems and not outcome.errors and p95 < FLOOR_P95_MS
    print(
        f"floor: p95 under {FLOOR_P95_MS:.0f} ms, no lost or duplicated writes: "
        + ("met" if ok else "NOT met")
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--batches", type=int, default=10, help="requests per participant")
    parser.add_argument("--sections", type=int, default=10, help="sections in the round")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit of the load")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(0.5, 2.0),
        metavar=("LOW", "HIGH"),
        help="seconds a participant takes between two batches (0 0: none, saturation)",
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        serve(options.port, options.db)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'workshop.db'}"
        plan = prepare(database, options.participants, options.sections)
        with child_server(database) as base:
            warm_up(base, plan)
            outcome = drive(base, plan, options.batches, options.seconds, tuple(options.think))
        problems = check(database, plan, outcome)
        return 0 if report(plan, outcome, problems, options.batches, tuple(options.think)) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
