"""Where a study and its signals live: a study file with its ledger beside it, or a study in the
database. Commands that read or change observations, alerts or the strategy take a Target.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from koers.io import signal_ledger
from koers.model import Study
from koers.model.signals import Alert, Observation
from koers.services.studies import load_study
from koers.store.repository import Repository

__all__ = [
    "DatabaseTarget",
    "FileTarget",
    "Target",
    "alert_key",
    "open_target",
]


class Target(Protocol):
    """A study and the place its observations and alert statuses are kept."""

    @property
    def study(self) -> Study: ...

    def records(self) -> Sequence[Observation]:
        """Every observation recorded, history included, in recorded order."""
        ...

    def statuses(self) -> Sequence[Alert]: ...

    def append(self, records: Sequence[Observation]) -> None:
        """Add ``records`` to the history, all or nothing."""
        ...

    def set_status(self, alert: Alert) -> None: ...


@dataclass
class FileTarget:
    """A study file; its signals live in the ledger beside it (``NAME.signals.json``)."""

    path: Path
    study: Study

    @property
    def ledger(self) -> Path:
        return signal_ledger.ledger_path(self.path)

    def records(self) -> Sequence[Observation]:
        return signal_ledger.load_ledger(self.ledger).observations

    def statuses(self) -> Sequence[Alert]:
        return signal_ledger.load_ledger(self.ledger).statuses

    def append(self, records: Sequence[Observation]) -> None:
        ledger = signal_ledger.load_ledger(self.ledger)
        changed = replace(ledger, observations=(*ledger.observations, *records))
        signal_ledger.save_ledger(self.ledger, changed)

    def set_status(self, alert: Alert) -> None:
        ledger = signal_ledger.load_ledger(self.ledger)
        kept = tuple(s for s in ledger.statuses if alert_key(s) != alert_key(alert))
        signal_ledger.save_ledger(self.ledger, replace(ledger, statuses=(*kept, alert)))


@dataclass
class DatabaseTarget:
    """A study in the database; its signals live in the database's tables."""

    repository: Repository
    study_id: int
    study: Study

    def records(self) -> Sequence[Observation]:
        return self.repository.signals.observations(self.study_id)

    def statuses(self) -> Sequence[Alert]:
        return self.repository.signals.statuses(self.study_id)

    def append(self, records: Sequence[Observation]) -> None:
        self.repository.signals.append(self.study_id, records)

    def set_status(self, alert: Alert) -> None:
        self.repository.signals.set_status(self.study_id, alert)


@contextmanager
def open_target(study: str, database: str | None = None) -> Iterator[Target]:
    """The study ``study`` names: a study file, or the number of a study in ``database``."""
    if study.isdigit() and not Path(study).exists():
        from koers.services.workbench import database_url

        with Repository.open(database_url(database)) as repository:
            stored = repository.get_study(int(study))
            yield DatabaseTarget(repository, stored.id, stored.study)
        return
    path = Path(study)
    yield FileTarget(path, load_study(path))


def alert_key(alert: Alert) -> tuple[str, str, str]:
    """What names an alert: its indicator, trigger and period."""
    return alert.indicator, alert.trigger, alert.period
