"""A thin client of CBS StatLine's OData v3 service, with recordings for offline tests.

StatLine publishes every table at ``https://opendata.cbs.nl/ODataApi/odata/{table}/`` with
the resources ``TableInfos`` (title, period, modification date), ``DataProperties`` (the
topics, i.e. measures, and the dimensions), one resource per dimension (its categories,
``Key`` and ``Title``) and ``TypedDataSet`` (the cells, numbers or ``null``). A JSON answer is
an object with a ``value`` list and, when the result is longer than one page, an
``odata.nextLink`` with the URL of the next page.

Region keys are padded with spaces to the width of the dimension (``'GM0344  '`` in 37230ned):
a ``$filter`` must use the padded key and the answer carries it padded. Periods are keys such as
``2021MM03`` (March 2021), ``2021KW01`` (first quarter) and ``2021JJ00`` (the year).

Source: CBS, *Handleiding CBS Open Data Services* (30 June 2014), sections TableInfos,
DataProperties, TimeDimension, Geografische Dimensies and TypedDataset; OData version 3.0
JSON light format for ``odata.nextLink`` and ``odata.error``. docs/cbs.md says more.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from koers.connectors.cassettes import Recorder, replay_transport
from koers.errors import FormatError, KoersError, NotFoundError, Problem, ValidationError
from koers.model.periods import Frequency

__all__ = [
    "ATTRIBUTION",
    "BASE_URL",
    "LICENCE",
    "CbsObservation",
    "CbsObservations",
    "CbsResponseError",
    "CbsTableNotFoundError",
    "CbsUnreachableError",
    "SkippedCell",
    "TableInfo",
    "convert_period",
    "fetch",
    "record",
    "replay_transport",
    "table_info",
]

BASE_URL = "https://opendata.cbs.nl/ODataApi/odata"
LICENCE = "CC BY 4.0"
"""CBS publishes StatLine under Creative Commons Attribution 4.0 (cbs.nl, 'Copyright')."""
ATTRIBUTION = "Bron: CBS StatLine, tabel {table} (CC BY 4.0)"
"""The attribution Koers shows beside every figure it took from StatLine."""

_TIMEOUT = httpx.Timeout(30.0)
_DIMENSION_TYPES = {"Dimension", "GeoDimension", "GeoDetail", "TimeDimension"}
_TABLE = re.compile(r"^[0-9]{5}[A-Za-z]{3}$")
_REGION = re.compile(r"^(NL01|[A-Z]{2}\d{2,4})$")
_PERIODS: tuple[tuple[re.Pattern[str], Frequency], ...] = (
    (re.compile(r"^(\d{4})JJ00$"), "year"),
    (re.compile(r"^(\d{4})KW0([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})MM(0[1-9]|1[0-2])$"), "month"),
)
_MISSING = {"", "."}
"""Untyped cells CBS leaves empty: '.' means 'figure unknown, insufficiently reliable or
secret' in StatLine's notation; the typed set sends ``null`` for the same cells."""


class CbsUnreachableError(KoersError):
    """StatLine could not be reached: no network, no DNS, a timeout."""


class CbsTableNotFoundError(NotFoundError):
    """StatLine has no table with the identifier asked for (HTTP 404)."""


class CbsResponseError(KoersError):
    """StatLine answered with an HTTP error other than 404."""


@dataclass(frozen=True)
class TableInfo:
    """What ``TableInfos`` says about a table, and the licence it is published under."""

    identifier: str
    title: str
    short_title: str
    period: str
    frequency: str
    modified: dt.datetime | None
    licence: str

    def attribution(self) -> str:
        """The source line to show beside figures from this table.

        >>> TableInfo("37230ned", "t", "t", "", "", None, LICENCE).attribution()
        'Bron: CBS StatLine, tabel 37230ned (CC BY 4.0)'
        """
        return ATTRIBUTION.format(table=self.identifier)


@dataclass(frozen=True)
class CbsObservation:
    """One cell of a table: ``measure`` for ``region`` in ``period`` (Koers's period text)."""

    table: str
    measure: str
    region: str
    period: str
    frequency: Frequency
    value: float


@dataclass(frozen=True)
class SkippedCell:
    """A cell CBS left empty (``null``, or ``'.'`` in untyped sets); ``raw`` is what came."""

    region: str
    period: str
    raw: str | None


class CbsObservations(list[CbsObservation]):
    """The observations of one fetch, with the empty cells that were skipped in ``skipped``."""

    def __init__(
        self, observations: Sequence[CbsObservation], skipped: Sequence[SkippedCell] = ()
    ) -> None:
        super().__init__(observations)
        self.skipped: tuple[SkippedCell, ...] = tuple(skipped)


def convert_period(key: str) -> tuple[str, Frequency]:
    """Koers's text and frequency for the CBS period key ``key``.

    Accepted: years ``2021JJ00``, quarters ``2021KW01`` to ``KW04`` and months ``2021MM01``
    to ``MM12``. Refused with a :class:`ValueError`: half years (``HJ``), weeks and any other
    code, because Koers has no frequency for them or their CBS form could not be verified.

    >>> convert_period("2021MM03"), convert_period("2021KW01"), convert_period("2021JJ00")
    (('2021-03', 'month'), ('2021-Q1', 'quarter'), ('2021', 'year'))
    """
    code = key.strip()
    for pattern, frequency in _PERIODS:
        match = pattern.match(code)
        if match is None:
            continue
        year = match.group(1)
        if frequency == "year":
            return year, frequency
        if frequency == "quarter":
            return f"{year}-Q{match.group(2)}", frequency
        return f"{year}-{match.group(2)}", frequency
    raise ValueError(
        f"CBS period '{code}' is not a year (2021JJ00), quarter (2021KW01) or month "
        "(2021MM03); Koers does not read half years (HJ), weeks or other CBS period codes"
    )


def table_info(table: str, *, client: httpx.Client | None = None) -> TableInfo:
    """The title, period, frequency, modification time and licence of ``table``.

    ``TableInfos`` in OData v3 carries no licence field; when it has none (as documented), the
    licence is :data:`LICENCE`, which CBS applies to all of StatLine.

    Raises
    ------
    CbsUnreachableError, CbsTableNotFoundError, CbsResponseError, FormatError
    """
    _check_table(table)
    with _Session(client) as session:
        rows = session.rows(f"{BASE_URL}/{table}/TableInfos", {"$format": "json"}, table)
    if not rows:
        raise FormatError(f"CBS StatLine sent no TableInfos for table '{table}'", path=table)
    info = rows[0]
    return TableInfo(
        identifier=str(info.get("Identifier") or table),
        title=str(info.get("Title") or ""),
        short_title=str(info.get("ShortTitle") or ""),
        period=str(info.get("Period") or ""),
        frequency=str(info.get("Frequency") or ""),
        modified=_timestamp(info.get("Modified")),
        licence=str(info.get("License") or info.get("Licence") or LICENCE),
    )


def fetch(
    table: str,
    measure: str,
    filters: Mapping[str, str],
    region_codes: Sequence[str],
    *,
    frequency: Frequency | None = None,
    client: httpx.Client | None = None,
) -> CbsObservations:
    """The values of ``measure`` in ``table`` for ``region_codes``, every other dimension fixed
    by ``filters`` (dimension key to category key).

    The measure and the filter dimensions are checked against the table's ``DataProperties``
    first (with suggestions for near misses). The request filters on the regions, padded to the
    width of the region dimension, and on the filters, selects only the region, period and
    measure, and follows ``odata.nextLink`` until the last page. Region keys come back
    stripped; periods in Koers's form (:func:`convert_period`). With ``frequency``, periods of
    other frequencies are left out (tables such as 37230ned mix months and years). Empty cells
    are not observations: they are skipped and listed in ``skipped`` of the result.

    Raises
    ------
    ValidationError
        An unknown measure or dimension, a dimension left unfixed, a malformed region code,
        or period codes Koers does not read.
    CbsUnreachableError, CbsTableNotFoundError, CbsResponseError, FormatError
    """
    _check_table(table)
    bad = [code for code in region_codes if not _REGION.match(code)]
    if bad or not region_codes:
        raise ValidationError(
            [Problem(f"'{code}' is not a CBS region code such as 'GM0344'") for code in bad]
            or [Problem("give at least one region code, such as 'GM0344'")]
        )
    with _Session(client) as session:
        properties = session.rows(f"{BASE_URL}/{table}/DataProperties", {"$format": "json"}, table)
        geo, time = _check_request(table, properties, measure, filters)
        width = session.key_width(table, geo)
        regions = " or ".join(f"{geo} eq {_quote(code.ljust(width))}" for code in region_codes)
        clauses = [f"({regions})"] + [f"{key} eq {_quote(value)}" for key, value in filters.items()]
        params = {
            "$filter": " and ".join(clauses),
            "$select": f"{geo},{time},{measure}",
            "$format": "json",
        }
        rows = session.rows(f"{BASE_URL}/{table}/TypedDataSet", params, table)
    return _observations(table, measure, geo, time, rows, frequency)


def record(
    table: str,
    measure: str,
    filters: Mapping[str, str],
    region_codes: Sequence[str],
    folder: str | Path,
    *,
    transport: httpx.BaseTransport | None = None,
) -> list[Path]:
    """Ask StatLine what :func:`table_info` and :func:`fetch` ask, and write every exchange
    to ``folder`` as a cassette (``{table}-{nn}-{resource}.json``). Returns the files written.

    Nothing is written unless every request succeeded; then the table's earlier cassettes in
    ``folder`` are replaced. Cassettes of other tables (the hand-built error cases) stay.

    This is the engine of the manual command that refreshes tests/data/cbs when online;
    ``transport`` replaces the network (the tests replay cassettes through it).
    """
    recorder = Recorder(transport or httpx.HTTPTransport(retries=2))
    with httpx.Client(transport=recorder, timeout=_TIMEOUT) as client:
        table_info(table, client=client)
        fetch(table, measure, filters, region_codes, client=client)
    return recorder.write(Path(folder), table)


class _Session:
    """One client for a series of requests, and the translation of failures into errors."""

    def __init__(self, client: httpx.Client | None) -> None:
        self._own = client is None
        self._client = client or httpx.Client(timeout=_TIMEOUT)

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *_: object) -> None:
        if self._own:
            self._client.close()

    def rows(self, url: str, params: Mapping[str, str], table: str) -> list[dict[str, Any]]:
        """Every row of a resource, following ``odata.nextLink`` from page to page."""
        found: list[dict[str, Any]] = []
        next_url: str | None = url
        query: Mapping[str, str] | None = params
        while next_url is not None:
            page = self._page(next_url, query, table)
            found.extend(page["value"])
            link = page.get("odata.nextLink")
            next_url = link if isinstance(link, str) and link else None
            query = None  # the next link carries its own query
        return found

    def key_width(self, table: str, dimension: str) -> int:
        """The width CBS pads the keys of ``dimension`` to: the length of its first key."""
        rows = self.rows(
            f"{BASE_URL}/{table}/{dimension}",
            {"$select": "Key", "$top": "1", "$format": "json"},
            table,
        )
        if not rows or not isinstance(rows[0].get("Key"), str):
            raise FormatError(f"CBS StatLine sent no keys for dimension '{dimension}'", table)
        return len(rows[0]["Key"])

    def _page(self, url: str, params: Mapping[str, str] | None, table: str) -> dict[str, Any]:
        try:
            response = self._client.get(url, params=params)
        except httpx.TransportError as err:
            raise CbsUnreachableError(
                f"CBS StatLine is not reachable from this machine ({type(err).__name__}: "
                f"{err}); import a CSV instead (koers signals import STUDY FILE), or try "
                "again when the machine is online"
            ) from err
        if response.status_code == 404:
            raise CbsTableNotFoundError(
                f"CBS StatLine has no table '{table}' ({response.url}): check the identifier "
                "in the StatLine catalogue, for example 37230ned"
            )
        if response.status_code >= 400:
            raise CbsResponseError(
                f"CBS StatLine answered HTTP {response.status_code} for {response.url}: "
                f"{_odata_error(response)}"
            )
        try:
            page = response.json()
        except ValueError as err:
            raise FormatError(
                f"CBS StatLine sent a response that is not JSON ({err}); the service may be "
                "down or changed: try again later, or import a CSV instead",
                path=str(response.url),
            ) from err
        if not isinstance(page, dict) or not isinstance(page.get("value"), list):
            raise FormatError(
                "CBS StatLine sent JSON without the 'value' list of an OData feed",
                path=str(response.url),
            )
        return page


