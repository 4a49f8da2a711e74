"""A synthetic city for a test module: generated once, inside a transaction rolled back after the module."""

from contextlib import contextmanager

from django.db import transaction

from safeguard.synth.runner import generate


@contextmanager
def synthetic_city(django_db_blocker, **options):
    """``generate(**options)``'s result. Tests that use it also take ``db``, so each runs in a savepoint
    inside this transaction."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            result = generate(**options)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield result
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
