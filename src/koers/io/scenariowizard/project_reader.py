"""Read a ScenarioWizard 4 project (.scw): :func:`read_scw` and the parser behind it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from koers.errors import FormatError, Problem, ValidationError
from koers.io.scenariowizard.project import _COLOUR, SCW_BOUND, ScenarioWizardProject
from koers.io.scenariowizard.text import _integer, _read_lines
from koers.methods.cib.matrix import CrossImpactMatrix

__all__ = ["read_scw"]


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
