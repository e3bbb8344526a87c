"""The CIB search on a Dask distributed cluster: same answer, more machines."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from koers.errors import KoersError, Problem, ValidationError
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.solve import Solution, merge, search_plan, solve_chunks

__all__ = ["solve_on_dask"]


def solve_on_dask(
    matrix: CrossImpactMatrix,
    options: dict[str, Any],
    cluster: str | int,
    progress: Callable[[float], object] | None,
) -> Solution:
    """Solve on Dask: the tree is cut into prefix chunks, searched by workers, then merged.

    ``cluster`` is a scheduler address or a number of local worker processes; the result is
    exactly that of :func:`koers.methods.cib.solve.solve` in one process.
    """
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as err:  # pragma: no cover - dask is a dependency
        raise KoersError(
            "solving on a cluster needs dask: pip install 'dask[distributed]'"
        ) from err
    if isinstance(cluster, int) and cluster < 1:
        raise ValidationError([Problem(f"--workers must be 1 or more, not {cluster}")])
    plan = search_plan(matrix, chunks=4096, **options)
    local = None
    try:
        if isinstance(cluster, int):
            local = LocalCluster(
                n_workers=cluster, threads_per_worker=1, dashboard_address=None, processes=True
            )
            client = Client(local)
        else:
            client = Client(cluster, timeout="10s")
    except OSError as err:
        raise KoersError(f"cannot reach the Dask scheduler at {cluster}: {err}") from err
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        tasks = max(1, min(plan.chunks, 8 * workers))
        bounds = [plan.chunks * k // tasks for k in range(tasks + 1)]
        matrix_future = client.scatter(matrix, broadcast=True)
        plan_future = client.scatter(plan, broadcast=True)
        futures = [
            client.submit(solve_chunks, matrix_future, plan_future, first, last, pure=False)
            for first, last in itertools.pairwise(bounds)
            if last > first
        ]
        parts = []
        finished = as_completed(futures)
        for done, future in enumerate(finished, start=1):
            parts.append(future.result())
            if progress is not None:
                progress(done / len(futures))
        return merge(matrix, plan, parts)
    finally:
        client.close()
        if local is not None:
            local.close()
