"""Helpers for the rules a study keeps: where a problem is, and what to suggest instead."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence

__all__ = ["Location", "Problems", "suggest", "unique"]

Location = tuple[str | int, ...]
"""The path of keys and indexes into the study, as pydantic reports it."""

Problems = Iterator[tuple[Location, str]]


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A did-you-mean hint (a different case counts as close), or the names to choose from.

    >>> suggest("bijstnd", ["bijstand", "ww"])
    "did you mean 'bijstand'?"
    >>> suggest("WW", ["bijstand", "ww"])
    "did you mean 'ww'?"
    >>> suggest("x", ["ww", "bijstand"])
    "choose one of: 'bijstand', 'ww'"
    """
    options = sorted(set(candidates))
    folded = [option for option in options if option.lower() == name.lower()]
    close = folded or difflib.get_close_matches(name, options, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    if options:
        return "choose one of: " + ", ".join(f"'{option}'" for option in options)
    return "there is nothing to refer to yet"


def unique(where: str | Location, what: str, keys: Sequence[str]) -> Iterator[tuple[Location, str]]:
    base: Location = (where,) if isinstance(where, str) else where
    first: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key in first:
            yield (
                (*base, index, "key"),
                f"two {what} have the key '{key}' (items {first[key] + 1} and {index + 1}); "
                "give each a key of its own",
            )
        else:
            first[key] = index
