"""The name of an uploaded file, fit for messages and never used as a path.

A browser or API client sends whatever file name it likes: ``../../etc/passwd.csv``,
``C:\\Users\\x\\data.xlsx``, ``/etc/shadow``, names with a NUL or other control characters,
names of thousands of characters, or Windows device names (``CON.csv``). Koers keeps only the
last part of the name, printable and at most :data:`MAX_NAME` characters (the extension kept),
to say in messages which file a problem is in; the bytes themselves are written, when a
reader needs a file, under a fixed name in a fresh temporary folder (:func:`disk_name`).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Final

__all__ = ["MAX_NAME", "base_name", "disk_name"]

MAX_NAME: Final = 100
"""The most characters of an uploaded name that Koers keeps."""


def base_name(filename: str | None, default: str) -> str:
    """The last part of ``filename``, printable and at most :data:`MAX_NAME` characters.

    ``default`` stands in for a name that is empty or only ``.`` or ``..``.

    >>> base_name("../../etc/passwd.csv", "upload.csv")
    'passwd.csv'
    >>> base_name("C:\\\\Users\\\\piet\\\\cijfers.xlsx", "upload.xlsx")
    'cijfers.xlsx'
    >>> base_name("kapot\\x00.csv", "upload.csv")
    'kapot.csv'
    >>> base_name("..", "upload.csv")
    'upload.csv'
    >>> len(base_name("a" * 5000 + ".xlsx", "upload.xlsx"))
    100
    """
    last = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    if len(last) > 2 and last[1] == ":" and last[0].isalpha():  # C:data.csv, a drive
        last = last[2:]
    cleaned = "".join(char for char in last if char.isprintable()).strip()
    if cleaned.strip(".") == "":
        return default
    if len(cleaned) <= MAX_NAME:
        return cleaned
    suffix = PurePosixPath(cleaned).suffix
    suffix = suffix if len(suffix) <= 10 else ""
    return cleaned[: MAX_NAME - len(suffix)] + suffix


def disk_name(name: str) -> str:
    """The fixed name under which an upload called ``name`` is written in a temporary
    folder: ``upload`` and the name's extension in lower case, if it is a plain one.

    >>> disk_name("../../etc/passwd.CSV")
    'upload.csv'
    >>> disk_name("CON")
    'upload'
    """
    suffix = PurePosixPath(base_name(name, "upload")).suffix.lower()
    return "upload" + (suffix if suffix[1:].isalnum() and len(suffix) <= 10 else "")
