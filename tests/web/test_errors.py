"""One error shape for the API, a page a person understands everywhere else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from koers.web import Settings, create_app
from koers.web.errors import ErrorDocument

SHAPE = {"status", "message", "problems"}


@pytest.fixture
def failing(database_url: str) -> Iterator[TestClient]:
    """A workbench with two routes that fail the way a bug would."""
    app: FastAPI = create_app(Settings(database=database_url, local=True))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail /etc/koers")

    @app.get("/api/boom")
    def api_boom() -> None:
        raise RuntimeError("secret detail /etc/koers")

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "url", "body", "status"),
    [
        ("get", "/api/studies/999", None, 404),
        ("get", "/api/nothing/here", None, 404),
        ("get", "/api/studies/abc", None, 404),
        ("post", "/api/studies", {"template": "nope"}, 404),
        ("post", "/api/studies", {"language": "fr"}, 422),
        ("post", "/api/studies", "not json", 422),
        ("delete", "/api/studies", None, 405),
        ("patch", "/api/studies/999/scenarios/x", {"version": 1, "changes": {"name": None}}, 404),
    ],
)
def test_every_api_error_has_one_shape(
    client: TestClient, method: str, url: str, body: object, status: int
) -> None:
    response = client.request(method, url, json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert set(error) == SHAPE
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["problems"], list)
    for problem in error["problems"]:
        assert set(problem) == {"message", "path", "line", "column"}
    ErrorDocument.model_validate(response.json())  # the shape the OpenAPI description names


def test_the_api_description_names_the_error_shape(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    responses = schema["paths"]["/api/studies/{study_id}/scenarios/{key}"]["patch"]["responses"]
    for status in ("404", "409", "422"):
        ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ErrorDocument")


def test_a_bug_is_a_page_without_a_stack_trace(failing: TestClient) -> None:
    page = failing.get("/boom")
    assert page.status_code == 500
    assert "Er ging aan onze kant iets mis" in page.text
    assert "secret detail" not in page.text and "Traceback" not in page.text
    api = failing.get("/api/boom")
    assert api.status_code == 500
    assert set(api.json()["error"]) == SHAPE
    assert "secret detail" not in api.text


def test_a_validation_error_page_lists_the_problems(client: TestClient, study_id: int) -> None:
    response = client.get(f"/studies/{study_id}/tableau?fix-duur=eeuwig")
    assert response.status_code == 422
    assert "Controleer uw invoer" in response.text
    assert "&#39;eeuwig&#39; is not a variant of &#39;duur&#39;" in response.text
