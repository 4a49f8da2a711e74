"""``safeguard synth``: generate a synthetic local authority (fictional people) for the demo, tests and benchmarks.

    safeguard synth --children 2000 --years 3 --seed 1 [--today 2026-03-31] [--demo-password ...]
                    [--if-empty] [--quiet]

The same seed and ``--today`` give the same data. It refuses to touch a database that already has children;
``--if-empty`` turns "already generated" into success, printing the demo personas again (for ``make demo``).
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from safeguard.synth.models import SyntheticDataset
from safeguard.synth.personas import (
    DEFAULT_DEMO_PASSWORD,
    format_personas,
    known_demo_password,
    persona_summary,
)
from safeguard.synth.runner import SynthRefused, generate


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today must be a date like 2026-03-31, not {text!r}") from error


class Command(BaseCommand):
    help = "Generate a synthetic local authority: organisation, staff, children, families and allocations."
    # Generating data needs the models, not the pages: run even while the page templates are being set up.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=2000, help="Children under 18 (default 2000).")
        parser.add_argument("--years", type=int, default=3, help="Years of history (default 3).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--today", type=_date, default=None, help="Generate as of this date, YYYY-MM-DD (default: today)."
        )
        parser.add_argument(
            "--demo-password",
            default=DEFAULT_DEMO_PASSWORD,
            help=f"Password for the demo personas (default {DEFAULT_DEMO_PASSWORD!r}).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="If a synthetic dataset already exists, do nothing and exit 0 (printing the personas).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bars or summary.")
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Rows per INSERT batch (default 5000)."
        )

    def handle(self, *args, **options):
        if options["children"] < 1 or options["years"] < 1:
            raise CommandError("--children and --years must be at least 1.")
        password = options["demo_password"]
        existing = SyntheticDataset.objects.order_by("-created_at").first()
        if options["if_empty"] and existing is not None:
            if not options["quiet"]:
                self.stdout.write(f"Synthetic data already present ({existing}); nothing generated.")
            self.stdout.write(format_personas(persona_summary(existing.today), known_demo_password(password)))
            return
        began = time.monotonic()
        try:
            result = generate(
                seed=options["seed"],
                children=options["children"],
                years=options["years"],
                today=options["today"],
                demo_password=password,
                quiet=options["quiet"],
                batch_size=options["batch_size"],
            )
        except SynthRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        dataset = result.dataset
        if not options["quiet"]:
            counts = dataset.counts["rows"]
            self.stdout.write(self.style.SUCCESS(f"Generated {dataset} in {time.monotonic() - began:.1f}s."))
            for label, count in counts.items():
                self.stdout.write(f"  {label:<28} {count:>10,}")
            summary = dataset.counts.get("allocations", {})
            if summary:
                self.stdout.write(
                    f"  open cases: {summary['open_children']:,} children "
                    f"({summary['unallocated_children']:,} unallocated)"
                )
        self.stdout.write(format_personas(persona_summary(result.context.today), password))
