"""``safeguard demo_code <username>``: the code a demo persona's authenticator app shows now."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.synth.personas import DEFAULT_DEMO_PASSWORD, demo_code


class Command(BaseCommand):
    help = (
        "Print the 6-digit code a demo persona's authenticator app shows now, to sign in to the demo. "
        "Works only for the personas of synthetic data made with the given demo password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="a persona's username, e.g. socialworker")
        parser.add_argument("--demo-password", default=DEFAULT_DEMO_PASSWORD)

    def handle(self, *args, username: str, demo_password: str, **options):
        code = demo_code(username, demo_password)
        if code is None:
            raise CommandError(
                f"{username!r} is not a demo persona whose authenticator was made with that demo password"
            )
        self.stdout.write(code)
