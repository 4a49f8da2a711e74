"""What the check modules share."""

import datetime


def day_text(day: datetime.date | None) -> str:
    """``3 June 2024``: a date as a page shows it, in a failure's detail."""
    return f"{day.day} {day:%B %Y}" if day else "no date"
