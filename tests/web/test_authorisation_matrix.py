"""The authorisation matrix: every route of the app, asked by every role, a stranger and
nobody, answers as the table below says (issue 9).

What the answers mean
    ``PUBLIC``: anyone, also nobody signed in. ``SIGNED_IN``: anyone signed in; nobody signed
    in gets 401 (API) or a redirect to ``/login`` (pages). An action (``read``, ``judge``,
    ``edit``, ``facilitate``, ``manage_members``, ``view_audit``, ``delete``): members whose
    role allows it (``koers.model.roles``) are let through, other members get 403, a
    stranger (signed in, not a member) gets 404 as for a study that does not exist (so ids
    cannot be probed), nobody signed in gets 401 or the redirect.

"Let through" means: not 401, not 403, not a redirect to ``/login``, and not 404 unless the
address names more than the study (a round, an alert: the bodies and ids here are dummies,
so the route may well answer 404 or 422 after the role check).

A route of the app missing from the table fails :func:`test_the_table_has_every_route`, and
a row for a route that no longer exists fails it too.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from koers.model.roles import ROLES, allowed
from koers.services.accounts import Accounts
from koers.store.repository import Repository
from koers.web import Settings, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PUBLIC = "public"
SIGNED_IN = "signed in"
PASSWORD = "a long enough password"

TABLE: dict[tuple[str, str], str] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/api/openapi.json"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/language"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    # Without a study
    ("GET", "/studies"): SIGNED_IN,
    ("POST", "/studies"): SIGNED_IN,
    ("POST", "/studies/import"): SIGNED_IN,
    ("GET", "/api/studies"): SIGNED_IN,
    ("POST", "/api/studies"): SIGNED_IN,
    ("POST", "/api/studies/import"): SIGNED_IN,
    ("GET", "/invitations/{token}"): SIGNED_IN,
    ("POST", "/invitations/{token}"): SIGNED_IN,
    # Members and the audit log
    ("GET", "/studies/{study_id}/members"): "manage_members",
    ("POST", "/studies/{study_id}/members"): "manage_members",
    ("POST", "/studies/{study_id}/members/revoke"): "manage_members",
    ("POST", "/studies/{study_id}/invitations"): "manage_members",
    ("GET", "/studies/{study_id}/audit"): "view_audit",
    ("GET", "/studies/{study_id}/audit.csv"): "view_audit",
    # The study, its descriptors and scenarios
    ("GET", "/studies/{study_id}/export.yaml"): "read",
    ("GET", "/api/studies/{study_id}/export"): "read",
    ("GET", "/studies/{study_id}"): "read",
    ("POST", "/studies/{study_id}"): "edit",
    ("GET", "/studies/{study_id}/scenarios/{key}"): "read",
    ("POST", "/studies/{study_id}/scenarios/{key}"): "edit",
    ("GET", "/studies/{study_id}/descriptors"): "read",
    ("POST", "/studies/{study_id}/descriptors/{key}"): "edit",
    ("GET", "/api/studies/{study_id}"): "read",
    ("PATCH", "/api/studies/{study_id}"): "edit",
    ("GET", "/api/studies/{study_id}/scenarios/{key}"): "read",
    ("PATCH", "/api/studies/{study_id}/scenarios/{key}"): "edit",
    ("GET", "/api/studies/{study_id}/descriptors"): "read",
    ("PATCH", "/api/studies/{study_id}/descriptors/{key}"): "edit",
    # Cross-impact
    ("GET", "/studies/{study_id}/matrix"): "read",
    ("POST", "/studies/{study_id}/matrix/{source}/{target}"): "edit",
    ("GET", "/studies/{study_id}/tableau"): "read",
    ("GET", "/api/studies/{study_id}/matrix"): "read",
    ("PUT", "/api/studies/{study_id}/judgements/{source}/{target}"): "edit",
    ("GET", "/api/studies/{study_id}/tableau"): "read",
    # Signals
    ("GET", "/studies/{study_id}/signals"): "read",
    ("POST", "/studies/{study_id}/signals/import"): "edit",
    ("GET", "/studies/{study_id}/signals/import"): "read",
    ("GET", "/studies/{study_id}/signals/example"): "read",
    ("POST", "/studies/{study_id}/alerts/{indicator}/{trigger}/{period}"): "edit",
    ("GET", "/api/studies/{study_id}/signals"): "read",
    ("POST", "/api/studies/{study_id}/observations"): "edit",
    ("GET", "/api/studies/{study_id}/observations/example"): "read",
    ("POST", "/api/studies/{study_id}/alerts/{indicator}/{trigger}/{period}"): "edit",
    ("PUT", "/api/studies/{study_id}/alerts/{indicator}/{trigger}/{period}"): "edit",
    # Structure, chains, events
    ("GET", "/studies/{study_id}/structure"): "read",
    ("GET", "/studies/{study_id}/chains"): "read",
    ("GET", "/studies/{study_id}/events"): "read",
    ("GET", "/api/studies/{study_id}/structure"): "read",
    ("GET", "/api/studies/{study_id}/chains"): "read",
    ("POST", "/api/studies/{study_id}/chains"): "read",  # a question, not a change
    ("GET", "/api/studies/{study_id}/events"): "read",
    # Strategy
    ("GET", "/studies/{study_id}/strategy"): "read",
    ("POST", "/studies/{study_id}/strategy/import"): "edit",
    ("GET", "/studies/{study_id}/strategy/import"): "read",
    ("GET", "/studies/{study_id}/strategy/registers.xlsx"): "read",
    ("POST", "/studies/{study_id}/strategy/decisions"): "edit",
    ("GET", "/studies/{study_id}/strategy/judge"): "judge",
    ("POST", "/studies/{study_id}/strategy/judge"): "judge",
    ("GET", "/studies/{study_id}/strategy/assumptions"): "read",
    ("GET", "/studies/{study_id}/strategy/pathways"): "read",
    ("GET", "/studies/{study_id}/strategy/initiatives"): "read",
    ("POST", "/studies/{study_id}/strategy/initiatives/{key}"): "edit",
    ("GET", "/api/studies/{study_id}/strategy"): "read",
    ("POST", "/api/studies/{study_id}/strategy/registers"): "edit",
    ("GET", "/api/studies/{study_id}/strategy/registers"): "read",
    ("POST", "/api/studies/{study_id}/strategy/decisions"): "edit",
    ("GET", "/api/studies/{study_id}/strategy/judge"): "judge",
    ("PUT", "/api/studies/{study_id}/strategy/scores"): "judge",
    ("GET", "/api/studies/{study_id}/strategy/assumptions"): "read",
    ("GET", "/api/studies/{study_id}/strategy/pathways"): "read",
    ("GET", "/api/studies/{study_id}/strategy/initiatives"): "read",
    ("PUT", "/api/studies/{study_id}/strategy/initiatives/{key}"): "edit",
    # The report
    ("GET", "/studies/{study_id}/report.pdf"): "read",
    ("GET", "/studies/{study_id}/report.html"): "read",
    # Workshop rounds
    ("GET", "/studies/{study_id}/rounds"): "read",
    ("POST", "/studies/{study_id}/rounds"): "facilitate",
    ("GET", "/studies/{study_id}/rounds/{round_id}"): "facilitate",
    ("POST", "/studies/{study_id}/rounds/{round_id}/close"): "facilitate",
    ("POST", "/studies/{study_id}/rounds/{round_id}/second"): "facilitate",
    ("POST", "/studies/{study_id}/rounds/{round_id}/apply"): "facilitate",
    ("GET", "/studies/{study_id}/rounds/{round_id}/submit"): "judge",
    ("POST", "/studies/{study_id}/rounds/{round_id}/submit"): "judge",
    ("GET", "/api/studies/{study_id}/rounds"): "read",
    ("POST", "/api/studies/{study_id}/rounds"): "facilitate",
    ("GET", "/api/studies/{study_id}/rounds/{round_id}"): "facilitate",
    ("POST", "/api/studies/{study_id}/rounds/{round_id}/close"): "facilitate",
    ("POST", "/api/studies/{study_id}/rounds/{round_id}/second"): "facilitate",
    ("POST", "/api/studies/{study_id}/rounds/{round_id}/apply"): "facilitate",
    ("GET", "/api/studies/{study_id}/rounds/{round_id}/submit"): "judge",
    ("POST", "/api/studies/{study_id}/rounds/{round_id}/submit"): "judge",
}

PERSONAS = (*ROLES, "stranger", "nobody")
SAFE = ("GET", "HEAD")


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers (HEAD left out: it follows GET); the static
    files' mount is not a route."""

    def walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):  # an included router (FastAPI >= 0.16x)
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif getattr(route, "methods", None):
                for method in route.methods - {"HEAD"}:
                    yield method, prefix + route.path

    return set(walk(app.routes, ""))


