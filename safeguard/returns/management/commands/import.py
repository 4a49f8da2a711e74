"""``safeguard import ...``: a council moving from another system loads its last returns (ADR 12).

    safeguard import cin-census FILE.xml [--year 2025] [--team NAME] [--as USERNAME] [--dry-run]
    safeguard import ssda903 FOLDER --year 2025 [--as USERNAME] [--dry-run]
    safeguard import annex-a FILE.xlsx [--as-of 2026-06-30] [--team NAME] [--as USERNAME] [--dry-run]

The import is all or nothing: the report (what was created, what was matched to records already held,
every child rejected and why, every oddity the reader noted) goes to stdout, progress to stderr. Exit
status: 0 imported (or, with --dry-run, it would import); 1 refused, nothing written; 2 bad usage or a
file that cannot be read.

The import is recorded as done by ``--as`` (a performance analyst or the director); without it, by the
only active performance analyst, if there is exactly one.
"""

import datetime
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from safeguard.core.years import FIRST_YEAR, CollectionYear
from safeguard.organisation.models import Role, Team, Worker
from safeguard.returns.imports.common import Unreadable

MAX_BYTES = 200 * 1024 * 1024  # a large city's census is some 30 MB


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _year(text: str) -> CollectionYear:
    try:
        year = CollectionYear.parse(text)
    except ValueError:
        raise _fail(
            f"{text!r} is not a collection year: give the year it ends, e.g. 2025 for 2024-25"
        ) from None
    if year.end_year < FIRST_YEAR:
        raise _fail(f"Safeguard holds the DfE rules from {CollectionYear(FIRST_YEAR)}; {year} is earlier")
    return year


class Command(BaseCommand):
    help = (
        "Import a council's CIN census XML, SSDA903 CSV files or Ofsted Annex A workbook from its old system, "
        "all or nothing."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        cin = sub.add_parser("cin-census", help="A CIN census XML file")
        cin.add_argument("file")
        cin.add_argument("--year", help="The collection year, when the file does not say it (e.g. 2025)")
        cin.add_argument("--team", help="The team new episodes are recorded against (its name)")
        lac = sub.add_parser("ssda903", help="A folder of SSDA903 CSV files")
        lac.add_argument("folder")
        lac.add_argument("--year", required=True, help="The collection year (CSV files do not say it)")
        annex = sub.add_parser("annex-a", help="An Ofsted Annex A workbook (.xlsx)")
        annex.add_argument("file")
        annex.add_argument(
            "--as-of",
            help="The date the lists were made as of (YYYY-MM-DD), when the workbook's title does not say",
        )
        annex.add_argument("--team", help="The team imported contacts are recorded against (its name)")
        for each in (cin, lac, annex):
            each.add_argument("--dry-run", action="store_true", help="Check and report; write nothing")
            each.add_argument("--as", dest="username", help="The analyst or director doing the import")

    def handle(self, *args, kind, **options):
        self.started = time.monotonic()
        user = self._user(options.get("username"))
        try:
            run = {"cin-census": self._cin_census, "ssda903": self._ssda903, "annex-a": self._annex_a}[kind]
            report = run(user, options)
        except Unreadable as error:
            raise _fail(str(error)) from None
        except PermissionDenied as error:
            raise _fail(str(error)) from None
        self.stdout.write("\n".join(report.lines()))
        if report.refused:
            self.progress("Refused: nothing was written")
            sys.exit(1)
        self.progress("Done" if not report.dry_run else "Dry run done: nothing was written")

    def progress(self, message: str) -> None:
        self.stderr.write(f"[{time.monotonic() - self.started:5.1f}s] {message}")

    def _user(self, username: str | None):
        users = get_user_model().objects
        if username:
            user = users.filter(username=username, is_active=True).first()
            if user is None:
                raise _fail(f"No active user {username!r}")
            return user
        analysts = list(
            Worker.objects.filter(role=Role.PERFORMANCE_ANALYST, user__is_active=True).select_related("user")[
                :2
            ]
        )
        if len(analysts) != 1:
            raise _fail("Say who is importing: --as USERNAME (a performance analyst or the director)")
        return analysts[0].user

    def _read(self, path: Path) -> bytes:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise _fail(f"{path} is larger than {MAX_BYTES // 2**20} MB")
            return path.read_bytes()
        except OSError as error:
            raise _fail(f"Could not read {path}: {error.strerror}") from None

    def _team(self, name: str | None) -> Team | None:
        if not name:
            return None
        team = Team.objects.select_related("area").filter(name=name).first()
        if team is None:
            raise _fail(f"No team {name!r}")
        return team

    def _annex_a(self, user, options):
        from safeguard.returns.imports.annex_a import import_annex_a

        path = Path(options["file"])
        if path.is_dir():
            raise _fail(f"{path} is a folder: give the Annex A workbook (.xlsx)")
        as_of = None
        if options.get("as_of"):
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise _fail(
                    f"{options['as_of']!r} is not a date: give it as YYYY-MM-DD, e.g. 2026-06-30"
                ) from None
        team = self._team(options.get("team"))
        data = self._read(path)
        self.progress(f"Importing {path}")
        return import_annex_a(
            data=data,
            file_name=path.name,
            imported_by=user,
            as_of=as_of,
            team=team,
            dry_run=options["dry_run"],
            progress=self.progress,
        )

    def _cin_census(self, user, options):
        from safeguard.returns.imports.cin_census import import_cin_census

        path = Path(options["file"])
        if path.is_dir():
            raise _fail(f"{path} is a folder: give the CIN census XML file")
        data = self._read(path)
        team = None
        if options.get("team"):
            team = Team.objects.select_related("area").filter(name=options["team"]).first()
            if team is None:
                raise _fail(f"No team {options['team']!r}")
        self.progress(f"Importing {path}")
        return import_cin_census(
            data=data,
            file_name=path.name,
            imported_by=user,
            year=_year(options["year"]) if options.get("year") else None,
            team=team,
            dry_run=options["dry_run"],
            progress=self.progress,
        )

    def _ssda903(self, user, options):
        from safeguard.returns.imports.ssda903 import import_ssda903

        folder = Path(options["folder"])
        if not folder.is_dir():
            raise _fail(f"{folder} is not a folder of SSDA903 CSV files")
        year = _year(options["year"])
        self.progress(f"Importing the SSDA903 files in {folder}")
        return import_ssda903(
            folder=folder, imported_by=user, year=year, dry_run=options["dry_run"], progress=self.progress
        )
