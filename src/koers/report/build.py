"""Build the board report: a :class:`~koers.report.content.Report` to PDF or HTML bytes.

The PDF is laid out by Typst (:mod:`koers.report.typst_layout`), the HTML by a Jinja
template (:mod:`koers.report.html_layout`); both read the same blocks, so the two formats
say the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from koers.report.content import Report
from koers.report.html_layout import html
from koers.report.typst_layout import pdf

__all__ = ["FORMATS", "Format", "build"]

Format = Literal["pdf", "html"]
FORMATS: tuple[Format, ...] = ("pdf", "html")


def build(report: Report, format: Format = "pdf", *, timestamp: dt.datetime | None = None) -> bytes:
    """``report`` as a PDF (``timestamp`` is written into it) or as one HTML file.

    Raises
    ------
    ValueError
        For another format.
    koers.errors.KoersError
        When the PDF cannot be laid out.
    """
    if format == "pdf":
        return pdf(report, timestamp=timestamp)
    if format == "html":
        return html(report)
    raise ValueError(f"unknown report format {format!r}; use one of: {', '.join(FORMATS)}")
