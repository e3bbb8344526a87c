"""The workbench's routes: each module has ``pages`` (HTML) and ``api`` (JSON, under /api)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from koers.services.workbench import Workbench

__all__ = ["CurrentWorkbench", "StudyId", "local_path"]

StudyId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The study's id.")]
"""A study id: a positive 32-bit integer, as every database stores it."""


def _workbench(request: Request) -> Workbench:
    workbench: Workbench = request.app.state.workbench
    return workbench


CurrentWorkbench = Annotated[Workbench, Depends(_workbench)]


def local_path(target: str | None, default: str = "/studies") -> str:
    """``target`` if it is a path on this site, else ``default`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
