"""Cassettes: recorded HTTP exchanges with CBS StatLine, replayed in the offline tests.

A cassette is one JSON file, ``{"request": {"method", "url"}, "response": {"status",
"headers", "body"}, "recorded": <ISO time or null>, "note": ...}``. ``body`` is the parsed
JSON of the answer, or its text when it is not JSON. :func:`replay_transport` answers requests
from a folder of cassettes; :class:`Recorder` writes them (used by ``cbs.record``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx

__all__ = ["Recorder", "replay_transport"]


def replay_transport(folder: str | Path) -> httpx.MockTransport:
    """A transport that answers from the cassettes (``*.json``) in ``folder``.

    A cassette is ``{"request": {"method", "url"}, "response": {"status", "headers", "body"},
    "recorded", "note"}``; requests match on method, scheme, host, path and query parameters
    (in any order). A request without a cassette raises :class:`LookupError` naming it.
    """
    cassettes: dict[tuple[object, ...], dict[str, Any]] = {}
    for path in sorted(Path(folder).glob("*.json")):
        cassette = json.loads(path.read_text(encoding="utf-8"))
        request = cassette["request"]
        cassettes[request_key(request["method"], httpx.URL(request["url"]))] = cassette

    def answer(request: httpx.Request) -> httpx.Response:
        cassette = cassettes.get(request_key(request.method, request.url))
        if cassette is None:
            raise LookupError(
                f"no cassette in {folder} for {request.method} {request.url}; "
                "refresh the recordings with koers.connectors.cbs.record when online"
            )
        response = cassette["response"]
        body = response["body"]
        content = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        return httpx.Response(
            response["status"], headers=response.get("headers", {}), content=content.encode()
        )

    return httpx.MockTransport(answer)


class Recorder(httpx.BaseTransport):
    """A transport that passes requests on and keeps every exchange for :func:`record`."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner
        self.exchanges: list[tuple[httpx.Request, int, str, bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        content = response.read()
        kind = response.headers.get("content-type", "application/json")
        self.exchanges.append((request, response.status_code, kind, content))
        return httpx.Response(response.status_code, headers={"content-type": kind}, content=content)

    def write(self, folder: Path, table: str) -> list[Path]:
        """Write the exchanges as ``{table}-{nn}-{resource}.json``, replacing the table's
        earlier cassettes in ``folder``; the files written, in order."""
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{table.lower()}-*.json"):
            stale.unlink()  # the run succeeded: its cassettes replace the table's old ones
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        written = []
        for number, (request, status, kind, content) in enumerate(self.exchanges, start=1):
            text = content.decode("utf-8", errors="replace")
            try:
                body: object = json.loads(text)
            except ValueError:
                body = text
            cassette = {
                "request": {"method": request.method, "url": str(request.url)},
                "response": {"status": status, "headers": {"content-type": kind}, "body": body},
                "recorded": now,
                "note": "recorded from opendata.cbs.nl by koers.connectors.cbs.record",
            }
            resource = request.url.path.rstrip("/").rsplit("/", 1)[-1].lower()
            path = folder / f"{table.lower()}-{number:02d}-{resource}.json"
            path.write_text(
                json.dumps(cassette, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            written.append(path)
        return written


def request_key(method: str, url: httpx.URL) -> tuple[object, ...]:
    """What two requests must share to get the same answer: method, scheme, host, path and
    the query parameters in any order (so encodings and order of a written URL do not matter).

    >>> a = request_key("GET", httpx.URL("https://x.nl/t?$top=1&$select=Key"))
    >>> a == request_key("get", httpx.URL("https://x.nl/t?%24select=Key&%24top=1"))
    True
    """
    return (
        method.upper(),
        url.scheme,
        url.host,
        url.path,
        tuple(sorted(url.params.multi_items())),
    )