def _check_table(table: str) -> None:
    if not _TABLE.match(table):
        raise ValidationError(
            [Problem(f"'{table}' is not a StatLine table identifier such as '37230ned'")]
        )


def _check_request(
    table: str, properties: Sequence[Mapping[str, Any]], measure: str, filters: Mapping[str, str]
) -> tuple[str, str]:
    """The keys of the region and period dimensions, after checking measure and filters."""
    kinds = {str(row.get("Key")): str(row.get("Type")) for row in properties if row.get("Key")}
    topics = [key for key, kind in kinds.items() if kind == "Topic"]
    dimensions = [key for key, kind in kinds.items() if kind in _DIMENSION_TYPES]
    geo = next((key for key in dimensions if kinds[key] == "GeoDimension"), None)
    time = next((key for key in dimensions if kinds[key] == "TimeDimension"), None)
    problems = []
    if measure not in topics:
        what = "a dimension, not a measure" if measure in dimensions else "not a measure"
        problems.append(
            Problem(f"'{measure}' is {what} of table {table}{_suggest(measure, topics)}", "measure")
        )
    for key in filters:
        if key not in dimensions:
            problems.append(
                Problem(
                    f"'{key}' is not a dimension of table {table}{_suggest(key, dimensions)}",
                    f"filters.{key}",
                )
            )
        elif kinds[key] != "Dimension":
            problems.append(
                Problem(
                    f"'{key}' is the {kinds[key]} of table {table}; give regions as region "
                    "codes and leave periods unfiltered",
                    f"filters.{key}",
                )
            )
    for key in dimensions:
        if kinds[key] == "Dimension" and key not in filters:
            problems.append(
                Problem(
                    f"dimension '{key}' of table {table} is not fixed; add a filter "
                    f"'{key}: <category key>' so that each region and period has one value",
                    "filters",
                )
            )
    if geo is None or time is None:
        problems.append(
            Problem(f"table {table} has no region or no period dimension; Koers cannot read it")
        )
    if problems:
        raise ValidationError(problems)
    assert geo is not None and time is not None
    return geo, time


