"""Write a ScenarioWizard 4 project (.scw) as ScenarioWizard writes it."""

from __future__ import annotations

from pathlib import Path

from koers.errors import Problem, ValidationError
from koers.io.atomic import write_atomic
from koers.io.scenariowizard.project import ScenarioWizardProject
from koers.io.scenariowizard.text import _encode, _storable

__all__ = ["write_scw"]


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


def _quoted(text: str) -> str:
    return f'"{text}"'
