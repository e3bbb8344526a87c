"""The workshop rounds in the web workbench (issue 9): pages, JSON twins and roles.

A facilitator and three participants, each signed in with a session of their own, run a
two-round workshop on the section duur -> financien of the Corona template. That section
holds (from the template) korter->gezond +1 and korter->krap 0 (no judgement).

Round 1
    korter->krap:   anouk +1, bram +2, carla +3 -> median 2; Q1 = 1.5, Q3 = 2.5 (Hyndman-Fan 7:
                    h = 2(0.25) + 1 = 1.5), IQR 1 <= tolerance 1 -> agreed.
    korter->gezond: anouk -3, bram 0, carla +3 -> median 0; Q1 = -1.5, Q3 = 1.5, IQR 3 -> disputed.
Round 2 (every item, with the group's view)
    korter->krap:   anouk +2, bram +2, carla +3 -> median 2.
    korter->gezond: anouk 0, bram 0, carla +1 -> median 0.
Applied: korter->krap becomes 2, korter->gezond becomes 0 (the template's +1 goes).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher

from koers.services.accounts import Accounts
from koers.store.repository import Repository
from koers.web import Settings, create_app
from koers.web.auth import CSRF_HEADER, SESSION_COOKIE, csrf_token

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TEMPLATE = "corona-lokale-besturen"
KRAP = "duur:korter:financien:krap"
GEZOND = "duur:korter:financien:gezond"
REASONS = {"anouk": "costs rise", "bram": "demand falls", "carla": "reserves help"}


class Workshop:
    """One app, one client; ``as_(name)`` signs the client in as that person."""

    def __init__(self, client: TestClient, repository: Repository, study_id: int) -> None:
        self.client = client
        self.repository = repository
        self.study_id = study_id
        self.accounts = Accounts(repository, hasher=PasswordHasher(time_cost=1, memory_cost=8))
        self.tokens: dict[str, str] = {}

    def member(self, name: str, role: str) -> None:
        user = self.accounts.create_user(name, None)
        self.accounts.grant(name, self.study_id, role)
        self.tokens[name] = self.accounts.start_session(user)

    def as_(self, name: str) -> str:
        """Sign in as ``name``; the CSRF token of their session."""
        self.client.cookies.set(SESSION_COOKIE, self.tokens[name])
        return csrf_token(self.client.app.state.secret, self.tokens[name])  # type: ignore[attr-defined]

    def form(self, name: str, path: str, data: dict[str, Any]) -> Any:
        token = self.as_(name)
        return self.client.post(path, data={**data, "csrf_token": token})

    def api(self, name: str, method: str, path: str, body: Any = None) -> Any:
        token = self.as_(name)
        return self.client.request(method, path, json=body, headers={CSRF_HEADER: token})

    def base(self) -> str:
        return f"/studies/{self.study_id}/rounds"


@pytest.fixture
def workshop(database_url: str) -> Iterator[Workshop]:
    repository = Repository.open(database_url)
    app = create_app(Settings(database=database_url, language="en"), repository=repository)
    with TestClient(app, follow_redirects=False) as client:
        client.cookies.set("koers_lang", "en")  # the reader's choice; the study is Dutch
        study_id = app.state.workbench.create_from_template(TEMPLATE, organisation="Zeist")
        found = Workshop(client, repository, study_id)
        found.member("fien", "facilitator")
        for name in ("anouk", "bram", "carla"):
            found.member(name, "participant")
        found.member("vera", "viewer")
        yield found
    repository.close()


def _cell(workshop: Workshop, source_variant: str, target_variant: str) -> int:
    study = workshop.repository.get_study(workshop.study_id).study
    section = study.judgement_section("duur", "financien")
    assert section is not None
    return int(section.score(source_variant, target_variant))


def _submit(workshop: Workshop, round_id: int, values: dict[str, dict[str, int]]) -> None:
    for name, given in values.items():
        data = {f"value:{key}": str(value) for key, value in given.items()}
        data[f"reason:{GEZOND}"] = REASONS[name]
        response = workshop.form(name, f"{workshop.base()}/{round_id}/submit", data)
        assert response.status_code == 303, response.text
        assert response.headers["location"].endswith("/submit?saved=1")


def test_a_two_round_workshop_through_the_pages(workshop: Workshop) -> None:
    workshop.as_("fien")
    page = workshop.client.get(workshop.base())
    assert page.status_code == 200
    assert "Workshop rounds" in page.text and 'value="duur:financien"' in page.text
    opened = workshop.form(
        "fien",
        workshop.base(),
        {"kind": "judgements", "selection:judgements": "duur:financien", "rule": "median"},
    )
    assert opened.status_code == 303, opened.text
    first = int(opened.headers["location"].rsplit("/", 1)[1])
    _submit(
        workshop,
        first,
        {
            "anouk": {KRAP: 1, GEZOND: -3},
            "bram": {KRAP: 2, GEZOND: 0},
            "carla": {KRAP: 3, GEZOND: 3},
        },
    )
    workshop.as_("fien")
    twin = workshop.client.get(f"/api{workshop.base()}/{first}").json()
    assert twin["progress"]["submissions"] == 6  # 3 people x 2 items
    assert [p["name"] for p in twin["progress"]["participants"]] == ["anouk", "bram", "carla"]
    items = {item["key"]: item for item in twin["results"]["items"]}
    assert items[KRAP]["summary"]["value"] == 2 and items[KRAP]["summary"]["iqr"] == 1
    assert items[KRAP]["summary"]["consensus"] is True
    assert items[GEZOND]["summary"]["value"] == 0 and items[GEZOND]["summary"]["iqr"] == 3
    assert items[GEZOND]["summary"]["consensus"] is False
    assert twin["results"]["disputed"] == 1
    facilitator = workshop.client.get(f"{workshop.base()}/{first}")
    assert facilitator.status_code == 200
    assert "<svg" in facilitator.text and "data-poll=" in facilitator.text
    assert "disputed" in facilitator.text
    closed = workshop.form("fien", f"{workshop.base()}/{first}/close", {})
    assert closed.status_code == 303
    late = workshop.form("anouk", f"{workshop.base()}/{first}/submit", {f"value:{KRAP}": "0"})
    assert late.status_code == 409
    second = workshop.form("fien", f"{workshop.base()}/{first}/second", {"scope": "all"})
    assert second.status_code == 303
    second_id = int(second.headers["location"].rsplit("/", 1)[1])
    workshop.as_("bram")
    view = workshop.client.get(f"{workshop.base()}/{second_id}/submit")
    assert view.status_code == 200
    assert "costs rise" in view.text and "reserves help" in view.text  # the reasons,
    assert "anouk" not in view.text and "carla" not in view.text  # without names
    assert "bram" in view.text
    _submit(
        workshop,
        second_id,
        {
            "anouk": {KRAP: 2, GEZOND: 0},
            "bram": {KRAP: 2, GEZOND: 0},
            "carla": {KRAP: 3, GEZOND: 1},
        },
    )
    assert workshop.form("fien", f"{workshop.base()}/{second_id}/close", {}).status_code == 303
    assert (_cell(workshop, "korter", "krap"), _cell(workshop, "korter", "gezond")) == (0, 1)
    applied = workshop.form("fien", f"{workshop.base()}/{second_id}/apply", {})
    assert applied.status_code == 303
    assert (_cell(workshop, "korter", "krap"), _cell(workshop, "korter", "gezond")) == (2, 0)
    workshop.as_("fien")
    record = workshop.client.get(f"{workshop.base()}/{second_id}")
    assert "Applied by fien; 3 participants." in record.text


def test_roles_decide_who_runs_and_who_gives_values(workshop: Workshop) -> None:
    opened = workshop.api("fien", "POST", f"/api{workshop.base()}", {"kind": "judgements"})
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["id"]
    assert (
        workshop.api("anouk", "POST", f"/api{workshop.base()}", {"kind": "scores"}).status_code
        == 403
    )
    assert workshop.api("anouk", "GET", f"/api{workshop.base()}/{round_id}").status_code == 403
    assert (
        workshop.api("anouk", "POST", f"/api{workshop.base()}/{round_id}/close").status_code == 403
    )
    viewer = workshop.api(
        "vera", "POST", f"/api{workshop.base()}/{round_id}/submit", {"values": {KRAP: 1}}
    )
    assert viewer.status_code == 403
    given = workshop.api(
        "anouk", "POST", f"/api{workshop.base()}/{round_id}/submit", {"values": {KRAP: 1}}
    )
    assert given.status_code == 200, given.text
    assert given.json() == {"participant": "anouk", "given": 1}  # the name is the session's
    workshop.client.cookies.clear()
    assert workshop.client.get(f"/api{workshop.base()}").status_code == 401


def test_bad_values_and_selections_are_refused_whole(workshop: Workshop) -> None:
    none = workshop.form("fien", workshop.base(), {"kind": "judgements", "rule": "median"})
    assert none.status_code == 422
    assert workshop.api("fien", "GET", f"/api{workshop.base()}").json()["rounds"] == []
    unknown = workshop.api(
        "fien", "POST", f"/api{workshop.base()}", {"kind": "judgements", "selection": [["x", "y"]]}
    )
    assert unknown.status_code == 422 and "there is no descriptor 'x'" in unknown.text
    opened = workshop.api(
        "fien",
        "POST",
        f"/api{workshop.base()}",
        {"kind": "judgements", "selection": [["duur", "financien"]]},
    )
    round_id = opened.json()["id"]
    bad = workshop.api(
        "anouk",
        "POST",
        f"/api{workshop.base()}/{round_id}/submit",
        {"values": {KRAP: 1, GEZOND: 4, "nope:a:b:c": 1}},
    )
    assert bad.status_code == 422
    assert "outside -3..+3" in bad.text and "does not ask for nope:a:b:c" in bad.text
    progress = workshop.api("fien", "GET", f"/api{workshop.base()}/{round_id}").json()
    assert progress["progress"]["submissions"] == 0  # all or nothing: the good one too
    other = workshop.api("fien", "GET", f"/api/studies/{workshop.study_id}/rounds/{round_id + 99}")
    assert other.status_code == 404


def test_the_disputed_items_alone_go_to_a_second_round(workshop: Workshop) -> None:
    opened = workshop.api(
        "fien",
        "POST",
        f"/api{workshop.base()}",
        {"kind": "judgements", "selection": [["duur", "financien"]], "rule": "mean"},
    )
    round_id = opened.json()["id"]
    for name, values in (("anouk", {KRAP: 1, GEZOND: -3}), ("bram", {KRAP: 1, GEZOND: 3})):
        response = workshop.api(
            name, "POST", f"/api{workshop.base()}/{round_id}/submit", {"values": values}
        )
        assert response.status_code == 200
    assert (
        workshop.api("fien", "POST", f"/api{workshop.base()}/{round_id}/close").status_code == 200
    )
    second = workshop.api(
        "fien", "POST", f"/api{workshop.base()}/{round_id}/second", {"only_disputed": True}
    )
    assert second.status_code == 201
    # KRAP: 1, 1 -> IQR 0, agreed; GEZOND: -3, 3 -> Q1 -1.5, Q3 1.5, IQR 3, disputed;
    # the four cells no one answered have no verdict and are asked again too.
    assert second.json()["items"] == 5
    mine = workshop.api("anouk", "GET", f"/api{workshop.base()}/{second.json()['id']}/submit")
    keys = [item["key"] for item in mine.json()["items"]]
    assert KRAP not in keys and GEZOND in keys
    gezond = next(item for item in mine.json()["items"] if item["key"] == GEZOND)
    assert gezond["group"]["summary"]["mean"] == 0 and gezond["group"]["own_before"] == -3


@pytest.mark.parametrize(
    ("kind", "selection"),
    [("thresholds", [["ziekenhuisopnamen-covid", "golf"]]), ("scores", None)],
)
def test_score_and_threshold_rounds_have_their_pages(
    workshop: Workshop, kind: str, selection: list[list[str]] | None
) -> None:
    opened = workshop.api(
        "fien", "POST", f"/api{workshop.base()}", {"kind": kind, "selection": selection}
    )
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["id"]
    mine = workshop.api("anouk", "GET", f"/api{workshop.base()}/{round_id}/submit").json()
    first = mine["items"][0]["key"]
    # A threshold is any number (a Dutch comma is read too); a score is -2..+2.
    value = "12,5" if kind == "thresholds" else "1"
    form = workshop.form("anouk", f"{workshop.base()}/{round_id}/submit", {f"value:{first}": value})
    assert form.status_code == 303, form.text
    workshop.as_("anouk")
    page = workshop.client.get(f"{workshop.base()}/{round_id}/submit")
    assert page.status_code == 200
    assert ('inputmode="decimal"' in page.text) == (kind == "thresholds")
    workshop.as_("fien")
    results = workshop.client.get(f"{workshop.base()}/{round_id}")
    assert results.status_code == 200 and "<svg" in results.text
    twin = workshop.client.get(f"/api{workshop.base()}/{round_id}").json()
    summary = next(i for i in twin["results"]["items"] if i["key"] == first)["summary"]
    assert summary["value"] == (12.5 if kind == "thresholds" else 1)
