"""The CBS StatLine client against hand-built cassettes in tests/data/cbs (no network)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from koers.connectors import cbs
from koers.errors import FormatError, NotFoundError, ValidationError

CASSETTES = Path(__file__).parents[1] / "data" / "cbs"
TABLE = "37230ned"
MEASURE = "BevolkingAanHetBeginVanDePeriode_1"


def _client(folder: Path = CASSETTES) -> httpx.Client:
    return httpx.Client(transport=cbs.replay_transport(folder))


def _patched(rows: list[dict[str, object]]) -> httpx.Client:
    """The 37230ned cassettes, with the TypedDataSet answered by ``rows`` instead."""
    replay = cbs.replay_transport(CASSETTES)

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/TypedDataSet"):
            return httpx.Response(200, json={"value": rows})
        return replay.handle_request(request)

    return httpx.Client(transport=httpx.MockTransport(answer))


def _failing(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_table_info_reads_title_period_modified_and_licence() -> None:
    info = cbs.table_info(TABLE, client=_client())
    assert info.title == "Bevolkingsontwikkeling; regio per maand"
    assert info.period == "januari 2002 - oktober 2024"
    assert info.frequency == "Permaand"
    assert info.modified == dt.datetime(2024, 11, 29, 2, 0)
    assert info.licence == "CC BY 4.0"  # TableInfos has no licence field: CBS's general one
    assert info.attribution() == "Bron: CBS StatLine, tabel 37230ned (CC BY 4.0)"


def test_fetch_strips_padding_converts_periods_follows_paging_and_counts_nulls() -> None:
    found = cbs.fetch(TABLE, MEASURE, {}, ["GM0344", "GM0363"], client=_client())
    # Page 1 holds GM0344 for 2021MM01..MM03 and GM0363 for MM01; the nextLink page holds
    # GM0363 for MM02 and a null for MM03: five values and one skipped cell.
    assert [(o.region, o.period, o.value) for o in found] == [
        ("GM0344", "2021-01", 361924.0),
        ("GM0344", "2021-02", 362170.0),
        ("GM0344", "2021-03", 362415.0),
        ("GM0363", "2021-01", 872757.0),
        ("GM0363", "2021-02", 872380.0),
    ]
    assert {o.frequency for o in found} == {"month"}
    assert found.skipped == (cbs.SkippedCell("GM0363", "2021-03", None),)


def test_fetch_filters_on_region_keys_padded_to_the_dimension_width() -> None:
    sent: list[httpx.URL] = []
    replay = cbs.replay_transport(CASSETTES)

    def spy(request: httpx.Request) -> httpx.Response:
        sent.append(request.url)
        return replay.handle_request(request)

    cbs.fetch(TABLE, MEASURE, {}, ["GM0344", "GM0363"], client=_failing(spy))
    data = [url for url in sent if url.path.endswith("/TypedDataSet")]
    assert len(data) == 2  # the first page and the nextLink
    query = data[0].params
    assert query["$filter"] == "(RegioS eq 'GM0344  ' or RegioS eq 'GM0363  ')"
    assert query["$select"] == f"RegioS,Perioden,{MEASURE}"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("2021MM03", ("2021-03", "month")),
        ("2021MM12", ("2021-12", "month")),
        ("2021KW01", ("2021-Q1", "quarter")),
        ("2020KW04", ("2020-Q4", "quarter")),
        ("2021JJ00", ("2021", "year")),
        ("  2021JJ00 ", ("2021", "year")),
    ],
)
def test_convert_period(key: str, expected: tuple[str, str]) -> None:
    assert cbs.convert_period(key) == expected


@pytest.mark.parametrize("key", ["2021HJ01", "2021MM13", "2021KW05", "2021X000", "2021W105"])
def test_convert_period_refuses_other_codes(key: str) -> None:
    with pytest.raises(ValueError, match="half years"):
        cbs.convert_period(key)


def test_fetch_reads_untyped_strings_and_skips_dots() -> None:
    rows: list[dict[str, object]] = [
        {"RegioS": "GM0344  ", "Perioden": "2021MM01", MEASURE: "  361924"},
        {"RegioS": "GM0344  ", "Perioden": "2021MM02", MEASURE: "       ."},
        {"RegioS": "GM0344  ", "Perioden": "2021MM03", MEASURE: ""},
    ]
    found = cbs.fetch(TABLE, MEASURE, {}, ["GM0344"], client=_patched(rows))
    assert [(o.period, o.value) for o in found] == [("2021-01", 361924.0)]
    assert [(s.period, s.raw) for s in found.skipped] == [
        ("2021-02", "       ."),
        ("2021-03", ""),
    ]


def test_fetch_keeps_one_frequency_when_asked() -> None:
    rows: list[dict[str, object]] = [
        {"RegioS": "GM0344  ", "Perioden": "2021JJ00", MEASURE: 361924},
        {"RegioS": "GM0344  ", "Perioden": "2021MM01", MEASURE: 361924},
    ]
    found = cbs.fetch(TABLE, MEASURE, {}, ["GM0344"], frequency="month", client=_patched(rows))
    assert [o.period for o in found] == ["2021-01"]


def test_fetch_refuses_period_codes_koers_cannot_read() -> None:
    rows: list[dict[str, object]] = [{"RegioS": "GM0344  ", "Perioden": "2021HJ01", MEASURE: 1}]
    with pytest.raises(ValidationError, match="2021HJ01"):
        cbs.fetch(TABLE, MEASURE, {}, ["GM0344"], client=_patched(rows))


def test_fetch_refuses_a_value_that_is_not_a_number() -> None:
    rows: list[dict[str, object]] = [{"RegioS": "GM0344  ", "Perioden": "2021MM01", MEASURE: "x1"}]
    with pytest.raises(FormatError, match="x1"):
        cbs.fetch(TABLE, MEASURE, {}, ["GM0344"], client=_patched(rows))


def test_unreachable_network_says_so_and_offers_the_csv_import() -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution")

    with pytest.raises(cbs.CbsUnreachableError) as caught:
        cbs.fetch(TABLE, MEASURE, {}, ["GM0344"], client=_failing(offline))
    message = str(caught.value)
    assert "CBS StatLine is not reachable from this machine" in message
    assert "import a CSV instead" in message


def test_unknown_table_is_not_found() -> None:
    with pytest.raises(cbs.CbsTableNotFoundError, match="no table '99999ned'"):
        cbs.fetch("99999ned", MEASURE, {}, ["GM0344"], client=_client())
    with pytest.raises(NotFoundError):
        cbs.table_info("99999ned", client=_client())


def test_malformed_json_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="not JSON"):
        cbs.table_info("99998ned", client=_client())


def test_other_http_errors_carry_the_odata_message() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        error = {"odata.error": {"code": "", "message": {"lang": "nl-NL", "value": "Busy"}}}
        return httpx.Response(503, json=error)

    with pytest.raises(cbs.CbsResponseError, match=r"HTTP 503.*Busy"):
        cbs.table_info(TABLE, client=_failing(broken))


def test_unknown_measure_suggests_the_near_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        cbs.fetch(TABLE, "BevolkingAanHetBeginVanDePeriode_2", {}, ["GM0344"], client=_client())
    (problem,) = caught.value.problems
    assert problem.path == "measure"
    assert "did you mean 'BevolkingAanHetBeginVanDePeriode_1'" in problem.message


def test_a_dimension_is_not_a_measure() -> None:
    with pytest.raises(ValidationError, match="'Perioden' is a dimension, not a measure"):
        cbs.fetch(TABLE, "Perioden", {}, ["GM0344"], client=_client())


def test_unknown_and_misused_filter_dimensions_are_all_reported() -> None:
    filters = {"Geslacht": "T001038", "RegioS": "GM0344"}
    with pytest.raises(ValidationError) as caught:
        cbs.fetch(TABLE, MEASURE, filters, ["GM0344"], client=_client())
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["filters.Geslacht", "filters.RegioS"]
    assert "'Geslacht' is not a dimension of table 37230ned" in str(caught.value)


def test_bad_region_codes_and_table_identifiers_are_refused_before_asking() -> None:
    with pytest.raises(ValidationError, match="'Utrecht' is not a CBS region code"):
        cbs.fetch(TABLE, MEASURE, {}, ["Utrecht"], client=_client())
    with pytest.raises(ValidationError, match="not a StatLine table identifier"):
        cbs.table_info("37230", client=_client())


def test_record_writes_cassettes_that_replay_the_same_answers(tmp_path: Path) -> None:
    (tmp_path / "37230ned-09-stale.json").write_text("{}", encoding="utf-8")
    (tmp_path / "99999ned-01-tableinfos.json").write_text("{}", encoding="utf-8")
    written = cbs.record(
        TABLE,
        MEASURE,
        {},
        ["GM0344", "GM0363"],
        tmp_path,
        transport=cbs.replay_transport(CASSETTES),
    )
    # TableInfos, DataProperties, RegioS, and the two pages of TypedDataSet.
    assert [path.name for path in written] == [
        "37230ned-01-tableinfos.json",
        "37230ned-02-dataproperties.json",
        "37230ned-03-regios.json",
        "37230ned-04-typeddataset.json",
        "37230ned-05-typeddataset.json",
    ]
    assert not (tmp_path / "37230ned-09-stale.json").exists()
    assert (tmp_path / "99999ned-01-tableinfos.json").exists()  # other tables' cassettes stay
    (tmp_path / "99999ned-01-tableinfos.json").unlink()
    cassette = json.loads(written[0].read_text(encoding="utf-8"))
    assert cassette["recorded"] is not None
    again = cbs.fetch(TABLE, MEASURE, {}, ["GM0344", "GM0363"], client=_client(tmp_path))
    original = cbs.fetch(TABLE, MEASURE, {}, ["GM0344", "GM0363"], client=_client())
    assert again == original


def test_every_shipped_cassette_says_it_was_built_by_hand() -> None:
    cassettes = sorted(CASSETTES.glob("*.json"))
    assert len(cassettes) == 9
    for path in cassettes:
        cassette = json.loads(path.read_text(encoding="utf-8"))
        assert set(cassette) == {"request", "response", "recorded", "note"}
        assert cassette["recorded"] is None, path.name
        assert "illustrative" in cassette["note"], path.name


def test_record_writes_nothing_when_statline_cannot_be_reached(tmp_path: Path) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out")

    with pytest.raises(cbs.CbsUnreachableError):
        cbs.record(TABLE, MEASURE, {}, ["GM0344"], tmp_path, transport=httpx.MockTransport(offline))
    assert list(tmp_path.iterdir()) == []
