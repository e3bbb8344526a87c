"""Translations of Koers's own words (labels, headings), from gettext catalogues.

Message ids are English; ``locale/<language>/LC_MESSAGES/koers.po`` holds the translations.
The catalogues are read with Babel when first needed, so no compile step is required.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po

__all__ = ["DOMAIN", "catalogue", "translator"]

DOMAIN = "koers"


@cache
def catalogue(language: str) -> dict[str, str]:
    """The translations into ``language``: message id to text (empty for English)."""
    if language == "en":
        return {}
    path = resources.files(__name__) / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as stream:
        po = read_po(stream, locale=language, domain=DOMAIN)
    return {
        str(message.id): str(message.string)
        for message in po
        if message.id and message.string and not message.fuzzy
    }


def translator(language: str) -> Callable[[str], str]:
    """A ``_`` function for ``language``; untranslated ids come back unchanged.

    >>> _ = translator("nl")
    >>> _("Leadership role")
    'Leiderschapsrol'
    """
    translations = catalogue(language)
    return lambda message: translations.get(message, message)