@dataclass
class World:
    """The app, a study, and a client with its CSRF token per persona."""

    app: FastAPI
    study_id: int
    clients: dict[str, TestClient]
    tokens: dict[str, str]
    values: dict[str, str]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    database = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'koers.db'}"
    repository = Repository.open(database)
    app = create_app(Settings(secret_key="m" * 32), repository=repository)
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    accounts = Accounts(repository, hasher=cheap)
    app.state.accounts = accounts
    clients: dict[str, TestClient] = {}
    tokens: dict[str, str] = {}
    for persona in PERSONAS:
        client = TestClient(app, base_url="https://testserver", follow_redirects=False)
        client.__enter__()
        clients[persona] = client
        if persona == "nobody":
            tokens[persona] = ""
            continue
        accounts.create_user(persona, PASSWORD)
        signed = client.post("/login", data={"name": persona, "password": PASSWORD})
        assert signed.status_code == 303, signed.text
        page = client.get("/studies").text
        found = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page)
        assert found
        tokens[persona] = found.group(1)
    created = clients["owner"].post(
        "/api/studies", json={}, headers={"X-CSRF-Token": tokens["owner"]}
    )
    assert created.status_code == 201, created.text
    study_id = int(created.json()["id"])
    for role in ROLES[1:]:
        accounts.grant(role, study_id, role)
    overview = clients["owner"].get(f"/api/studies/{study_id}").json()
    descriptors = clients["owner"].get(f"/api/studies/{study_id}/descriptors").json()
    keys = [d["key"] for d in descriptors["descriptors"]]
    values = {
        "study_id": str(study_id),
        "key": overview["scenarios"][0]["key"] if overview.get("scenarios") else "x",
        "source": keys[0],
        "target": keys[1],
        "indicator": "x",
        "trigger": "x",
        "period": "2024",
        "round_id": "1",
        "token": "not-an-invitation",
    }
    yield World(app, study_id, clients, tokens, values)
    for client in clients.values():
        client.__exit__(None, None, None)
    repository.close()


