"""Uploaded tables (observations, registers): the kinds the workbench takes, reading them within
the limit, and their names for messages."""

from __future__ import annotations

from fastapi import Request, UploadFile

from koers.io import upload_names
from koers.web import errors

__all__ = ["FILE_TYPES", "file_name", "read_upload"]

FILE_TYPES = {
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""The table files Koers reads, by extension, and their content types."""


async def read_upload(request: Request, file: UploadFile) -> bytes:
    """The uploaded table's bytes, at most the upload limit (the service checks the kind)."""
    limit = errors.upload_limit(request, "table")
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise errors.UploadRefused(413, "table", limit)
    return data


def file_name(name: str | None, default: str = "upload.csv") -> str:
    """The base name of an uploaded file, for messages only (never used as a path)."""
    return upload_names.base_name((name or "").replace('"', ""), default)
