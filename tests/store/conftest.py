"""Fixtures of the storage tests: a fresh repository on each database, the Corona study."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from koers.model import Study
from koers.services.studies import new_study
from koers.store import Repository


@pytest.fixture(scope="session")
def corona() -> Study:
    """The built-in Corona template: 12 descriptors, a framing, 4 scenarios, judgements."""
    return new_study("corona-lokale-besturen")


@pytest.fixture
def repo(database_url: str) -> Iterator[Repository]:
    """A repository on a fresh database, once on SQLite and once on PostgreSQL."""
    repository = Repository.open(database_url)
    try:
        yield repository
    finally:
        repository.close()
