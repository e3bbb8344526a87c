"""Web workbench under load: latency and throughput of the main pages, against a baseline.

Run ``python benchmarks/web.py`` (``--help`` for the options). It serves the app with uvicorn in
a child process on 127.0.0.1 (SQLite in a temporary folder, the demo study imported), then, page
by page, lets 20 concurrent clients (threads with keep-alive httpx clients) request it until a
request count or a time limit is reached, whichever comes first. The baseline is a static file
(``/static/koers.css``) from the same server process: the cost of uvicorn, the middleware and a
file read, without a database or a template. A bare Starlette app in a second child process
shows the floor of HTTP and ASGI on this machine. Target: p95 below 100 ms on every page.

The clients are a few lines of asyncio rather than httpx: 20 threads of httpx clients topped
out near 230 requests/s against the bare app on this 2-core machine, measuring themselves.
The clients and the server share this machine's cores, so the numbers are for comparing runs on
the same machine, not absolute capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

HOST = "127.0.0.1"
TARGET_P95_MS = 100.0
STARTUP_S = 60.0
WARMUP_REQUESTS = 10
ALONE_REQUESTS = 30  # one client: the time the server spends on one request


@dataclass(frozen=True)
class Row:
    """What one page measured."""

    name: str
    path: str
    latencies_ms: list[float]
    errors: int
    seconds: float
    alone_ms: float = float("nan")

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


# --- the servers (child processes) -------------------------------------------------------------


def serve(kind: str, port: int, database: str) -> None:
    """Child process: serve the Koers app (``kind == "koers"``) or a bare Starlette app."""
    import uvicorn

    if kind == "koers":
        from koers.web import Settings, create_app, serve

        serve(create_app(Settings(database=database)), host=HOST, port=port)  # as `koers serve`
        return
    else:
        from starlette.applications import Starlette
        from starlette.responses import PlainTextResponse
        from starlette.routing import Route

        async def ok(request: object) -> PlainTextResponse:
            return PlainTextResponse("ok")

        app = Starlette(routes=[Route("/ok", ok)])
    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def child_server(kind: str, database: str = "") -> Iterator[str]:
    """A server in a child process; its base URL while the block runs."""
    port = _free_port()
    command = [sys.executable, __file__, "--serve", kind, "--port", str(port), "--db", database]
    process = subprocess.Popen(command)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the {kind} server stopped at start (exit {process.returncode})")
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    message = f"the {kind} server did not start in {STARTUP_S:.0f} s"
                    raise SystemExit(message) from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def import_demo(database: str) -> int:
    """Put the demo study in ``database``; its id."""
    from koers.services.workbench import Workbench

    with Workbench.open(database) as bench:
        return bench.ensure_demo()


# --- the load --------------------------------------------------------------------------------


def load(base: str, name: str, path: str, *, clients: int, requests: int, seconds: float) -> Row:
    """``clients`` connections request ``path`` until ``requests`` are done or ``seconds`` pass."""
    with httpx.Client(base_url=base, timeout=120) as warm:
        for _ in range(WARMUP_REQUESTS):  # compiled kernels, caches, connections
            warm.get(path)
    alone = asyncio.run(_load(base, name, path, 1, ALONE_REQUESTS, seconds))
    row = asyncio.run(_load(base, name, path, clients, requests, seconds))
    return replace(row, alone_ms=alone.percentile(0.50))


async def _load(
    base: str, name: str, path: str, clients: int, requests: int, seconds: float
) -> Row:
    latencies: list[float] = []
    errors = 0
    issued = 0
    address = httpx.URL(base)
    request = f"GET {path} HTTP/1.1\r\nHost: {address.host}:{address.port}\r\n\r\n".encode()
    start = time.perf_counter()
    deadline = start + seconds

    async def client() -> None:
        nonlocal issued, errors
        reader, writer = await asyncio.open_connection(address.host, address.port)
        try:
            while issued < requests and time.perf_counter() < deadline:
                issued += 1
                began = time.perf_counter()
                writer.write(request)
                status = await _response(reader)
                took = (time.perf_counter() - began) * 1000
                if status == 200:
                    latencies.append(took)
                else:
                    errors += 1
        finally:
            writer.close()
            await writer.wait_closed()

    await asyncio.gather(*(client() for _ in range(clients)))
    return Row(name, path, latencies, errors, time.perf_counter() - start)


async def _response(reader: asyncio.StreamReader) -> int:
    """Reads one HTTP/1.1 response (Content-Length or chunked); its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {
        key.strip().lower(): value.strip()
        for key, _, value in (line.partition(":") for line in lines[1:] if line)
    }
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


