#!/usr/bin/env python
"""Django's usual entry point; ``safeguard`` (installed into .venv/bin) is the same thing."""

from safeguard.cli import main

if __name__ == "__main__":
    main()