def test_the_table_has_every_route(world: World) -> None:
    routes = app_routes(world.app)
    missing = sorted(routes - TABLE.keys())
    stale = sorted(TABLE.keys() - routes)
    assert not missing, f"routes without a row in the permission table: {missing}"
    assert not stale, f"rows for routes that do not exist: {stale}"


def _address(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def _ask(world: World, persona: str, method: str, path: str) -> Any:
    client = world.clients[persona]
    url = _address(path, world.values)
    token = world.tokens[persona]
    if method in SAFE:
        return client.request(method, url)
    headers = {"X-CSRF-Token": token} if token else {}
    if path.startswith("/api"):
        return client.request(method, url, json={}, headers=headers)
    return client.request(method, url, data={"csrf_token": token}, headers=headers)


def _sent_to_sign_in(response: Any) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/login")


def _refused_anonymous(path: str, response: Any) -> bool:
    if path.startswith("/api"):
        return bool(response.status_code == 401)
    return _sent_to_sign_in(response)


def _let_through(path: str, response: Any) -> bool:
    if response.status_code in (401, 403) or _sent_to_sign_in(response):
        return False
    more_than_the_study = len(re.findall(r"\{\w+\}", path)) > ("{study_id}" in path)
    return response.status_code != 404 or more_than_the_study


def _rows() -> list[tuple[str, str]]:
    """The rows, signing out last (it ends the session the other rows use)."""
    return sorted(TABLE, key=lambda row: (row == ("POST", "/logout"), row))


@pytest.mark.parametrize(("method", "path"), _rows(), ids=lambda part: str(part))
def test_each_persona_gets_the_answer_the_table_gives(world: World, method: str, path: str) -> None:
    rule = TABLE[method, path]
    wrong: list[str] = []
    for persona in PERSONAS:
        response = _ask(world, persona, method, path)
        answer = f"{persona}: {response.status_code} {response.headers.get('location', '')}"
        if rule == PUBLIC:
            ok = response.status_code not in (401, 403) and not (
                _sent_to_sign_in(response) and path != "/logout"
            )
        elif persona == "nobody":
            ok = _refused_anonymous(path, response)
        elif rule == SIGNED_IN:
            ok = _let_through(path, response)
        elif persona == "stranger":
            ok = response.status_code == 404
        elif allowed(persona, rule):
            ok = _let_through(path, response)
        else:
            ok = response.status_code == 403
        if not ok:
            wrong.append(answer)
    assert not wrong, f"{method} {path} ({rule}): {wrong}"