def main_pages(base: str, study_id: int) -> list[tuple[str, str]]:
    """The pages a person uses most, found from the study's JSON twins."""
    study = httpx.get(f"{base}/api/studies/{study_id}", timeout=30).json()
    scenario = study["scenarios"][0]
    scenario_path = scenario.get("links", {}).get("page") or scenario.get("url")
    tableau = httpx.get(f"{base}/api/studies/{study_id}/tableau", timeout=120).json()
    first = tableau["descriptors"][0]
    fix = f"fix-{first['key']}={first['variants'][-1]['key']}"
    return [
        ("studies list", "/studies"),
        ("study overview (2x2)", f"/studies/{study_id}"),
        ("scenario", scenario_path),
        ("descriptors", f"/studies/{study_id}/descriptors"),
        ("cross-impact matrix", f"/studies/{study_id}/matrix"),
        ("consistent scenarios", f"/studies/{study_id}/tableau"),
        ("intervention (1 fixed)", f"/studies/{study_id}/tableau?{fix}"),
        ("study JSON", f"/api/studies/{study_id}"),
    ]


# --- the table -------------------------------------------------------------------------------


def table(rows: list[Row], baseline: Row) -> str:
    """A Markdown table: per page p50/p95/p99 in ms, requests/s, ratios to the baseline."""
    head = (
        "| page | 1 client p50 ms | requests | errors | p50 ms | p95 ms | p99 ms | req/s "
        "| p50 / baseline | p95 / baseline | p95 < 100 ms |"
    )
    lines = [head, "|" + "---|" * 11]
    for row in rows:
        p50, p95, p99 = (row.percentile(share) for share in (0.50, 0.95, 0.99))
        ratio50 = p50 / baseline.percentile(0.50)
        ratio95 = p95 / baseline.percentile(0.95)
        verdict = "yes" if p95 < TARGET_P95_MS else "**no**"
        lines.append(
            f"| {row.name} | {row.alone_ms:.1f} | {len(row.latencies_ms)} | {row.errors} "
            f"| {p50:.1f} | {p95:.1f} | {p99:.1f} | {row.per_second:.0f} "
            f"| {ratio50:.1f} | {ratio95:.1f} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--requests", type=int, default=500, help="requests per page (500)")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per page (10)")
    parser.add_argument("--serve", choices=["koers", "starlette"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        serve(options.serve, options.port, options.db)
        return
    load_average = os.getloadavg()[0]
    budget = {"clients": options.clients, "requests": options.requests, "seconds": options.seconds}

    with tempfile.TemporaryDirectory(prefix="koers-bench-") as folder:
        database = f"sqlite:///{Path(folder) / 'koers.db'}"
        study_id = import_demo(database)
        with child_server("starlette") as bare:
            floor = load(bare, "bare Starlette (other process)", "/ok", **budget)
        with child_server("koers", database) as base:
            pages = main_pages(base, study_id)
            baseline = load(base, "baseline: static file", "/static/koers.css", **budget)
            rows = [load(base, name, path, **budget) for name, path in pages]

    print(
        f"{options.clients} concurrent clients; per page at most {options.requests} requests "
        f"or {options.seconds:g} s; uvicorn, one worker, SQLite; 127.0.0.1; "
        f"{os.cpu_count()} cores, load average {load_average:.1f} before the run\n"
    )
    print(table([floor, baseline, *rows], baseline))
    slow = [row.name for row in rows if row.percentile(0.95) >= TARGET_P95_MS]
    print(
        f"\ntarget p95 < {TARGET_P95_MS:.0f} ms: "
        + ("met" if not slow else "missed by ")
        + (", ".join(slow))
    )


if __name__ == "__main__":
    main()
