"""Create, read, check and describe studies: the use cases behind ``koers new/validate/show``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pydantic

from koers.errors import ConflictError, NotFoundError, ValidationError
from koers.io import study_yaml
from koers.model import Language, Study, Text

__all__ = [
    "DEMO_MUNICIPALITY",
    "DEMO_ORGANISATION",
    "TemplateInfo",
    "create_study",
    "demo_observations",
    "demo_study",
    "example_observations",
    "load_study",
    "new_study",
    "study_schema",
    "templates",
]

DEMO_ORGANISATION = "Gemeente Utrecht"
DEMO_MUNICIPALITY = "GM0344"
_TEMPLATES = "koers.templates"


@dataclass(frozen=True)
class TemplateInfo:
    """A built-in template: its key and the study it holds."""

    key: str
    study: Study

    @property
    def title(self) -> Text:
        return self.study.title


def templates() -> list[TemplateInfo]:
    """The built-in templates, by key (read once per process: they are package data)."""
    return list(_read_templates())


@cache
def _read_templates() -> tuple[TemplateInfo, ...]:
    folder = resources.files(_TEMPLATES)
    found = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".yaml"):
            key = entry.name.removesuffix(".yaml")
            found.append(TemplateInfo(key, study_yaml.loads(entry.read_text("utf-8"), key)))
    return tuple(found)


def new_study(
    template: str,
    *,
    language: Language | None = None,
    organisation: str | None = None,
    municipality: str | None = None,
) -> Study:
    """A new study from the built-in ``template``, adapted to the organisation."""
    chosen = {info.key: info for info in templates()}
    if template not in chosen:
        known = ", ".join(sorted(chosen))
        raise NotFoundError(f"there is no template '{template}'; the templates are: {known}")
    changes: dict[str, Any] = {
        "language": language,
        "organisation": organisation,
        "municipality": municipality,
    }
    data = chosen[template].study.model_dump()
    data.update({key: value for key, value in changes.items() if value is not None})
    try:
        return Study.model_validate(data)
    except pydantic.ValidationError as err:
        raise study_yaml.describe_errors(err) from None


def create_study(study: Study, path: Path, *, overwrite: bool = False) -> Path:
    """Write a new study to ``path``; an existing file is kept unless ``overwrite``."""
    if path.exists() and not overwrite:
        raise ConflictError(f"{path} already exists; choose another name or use --force")
    study_yaml.save(study, path)
    return path


def load_study(path: Path) -> Study:
    """Read and check the study in ``path``; every problem is reported at once."""
    return study_yaml.load(path)


def demo_study(folder: Path | None = None) -> tuple[Path, Study]:
    """The demo study (the Corona template for an example municipality), created once.

    It lives in ``folder`` or in the user's data folder (``$XDG_DATA_HOME/koers``).
    """
    folder = folder or _data_folder()
    path = folder / "demo-study.yaml"
    if path.exists():
        try:
            return path, load_study(path)
        except ValidationError:
            pass  # a demo file damaged by hand is made anew rather than refused
    study = new_study(
        "corona-lokale-besturen",
        organisation=DEMO_ORGANISATION,
        municipality=DEMO_MUNICIPALITY,
    )
    folder.mkdir(parents=True, exist_ok=True)
    study_yaml.save(study, path)
    return path, study


def demo_observations() -> Path:
    """The demo study's observations: synthetic monthly data for 2020 to 2023."""
    return _template_file("corona-lokale-besturen.observations.csv")


def example_observations() -> Path:
    """A small file of 2024-01 observations to import into the demo (a red trigger fires)."""
    return _template_file("corona-lokale-besturen.example-import.csv")


def _template_file(name: str) -> Path:
    return Path(str(resources.files(_TEMPLATES).joinpath(name)))


def study_schema() -> dict[str, Any]:
    """The JSON Schema of a study file."""
    schema = Study.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Koers study"
    return schema


def _data_folder() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "koers"
