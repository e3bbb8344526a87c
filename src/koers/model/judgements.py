"""Cross-impact judgements: how the variants of one descriptor act on those of another.

A study writes its cross-impact matrix as sections, one per ordered pair of descriptors
(source, target). Each section gives, per variant of the source, a judgement on each variant
of the target: a whole number from -3 (strongly hinders) to +3 (strongly promotes); a
judgement that is not written is 0. The rules that span the study (the descriptors and
variants exist, values in range, one section per pair, a reason for strong judgements) are
checked in :mod:`koers.model.invariants`.

Besides the section's ``reason``, each judgement may carry a note of its own:
``notes[k][l]`` says why source variant ``k`` acts on target variant ``l`` as judged. A strong
judgement is explained by either.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from koers.model.factors import Key
from koers.model.text import Text

__all__ = ["JUDGEMENT_RANGE", "STRONG", "Judgement", "JudgementSection"]

JUDGEMENT_RANGE = (-3, 3)
"""The smallest and largest judgement a study may write."""

STRONG = 2
"""A judgement this large (in absolute value) or larger needs a written reason."""


def _whole(value: object) -> object:
    """Let whole numbers through (``2`` or ``2.0``) and refuse anything else with a hint."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"judgement {value!r} is not a number; write a whole number from -3 to +3")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(
            f"judgement {value!r} is not a whole number; write a whole number from -3 to +3"
        )
    return int(value)


Judgement = Annotated[int, BeforeValidator(_whole)]
"""One judgement: a whole number; the study checks that it lies in -3..+3."""


class JudgementSection(BaseModel):
    """How the variants of ``source`` act on the variants of ``target``.

    ``impacts[k][l]`` is the judgement of source variant ``k`` on target variant ``l``;
    pairs that are not written count as 0 (no influence). ``notes[k][l]`` is the reason for
    that one judgement (it may explain a 0 as well).

    >>> section = JudgementSection(
    ...     source="duur", target="financien",
    ...     impacts={"korter": {"ruim": 1}, "langer": {"ruim": -2, "krap": 2}},
    ...     reason=Text(nl="Een lange crisis kost geld.", en="A long crisis costs money."))
    >>> section.score("langer", "krap"), section.score("korter", "krap"), section.strongest
    (2, 0, 2)
    >>> section.note("langer", "krap") is None
    True
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Key
    target: Key
    impacts: dict[Key, dict[Key, Judgement]]
    reason: Text | None = None
    notes: dict[Key, dict[Key, Text]] = {}

    def score(self, source_variant: str, target_variant: str) -> int:
        """The judgement of ``source_variant`` on ``target_variant``; 0 when not written."""
        return self.impacts.get(source_variant, {}).get(target_variant, 0)

    def note(self, source_variant: str, target_variant: str) -> Text | None:
        """The note on the judgement of ``source_variant`` on ``target_variant``, if any."""
        return self.notes.get(source_variant, {}).get(target_variant)

    @property
    def strongest(self) -> int:
        """The largest absolute judgement in the section (0 for an empty one)."""
        return max((abs(v) for row in self.impacts.values() for v in row.values()), default=0)
