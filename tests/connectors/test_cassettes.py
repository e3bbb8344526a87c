"""Replaying cassettes: matching requests, bodies that are not JSON, missing cassettes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from koers.connectors.cassettes import replay_transport


def _write(folder: Path, url: str, status: int, body: object) -> None:
    cassette = {
        "request": {"method": "GET", "url": url},
        "response": {"status": status, "headers": {"content-type": "text/plain"}, "body": body},
        "recorded": None,
        "note": "test",
    }
    (folder / "one.json").write_text(json.dumps(cassette), encoding="utf-8")


def test_a_written_url_matches_the_request_whatever_its_encoding(tmp_path: Path) -> None:
    _write(tmp_path, "https://x.nl/t/Data?$filter=(R eq 'GM0344  ')&$top=1", 200, {"value": []})
    client = httpx.Client(transport=replay_transport(tmp_path))
    response = client.get(
        "https://x.nl/t/Data", params={"$top": "1", "$filter": "(R eq 'GM0344  ')"}
    )
    assert response.json() == {"value": []}


def test_a_text_body_is_sent_as_it_is(tmp_path: Path) -> None:
    _write(tmp_path, "https://x.nl/t", 503, "<html>down</html>")
    response = httpx.Client(transport=replay_transport(tmp_path)).get("https://x.nl/t")
    assert (response.status_code, response.text) == (503, "<html>down</html>")


def test_a_request_without_cassette_names_itself(tmp_path: Path) -> None:
    _write(tmp_path, "https://x.nl/t", 200, {"value": []})
    client = httpx.Client(transport=replay_transport(tmp_path))
    with pytest.raises(LookupError, match=r"no cassette .* GET https://x.nl/other"):
        client.get("https://x.nl/other")