def _observations(
    table: str,
    measure: str,
    geo: str,
    time: str,
    rows: Sequence[Mapping[str, Any]],
    frequency: Frequency | None,
) -> CbsObservations:
    found: list[CbsObservation] = []
    skipped: list[SkippedCell] = []
    refused: dict[str, str] = {}
    for row in rows:
        region = str(row.get(geo, "")).strip()
        key = str(row.get(time, "")).strip()
        try:
            period, own = convert_period(key)
        except ValueError as err:
            refused.setdefault(key, str(err))
            continue
        if frequency is not None and own != frequency:
            continue
        value = _value(row.get(measure), table, measure)
        if value is None:
            raw = row.get(measure)
            skipped.append(SkippedCell(region, period, raw if isinstance(raw, str) else None))
            continue
        found.append(CbsObservation(table, measure, region, period, own, value))
    if refused:
        raise ValidationError([Problem(message, f"{table}.{time}") for message in refused.values()])
    return CbsObservations(found, skipped)


def _value(raw: object, table: str, measure: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise FormatError(f"CBS StatLine sent {raw!r} as a value of {measure}", path=table)
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if text in _MISSING:
            return None
        try:
            return float(text)
        except ValueError:
            pass
    raise FormatError(f"CBS StatLine sent {raw!r} as a value of {measure}", path=table)


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    if close:
        return "; did you mean " + " or ".join(f"'{choice}'" for choice in close) + "?"
    return f"; it has {', '.join(choices[:8])}{', ...' if len(choices) > 8 else ''}"


def _quote(text: str) -> str:
    """An OData string literal: single quotes, a quote inside doubled."""
    return "'" + text.replace("'", "''") + "'"


def _odata_error(response: httpx.Response) -> str:
    try:
        error = response.json()["odata.error"]["message"]["value"]
    except (ValueError, KeyError, TypeError):
        return response.text[:200] or response.reason_phrase
    return str(error)


def _timestamp(text: object) -> dt.datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None
