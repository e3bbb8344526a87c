"""Write the Excel fixtures of this folder: ``python tests/data/signals/make_workbooks.py``.

The workbooks are made with openpyxl, so that the tests read cells of every kind Excel
stores: numbers, dates, text, booleans, error values and empty rows.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent


def good() -> None:
    """A note sheet first, then the ``Waarnemingen`` sheet with Dutch headers in odd order."""
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Toelichting"
    notes["A1"] = "Bron: eigen registratie"
    sheet = workbook.create_sheet("Waarnemingen")
    sheet.append(["Periode", "Indicator", "Regio", "Waarde"])
    sheet.append([dt.datetime(2021, 1, 31), "bijstand", "GM0344", 1234.5])  # row 2
    sheet.append([dt.date(2021, 2, 1), "bijstand", "GM0344", 1250])  # row 3
    sheet.append([])  # row 4 stays empty
    sheet.append(["2021-03", "bijstand", "GM0344", "1.234,5"])  # row 5: text, Dutch
    sheet.append(["2021-Q1", "faillissementen", "PV26", 17])  # row 6
    workbook.save(HERE / "good.xlsx")


def bad() -> None:
    """One sheet, one problem a row; the header starts in row 2 under a title row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Blad1"
    sheet.append([])  # row 1 empty
    sheet.append(["indicator", "region", "period", "value"])  # row 2
    sheet.append(["bijstand", "GM0344", "2021-13", 1])  # row 3: no month 13
    sheet.append(["bijstand", "GM0344", dt.datetime(2021, 2, 1), True])  # row 4: a boolean
    sheet.append(["bijstand", "GM0344", "2021-03", dt.date(2021, 3, 1)])  # row 5: a date
    sheet.append(["bijstand", "GM0344", "2021-04", "#DIV/0!"])  # row 6: an error value
    sheet.append(["faillissementen", "GM0344", 2021, 3])  # row 7: region and period
    sheet.append(["bijstand", "GM0344", "2021-05", "1234.5"])  # row 8: not Dutch notation
    workbook.save(HERE / "bad.xlsx")


if __name__ == "__main__":
    good()
    bad()
    shutil.copyfile(HERE / "good.xlsx", HERE / "workbook-named.csv")
