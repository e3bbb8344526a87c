"""Text helpers shared by the ScenarioWizard files: encoding, line reading, numbers.

Both files are Windows-1252 text; the five bytes Windows-1252 leaves undefined are read as
their Latin-1 characters and written back, so every file reads and writes back byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path

from koers.errors import FormatError

_INTEGER = re.compile(r"[+-]?\d+")
# The bytes Windows-1252 leaves undefined, read as their Latin-1 characters and written back.
_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_FROM_ESCAPED = {0xDC00 + byte: byte for byte in _UNDEFINED}
_TO_ESCAPED = {byte: 0xDC00 + byte for byte in _UNDEFINED}


def _read_lines(path: Path) -> tuple[list[str], str]:
    """The file's lines without their ends, and its line end."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FormatError(f"cannot read the file: {err.strerror}", path) from err
    if not raw.strip():
        raise FormatError("the file is empty; export it again from ScenarioWizard", path, 1)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        raise FormatError(
            "the file is UTF-16 text, not the ANSI text of ScenarioWizard; save it as "
            "ANSI (in Notepad: Save as, Encoding 'ANSI')",
            path,
            1,
        )
    text = raw.decode("cp1252", errors="surrogateescape").translate(_FROM_ESCAPED)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines], newline


def _integer(text: str) -> int | None:
    return int(text) if _INTEGER.fullmatch(text) else None


def _single(value: float) -> str:
    """``value`` as Visual Basic writes a Single: 7 significant digits, E notation past them."""
    if value == int(value) and abs(value) < 1e7:
        return str(int(value))
    return f"{value:.7G}"


def _encode(text: str) -> bytes:
    return text.translate(_TO_ESCAPED).encode("cp1252", errors="surrogateescape")


def _storable(text: str) -> bool:
    try:
        _encode(text)
    except UnicodeEncodeError:
        return False
    return True
