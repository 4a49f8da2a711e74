"""``safeguard end_allocations WORKER --by MANAGER --reason "..."``: end every open allocation of a worker who
leaves or changes team, as the caseload page's "End all of this worker's allocations" does.

For an HR leavers' list or a bulk move between teams. It runs the same service, as the manager named by
``--by`` (their username), with the same checks and audit events: the command is not a way round the rules.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguard.allocation.services import worker_allocations_end
from safeguard.organisation.models import Worker


class Command(BaseCommand):
    help = "End every open allocation of a worker who leaves or changes team."

    def add_arguments(self, parser):
        parser.add_argument("worker", help="The username of the worker whose allocations end")
        parser.add_argument("--by", required=True, help="The username of the manager ending them")
        parser.add_argument("--reason", required=True, help="Why, e.g. 'Left the council on 20 November'")
        parser.add_argument("--date", help="Their last day holding the cases, YYYY-MM-DD (default: today)")

    def handle(self, *args, worker, by, reason, date=None, **options):
        users = get_user_model().objects
        found = Worker.objects.select_related("user").filter(user__username=worker).first()
        if found is None:
            raise CommandError(f"No worker has the username {worker!r}")
        manager = users.filter(username=by).first()
        if manager is None:
            raise CommandError(f"No user has the username {by!r}")
        try:
            end_date = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be a date as YYYY-MM-DD, not {date!r}") from error
        try:
            ended = worker_allocations_end(worker=found, ended_by=manager, end_date=end_date, reason=reason)
        except (PermissionDenied, ValidationError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        self.stdout.write(
            f"{len(ended)} allocation{'s' if len(ended) != 1 else ''} of {found.name} ended on {end_date:%-d %B %Y}."
        )
