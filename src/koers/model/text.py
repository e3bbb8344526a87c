"""Bilingual text: every text a person reads exists in Dutch and English."""

from __future__ import annotations

import re
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
            odd = _CONTROL.search(text or "")
            if odd is not None:
                raise ValueError(
                    f"the text holds the control character U+{ord(odd.group()):04X}; remove it"
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


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters a text may not hold: the controls (Unicode category Cc) other than tab and
newline, and the line and paragraph separators (Zl, Zp)."""
