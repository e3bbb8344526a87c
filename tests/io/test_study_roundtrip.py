"""Property: every valid study survives save and load unchanged, load(save(x)) == x."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.io import study_yaml
from koers.model import Descriptor, Framing, Scenario, Source, Study, Text, Variant

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
    other = "en" if language == "nl" else "nl"
    return st.builds(
        lambda own, foreign: Text(**{language: own, other: foreign}),
        paragraphs,
        st.none() | paragraphs,
    )


@st.composite
def studies(draw: st.DrawFn) -> Study:
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
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(studies())
def test_load_of_save_is_identity(study: Study) -> None:
    assert study_yaml.loads(study_yaml.dumps(study)) == study
