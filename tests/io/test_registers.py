"""The strategy registers in and out: Excel and CSV, Dutch and English, every problem located."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.errors import FormatError, Problem, ValidationError
from koers.io.register_columns import REGISTERS
from koers.io.register_export import register_table, write_registers
from koers.io.registers import RegisterCounts, apply_registers, read_registers
from koers.model.strategy import (
    Assumption,
    Initiative,
    Policy,
    PolicyScore,
    Strategy,
)
from koers.model.study import Study
from koers.model.text import Text
from koers.services.studies import new_study

DATA = Path(__file__).parent.parent / "data" / "strategy"
SCALE = "write a whole number from -2 to +2 (-2 harmful, -1 weak, 0 neutral, +1 fits, +2 strong)"
TEMPLATE = new_study("corona-lokale-besturen")
"""The Corona template: scenarios overbruggen, overleven, aanpassen, transformeren, and a
worked example of a strategy review."""
BARE = TEMPLATE.model_copy(update={"strategy": None})


def _problems(name: str, study: Study = TEMPLATE) -> list[tuple[int | None, int | None, str]]:
    with pytest.raises(ValidationError) as caught:
        read_registers(DATA / name, study)
    assert all(problem.path == str(DATA / name) for problem in caught.value.problems)
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def _roundtrip(study: Study, path: Path, **options: str) -> Strategy:
    """Export the registers of ``study`` to ``path`` and import them into a bare study."""
    write_registers(path, study, **options)  # type: ignore[arg-type]
    bare = study.model_copy(update={"strategy": None})
    strategy, _ = apply_registers(None, read_registers(path, bare))
    return strategy


# -- reading -----------------------------------------------------------------------------


def test_a_new_users_policy_list_from_excel() -> None:
    """Dutch headers, no keys, a sheet called Blad1: the header says it is the policy list."""
    read = read_registers(DATA / "beleid.xlsx", BARE)
    strategy, counts = apply_registers(None, read)
    assert read.registers == ("policies",)
    assert counts == {"policies": RegisterCounts(added=3)}
    first, second, third = strategy.policies
    assert first == Policy(
        key="armoedebeleid-en-schuldhulp",
        name=Text(nl="Armoedebeleid en schuldhulp"),
        description=Text(nl="Hulp bij armoede en schulden"),
        programme="Sociaal domein",
        portfolio="J. de Vries",
        budget=1_250_000,
        start=2022,
        end=2026,
        goals=(Text(nl="Minder huishoudens in armoede"), Text(nl="Schulden vroeg signaleren")),
    )
    # "€ 250.000" in a text cell is Dutch notation; the period 2023 is one year.
    assert (second.key, second.budget, second.start, second.end) == (
        "ondersteuning-lokale-ondernemers",
        250_000,
        2023,
        2023,
    )
    assert (third.start, third.end, third.budget) == (2022, 2025, 90000.5)


def test_scores_refer_to_policies_and_scenarios_by_name() -> None:
    policies, _ = apply_registers(None, read_registers(DATA / "beleid.xlsx", BARE))
    study = BARE.model_copy(update={"strategy": policies})
    read = read_registers(DATA / "scores-two-participants.csv", study)
    strategy, counts = apply_registers(policies, read)
    assert counts == {"scores": RegisterCounts(added=24)}
    assert strategy.scores[0] == PolicyScore(
        policy="armoedebeleid-en-schuldhulp",
        scenario="overbruggen",
        participant="Anna",
        score=2,
        reason=Text(nl="Vangnet werkt"),
    )
    assert {s.participant for s in strategy.scores} == {"Anna", "Bram"}


def test_scores_without_any_policy_say_to_import_the_policies_first() -> None:
    problems = _problems("scores-two-participants.csv", BARE)
    assert len(problems) == 24
    assert problems[0] == (
        2,
        1,
        "beleid: 'Armoedebeleid en schuldhulp' is not a policy: the study has no policies yet; "
        "import the policies first, or in the same workbook",
    )


def test_bad_scores_are_all_located() -> None:
    assert _problems("bad-scores.csv") == [
        (2, 4, f"score: +3 is outside -2..+2; {SCALE}"),
        (
            3,
            1,
            "policy: 'schuldhulp' is not a policy of the study or of this file (by key or by "
            "name); did you mean 'schuldhulpverlening'?",
        ),
        (
            4,
            2,
            "scenario: 'lockdown' is not a scenario of the study (by key or by name); choose one "
            "of: 'aanpassen', 'overbruggen', 'overleven', 'transformeren'",
        ),
        (5, 3, "participant: the participant is empty; every row needs one"),
        (6, 4, f"score: 'veel' is not a score; {SCALE}"),
        # Line 8 names by its name the policy line 7 names by key: the same score twice.
        (
            8,
            None,
            "the scores register has 'schuldhulpverlening / overleven / Bram' already on row 7; "
            "keep one row per policy, scenario and participant",
        ),
    ]


def test_bad_cells_of_a_workbook_name_their_sheet_and_cell() -> None:
    assert _problems("bad.xlsx") == [
        (2, 4, f"sheet 'Scores', cell D2 (score): +5 is outside -2..+2; {SCALE}"),
        (3, 4, f"sheet 'Scores', cell D3 (score): TRUE is not a score; {SCALE}"),
        (
            4,
            1,
            "sheet 'Scores', cell A4 (beleid): 'woningbouw' is not a policy of the study or of "
            "this file (by key or by name); did you mean 'woningbouwprogramma'?",
        ),
        (5, 4, f"sheet 'Scores', cell D5 (score): 1.5 is not a whole number; {SCALE}"),
    ]


def test_bad_policies_are_all_located() -> None:
    assert _problems("bad-policies.csv") == [
        (
            3,
            1,
            "sleutel: 'bad key!' is not a key; use letters, digits, '-', '_' and '.', start "
            "with a letter or digit, at most 64 characters",
        ),
        (4, 2, "naam: the name is empty; every row needs one"),
        (
            5,
            3,
            "budget: 'veel' is not a number in Dutch notation; write it like 1234,5 or 1.234,5 "
            "(a comma before the decimals), or read the file with decimal_comma=False when it "
            "uses a decimal point",
        ),
        (6, 4, "begin: '22' is not a year; write four digits such as 2026"),
        (7, None, "the policies register has 'ok' already on row 2; keep one row per key"),
    ]


def test_wrong_headers_are_refused_before_any_row() -> None:
    problems = _problems("bad-headers.csv")
    assert [(line, column) for line, column, _ in problems] == [(1, 2), (1, 3)]
    assert problems[0][2].startswith(
        "column 'kleur' is not a column of the policies register; rename or remove it. The "
        "columns are key, name, programme"
    )
    assert (
        problems[1][2]
        == "column 'naam' is the name column a second time (columns 1 and 3); keep one"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty; a register starts with a header row"),
        ("header-only.csv", "the file has a header but no rows below it; add one row per item"),
        ("not-a-zip.xlsx", "the file is not an Excel workbook (.xlsx) that Koers can read"),
    ],
)
def test_files_without_rows_or_not_a_workbook(name: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        read_registers(DATA / name, TEMPLATE)
    assert caught.value.problems[0].message.startswith(message)


def test_a_sheet_that_is_no_register_is_named() -> None:
    [(line, column, message)] = _problems("unknown-sheet.xlsx")
    assert (line, column) == (1, None)
    assert message.startswith("sheet 'Notities' is not a register Koers knows")
    # Asked for the policies register only, the workbook reads.
    read = read_registers(DATA / "unknown-sheet.xlsx", TEMPLATE, register="beleid")
    assert [row.key for row in read.rows] == [("stadsfestival",)]


def test_an_unknown_register_is_refused() -> None:
    with pytest.raises(ValidationError, match="'budgets' is not a register"):
        read_registers(DATA / "bad-scores.csv", TEMPLATE, register="budgets")


def test_the_register_of_a_csv_comes_from_its_name_before_its_header(tmp_path: Path) -> None:
    # "naam" alone fits policies (and not initiatives, which need kind and origin) ...
    path = tmp_path / "lijst.csv"
    path.write_text("naam\nStadsfestival\n", encoding="utf-8")
    assert read_registers(path, BARE).registers == ("policies",)
    # ... but a file named after the initiatives register is read as one.
    named = tmp_path / "initiatieven.csv"
    named.write_text("naam\nBuurtkamer\n", encoding="utf-8")
    problems = [p.message for p in _raised(named)]
    assert problems == [
        "the header of the initiatives register lacks the columns 'kind' ('soort'), "
        "'origin' ('herkomst')"
    ]


def _raised(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(ValidationError) as caught:
        read_registers(path, BARE)
    return caught.value.problems


ASSUMPTIONS_HEADER = (
    "sleutel;beleid;aanname;dragend;kwetsbaar;signaal;trigger;faalt in;indekkende acties\n"
)
FIRST_ASSUMPTION = (
    "a1;woningbouwprogramma;Bouwers blijven bouwen;ja;x;faillissementen;;Overleven;"
    '"Reserve\nPlan B"\n'
)


def test_cells_of_every_kind(tmp_path: Path) -> None:
    path = tmp_path / "aannames.csv"
    path.write_text(ASSUMPTIONS_HEADER + FIRST_ASSUMPTION, encoding="utf-8")
    strategy, _ = apply_registers(None, read_registers(path, TEMPLATE))
    assert strategy.assumptions == (
        Assumption(
            key="a1",
            policy="woningbouwprogramma",
            text=Text(nl="Bouwers blijven bouwen"),
            load_bearing=True,
            vulnerable=True,
            signpost="faillissementen",
            fails_in=("overleven",),
            hedging=(Text(nl="Reserve"), Text(nl="Plan B")),
        ),
    )


def test_a_trigger_must_be_one_of_its_signpost(tmp_path: Path) -> None:
    path = tmp_path / "aannames.csv"
    path.write_text(
        ASSUMPTIONS_HEADER
        + FIRST_ASSUMPTION
        + "a2;woningbouwprogramma;Rente blijft laag;nee;;bijstand;onbekend;;\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read_registers(path, TEMPLATE)
    [problem] = caught.value.problems
    # The quoted cell of the first row spans lines 2 and 3, so the second row is on line 4.
    assert (problem.line, problem.column) == (4, 7)
    assert problem.message.startswith("trigger: 'onbekend' is not a trigger of 'bijstand'")


def test_initiative_choices_in_dutch_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "gains.csv"
    path.write_text(
        "name,kind,origin,status,changed,scenarios,policies\n"
        'Buurtkamer,idee,Inwoners,verankerd,31-3-2021,"overleven, Aanpassen",\n'
        "Samenwerking,winst,staff,pilot,2021-04-01,,woningbouwprogramma\n"
        "Fout,soms,buren,klaar,gisteren,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read_registers(path, TEMPLATE)
    assert [(p.line, p.column) for p in caught.value.problems] == [(4, 2), (4, 3), (4, 4), (4, 5)]
    path.write_text("\n".join(path.read_text().splitlines()[:3]) + "\n", encoding="utf-8")
    strategy, _ = apply_registers(None, read_registers(path, TEMPLATE))
    first, second = strategy.initiatives
    assert first == Initiative(
        key="buurtkamer",
        kind="idea",
        name=Text(nl="Buurtkamer"),
        origin="residents",
        status="embedded",
        changed=dt.date(2021, 3, 31),
        scenarios=("overleven", "aanpassen"),
    )
    assert (second.kind, second.origin, second.policies) == (
        "gain",
        "staff",
        ("woningbouwprogramma",),
    )


# -- merging -----------------------------------------------------------------------------


def test_merge_adds_new_keys_and_updates_only_the_columns_given(tmp_path: Path) -> None:
    existing = Strategy(
        policies=(
            Policy(
                key="festival",
                name=Text(nl="Stadsfestival", en="City festival"),
                budget=90_000,
                programme="Cultuur",
            ),
        )
    )
    study = BARE.model_copy(update={"strategy": existing})
    path = tmp_path / "beleid.csv"
    # No key: the name finds the known policy. The file has no programme column and no English.
    path.write_text("naam;budget\nStadsfestival;100.000\nBuurtsport;5000\n", encoding="utf-8")
    strategy, counts = apply_registers(existing, read_registers(path, study))
    assert counts == {"policies": RegisterCounts(added=1, updated=1)}
    assert strategy.policies[0] == Policy(
        key="festival",
        name=Text(nl="Stadsfestival", en="City festival"),
        budget=100_000,
        programme="Cultuur",
    )
    assert strategy.policies[1] == Policy(key="buurtsport", name=Text(nl="Buurtsport"), budget=5000)
    # The same file again changes nothing.
    study = BARE.model_copy(update={"strategy": strategy})
    again, counts = apply_registers(strategy, read_registers(path, study))
    assert (again, counts) == (strategy, {"policies": RegisterCounts(unchanged=2)})


def test_scores_merge_by_policy_scenario_and_participant(tmp_path: Path) -> None:
    assert TEMPLATE.strategy is not None
    before = TEMPLATE.strategy.scores
    known = next(s for s in before if s.policy == "schuldhulpverlening")
    path = tmp_path / "scores.csv"
    path.write_text(
        "policy,scenario,participant,score\n"
        f"{known.policy},{known.scenario},{known.participant},{-known.score or 1}\n"
        f"{known.policy},{known.scenario},Nieuw,0\n",
        encoding="utf-8",
    )
    strategy, counts = apply_registers(TEMPLATE.strategy, read_registers(path, TEMPLATE))
    assert counts == {"scores": RegisterCounts(added=1, updated=1)}
    assert len(strategy.scores) == len(before) + 1
    changed = strategy.scores[before.index(known)]
    assert (changed.score, changed.reason) == (-known.score or 1, known.reason)


# -- writing -----------------------------------------------------------------------------


def test_every_field_of_the_registers_has_a_column() -> None:
    models = {
        "policies": Policy,
        "scores": PolicyScore,
        "assumptions": Assumption,
        "initiatives": Initiative,
    }
    for register in REGISTERS:
        fields = {c.field for c in register.columns if c.written}
        assert fields == set(models[register.key].model_fields), register.key


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_worked_example_round_trips_through_a_workbook(tmp_path: Path, language: str) -> None:
    assert TEMPLATE.strategy is not None and TEMPLATE.strategy.policies
    strategy = _roundtrip(TEMPLATE, tmp_path / "registers.xlsx", language=language)
    expected = Strategy(
        policies=TEMPLATE.strategy.policies,
        scores=TEMPLATE.strategy.scores,
        assumptions=TEMPLATE.strategy.assumptions,
        initiatives=TEMPLATE.strategy.initiatives,
    )
    assert strategy == expected


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_worked_example_round_trips_through_csv(tmp_path: Path, language: str) -> None:
    assert TEMPLATE.strategy is not None
    strategy: Strategy | None = None
    for register in REGISTERS:
        path = tmp_path / f"{register.key}.csv"
        write_registers(path, TEMPLATE, register=register.key, language=language)  # type: ignore[arg-type]
        study = BARE.model_copy(update={"strategy": strategy})
        strategy, _ = apply_registers(strategy, read_registers(path, study))
    assert strategy is not None
    for register in REGISTERS:
        assert getattr(strategy, register.key) == getattr(TEMPLATE.strategy, register.key)


def test_a_csv_needs_its_register(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="a CSV file holds one register"):
        write_registers(tmp_path / "all.csv", TEMPLATE)


def _with_policy(name: Text, programme: str | None = None, goals: tuple[Text, ...] = ()) -> Study:
    policy = Policy(key="p", name=name, programme=programme, goals=goals)
    return BARE.model_copy(update={"strategy": Strategy(policies=(policy,))})


FORMULA = '=HYPERLINK("http://evil.example","klik")'


def test_formula_injection_csv_gets_an_apostrophe(tmp_path: Path) -> None:
    study = _with_policy(Text(nl=FORMULA), "-Sociaal", (Text(nl="@SUM(A1)"), Text(nl="+1")))
    path = tmp_path / "beleid.csv"
    write_registers(path, study, register="policies")
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",'-Sociaal," in text and "'@SUM(A1)\n'+1" in text
    # ... which the import takes off again.
    assert _roundtrip(study, path, register="policies").policies == study.strategy.policies  # type: ignore[union-attr]


def test_formula_injection_workbook_writes_string_cells(tmp_path: Path) -> None:
    study = _with_policy(Text(nl=FORMULA), "-Sociaal")
    path = tmp_path / "beleid.xlsx"
    write_registers(path, study)
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(archive.read(n).decode() for n in names)
    assert "<f>" not in xml and 't="inlineStr"' in xml
    assert "HYPERLINK" in xml and "'=HYPERLINK" not in xml  # the text itself, unchanged
    assert _roundtrip(study, path).policies == study.strategy.policies  # type: ignore[union-attr]


def test_text_columns_carry_a_language_only_when_needed() -> None:
    from koers.io.register_columns import POLICIES

    header, _ = register_table(_with_policy(Text(nl="Sport")), POLICIES, "nl")
    assert header[:2] == ["sleutel", "naam"]
    header, rows = register_table(_with_policy(Text(nl="Sport", en="Sports")), POLICIES, "en")
    assert header[:3] == ["key", "name (nl)", "name (en)"]
    assert rows[0][:3] == ["p", "Sport", "Sports"]


_WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=20,
).filter(lambda text: text == text.strip() and "\n" not in text)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=_WORDS, english=st.none() | _WORDS, programme=st.none() | _WORDS)
def test_any_text_round_trips(
    tmp_path: Path, name: str, english: str | None, programme: str | None
) -> None:
    study = _with_policy(Text(nl=name, en=english), programme, (Text(nl=name), Text(en=name)))
    for path in (tmp_path / "p.xlsx", tmp_path / "beleid.csv"):
        options = {} if path.suffix == ".xlsx" else {"register": "policies"}
        assert _roundtrip(study, path, **options).policies == study.strategy.policies  # type: ignore[union-attr]


def test_a_control_character_cannot_go_into_a_workbook(tmp_path: Path) -> None:
    score = PolicyScore(policy="p", scenario="overleven", participant="An\x01", score=1)
    study = _with_policy(Text(nl="Sport"))
    assert study.strategy is not None
    strategy = study.strategy.model_copy(update={"scores": (score,)})
    path = tmp_path / "registers.xlsx"
    with pytest.raises(ValidationError, match="scores register's deelnemer of row 2 holds a"):
        write_registers(path, study.model_copy(update={"strategy": strategy}))
    assert not path.exists()


def test_a_cell_without_a_header_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "beleid.csv"
    path.write_text("naam;;budget\nSport;vergeten;100\n", encoding="utf-8")
    [problem] = _raised(path)
    assert (problem.line, problem.column) == (2, 2)
    assert problem.message == (
        "column 2 holds 'vergeten' but has no header; remove it, or name the column"
    )
