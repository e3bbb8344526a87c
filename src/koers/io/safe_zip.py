"""Check a zip archive (an Excel workbook, ``.xlsx``) before anything unpacks it.

An ``.xlsx`` file is a zip archive of XML files. A hostile one can be a *zip bomb*: a few
kilobytes that claim gigabytes once unpacked (a single member compressed at a ratio of a
thousand to one, or many layers of them), or thousands of members, or member names that
point outside the archive (``../../etc/passwd``, ``/etc/passwd``, ``C:\\Windows``). Koers
never writes a member to disk, but a library reading the workbook would spend memory and
time on each of them, so :func:`check_archive` reads only the archive's central directory
(the table of contents at its end: names and declared sizes, nothing decompressed) and
refuses the file before openpyxl opens it when any limit is passed:

- at most :data:`MAX_MEMBERS` members;
- at most :data:`MAX_UNCOMPRESSED_BYTES` unpacked in total (the declared sizes);
- no member larger than :data:`RATIO_FLOOR_BYTES` unpacked whose size is more than
  :data:`MAX_RATIO` times its compressed size (ordinary sheets compress 5 to 30 times);
- member names relative, without ``..``, backslashes, drive letters or control characters.

The declared sizes are binding: Python's :mod:`zipfile`, which openpyxl reads with, stops a
member at its declared size and checks its CRC, so a member that unpacks to more than it
declares fails to read rather than growing. The idea of checking the directory's sizes and
ratios before extraction follows the OWASP *File Upload Cheat Sheet* and D. Fifield, "A better
zip bomb" (WOOT 2019), whose overlapping members each count once per entry here.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Final

from koers.errors import FormatError

__all__ = [
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "RATIO_FLOOR_BYTES",
    "check_archive",
]

MAX_MEMBERS: Final = 1_000
"""Members an archive may hold; a workbook has a dozen plus two or three per sheet."""

MAX_UNCOMPRESSED_BYTES: Final = 200_000_000
"""Bytes all members may unpack to together (200 MB: ten times the largest upload)."""

MAX_RATIO: Final = 200
"""The largest unpacked-to-packed ratio of a member above :data:`RATIO_FLOOR_BYTES`."""

RATIO_FLOOR_BYTES: Final = 1_000_000
"""Members that unpack to less than this (1 MB) are not held to :data:`MAX_RATIO`."""

_DRIVE = re.compile(r"^[A-Za-z]:")
_MB = 1_000_000


def check_archive(path: Path) -> None:
    """Refuse the zip archive at ``path`` if it is a bomb or names files outside itself.

    A file that is not a zip archive at all passes: the reader that opens it next says so in
    its own words. Every problem found is reported at once.

    Raises
    ------
    koers.errors.FormatError
        Naming the limit passed and how to mend the file.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    messages = _problems(members)
    if messages:
        raise FormatError(
            "Koers refuses this workbook: "
            + "; ".join(messages)
            + ". Open it in Excel and save it again as 'Excel Workbook (.xlsx)', or export "
            "the table as 'CSV UTF-8'",
            path,
        )


def _problems(members: list[zipfile.ZipInfo]) -> list[str]:
    """What is wrong with an archive of ``members``, in words."""
    found: list[str] = []
    if len(members) > MAX_MEMBERS:
        found.append(f"it holds {len(members)} files, more than the {MAX_MEMBERS} allowed")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        found.append(
            f"it unpacks to {total // _MB} MB, more than the "
            f"{MAX_UNCOMPRESSED_BYTES // _MB} MB allowed"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            found.append(
                f"its part '{_shown(member.filename)}' unpacks {ratio:.0f} times larger than it "
                f"is stored (at most {MAX_RATIO} times is allowed)"
            )
            break
    unsafe = [member.filename for member in members if not _safe_name(member.filename)]
    if unsafe:
        found.append(f"its part '{_shown(unsafe[0])}' has a name that points outside the file")
    return found


def _safe_name(name: str) -> bool:
    """Whether ``name`` is a plain relative member name (``xl/worksheets/sheet1.xml``)."""
    if not name or name.startswith("/") or "\\" in name or _DRIVE.match(name):
        return False
    if any(not char.isprintable() for char in name):
        return False
    return ".." not in name.split("/")


def _shown(name: str) -> str:
    """``name`` fit to quote in a message: printable and at most 80 characters."""
    printable = "".join(char if char.isprintable() else "?" for char in name)
    return printable if len(printable) <= 80 else printable[:77] + "..."
