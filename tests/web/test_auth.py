"""Signing in and out, sessions' cookies, CSRF, security headers, local vs. server mode,
invitations, members and the audit export (issue 9)."""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from koers.services.accounts import Accounts
from koers.store.repository import Repository
from koers.web import Settings, create_app
from koers.web.auth import LoginLimiter

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASSWORD = "correct horse battery"
TEMPLATES = Path(__file__).parents[2] / "src" / "koers" / "web" / "templates"


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    """A server-mode workbench (everyone signs in) with cheap password hashing."""
    repository = Repository.open(database_url)
    built = create_app(Settings(secret_key="k" * 32), repository=repository)
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    built.state.accounts = Accounts(repository, hasher=cheap)
    for name in ("anna", "bram"):
        built.state.accounts.create_user(name, PASSWORD)
    yield built
    repository.close()


@pytest.fixture
def new_client(app: FastAPI) -> Iterator[Callable[[], TestClient]]:
    """Clients of the app over HTTPS (the session cookie is Secure), each with own cookies."""
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(app, base_url="https://testserver", follow_redirects=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign ``name`` in; the CSRF token of the session (from the page's meta tag)."""
    response = client.post("/login", data={"name": name, "password": password})
    assert response.status_code == 303, response.text
    page = client.get("/studies")
    assert page.status_code == 200
    found = re.search(r'<meta name="csrf-token" content="([0-9a-f]{64})">', page.text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def new_study(client: TestClient, token: str) -> int:
    response = client.post("/api/studies", json={}, headers={"X-CSRF-Token": token})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


# --- signing in -------------------------------------------------------------------------------


def test_nobody_signed_in_is_sent_to_the_sign_in_page_or_gets_401(
    new_client: Callable[[], TestClient],
) -> None:
    client = new_client()
    page = client.get("/studies/1/matrix?x=1")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/studies/1/matrix%3Fx%3D1"
    api = client.get("/api/studies")
    assert api.status_code == 401
    assert api.json()["error"]["status"] == 401
    login = client.get("/login", headers={"accept-language": "en"})
    assert login.status_code == 200 and "Sign in" in login.text


def test_signing_in_sets_a_strict_session_cookie_and_leads_on(
    new_client: Callable[[], TestClient],
) -> None:
    client = new_client()
    response = client.post(
        "/login", data={"name": "anna", "password": PASSWORD, "next": "/studies?x=1"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/studies?x=1"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("koers_session=")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "path=/", "samesite=lax"} <= flags
    assert client.get("/api/studies").status_code == 200
    # A foreign address is not followed after sign-in (no open redirect).
    other = new_client()
    away = other.post("/login", data={"name": "anna", "password": PASSWORD, "next": "//evil"})
    assert away.headers["location"] == "/studies"


def test_a_wrong_password_is_refused_in_the_readers_language(
    new_client: Callable[[], TestClient],
) -> None:
    client = new_client()
    english = client.post(
        "/login",
        data={"name": "anna", "password": "wrong password"},
        headers={"accept-language": "en"},
    )
    assert english.status_code == 401
    assert "The name or the password is wrong." in english.text
    dutch = client.post(
        "/login",
        data={"name": "nobody", "password": "wrong password"},
        headers={"accept-language": "nl"},
    )
    assert dutch.status_code == 401
    assert "De naam of het wachtwoord klopt niet." in dutch.text
    assert "koers_session" not in dutch.headers.get("set-cookie", "")


def test_five_failures_lock_the_name_out_even_with_the_right_password(
    new_client: Callable[[], TestClient],
) -> None:
    client = new_client()
    for _ in range(5):
        client.post("/login", data={"name": "bram", "password": "not the password"})
    locked = client.post(
        "/login", data={"name": "bram", "password": PASSWORD}, headers={"accept-language": "en"}
    )
    assert locked.status_code == 401
    assert re.search(r"Try again after \d\d:\d\d UTC", locked.text)
    dutch = client.post(
        "/login", data={"name": "bram", "password": PASSWORD}, headers={"accept-language": "nl"}
    )
    assert re.search(r"Probeer het opnieuw na \d\d:\d\d UTC", dutch.text)


def test_one_address_trying_many_names_is_slowed_down(
    app: FastAPI, new_client: Callable[[], TestClient]
) -> None:
    app.state.login_limiter = LoginLimiter(capacity=3, refill_seconds=3600)
    client = new_client()
    answers = [
        client.post("/login", data={"name": f"user{n}", "password": "x" * 12}).status_code
        for n in range(4)
    ]
    assert answers == [401, 401, 401, 429]
    # Even the right password waits for the bucket to fill again.
    assert client.post("/login", data={"name": "anna", "password": PASSWORD}).status_code == 429


def test_signing_out_ends_the_session(new_client: Callable[[], TestClient]) -> None:
    client = new_client()
    token = sign_in(client, "anna")
    cookie = client.cookies.get("koers_session")
    assert client.post("/logout").status_code == 403  # without the CSRF token
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/api/studies").status_code == 401
    # The old cookie signs no one in any more.
    again = new_client()
    again.cookies.set("koers_session", cookie or "")
    assert again.get("/api/studies").status_code == 401


# --- CSRF -------------------------------------------------------------------------------------


def test_writes_without_the_csrf_token_are_refused(new_client: Callable[[], TestClient]) -> None:
    client = new_client()
    token = sign_in(client, "anna")
    refused = client.post("/api/studies", json={})
    assert refused.status_code == 403
    assert "did not come from Koers" in refused.json()["error"]["message"]
    wrong = client.post("/api/studies", json={}, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    form = client.post("/studies", data={"template": "corona-lokale-besturen"})
    assert form.status_code == 403
    assert "Open the page again" in form.text or "Open de pagina opnieuw" in form.text
    accepted = client.post(
        "/studies", data={"template": "corona-lokale-besturen", "csrf_token": token}
    )
    assert accepted.status_code == 303
    study_id = int(accepted.headers["location"].rsplit("/", 1)[1])
    api = client.patch(
        f"/api/studies/{study_id}",
        json={"changes": {"organisation": "Gemeente Zeist"}, "version": 1},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code not in (401, 403), api.text


def test_another_session_has_another_csrf_token(new_client: Callable[[], TestClient]) -> None:
    first, second = new_client(), new_client()
    token = sign_in(first, "anna")
    other = sign_in(second, "anna")
    assert token != other
    assert second.post("/api/studies", json={}, headers={"X-CSRF-Token": token}).status_code == 403


def test_every_form_that_posts_carries_the_csrf_field() -> None:
    for template in sorted(TEMPLATES.glob("*.html")):
        text = template.read_text(encoding="utf-8")
        for form in re.finditer(r"<form [^>]*>", text):
            if 'method="post"' not in form.group(0):
                continue
            after = text[form.end() : form.end() + 400]
            assert 'name="csrf_token"' in after, f"{template.name}: {form.group(0)}"


# --- security headers -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login", "/api/studies", "/nowhere", "/static/koers.css"])
def test_every_answer_has_the_security_headers(
    new_client: Callable[[], TestClient], path: str
) -> None:
    response = new_client().get(path)
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_no_template_needs_inline_scripts_or_styles() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert "<style" not in text and " style=" not in text, template.name
        assert not re.search(r"\son[a-z]+=", text), template.name  # onclick and friends


# --- local mode and server mode ---------------------------------------------------------------


def test_local_mode_signs_everyone_in_as_the_owner_of_every_study(database_url: str) -> None:
    first = create_app(Settings(database=database_url, local=True))
    with TestClient(first, follow_redirects=False) as client:
        created = client.post("/api/studies", json={})  # no sign-in, no CSRF token
        assert created.status_code == 201
        study_id = created.json()["id"]
        assert client.get("/login").status_code == 303
        assert client.get(f"/studies/{study_id}/members").status_code == 200
        assert "koers_session" not in client.cookies
        accounts = first.state.accounts
        local = accounts.repository.accounts.local_user()
        assert local is not None and accounts.role_of(local, study_id) == "owner"
    # The same database served to the world asks for sign-in.
    server = create_app(Settings(database=database_url))
    with TestClient(server, follow_redirects=False) as client:
        assert client.get("/api/studies").status_code == 401
        assert client.get(f"/studies/{study_id}").status_code == 303


def test_people_see_only_their_own_studies(new_client: Callable[[], TestClient]) -> None:
    anna, bram = new_client(), new_client()
    anna_token, bram_token = sign_in(anna, "anna"), sign_in(bram, "bram")
    mine = new_study(anna, anna_token)
    theirs = new_study(bram, bram_token)
    assert [s["id"] for s in anna.get("/api/studies").json()["studies"]] == [mine]
    assert f"/studies/{theirs}" not in anna.get("/studies").text
    assert anna.get(f"/studies/{theirs}").status_code == 404  # no probing of ids
    assert anna.get(f"/api/studies/{theirs}").status_code == 404


# --- invitations, members and the audit log ---------------------------------------------------


def test_an_invitation_gives_its_role_once(new_client: Callable[[], TestClient]) -> None:
    anna, bram = new_client(), new_client()
    anna_token, bram_token = sign_in(anna, "anna"), sign_in(bram, "bram")
    study_id = new_study(anna, anna_token)
    page = anna.post(
        f"/studies/{study_id}/invitations",
        data={"role": "participant", "days": "3", "csrf_token": anna_token},
    )
    assert page.status_code == 200
    found = re.search(r"https://testserver(/invitations/[A-Za-z0-9_-]+)", page.text)
    assert found, page.text
    link = found.group(1)
    assert bram.get(link).status_code == 200
    assert bram.post(link).status_code == 403  # the CSRF token again
    accepted = bram.post(link, data={"csrf_token": bram_token})
    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"/studies/{study_id}"
    assert bram.get(f"/studies/{study_id}").status_code == 200
    # A participant may read, not edit.
    edit = bram.patch(
        f"/api/studies/{study_id}",
        json={"changes": {"organisation": "X"}, "version": 1},
        headers={"X-CSRF-Token": bram_token},
    )
    assert edit.status_code == 403
    assert bram.post(link, data={"csrf_token": bram_token}).status_code == 409
    # Someone not signed in is asked to sign in first, then comes back to the link.
    anonymous = new_client().get(link)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?")


def test_owners_grant_and_revoke_roles_but_keep_an_owner(
    new_client: Callable[[], TestClient],
) -> None:
    anna, bram = new_client(), new_client()
    anna_token, bram_token = sign_in(anna, "anna"), sign_in(bram, "bram")
    study_id = new_study(anna, anna_token)
    members = f"/studies/{study_id}/members"
    granted = anna.post(members, data={"name": "bram", "role": "editor", "csrf_token": anna_token})
    assert granted.status_code == 303
    page = anna.get(members)
    assert "bram" in page.text
    assert bram.get(members).status_code == 403  # an editor does not manage members
    last = anna.post(f"{members}/revoke", data={"name": "anna", "csrf_token": anna_token})
    assert last.status_code == 422
    revoked = anna.post(f"{members}/revoke", data={"name": "bram", "csrf_token": anna_token})
    assert revoked.status_code == 303
    assert bram.get(f"/studies/{study_id}").status_code == 404
    assert bram_token  # bram stays signed in, without the study


def test_the_audit_log_names_who_changed_what(new_client: Callable[[], TestClient]) -> None:
    anna = new_client()
    token = sign_in(anna, "anna")
    study_id = new_study(anna, token)
    changed = anna.patch(
        f"/api/studies/{study_id}",
        json={"changes": {"organisation": "Gemeente Zeist"}, "version": 1},
        headers={"X-CSRF-Token": token},
    )
    assert changed.status_code == 200, changed.text
    page = anna.get(f"/studies/{study_id}/audit", headers={"accept-language": "en"})
    assert page.status_code == 200 and "Audit log" in page.text
    export = anna.get(f"/studies/{study_id}/audit.csv")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    edits = [row for row in rows if row["field"] == "organisation"]
    assert edits and edits[-1]["actor"] == "anna"
    assert edits[-1]["new"] == "Gemeente Zeist"


# --- koers serve ------------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What ``koers serve`` passed to ``uvicorn.run`` (which then returns at once)."""
    import uvicorn

    seen: dict[str, Any] = {}

    def run(app: Any, **options: Any) -> None:
        seen["app"] = app
        seen.update(options)

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.delenv("KOERS_SECRET_KEY", raising=False)
    return seen


def test_serving_beyond_this_computer_needs_a_secret_key_and_warns_about_tls(
    served: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from koers.cli import app as cli_app

    database = str(tmp_path / "k.db")
    refused = CliRunner().invoke(cli_app, ["serve", "--db", database, "--host", "0.0.0.0"])
    assert refused.exit_code != 0 and "app" not in served
    assert "KOERS_SECRET_KEY" in refused.output
    local = CliRunner().invoke(cli_app, ["serve", "--local", "--db", database, "--host", "0.0.0.0"])
    assert local.exit_code != 0 and "app" not in served
    key = tmp_path / "key"
    key.write_text("q" * 40)
    served_out = CliRunner().invoke(
        cli_app,
        ["serve", "--db", database, "--host", "0.0.0.0", "--secret-key-file", str(key)],
    )
    assert served_out.exit_code == 0, served_out.output
    assert "TLS" in served_out.output and served["host"] == "0.0.0.0"
    settings = served["app"].state.settings
    assert settings.secret_key == "q" * 40 and not settings.local
    with TestClient(served["app"], follow_redirects=False) as client:
        assert client.get("/api/studies").status_code == 401
    monkeypatch.setenv("KOERS_SECRET_KEY", "short")
    weak = CliRunner().invoke(cli_app, ["serve", "--db", database, "--host", "0.0.0.0"])
    assert weak.exit_code != 0


def test_an_uploaded_study_with_the_token_is_imported_and_owned(
    new_client: Callable[[], TestClient],
) -> None:
    anna = new_client()
    token = sign_in(anna, "anna")
    study_id = new_study(anna, token)
    exported = anna.get(f"/studies/{study_id}/export.yaml").content
    files = {"file": ("study.yaml", exported, "application/yaml")}
    refused = anna.post("/studies/import", files=files)
    assert refused.status_code == 403
    imported = anna.post("/studies/import", files=files, data={"csrf_token": token})
    assert imported.status_code == 303, imported.text
    new_id = int(imported.headers["location"].rsplit("/", 1)[1])
    assert new_id != study_id
    assert anna.get(f"/studies/{new_id}/members").status_code == 200  # anna owns it
