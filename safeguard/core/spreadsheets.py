"""Cells for CSV files that people open in a spreadsheet."""

import datetime

# A cell starting with one of these is read by Excel or LibreOffice as a formula (OWASP "CSV injection"):
# a name typed as "=HYPERLINK(...)" into a record must reach the export as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """``value`` as CSV text: dates in ISO form, nothing for None, and a formula made inert with a quote."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
