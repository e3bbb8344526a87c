"""Hypothesis strategies shared by the tests: valid studies of every shape.

Import with ``from strategies import studies`` (pytest puts this folder on ``sys.path``
because ``tests/conftest.py`` lives here).
"""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import strategies as st

from koers.model import (
    STRONG,
    Descriptor,
    Framing,
    JudgementSection,
    Scenario,
    Source,
    Study,
    Text,
    Variant,
)

__all__ = ["keys", "paragraphs", "studies", "texts", "words"]

keys = st.from_regex(r"[a-z][a-z0-9_.-]{0,10}", fullmatch=True)
words = st.text(
    st.characters(
        codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"), include_characters="\t"
    ),
    min_size=1,
    max_size=30,
)
paragraphs = st.lists(words, min_size=1, max_size=3).map("\n".join) | words


def texts(language: str) -> st.SearchStrategy[Text]:
    """Texts with the study's ``language`` and perhaps the other one."""
    other = "en" if language == "nl" else "nl"
    return st.builds(
        lambda own, foreign: Text(**{language: own, other: foreign}),
        paragraphs,
        st.none() | paragraphs,
    )


@st.composite
def _sections(
    draw: st.DrawFn, descriptors: list[Descriptor], text: st.SearchStrategy[Text]
) -> tuple[JudgementSection, ...]:
    pairs = list(itertools.permutations(descriptors, 2))
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=4, unique=True)) if pairs else []
    sections = []
    for source, target in chosen:
        impacts: dict[str, dict[str, int]] = {}
        for variant in source.variants:
            row = draw(
                st.dictionaries(
                    st.sampled_from([v.key for v in target.variants]),
                    st.integers(-3, 3),
                    max_size=len(target.variants),
                )
            )
            if row:
                impacts[variant.key] = row
        # Notes on some cells, judged or not (a note may explain a 0).
        cells = [(s.key, t.key) for s in source.variants for t in target.variants]
        noted = draw(st.lists(st.sampled_from(cells), max_size=3, unique=True))
        notes: dict[str, dict[str, Text]] = {}
        for source_variant, target_variant in noted:
            notes.setdefault(source_variant, {})[target_variant] = draw(text)
        unexplained = any(
            abs(value) >= STRONG and target_variant not in notes.get(source_variant, {})
            for source_variant, row in impacts.items()
            for target_variant, value in row.items()
        )
        reason = draw(text) if unexplained else draw(st.none() | text)
        sections.append(
            JudgementSection(
                source=source.key, target=target.key, impacts=impacts, reason=reason, notes=notes
            )
        )
    return tuple(sections)


@st.composite
def studies(draw: st.DrawFn, *, judgements: bool = False) -> Study:
    """Valid studies; with ``judgements=True`` they carry cross-impact judgement sections."""
    language = draw(st.sampled_from(["nl", "en"]))
    text = texts(language)
    descriptor_keys = draw(st.lists(keys, min_size=0, max_size=4, unique=True))
    descriptors = []
    for key in descriptor_keys:
        variant_keys = draw(st.lists(keys, min_size=2, max_size=3, unique=True))
        variants = tuple(Variant(key=v, name=draw(text)) for v in variant_keys)
        descriptors.append(
            Descriptor(
                key=key, name=draw(text), description=draw(st.none() | text), variants=variants
            )
        )
    sources = tuple(
        Source(key=key, title=draw(words), published=draw(st.none() | st.dates()))
        for key in draw(st.lists(keys, max_size=2, unique=True))
    )
    scenario_keys = iter(draw(st.lists(keys, min_size=6, max_size=6, unique=True)))
    scenarios: list[Scenario] = []
    framing = None
    two_pole = [d for d in descriptors if len(d.variants) == 2]
    if len(two_pole) >= 2 and draw(st.booleans()):
        x, y = two_pole[:2]
        framing = Framing(axes=(x.key, y.key), question=draw(st.none() | text))
        for pole_x in x.variants:
            for pole_y in y.variants:
                scenarios.append(
                    Scenario(
                        key=next(scenario_keys),
                        name=draw(text),
                        quadrant={x.key: pole_x.key, y.key: pole_y.key},
                        narrative=draw(st.none() | text),
                        focus=tuple(draw(st.lists(text, max_size=2))),
                        questions=tuple(draw(st.lists(text, max_size=2))),
                    )
                )
    if draw(st.booleans()):
        cited = tuple(source.key for source in sources[:1])
        scenarios.append(
            Scenario(
                key=next(scenario_keys),
                name=draw(text),
                origin="source" if cited else "synthesis",
                sources=cited,
                leadership=draw(text),
                implications=tuple(draw(st.lists(text, max_size=2))),
            )
        )
    sections = draw(_sections(descriptors, text)) if judgements else ()
    return Study(
        title=draw(text),
        organisation=draw(words),
        municipality=draw(st.none() | st.from_regex(r"GM[0-9]{4}", fullmatch=True)),
        horizon=draw(st.dates(min_value=dt.date(2000, 1, 1))),
        language=language,
        description=draw(st.none() | text),
        sources=sources,
        descriptors=tuple(descriptors),
        framing=framing,
        scenarios=tuple(scenarios),
        judgements=sections,
    )
