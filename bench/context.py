"""The benchmark database: a synthetic council at local-authority scale, made once and reused."""

import os
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client

from safeguard.frontdoor.models import Contact
from safeguard.people.models import Child
from tests.signing_in import identity_confirmed

# The under-18 population of a large English city (DOMAIN.md §5; Birmingham's is about 274,000).
DEFAULT_CHILDREN = 274_000
# Leadership's figures (issue 6) are asked of a large city with five years of history.
DEFAULT_YEARS = 5


@dataclass
class BenchContext:
    children: int

    @property
    def scale(self) -> str:
        return f"{self.children}_children"

    @classmethod
    def prepare(cls) -> "BenchContext":
        call_command("migrate", verbosity=0)
        wanted = int(os.environ.get("BENCH_CHILDREN", DEFAULT_CHILDREN))
        years = int(os.environ.get("BENCH_YEARS", DEFAULT_YEARS))
        if not Child.objects.exists():
            print(
                f"Generating the benchmark council ({wanted} children, {years} years); this is done once.",
                flush=True,
            )
            call_command("synth", children=wanted, years=years, seed=1, if_empty=True)
        elif not Contact.objects.exists():
            # Generated before the synth step ``frontdoor`` existed: synth never adds to a populated database.
            where = (
                f"the PostgreSQL database {connection.settings_dict['NAME']!r} (drop and create it again)"
                if connection.vendor == "postgresql"
                else "var/bench/ (rm -rf var/bench)"
            )
            raise SystemExit(
                "The benchmark database was generated before the front door step and has no contacts. "
                f"Delete {where} and run `make bench` again: it is generated afresh (1-2 minutes)."
            )
        return cls(children=Child.objects.count())

    def client_for(self, username: str) -> Client:
        """Signed in as ``username``, who has just confirmed who they are, so exports do not stop to ask."""
        client = Client()
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        return identity_confirmed(client, user)
