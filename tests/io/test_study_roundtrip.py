"""Property: every valid study survives save and load unchanged, load(save(x)) == x."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from koers.io import study_yaml
from koers.model import Study
from strategies import studies


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(studies())
def test_load_of_save_is_identity(study: Study) -> None:
    assert study_yaml.loads(study_yaml.dumps(study)) == study
