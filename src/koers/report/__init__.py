"""The board report and its figures: plain data in, SVG (and later PDF) out.

:mod:`koers.report.figures` draws the charts that the web dashboard and the report share.
"""
