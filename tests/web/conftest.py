"""Fixtures of the web tests: the workbench app over a fresh database, driven in-process."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from koers.web import Settings, create_app

with warnings.catch_warnings():
    # Starlette asks for the httpx2 package; plain httpx still drives the app the same way.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TEMPLATE = "corona-lokale-besturen"


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """An HTTP client of a workbench over a fresh database (SQLite and PostgreSQL)."""
    app = create_app(Settings(database=database_url, language="nl", local=True))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def study_id(client: TestClient) -> int:
    """A study made from the Corona template for Gemeente Zeist."""
    response = client.post(
        "/api/studies",
        json={"template": TEMPLATE, "organisation": "Gemeente Zeist", "municipality": "GM0355"},
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return int(created["id"])


@pytest.fixture
def english(client: TestClient) -> Callable[[], None]:
    """Choose English for the rest of the test, as a reader would with the switch."""

    def choose() -> None:
        response = client.post("/language", data={"lang": "en", "next": "/studies"})
        assert response.status_code == 303

    return choose
