"""The board report of a study: what the college and the council read, as PDF or HTML.

The study lives in a file or in the database (:func:`koers.services.signals.open_target`);
this use case asks the services for the signals assessment, the strategy review, the
structural analysis and the chain that may follow, turns them into the blocks of
:mod:`koers.report.content` in the study's language (or the one asked for), and has
:func:`koers.report.build.build` lay them out.

Chapters: cover; summary (the most likely scenario and how sure, the triggers fired since
the last report, three to five proposed decisions); the scenarios (the 2x2 and per
scenario its narrative, leadership role, focus areas and questions); where we stand
(indicator charts with thresholds, the trajectory, why it moved); the strategy review;
chain reactions; annex (method, data sources and licences, the cross-impact matrix and its
consistent scenarios, who took part).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from koers.errors import KoersError
from koers.io.atomic import write_atomic
from koers.model import Language, Period, Study
from koers.report.build import FORMATS, Format, build
from koers.report.content import Cover, Report
from koers.services import chains, micmac, strategy
from koers.services.report_annex import annex_blocks
from koers.services.report_content import (
    scenario_blocks,
    standing_blocks,
    summary_blocks,
    synthetic_notice,
)
from koers.services.report_review import chain_blocks, strategy_blocks
from koers.services.report_words import Sources, Words
from koers.services.signals import signal_status
from koers.services.targets import Target, open_target

__all__ = [
    "FORMATS",
    "STATUSES",
    "Format",
    "ReportOptions",
    "ReportStatus",
    "build_report",
    "report_content",
    "report_of",
    "save_report",
    "study_fingerprint",
]

ReportStatus = Literal["concept", "definitief"]
STATUSES: tuple[ReportStatus, ...] = ("concept", "definitief")

SINCE_MONTHS = 3
"""By default "since the last report" means the last three months of data."""


@dataclass(frozen=True)
class ReportOptions:
    """How the report is made.

    ``language``: default the study's. ``status``: concept (draft) or definitief (final).
    ``since``: alerts of periods ending on or after this day are "fired since the last
    report"; default the first day of the month two months before the latest month assessed
    (the last three months of data), or 90 days before ``today`` without data. ``today``:
    the report's date (default: the current date). ``version``: default the study's
    fingerprint (:func:`study_fingerprint`).
    """

    language: Language | None = None
    status: ReportStatus = "concept"
    since: dt.date | None = None
    today: dt.date | None = None
    version: str | None = None


def study_fingerprint(study: Study) -> str:
    """Eight hex digits of the SHA-256 of the study's content: the same study, the same
    fingerprint, so a reader can tell which version of the study a report shows."""
    return hashlib.sha256(study.model_dump_json().encode("utf-8")).hexdigest()[:8]


def report_content(target: Target, options: ReportOptions | None = None) -> Report:
    """The report of ``target``'s study as plain blocks (see :mod:`koers.report.content`)."""
    options = options or ReportOptions()
    study = target.study
    language: Language = options.language or study.language
    words = Words(study, language)
    sources = _sources(target, options, language)
    blocks = [
        *summary_blocks(sources, study, words),
        *scenario_blocks(study, words),
        *standing_blocks(sources, study, words),
        *strategy_blocks(sources, study, words),
        *chain_blocks(sources, study, words),
        *annex_blocks(sources, study, words),
    ]
    _ = words.gettext
    status_word = _("draft") if options.status == "concept" else _("final")
    title = words.text(study.title)
    facts = [
        (_("Date"), words.date(options.today or dt.date.today())),
        (_("Status"), status_word),
        (_("Version"), options.version or study_fingerprint(study)),
        (_("Horizon"), words.date(study.horizon)),
    ]
    if sources.status.month is not None:
        facts.append((_("Signals up to"), words.period(sources.status.month)))

    cover = Cover(
        title=title,
        subtitle=_("Board report for the college and the council"),
        organisation=study.organisation,
        facts=tuple(facts),
        notice=synthetic_notice(study, words),
    )
    return Report(
        language=language,
        cover=cover,
        contents_title=_("Contents"),
        page_word=_("page"),
        blocks=tuple(blocks),
        footer=f"{title} · {study.organisation} · {status_word}",
    )


def build_report(
    target: Target,
    format: Format = "pdf",
    options: ReportOptions | None = None,
    *,
    timestamp: dt.datetime | None = None,
) -> bytes:
    """The report of ``target``'s study as PDF or HTML bytes.

    Raises
    ------
    koers.errors.KoersError
        For an unknown format, or when the PDF cannot be laid out.
    """
    if format not in FORMATS:
        raise KoersError(f"unknown report format '{format}'; use one of: {', '.join(FORMATS)}")
    return build(report_content(target, options), format, timestamp=timestamp)


def report_of(
    study: str,
    format: Format = "pdf",
    options: ReportOptions | None = None,
    *,
    database: str | None = None,
) -> bytes:
    """The report of a study file, or of study number ``study`` in ``database``.

    Raises
    ------
    koers.errors.KoersError
        ``NotFoundError`` when there is no such study; ``ValidationError`` for a bad study
        file; see :func:`build_report`.
    """
    with open_target(study, database) as target:
        return build_report(target, format, options)


def save_report(
    study: str,
    output: Path,
    format: Format = "pdf",
    options: ReportOptions | None = None,
    *,
    database: str | None = None,
) -> int:
    """Write the report of ``study`` (see :func:`report_of`) to ``output`` atomically; its
    size in bytes."""
    content = report_of(study, format, options, database=database)
    write_atomic(output, content)
    return len(content)


def _sources(target: Target, options: ReportOptions, language: Language) -> Sources:
    study = target.study
    status = signal_status(target)
    review = None
    if study.strategy is not None and study.strategy.policies:
        review = strategy.review_target(target)
    structure = follow = None
    if len(study.descriptors) >= 2 and study.judgements:
        structure = micmac.micmac_study(study)
        if status.nearest is not None and status.follow:
            follow = chains.chain(study, status.nearest.observed, {}, language=language)
    return Sources(status, review, structure, follow, _since(status.month, options))


def _since(month: str | None, options: ReportOptions) -> dt.date:
    """The first day that counts as "since the last report" (see :class:`ReportOptions`).

    >>> _since("2023-12", ReportOptions())
    datetime.date(2023, 10, 1)
    >>> _since(None, ReportOptions(today=dt.date(2026, 11, 27)))
    datetime.date(2026, 8, 29)
    """
    if options.since is not None:
        return options.since
    if month is not None:
        return (Period.parse(month, "month") + (1 - SINCE_MONTHS)).start()
    return (options.today or dt.date.today()) - dt.timedelta(days=90)
