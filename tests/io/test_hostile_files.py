"""Hostile files: zip bombs in workbooks, YAML bombs and tags, formula injection in exports.

Each hostile file is refused with a located, mendable message before anything is read into
memory or written (exit 2 on the command line); each export writes what a person typed as
text that a spreadsheet shows and never runs.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from koers.cli import app
from koers.errors import FormatError, ValidationError
from koers.io import safe_zip, study_yaml
from koers.io.observation_tables import read_table, read_workbook
from koers.io.register_export import write_registers
from koers.io.signal_export import write_signal_workbook
from koers.model import Study, Text
from koers.services import accounts, studies
from koers.services.studies import demo_study
from koers.store import Repository

HEADER = ("indicator", "regio", "periode", "waarde")


def _workbook(path: Path) -> Path:
    """A plain observations workbook at ``path``: the header and one row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(("ziekteverzuim", "GM0355", "2024-01", 5.5))
    workbook.save(path)
    return path


def _with_members(path: Path, members: dict[str, bytes]) -> Path:
    """The workbook at ``path`` with ``members`` added (deflated), in place."""
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """openpyxl's loader fails the test if a refused workbook reaches it."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl opened a workbook that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    yield


# Zip bombs -----------------------------------------------------------------------------------


def test_a_plain_workbook_is_read(tmp_path: Path) -> None:
    table = read_table(_workbook(tmp_path / "plain.xlsx"))
    assert table.header == HEADER
    assert [cells for _, cells in table.rows] == [("ziekteverzuim", "GM0355", "2024-01", 5.5)]


@pytest.mark.usefixtures("no_openpyxl")
def test_a_zip_bomb_member_is_refused_unopened(tmp_path: Path) -> None:
    # 5,000,000 zero bytes deflate to about 5 kB: a ratio near 1,000, far above 200.
    bomb = _with_members(_workbook(tmp_path / "bom.xlsx"), {"xl/media/x.bin": bytes(5_000_000)})
    for reader in (read_table, read_workbook):
        with pytest.raises(FormatError) as caught:
            reader(bomb)
        problem = caught.value.problems[0]
        assert problem.path == str(bomb)
        assert "'xl/media/x.bin' unpacks" in problem.message
        assert "at most 200 times" in problem.message
        assert "save it again" in problem.message


@pytest.mark.usefixtures("no_openpyxl")
def test_the_unpacked_total_is_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A plain workbook unpacks to a few kB: above a limit of 1,000 bytes.
    monkeypatch.setattr(safe_zip, "MAX_UNCOMPRESSED_BYTES", 1_000)
    with pytest.raises(FormatError, match=r"more than the 0 MB allowed"):
        read_table(_workbook(tmp_path / "plain.xlsx"))


@pytest.mark.usefixtures("no_openpyxl")
def test_too_many_members_are_refused(tmp_path: Path) -> None:
    extra = {f"xl/extra/{n}.xml": b"" for n in range(safe_zip.MAX_MEMBERS)}
    path = _with_members(_workbook(tmp_path / "veel.xlsx"), extra)
    with zipfile.ZipFile(path) as archive:
        count = len(archive.infolist())
    with pytest.raises(FormatError, match=rf"holds {count} files, more than the 1000 allowed"):
        read_table(path)


@pytest.mark.usefixtures("no_openpyxl")
@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "/etc/passwd", "C:/Windows/win.ini", "xl\\..\\x.xml", "xl/a\x01.xml"],
)
def test_member_names_outside_the_archive_are_refused(tmp_path: Path, name: str) -> None:
    path = _with_members(_workbook(tmp_path / "pad.xlsx"), {name: b"<x/>"})
    with pytest.raises(FormatError, match="has a name that points outside the file"):
        read_table(path)


def test_an_entity_bomb_in_the_sheet_xml_is_refused(tmp_path: Path) -> None:
    # Ten levels of ten references each stand for 10**9 "lol"s; expat (2.4 and later) stops
    # the expansion, and the reader reports a damaged workbook rather than hanging.
    plain = _workbook(tmp_path / "plain.xlsx")
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    )
    bomb = tmp_path / "xml-bom.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w") as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8").replace("<t>indicator</t>", "<t>&l9;</t>")
                text = text.replace("<worksheet ", f"<!DOCTYPE worksheet [{entities}]><worksheet ")
                data = text.encode("utf-8")
            target.writestr(member, data)
    start = time.perf_counter()
    with pytest.raises(FormatError, match="cannot be read"):
        read_table(bomb)
    assert time.perf_counter() - start < 5


def test_a_file_that_is_no_zip_gets_the_readers_own_message(tmp_path: Path) -> None:
    path = tmp_path / "nep.xlsx"
    path.write_bytes(b"indicator,regio\n")
    with pytest.raises(FormatError, match="not an Excel workbook"):
        read_table(path)


def test_the_command_line_refuses_a_bomb_with_exit_2(tmp_path: Path) -> None:
    study, _ = demo_study(tmp_path)
    bomb = _with_members(_workbook(tmp_path / "bom.xlsx"), {"xl/media/x.bin": bytes(5_000_000)})
    for command in ("signals", "strategy"):
        result = CliRunner().invoke(app, [command, "import", str(study), str(bomb)])
        assert result.exit_code == 2, result.output
        assert "unpacks" in result.output + result.stderr
    status = CliRunner().invoke(app, ["signals", "status", str(study), "--json"])
    assert '"ziekteverzuim"' not in status.stdout or "2024-01" not in status.stdout


# YAML bombs and tags -------------------------------------------------------------------------


def _demo_yaml(tmp_path: Path) -> str:
    path, _ = demo_study(tmp_path)
    return path.read_text(encoding="utf-8")


def test_a_billion_laughs_is_refused_at_once() -> None:
    # Nine levels of nine aliases each stand for 9**9 = 387,420,489 strings.
    lines = ['lol0: &l0 "lol"']
    lines += [f"lol{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    start = time.perf_counter()
    with pytest.raises(ValidationError) as caught:
        study_yaml.loads("\n".join(lines) + "\n", "lol.yaml")
    assert time.perf_counter() - start < 2
    problems = caught.value.problems
    assert len(problems) == 20  # the first 20 of 81 aliases; enough to see what is wrong
    first = problems[0]
    # line 2 is 'lol1: &l1 [*l0, ...': the first alias stands in column 12.
    assert (first.path, first.line, first.column) == ("lol.yaml", 2, 12)
    assert "alias '*l0'" in first.message and "write the value out in full" in first.message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/object/apply:os.system ['touch {marker}']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!eigen 3", "!eigen"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
    ],
)
def test_tags_other_than_plain_types_are_refused(tmp_path: Path, value: str, shown: str) -> None:
    marker = tmp_path / "pwned"
    text = _demo_yaml(tmp_path) + f"extra: {value.replace('{marker}', str(marker))}\n"
    line = text.count("\n")
    with pytest.raises(ValidationError) as caught:
        study_yaml.loads(text, "tag.yaml")
    problem = caught.value.problems[0]
    assert problem.line == line and problem.column == len("extra: ") + 1
    assert f"the tag '{shown}' is not allowed" in problem.message
    assert not marker.exists()


def test_plain_tags_are_allowed(tmp_path: Path) -> None:
    text = _demo_yaml(tmp_path)
    tagged = re.sub(r"^organisation: (.*)$", r"organisation: !!str \1", text, count=1, flags=re.M)
    assert tagged != text
    assert study_yaml.loads(tagged).organisation == study_yaml.loads(text).organisation


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(ValidationError, match="nest more than 50 levels") as caught:
        study_yaml.loads("a: " + "[" * 10_000 + "]" * 10_000 + "\n", "diep.yaml")
    assert caught.value.problems[0].line == 1


def test_the_command_line_refuses_a_yaml_bomb_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "lol.yaml"
    path.write_text('a: &a ["lol", "lol"]\nb: [*a, *a]\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "alias '*a'" in result.output + result.stderr


# Formula injection ---------------------------------------------------------------------------

PAYLOADS = ('=HYPERLINK("http://x")', "+1+cmd", "-1+cmd", "@SUM(A1)", "\tcmd")
"""Texts a spreadsheet would run as a formula (OWASP, "CSV Injection"). A carriage return is
refused by the model in every text, so it cannot reach an export; the guards are still
checked with it below."""


def _hostile_study(tmp_path: Path) -> Study:
    """The demo study with a payload as the name of policies and indicators."""
    study = studies.load_study(demo_study(tmp_path)[0])
    assert study.strategy is not None and len(study.strategy.policies) >= len(PAYLOADS)
    policies = [
        policy.model_copy(update={"name": Text(nl=payload, en=payload)})
        for policy, payload in zip(study.strategy.policies, PAYLOADS, strict=False)
    ]
    indicators = [
        indicator.model_copy(update={"name": Text(nl=payload, en=payload), "unit": payload})
        for indicator, payload in zip(study.indicators, PAYLOADS, strict=False)
    ]
    strategy = study.strategy.model_copy(
        update={"policies": (*policies, *study.strategy.policies[len(policies) :])}
    )
    return study.model_copy(
        update={
            "strategy": strategy,
            "indicators": (*indicators, *study.indicators[len(indicators) :]),
        }
    )


def _no_formulas(path: Path) -> list[str]:
    """Every string cell of the workbook at ``path``; fails on any formula in it."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, f"a formula in {name}"
    texts = []
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (cell.coordinate, cell.value)
                    texts.append(cell.value)
    return texts


