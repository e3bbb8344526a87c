"""Property: every valid study comes back from the database unchanged, get(add(x)) == x."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from koers.io import study_yaml
from koers.model import Study
from koers.store import Repository
from strategies import studies

# PostgreSQL is a server round trip per statement: fewer examples keep the run short.
EXAMPLES = {"sqlite": 60, "postgresql": 20}


def test_get_of_add_is_identity(repo: Repository, database_url: str) -> None:
    @settings(
        max_examples=EXAMPLES[database_url.split(":")[0].split("+")[0]],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(studies(judgements=True))
    def round_trip(study: Study) -> None:
        stored = repo.get_study(repo.add_study(study))
        assert stored.study == study
        assert study_yaml.dumps(stored.study) == study_yaml.dumps(study)

    round_trip()
