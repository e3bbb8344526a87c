"""Bilingual text: every text a person reads exists in Dutch and English."""

from __future__ import annotations

import unicodedata
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["LANGUAGES", "Language", "Text"]

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)


class Text(BaseModel):
    """A text in Dutch and/or English; at least one of the two is present."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nl: str | None = None
    en: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Text:
        if not (self.nl or self.en):
            raise ValueError("give the text in at least one language (nl or en)")
        for text in (self.nl, self.en):
            odd = next((c for c in text or "" if _is_control(c)), None)
            if odd is not None:
                raise ValueError(
                    f"the text holds the control character U+{ord(odd):04X}; remove it"
                )
        return self

    def has(self, language: Language) -> bool:
        """Whether the text is written in ``language``."""
        return bool(getattr(self, language))

    def get(self, language: Language) -> str:
        """The text in ``language``, or in the other language when it lacks one.

        >>> Text(nl="langer", en="longer").get("en")
        'longer'
        >>> Text(nl="langer").get("en")
        'langer'
        """
        own: str | None = getattr(self, language)
        if own:
            return own
        return self.nl or self.en or ""


def _is_control(character: str) -> bool:
    """Characters a text may not hold: controls other than newline and tab, line separators."""
    if character in "\n\t":
        return False
    return unicodedata.category(character) in {"Cc", "Zl", "Zp"}