def test_register_workbooks_hold_payloads_as_text(tmp_path: Path) -> None:
    study = _hostile_study(tmp_path)
    path = tmp_path / "registers.xlsx"
    write_registers(path, study, language="nl")
    texts = _no_formulas(path)
    for payload in PAYLOADS:
        assert payload.strip() in [text.strip() for text in texts]


def test_signal_workbooks_hold_payloads_as_text(tmp_path: Path) -> None:
    path = tmp_path / "signalen.xlsx"
    write_signal_workbook(path, _hostile_study(tmp_path), [])
    texts = _no_formulas(path)
    for payload in PAYLOADS:
        assert payload.strip() in [text.strip() for text in texts]


def _starts(cell: str) -> bool:
    return cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_register_csv_neutralises_every_payload(tmp_path: Path) -> None:
    path = tmp_path / "beleid.csv"
    write_registers(path, _hostile_study(tmp_path), register="policies", language="nl")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    for payload in PAYLOADS:
        assert "'" + payload in cells
    assert not [cell for cell in cells if _starts(cell)]


def test_the_audit_csv_neutralises_every_payload(tmp_path: Path) -> None:
    repository = Repository.open(f"sqlite:///{tmp_path / 'audit.db'}")
    try:
        study_id = repository.add_study(_hostile_study(tmp_path), actor="@SUM(1+1)")
        version = repository.get_study(study_id).versions["study"]
        changes = {"organisation": "=cmd|' /C calc'!A0"}
        repository.update_study(study_id, changes, version, actor="+cmd")
        rows = list(csv.reader(io.StringIO(accounts.audit_csv(repository, study_id))))
    finally:
        repository.close()
    cells = [cell for row in rows[1:] for cell in row]
    assert "'@SUM(1+1)" in cells and "'+cmd" in cells
    assert any(cell.startswith("'=cmd|") for cell in cells)
    # Numbers (ids, versions) may start with a minus sign; text may not start a formula.
    assert not [c for c in cells if _starts(c) and not re.fullmatch(r"-?\d+(\.\d+)?", c)]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_guard_neutralises_every_start(start: str) -> None:
    from koers.io.register_export import _csv_cell

    text = start + "cmd"
    assert _csv_cell(text) == "'" + text
    assert accounts._cell(text) == "'" + text


def test_the_events_csv_neutralises_payloads_and_reads_them_back(tmp_path: Path) -> None:
    from koers.io.events_csv import read_events_csv, write_events_csv
    from koers.model.events import Event

    names = (*PAYLOADS, "'t Hof")
    events = [
        Event(key=f"e{n}", name=Text(nl=name, en=name), probability=0.5)
        for n, name in enumerate(names)
    ]
    path = tmp_path / "gebeurtenissen.csv"
    write_events_csv(events, [], path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=";"))
    written = [row[2] for row in rows[1:]]
    assert written == ["'" + name for name in names]
    assert [event.name.get("en") for event in read_events_csv(path).events] == list(names)
