"""``safeguard compliance record-breaches``: mark the deadlines that passed unmet (run once a day)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from safeguard.compliance.services import deadlines_record_breaches


class Command(BaseCommand):
    help = "Statutory deadlines: record-breaches marks every open deadline past its day as breached."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        record = sub.add_parser("record-breaches", help="Mark open deadlines past their day as breached")
        record.add_argument("--today", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, action, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--today must be a date as YYYY-MM-DD, not {today!r}") from error
        marked = deadlines_record_breaches(today=day)
        self.stdout.write(f"{marked} deadline{'s' if marked != 1 else ''} newly recorded as breached.")
