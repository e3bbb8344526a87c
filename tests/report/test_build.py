"""The board report of the demo study, read back as a person would: its text, fonts and pages.

The demo is the Corona template for Utrecht (GM0344) with its synthetic observations
imported (as in tests/services/test_signals_service.py). The PDF is rendered to PNG pages
in ``artefacts/report/`` (not committed) for a person to look at.

Expected values come from the template and its data file, not from the report code:
- the scenario names of corona-lokale-besturen.yaml (Overbruggen/Bridging, ...);
- inwoners 2023-12 = 369592 in corona-lokale-besturen.observations.csv, the latest value,
  which the chart labels: "369.592" in Dutch, "369,592" in English;
- sociale-samenhang 2023 = 6.1 in the same file: "6,1" in Dutch, "6.1" in English;
- the report date 2026-11-27 given below and the horizon 2028-12-31 of the template;
- the summary's window: the latest month is 2023-12, so "since" is 1 October 2023 (the last
  three months: October, November, December); the alerts in it are rioolwater-virus
  (nieuwe-golf) and schuldhulp-aanmeldingen (drukte), both amber, in 2023-12;
- the decisions: the template's strategy lets go of "Lokale economie en ondernemersloket"
  and "Begrotingsreserves op peil" (in English "Local economy and business desk" and "Keeping
  the budget reserves up"): their standing verdicts, worked out by hand in
  tests/templates/test_template_strategy.py.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from koers.model import Study
from koers.report.build import build
from koers.report.content import Cover, Figure, Heading, Paragraph, Report, Table
from koers.services import signals, targets
from koers.services.report import ReportOptions, build_report
from koers.services.studies import (
    DEMO_MUNICIPALITY,
    create_study,
    demo_observations,
    new_study,
)

ARTEFACTS = Path(__file__).parents[2] / "artefacts" / "report"
TODAY = dt.date(2026, 11, 27)
STAMP = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> targets.FileTarget:
    study: Study = new_study(
        "corona-lokale-besturen", organisation="Gemeente Utrecht", municipality=DEMO_MUNICIPALITY
    )
    path = tmp_path_factory.mktemp("demo") / "demo.yaml"
    create_study(study, path)
    found = targets.FileTarget(path, study)
    signals.import_file(found, demo_observations(), now=STAMP)
    return found


@pytest.fixture(scope="module")
def pdfs(target: targets.FileTarget, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    made = {}
    for language in ("nl", "en"):
        options = ReportOptions(language=language, today=TODAY)  # type: ignore[arg-type]
        path = folder / f"demo-{language}.pdf"
        path.write_bytes(build_report(target, "pdf", options, timestamp=STAMP))
        made[language] = path
    return made


def _text(path: Path, *pages: int) -> str:
    first = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    result = subprocess.run(
        ["pdftotext", "-layout", *first, str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def _flat(text: str) -> str:
    """The text with hyphenation undone and all white space single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"[\u00ad-]\s*\n\s*", "", text))


@needs_poppler
def test_the_dutch_report_names_scenarios_indicators_and_decisions(pdfs: dict[str, Path]) -> None:
    text = _flat(_text(pdfs["nl"]))
    for scenario in ("Overbruggen", "Overleven", "Aanpassen", "Transformeren"):
        assert scenario in text
    for indicator in ("Virus in rioolwater", "Inwoners", "Meldingen bij Veilig Thuis"):
        assert indicator in text
    summary = _flat(_text(pdfs["nl"], 3))
    assert "Samenvatting" in summary
    assert "1 oktober 2023" in summary  # the start of the last three months of data
    assert "Virus in rioolwater" in summary and "Aanmeldingen schuldhulpverlening" in summary
    assert "Lokale economie en ondernemersloket loslaten" in summary
    assert "Begrotingsreserves op peil loslaten" in summary
    decisions = re.findall(r"(?m)^\s*[1-9]\. ", _text(pdfs["nl"], 3))
    assert 3 <= len(decisions) <= 5


@needs_poppler
def test_dutch_numbers_and_dates(pdfs: dict[str, Path]) -> None:
    text = _flat(_text(pdfs["nl"]))
    assert "27 november 2026" in text  # the report's date
    assert "31 december 2028" in text  # the horizon
    assert "369.592" in text  # inwoners, 2023-12
    assert "6,1" in text  # sociale samenhang, 2023
    assert "369,592" not in text


@needs_poppler
def test_english_numbers_dates_and_names(pdfs: dict[str, Path]) -> None:
    text = _flat(_text(pdfs["en"]))
    for scenario in ("Bridging", "Surviving", "Adapting", "Transforming"):
        assert scenario in text
    assert "Virus in wastewater" in text
    assert "27 November 2026" in text
    assert "369,592" in text and "6.1" in text
    assert "Summary" in text and "Contents" in text
    assert "1 October 2023" in text
    assert "Let go of Keeping the budget reserves up" in text
    assert "Let go of Local economy and business desk" in text


@needs_poppler
def test_every_font_is_embedded_and_the_pages_are_a4(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True)
        rows = listing.stdout.decode().splitlines()[2:]
        assert rows, "the PDF has fonts"
        for row in rows:
            assert row.split()[-5] == "yes", f"not embedded: {row}"
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True)
        assert "595.276 x 841.89 pts (A4)" in info.stdout.decode()
        assert re.search(r"Tagged:\s+yes", info.stdout.decode())


@needs_poppler
def test_the_pages_are_rendered_for_a_person_to_look_at(pdfs: dict[str, Path]) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for language, path in pdfs.items():
        for old in ARTEFACTS.glob(f"{language}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", str(path), str(ARTEFACTS / language)], check=True
        )
        shutil.copy(path, ARTEFACTS / path.name)
        pages = sorted(ARTEFACTS.glob(f"{language}-*.png"))
        assert len(pages) >= 10


def test_the_html_is_one_self_contained_file(target: targets.FileTarget) -> None:
    page = build_report(target, "html", ReportOptions(language="nl", today=TODAY)).decode()
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page and "Overbruggen" in page and "27 november 2026" in page
    assert "<script" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "@import" not in page and "<link" not in page


def test_study_text_is_printed_not_obeyed(tmp_path: Path) -> None:
    # Typst markup and escapes in a study's words must come out as they were written.
    odd = 'Beleid *vet* #let x = 1 "quote" \\ back $x$ <label> @ref'
    report = Report(
        "nl",
        Cover(odd, "ondertitel", "Gemeente", (("Datum", "27 november 2026"),)),
        "Inhoud",
        "pagina",
        (Heading(odd), Paragraph(odd), Table(("a",), ((odd,),)), Figure(None, odd, odd)),
    )
    pdf = build(report, "pdf", timestamp=STAMP)
    assert pdf.startswith(b"%PDF")
    if POPPLER:
        path = tmp_path / "odd.pdf"
        path.write_bytes(pdf)
        text = _flat(_text(path))
        assert text.count("*vet* #let x = 1") >= 4
        assert '"quote" \\ back $x$ <label> @ref' in text
