"""Read and write ScenarioWizard 4 projects (.scw) and solution lists (.sl).

ScenarioWizard (W. Weimer-Jehle, ZIRIUS, University of Stuttgart) is the reference program
for cross-impact balance (CIB) analysis. Both of its files are Windows "ANSI" text with CRLF
line ends; LF is accepted too. Koers reads and writes them as Windows-1252, the superset of
Latin-1 that Western Windows writes (the two differ only in 0x80-0x9F, where Windows-1252
has the euro sign and the curly quotes that texts pasted from a word processor carry); the
five bytes Windows-1252 leaves undefined map to their Latin-1 characters, so every file
reads and writes back byte for byte. A project reads::

    $ ScenarioWizard 4.0          format line
    My project                    title
    &Descriptor                   one '&' line per descriptor ...
     -Variant                     ... followed by one ' -' line per variant
    #
    &D                            short names: '&' + descriptor short name,
     V                            then ' ' + variant short name per variant
    #
    #                             (an empty section, kept verbatim if not empty)
    FFFFFF                        one RGB colour per variant
    #
    #                             (an empty section, kept verbatim if not empty)
     0 , 2 ,-1 , ...              the square matrix, one row per variant
    #
    # 0-0                         text blocks: a '# ' header, then a quoted text:
    "..."                         the project, then one per descriptor ('# D'),
    # D                           then one per ordered pair of descriptors
    "..."                         ('# D -> E', row by row)
    #
    #

A solution list holds ``$ ScenarioWizard 3.0``, ``Solution set``, the number of records, a
blank line, then one record per scenario: ``" 2 3 2",4,0,0,15,""``.

Judgements in a project are whole numbers with ``|value| <= bound`` (99 by default).
ScenarioWizard documents no limit: its factor multiplication and ensemble standardisation
make values beyond the usual -3..+3 (the published models reach 15), and a bound of 99 keeps
its two-digit cell layout while catching typing slips such as 300.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from koers.errors import FormatError, Problem, ValidationError
from koers.io.atomic import write_atomic
from koers.methods.cib.matrix import CrossImpactMatrix

__all__ = [
    "SCW_BOUND",
    "ScenarioWizardProject",
    "SolutionRecord",
    "read_scw",
    "read_sl",
    "write_scw",
    "write_sl",
]

SCW_BOUND = 99
"""Largest absolute judgement :func:`read_scw` accepts unless told otherwise."""

_WHITE = "FFFFFF"
_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")
_INTEGER = re.compile(r"[+-]?\d+")
# The bytes Windows-1252 leaves undefined, read as their Latin-1 characters and written back.
_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_FROM_ESCAPED = {0xDC00 + byte: byte for byte in _UNDEFINED}
_TO_ESCAPED = {byte: 0xDC00 + byte for byte in _UNDEFINED}


@dataclass(frozen=True)
class ScenarioWizardProject:
    """Everything a ScenarioWizard 4 project file holds.

    Only ``title`` and ``matrix`` are needed; the other fields default to what ScenarioWizard
    writes for a new project (blank short names and texts, white colours).

    Parameters
    ----------
    title : str
    matrix : CrossImpactMatrix
    short_names : tuple of str
        Short name per descriptor.
    variant_short_names : tuple of tuple of str
        Short name per variant, grouped by descriptor.
    colours : tuple of tuple of str
        Display colour per variant as six hex digits (``"FFFFFF"``), grouped by descriptor.
    project_text : str
        Free text on the project.
    descriptor_texts : tuple of str
        Free text per descriptor.
    impact_texts : tuple of tuple of str
        ``impact_texts[i][j]``: free text on the impacts of descriptor i on descriptor j.
    text_tag : str
        The header of the project text block (``"0-0"`` in every known file).
    reserved : tuple of tuple of str
        The lines of the two sections ScenarioWizard leaves empty, kept for round trips.
    version : str
        The format version of the first line.
    newline : str
        Line end used when writing; the one of the file when read. Not compared.
    """

    title: str
    matrix: CrossImpactMatrix
    short_names: tuple[str, ...] = ()
    variant_short_names: tuple[tuple[str, ...], ...] = ()
    colours: tuple[tuple[str, ...], ...] = ()
    project_text: str = ""
    descriptor_texts: tuple[str, ...] = ()
    impact_texts: tuple[tuple[str, ...], ...] = ()
    text_tag: str = "0-0"
    reserved: tuple[tuple[str, ...], ...] = ((), ())
    version: str = "4.0"
    newline: str = field(default="\r\n", compare=False)

    def __post_init__(self) -> None:
        n = len(self.matrix.descriptors)
        variants = self.matrix.variants
        defaults = {
            "short_names": ("",) * n,
            "variant_short_names": tuple(("",) * len(names) for names in variants),
            "colours": tuple((_WHITE,) * len(names) for names in variants),
            "descriptor_texts": ("",) * n,
            "impact_texts": tuple(("",) * n for _ in range(n)),
        }
        problems = []
        for name, default in defaults.items():
            value = getattr(self, name)
            if not value:
                object.__setattr__(self, name, default)
            elif _shape(value) != _shape(default):
                problems.append(Problem(f"{name} does not fit the matrix's descriptors"))
        bad = [c for group in self.colours for c in group if not _COLOUR.fullmatch(c)]
        if bad:
            problems.append(Problem(f"colours are six hex digits (RRGGBB), not {bad[0]!r}"))
        if len(self.reserved) != 2:
            problems.append(Problem("reserved holds the lines of exactly two sections"))
        if self.newline not in ("\r\n", "\n"):
            problems.append(Problem("newline is '\\r\\n' or '\\n'"))
        if problems:
            raise ValidationError(problems)


@dataclass(frozen=True)
class SolutionRecord:
    """One scenario of a ScenarioWizard solution list.

    Parameters
    ----------
    variants : tuple of int
        The chosen variant of each descriptor, 1-based as ScenarioWizard counts.
    volume_weight : float
        How many start scenarios global succession leads to this one (its basin size).
        ScenarioWizard stores it with 7 significant digits, so large weights are rounded.
    margin : int
        Consistency margin: how far the weakest choice leads its rivals.
    unknown : int
        A field whose meaning is not documented; 0 in every known file.
    total_impact_score : int
    text : str
    """

    variants: tuple[int, ...]
    volume_weight: float = 0.0
    margin: int = 0
    unknown: int = 0
    total_impact_score: int = 0
    text: str = ""


def read_scw(path: str | Path, *, bound: int = SCW_BOUND) -> ScenarioWizardProject:
    """Read the ScenarioWizard project in ``path``.

    Raises
    ------
    koers.errors.FormatError
        When the file cannot be read or is not a ScenarioWizard project.
    koers.errors.ValidationError
        With every problem found, each located by line (and cell, for judgements).
    """
    if bound < 1:
        raise ValidationError([Problem(f"bound is 1 or more, not {bound}")])
    lines, newline = _read_lines(Path(path))
    return _ScwParser(lines, str(path), bound).parse(newline)


def write_scw(project: ScenarioWizardProject, path: str | Path) -> None:
    """Write ``project`` to ``path`` atomically, as ScenarioWizard writes it."""
    _check_writable_texts(project)
    matrix = project.matrix
    lines = [f"$ ScenarioWizard {project.version}", project.title]
    for descriptor, names in zip(matrix.descriptors, matrix.variants, strict=True):
        lines.append(f"&{descriptor}")
        lines.extend(f" -{name}" for name in names)
    lines.append("#")
    for short, shorts in zip(project.short_names, project.variant_short_names, strict=True):
        lines.append(f"&{short}")
        lines.extend(f" {name}" for name in shorts)
    lines.append("#")
    lines.extend([*project.reserved[0], "#"])
    lines.extend(colour for group in project.colours for colour in group)
    lines.extend(["#", *project.reserved[1], "#"])
    for row in matrix.judgements.tolist():
        lines.append(",".join(f"{'-' if value < 0 else ' '}{abs(value)} " for value in row))
    lines.extend(["#", f"# {project.text_tag}", _quoted(project.project_text)])
    for short, text in zip(project.short_names, project.descriptor_texts, strict=True):
        lines.extend([f"# {short}", _quoted(text)])
    for source, row_texts in zip(project.short_names, project.impact_texts, strict=True):
        for target, text in zip(project.short_names, row_texts, strict=True):
            lines.extend([f"# {source} -> {target}", _quoted(text)])
    lines.extend(["#", "#"])
    newline = project.newline
    text = newline.join(line.replace("\n", newline) for line in lines) + newline
    write_atomic(Path(path), _encode(text))


def read_sl(path: str | Path) -> tuple[SolutionRecord, ...]:
    """Read the ScenarioWizard solution list in ``path``.

    Raises
    ------
    koers.errors.FormatError
        When the file cannot be read or is not a solution list.
    koers.errors.ValidationError
        With every problem found, each located by line and field.
    """
    name = str(path)
    lines, _ = _read_lines(Path(path))
    if not lines[0].startswith("$ ScenarioWizard"):
        raise FormatError(
            "not a ScenarioWizard solution list: the first line should be "
            "'$ ScenarioWizard 3.0'; save the list from ScenarioWizard again",
            name,
            1,
        )
    problems: list[Problem] = []
    if len(lines) < 3 or lines[1].strip() != "Solution set":
        raise FormatError(
            "the second line should be 'Solution set'; this is not a solution list", name, 2
        )
    stated = _integer(lines[2].strip())
    if stated is None:
        problems.append(Problem("the third line should hold the number of solutions", name, 3))
    records: list[SolutionRecord] = []
    width: int | None = None
    for number, line in enumerate(lines[3:], start=4):
        if not line.strip():
            continue
        record = _parse_record(line, name, number, problems)
        if record is None:
            continue
        if width is None:
            width = len(record.variants)
        elif len(record.variants) != width:
            problems.append(
                Problem(
                    f"this solution names {len(record.variants)} variants, the first one "
                    f"{width}; every solution names one variant per descriptor",
                    name,
                    number,
                    1,
                )
            )
        records.append(record)
    if stated is not None and not problems and stated != len(records):
        problems.append(
            Problem(
                f"the header announces {stated} solutions but the file lists {len(records)}; "
                "correct the number on line 3",
                name,
                3,
            )
        )
    if problems:
        raise ValidationError(problems)
    return tuple(records)


def write_sl(records: Iterable[SolutionRecord], path: str | Path, *, newline: str = "\r\n") -> None:
    """Write ``records`` to ``path`` atomically as a ScenarioWizard solution list."""
    rows = list(records)
    problems = [
        Problem(f"solution {index}: {problem}")
        for index, record in enumerate(rows, start=1)
        for problem in _record_problems(record)
    ]
    if problems:
        raise ValidationError(problems)
    lines = ["$ ScenarioWizard 3.0", "Solution set", f" {len(rows)} ", ""]
    for record in rows:
        variants = "".join(f" {variant}" for variant in record.variants)
        fields = (
            _single(record.volume_weight),
            str(record.margin),
            str(record.unknown),
            str(record.total_impact_score),
        )
        lines.append(f'"{variants}",{",".join(fields)},"{record.text}"')
    write_atomic(Path(path), _encode(newline.join(lines) + newline))


class _ScwParser:
    """Walks the lines of a project once, collecting every problem it meets."""

    def __init__(self, lines: list[str], name: str, bound: int) -> None:
        self.lines = lines
        self.name = name
        self.bound = bound
        self.at = 0  # index of the next unread line
        self.problems: list[Problem] = []

    def problem(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.problems.append(Problem(message, self.name, line, column))

    def section(self, what: str) -> list[tuple[int, str]]:
        """The numbered lines up to the next '#' line, which is consumed."""
        if self.at >= len(self.lines):
            raise FormatError(
                f"the file ends before the {what}; it is cut off, save it again from "
                "ScenarioWizard",
                self.name,
                len(self.lines),
            )
        found = []
        while self.at < len(self.lines) and self.lines[self.at].rstrip() != "#":
            found.append((self.at + 1, self.lines[self.at]))
            self.at += 1
        self.at += 1
        return found

    def parse(self, newline: str) -> ScenarioWizardProject:
        first = self.lines[0]
        if not first.startswith("$ ScenarioWizard"):
            raise FormatError(
                "not a ScenarioWizard project: the first line should be '$ ScenarioWizard 4.0'",
                self.name,
                1,
            )
        version = first.removeprefix("$ ScenarioWizard").strip()
        if not version.startswith("4"):
            raise FormatError(
                f"this is a ScenarioWizard {version} file; Koers reads version 4 projects: "
                "open it in ScenarioWizard 4 and save it again",
                self.name,
                1,
            )
        title = self.lines[1] if len(self.lines) > 1 else ""
        self.at = 2
        descriptors, variants, places = self.structure(self.section("list of descriptors"))
        if self.problems:  # without a sound structure every later count would be wrong too
            raise ValidationError(self.problems)
        shorts, variant_shorts = self.short_names(self.section("short names"), variants)
        reserved_a = tuple(line for _, line in self.section("colours"))
        colours = self.colours(self.section("colours"), variants)
        reserved_b = tuple(line for _, line in self.section("cross-impact matrix"))
        judgements = self.matrix(self.section("cross-impact matrix"), variants)
        tag, blocks = self.texts()
        texts = [text for _, text in blocks]
        n = len(descriptors)
        if texts and len(texts) != 1 + n + n * n:
            suspect = [line for line, text in blocks if "\n#" in text]
            self.problem(
                f"found {len(texts)} text blocks, expected {1 + n + n * n} (one for the "
                f"project, {n} for the descriptors, {n * n} for the descriptor pairs)"
                + (
                    "; this text runs into a '#' line: is its closing '\"' missing?"
                    if suspect
                    else ""
                ),
                suspect[0] if suspect else len(self.lines),
            )
        if self.problems:
            raise ValidationError(self.problems)
        try:
            matrix = CrossImpactMatrix(descriptors, variants, judgements)
        except ValidationError as err:
            line = places[0] if places else None
            problems = [Problem(p.message, self.name, line) for p in err.problems]
            raise ValidationError(problems) from err
        texts = texts or [""] * (1 + n + n * n)
        return ScenarioWizardProject(
            title=title,
            matrix=matrix,
            short_names=shorts,
            variant_short_names=variant_shorts,
            colours=colours,
            project_text=texts[0],
            descriptor_texts=tuple(texts[1 : 1 + n]),
            impact_texts=tuple(tuple(texts[1 + n + i * n : 1 + n + (i + 1) * n]) for i in range(n)),
            text_tag=tag,
            reserved=(reserved_a, reserved_b),
            version=version,
            newline=newline,
        )

    def structure(
        self, lines: list[tuple[int, str]]
    ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], list[int]]:
        descriptors: list[str] = []
        variants: list[list[str]] = []
        places: list[int] = []
        for number, line in lines:
            text = line.strip()
            if not text:
                continue
            if text.startswith("&"):
                label = text[1:].strip()
                if label in descriptors:
                    self.problem(
                        f"descriptor '{label}' appears twice; give each descriptor a name "
                        "of its own",
                        number,
                    )
                descriptors.append(label)
                variants.append([])
                places.append(number)
            elif text.startswith("-") and descriptors:
                label = text[1:].strip()
                if label in variants[-1]:
                    self.problem(
                        f"descriptor '{descriptors[-1]}' has two variants named '{label}'; "
                        "give each variant a name of its own",
                        number,
                    )
                variants[-1].append(label)
            else:
                self.problem(
                    f"expected '&descriptor' or ' -variant', found '{text}'; "
                    "each descriptor line starts with '&', each variant line with ' -'",
                    number,
                )
        if not descriptors and not self.problems:
            self.problem("the project lists no descriptors; add '&descriptor' lines", 3)
        for label, names, number in zip(descriptors, variants, places, strict=True):
            if len(names) < 2:
                self.problem(
                    f"descriptor '{label}' has {'only one variant' if names else 'no variants'}; "
                    "CIB needs at least two alternatives per descriptor: add a variant or drop "
                    "the descriptor",
                    number,
                )
        return tuple(descriptors), tuple(tuple(names) for names in variants), places

    def short_names(
        self, lines: list[tuple[int, str]], variants: tuple[tuple[str, ...], ...]
    ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        if not lines:
            return (), ()
        shorts: list[str] = []
        groups: list[list[str]] = []
        starts: list[int] = []
        for number, line in lines:
            if line.startswith("&"):
                shorts.append(line[1:])
                groups.append([])
                starts.append(number)
            elif groups:
                groups[-1].append(line[1:] if line.startswith(" ") else line)
            else:
                self.problem("short names start with an '&' line per descriptor", number)
                return (), ()
        if len(groups) != len(variants):
            self.problem(
                f"found short names for {len(groups)} descriptors, expected {len(variants)}; "
                "give each descriptor an '&' line",
                starts[0],
            )
            return (), ()
        for group, names, start in zip(groups, variants, starts, strict=True):
            if len(group) != len(names):
                self.problem(
                    f"this descriptor has {len(group)} variant short names, expected "
                    f"{len(names)}; give one short name line per variant",
                    start,
                )
                return (), ()
        return tuple(shorts), tuple(tuple(group) for group in groups)

    def colours(
        self, lines: list[tuple[int, str]], variants: tuple[tuple[str, ...], ...]
    ) -> tuple[tuple[str, ...], ...]:
        if not lines:
            return ()
        values = []
        for number, line in lines:
            if not _COLOUR.fullmatch(line.strip()):
                self.problem(
                    f"colour '{line.strip()}' is not an RGB colour; write six hex digits "
                    "(RRGGBB), like FFFFFF for white",
                    number,
                    1,
                )
            values.append(line.strip())
        size = sum(len(names) for names in variants)
        if len(values) != size:
            self.problem(
                f"found {len(values)} colours, expected {size} (one per variant)", lines[0][0]
            )
            return ()
        grouped = []
        start = 0
        for names in variants:
            grouped.append(tuple(values[start : start + len(names)]))
            start += len(names)
        return tuple(grouped)

    def matrix(
        self, lines: list[tuple[int, str]], variants: tuple[tuple[str, ...], ...]
    ) -> npt.NDArray[np.int64]:
        size = sum(len(names) for names in variants)
        rows = [(number, line) for number, line in lines if line.strip()]
        values = np.zeros((size, size), dtype=np.int64)
        for index, (number, line) in enumerate(rows):
            cells = line.split(",")
            if index >= size:
                self.problem(
                    f"the matrix has more rows than the {size} variants; remove this row",
                    number,
                )
                continue
            if len(cells) != size:
                self.problem(
                    f"this row has {len(cells)} judgements, expected {size} (one per variant); "
                    "give every row one judgement per variant",
                    number,
                    min(len(cells), size) + 1,
                )
            for column, cell in enumerate(cells[:size], start=1):
                value = self.judgement(cell.strip(), number, column)
                values[index, column - 1] = value
        if len(rows) < size:
            place = rows[-1][0] if rows else (lines[0][0] - 1 if lines else self.at)
            self.problem(
                f"the matrix has {len(rows)} rows, expected {size} (one per variant); "
                "add the missing rows",
                place,
            )
        return values

    def judgement(self, cell: str, line: int, column: int) -> int:
        value = _integer(cell)
        if value is None:
            self.problem(
                f"judgement '{cell}' is not a whole number; write an integer from "
                f"-{self.bound} to +{self.bound}",
                line,
                column,
            )
            return 0
        if abs(value) > self.bound:
            self.problem(
                f"judgement {value} is outside -{self.bound}..+{self.bound}; correct it, or "
                "read the file with a larger bound if the value is meant",
                line,
                column,
            )
        return value

    def texts(self) -> tuple[str, list[tuple[int, str]]]:
        """The text blocks: each a '# header' line and a quoted text, perhaps many lines."""
        tag = "0-0"
        texts: list[tuple[int, str]] = []
        lines = self.lines
        # Exactly '#': a descriptor's header is '# ' plus its short name, often blank.
        while self.at < len(lines) and lines[self.at] != "#":
            header = lines[self.at]
            if not header.startswith("#"):
                self.problem(f"expected a '# ...' text header, found '{header}'", self.at + 1)
                return tag, []
            if not texts:
                tag = header[2:]
            start = self.at + 1
            if start >= len(lines) or not lines[start].startswith('"'):
                self.problem("a text header must be followed by a quoted text", start + 1)
                return tag, []
            end = start
            while not (
                (end > start or len(lines[start]) >= 2)
                and lines[end].endswith('"')
                and (end + 1 >= len(lines) or lines[end + 1].startswith("#"))
            ):
                end += 1
                if end >= len(lines):
                    self.problem("a quoted text is not closed; add the closing '\"'", start + 1)
                    return tag, []
            texts.append((start + 1, "\n".join(lines[start : end + 1])[1:-1]))
            self.at = end + 1
        return tag, texts


def _parse_record(
    line: str, name: str, number: int, problems: list[Problem]
) -> SolutionRecord | None:
    fields = next(csv.reader([line]))
    if len(fields) != 6:
        problems.append(
            Problem(
                f"a solution has 6 fields (variants, weight, margin, 0, score, text), "
                f"this one has {len(fields)}",
                name,
                number,
            )
        )
        return None
    found = len(problems)
    variants = []
    for token in fields[0].split():
        value = _integer(token)
        if value is None or value < 1:
            problems.append(
                Problem(
                    f"variant '{token}' is not a number from 1 up; write each descriptor's "
                    "variant as its 1-based number",
                    name,
                    number,
                    1,
                )
            )
        else:
            variants.append(value)
    try:
        weight = float(fields[1])
    except ValueError:
        problems.append(Problem(f"volume weight '{fields[1]}' is not a number", name, number, 2))
        weight = 0.0
    numbers = []
    for column, (token, what) in enumerate(
        zip(fields[2:5], ("margin", "fourth field", "total impact score"), strict=True), start=3
    ):
        value = _integer(token.strip())
        if value is None:
            problems.append(
                Problem(f"{what} '{token}' is not a whole number", name, number, column)
            )
        numbers.append(value or 0)
    if len(problems) > found:
        return None
    return SolutionRecord(tuple(variants), weight, numbers[0], numbers[1], numbers[2], fields[5])


def _record_problems(record: SolutionRecord) -> list[str]:
    found = []
    if not record.variants or any(variant < 1 for variant in record.variants):
        found.append("variants are numbered from 1, one per descriptor")
    if not math.isfinite(record.volume_weight) or record.volume_weight < 0:
        found.append("the volume weight is a number of 0 or more")
    if '"' in record.text or "\n" in record.text or "\r" in record.text:
        found.append("the text cannot hold '\"' or line breaks in a solution list")
    if not _storable(record.text):
        found.append("the text has characters ScenarioWizard cannot store (it writes Windows-1252)")
    return found


def _check_writable_texts(project: ScenarioWizardProject) -> None:
    """ScenarioWizard cannot store quotes in texts, line breaks in names, or non-Windows-1252."""
    matrix = project.matrix
    names = [project.title, *matrix.descriptors, *(v for vs in matrix.variants for v in vs)]
    names += [*project.short_names, *(s for ss in project.variant_short_names for s in ss)]
    texts = [project.project_text, *project.descriptor_texts]
    texts += [text for row in project.impact_texts for text in row]
    problems = [
        Problem(f"name {label!r} cannot hold a line break")
        for label in names
        if "\n" in label or "\r" in label
    ]
    problems += [
        Problem(f"name {label!r} would not read back: remove the spaces around it")
        for label in matrix.descriptors + tuple(v for vs in matrix.variants for v in vs)
        if label != label.strip()
    ]
    problems += [
        Problem(f"text {text[:40]!r} cannot hold '\"' in a ScenarioWizard file; use ' instead")
        for text in texts
        if '"' in text
    ]
    problems += [
        Problem(
            f"{value[:40]!r} has characters outside Windows-1252, which ScenarioWizard cannot store"
        )
        for value in [*names, *texts]
        if not _storable(value)
    ]
    if problems:
        raise ValidationError(problems)


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


def _quoted(text: str) -> str:
    return f'"{text}"'


def _encode(text: str) -> bytes:
    return text.translate(_TO_ESCAPED).encode("cp1252", errors="surrogateescape")


def _storable(text: str) -> bool:
    try:
        _encode(text)
    except UnicodeEncodeError:
        return False
    return True


def _shape(value: Sequence[object]) -> tuple[object, ...]:
    return tuple(_shape(item) if isinstance(item, tuple) else None for item in value)
