"""The ``safeguard`` command: the one entry point for command-line work.

``safeguard synth ...``, ``safeguard migrate``, ``safeguard runserver``: every Django management command,
including Safeguard's own, is available behind it.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["safeguard", *sys.argv[1:]])


if __name__ == "__main__":
    main()
