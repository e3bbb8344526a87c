"""Small studies for the signals tests: the Corona framing with indicators made up here.

Import with ``from methods.signals.signals_cases import ...`` (``tests`` is on the path).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from koers.model import (
    Descriptor,
    Evidence,
    Framing,
    Indicator,
    Observation,
    Scenario,
    Study,
    Text,
    Trigger,
    Upload,
    Variant,
)


def _descriptor(key: str, *variants: str) -> Descriptor:
    return Descriptor(
        key=key,
        name=Text(nl=key),
        variants=tuple(Variant(key=v, name=Text(nl=v)) for v in variants),
    )


def indicator(
    key: str,
    *,
    frequency: str = "month",
    evidence: Sequence[Evidence] = (),
    triggers: Sequence[Trigger] = (),
    region: str | None = None,
) -> Indicator:
    """An indicator with an upload source."""
    return Indicator.model_validate(
        {
            "key": key,
            "name": Text(nl=key),
            "unit": "aantal",
            "frequency": frequency,
            "source": Upload(kind="upload"),
            "region": region,
            "evidence": tuple(evidence),
            "triggers": tuple(triggers),
        }
    )


def evidence(descriptor: str, variant: str, strength: str = "moderate", **when: object) -> Evidence:
    return Evidence.model_validate(
        {"descriptor": descriptor, "variant": variant, "strength": strength, "when": when}
    )


def trigger(key: str, level: str, **when: object) -> Trigger:
    return Trigger.model_validate({"key": key, "level": level, "when": when})


def corona_study(indicators: Sequence[Indicator] = (), *, framing: bool = True) -> Study:
    """The axes and quadrant scenarios of the Corona template, plus a 3-variant descriptor."""
    scenarios = (
        ("overbruggen", "korter", "minder"),
        ("overleven", "langer", "minder"),
        ("aanpassen", "korter", "meer"),
        ("transformeren", "langer", "meer"),
    )
    return Study(
        title=Text(nl="Proef"),
        organisation="Voorbeeldgemeente",
        municipality="GM0344",
        horizon=dt.date(2028, 12, 31),
        descriptors=(
            _descriptor("duur", "korter", "langer"),
            _descriptor("verandering", "minder", "meer"),
            _descriptor("financien", "gezond", "krap", "tekort"),
        ),
        framing=Framing(axes=("duur", "verandering")) if framing else None,
        scenarios=tuple(
            Scenario(
                key=key,
                name=Text(nl=key),
                quadrant={"duur": duur, "verandering": verandering} if framing else None,
            )
            for key, duur, verandering in scenarios
        ),
        indicators=tuple(indicators),
    )


RECORDED = dt.datetime(2021, 4, 1, 9, 0)


def observations(
    key: str, values: dict[str, float], *, region: str = "GM0344", recorded: dt.datetime = RECORDED
) -> list[Observation]:
    return [
        Observation(indicator=key, region=region, period=period, value=value, recorded=recorded)
        for period, value in values.items()
    ]


__all__ = ["RECORDED", "corona_study", "evidence", "indicator", "observations", "trigger"]
