"""Write the Excel fixtures of this folder: ``python tests/data/strategy/make_workbooks.py``.

The workbooks are made with openpyxl, so that the tests read cells as Excel stores them:
numbers, text, line breaks inside a cell, booleans, and extra sheets.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

HERE = Path(__file__).parent


def policy_list() -> None:
    """A new user's policy list: Dutch headers, no keys, on 'Blad1' beside an empty 'Blad2'."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Blad1"
    sheet.append(
        ["Naam", "Programma", "Portefeuillehouder", "Budget", "Periode", "Omschrijving", "Doelen"]
    )
    sheet.append(
        [
            "Armoedebeleid en schuldhulp",
            "Sociaal domein",
            "J. de Vries",
            1250000,
            "2022-2026",
            "Hulp bij armoede en schulden",
            "Minder huishoudens in armoede\nSchulden vroeg signaleren",
        ]
    )  # row 2
    sheet.append(
        ["Ondersteuning lokale ondernemers", "Economie", "A. Bakker", "€ 250.000", 2023, None, None]
    )  # row 3: the budget as Dutch text, the period one year
    sheet.append(
        ["Stadsfestival", "Cultuur", "A. Bakker", 90000.5, "2022 t/m 2025", None, None]
    )  # row 4
    workbook.create_sheet("Blad2")
    workbook.save(HERE / "beleid.xlsx")


def bad() -> None:
    """A scores sheet with one problem a row (policies of the Corona template)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Scores"
    sheet.append(["beleid", "scenario", "deelnemer", "score"])
    sheet.append(["schuldhulpverlening", "overleven", "Anna", 5])  # row 2: out of range
    sheet.append(["schuldhulpverlening", "overleven", "Bram", True])  # row 3: a boolean
    sheet.append(["woningbouw", "overleven", "Anna", 1])  # row 4: an unknown policy
    sheet.append(["schuldhulpverlening", "aanpassen", "Anna", 1.5])  # row 5: not whole
    workbook.save(HERE / "bad.xlsx")


def unknown_sheet() -> None:
    """A good policies sheet beside a sheet of notes that is no register."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Beleid"
    sheet.append(["naam"])
    sheet.append(["Stadsfestival"])
    notes = workbook.create_sheet("Notities")
    notes.append(["Besproken in de raad"])
    workbook.save(HERE / "unknown-sheet.xlsx")


if __name__ == "__main__":
    policy_list()
    bad()
    unknown_sheet()
