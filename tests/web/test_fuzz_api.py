"""Property-based fuzzing of the API from its own OpenAPI description (schemathesis).

Every operation of ``/api/openapi.json`` is called with requests that schemathesis derives
from the description: valid ones (positive mode) and ones that break it (negative mode), half
of them aimed at a study that exists so that the checks behind the 404 are reached too. The
app runs in-process (the ``client`` fixture), never over the network. Each answer must be:

- below 500: hostile or odd input is the client's problem, never a fault of the server;
- free of stack traces and Python exception text;
- when it is an error, the one JSON error shape of :mod:`koers.web.errors`
  (``{"error": {"status", "message", "problems": [{"message", "path", "line", "column"}]}}``).

The number of examples per operation is bounded (``EXAMPLES``) so the test stays well under a
minute on both databases; a failure prints the request that caused it.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from schemathesis import GenerationMode
    from starlette.testclient import TestClient

EXAMPLES = 8  # per operation and generation mode; 32 operations x 2 modes
"""Examples per operation and mode: enough to reach every validator, few enough to stay fast."""

TRACE = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+"
    r"|\b[A-Z]\w*(Error|Exception): |\bsqlalchemy\b|\bpsycopg\b|<built-in|object at 0x"
)
"""What betrays a Python stack trace or exception text in an answer."""

SENT_HEADERS = {"content-type", "accept"}
"""The generated headers passed on; schemathesis's own (user agent, case id) are left out."""


def test_the_api_survives_fuzzing(client: TestClient, study_id: int) -> None:
    """No operation answers 5xx, leaks a trace, or errs outside the one JSON shape."""
    schema = schemathesis.openapi.from_dict(client.app.openapi())  # type: ignore[attr-defined]
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 30, "the API description lost its operations"
    failures: list[str] = []
    answered: dict[str, set[int]] = {}
    for operation in operations:
        pinned = {"study_id": study_id} if "{study_id}" in operation.path else None
        cases = st.one_of(
            *(
                operation.as_strategy(mode, path_parameters=fixed)
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
                for fixed in (pinned, None)
            )
        )
        _fuzz(client, cases, failures, answered.setdefault(operation.label, set()))
    assert not failures, "\n".join(failures[:10])
    # The fuzzing got past the gates: most operations answered at least once with success
    # (were every answer a 401, 403 or 404, the checks above would prove nothing).
    succeeded = [label for label, statuses in answered.items() if min(statuses) < 300]
    assert len(succeeded) >= len(operations) * 2 // 3, sorted(answered.items())


def _fuzz(
    client: TestClient, cases: st.SearchStrategy[Any], failures: list[str], statuses: set[int]
) -> None:
    """Call the app with up to ``EXAMPLES * 2`` of ``cases``; note what is wrong in
    ``failures`` and every status answered in ``statuses``."""

    @settings(
        max_examples=EXAMPLES * 2,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def call(case: Any) -> None:
        request = _request(case)
        response = client.request(**request)
        statuses.add(response.status_code)
        problem = _problem(response.status_code, response.headers, response.text)
        if problem:
            failures.append(f"{request['method']} {request['url']}: {problem}\n  {request}")

    call()


def _request(case: Any) -> dict[str, Any]:
    """The generated case as arguments of the test client (httpx, not requests)."""
    sent = case.as_transport_kwargs(base_url="http://testserver")
    request: dict[str, Any] = {
        "method": sent["method"],
        "url": sent["url"],
        "params": sent.get("params") or None,
        "headers": {k: v for k, v in sent.get("headers", {}).items() if k.lower() in SENT_HEADERS},
    }
    if "json" in sent:
        request["json"] = sent["json"]
    elif sent.get("data") is not None:
        data = sent["data"]
        request["content"] = (
            data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        )
    return request


def _problem(status: int, headers: Any, text: str) -> str | None:
    """What is wrong with an answer, or ``None``."""
    if status >= 500:
        return f"answered {status}: {text[:300]}"
    if TRACE.search(text):
        return f"leaks Python internals: {text[:300]}"
    if status < 400:
        return None
    if not headers.get("content-type", "").startswith("application/json"):
        return f"error {status} is not JSON"
    try:
        document = json.loads(text)
    except ValueError:
        return f"error {status} is not JSON: {text[:200]}"
    return _shape_problem(status, document)


def _shape_problem(status: int, document: Any) -> str | None:
    """How ``document`` departs from the one error shape, or ``None``."""
    if not isinstance(document, dict) or set(document) != {"error"}:
        return f"error {status} is not {{'error': ...}}: {document!r:.200}"
    error = document["error"]
    if not isinstance(error, dict) or not {"status", "message", "problems"} <= set(error):
        return f"error {status} lacks status, message or problems: {error!r:.200}"
    if error["status"] != status or not isinstance(error["message"], str):
        return f"error {status} says status {error['status']!r}"
    for item in error["problems"]:
        if not isinstance(item, dict) or set(item) != {"message", "path", "line", "column"}:
            return f"error {status} has a problem of another shape: {item!r:.200}"
    return None


@pytest.mark.parametrize(
    ("status", "text", "wrong"),
    [
        (500, '{"error": {"status": 500, "message": "x", "problems": []}}', True),
        (200, "Traceback (most recent call last):\n  ...", True),
        (422, '{"detail": [{"msg": "field required"}]}', True),
        (422, '{"error": {"status": 400, "message": "x", "problems": []}}', True),
        (404, '{"error": {"status": 404, "message": "x", "problems": [{"msg": "y"}]}}', True),
        (400, '{"error": {"status": 400, "message": "KeyError: \'a\'", "problems": []}}', True),
        (409, '{"error": {"status": 409, "message": "x", "problems": [], "conflict": {}}}', False),
        (200, '{"id": 1}', False),
    ],
)
def test_the_checks_see_a_bad_answer(status: int, text: str, wrong: bool) -> None:
    """The checks themselves catch a 5xx, a trace, and every departure from the shape."""
    headers = {"content-type": "application/json"}
    assert (_problem(status, headers, text) is not None) is wrong
