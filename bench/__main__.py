"""``python -m bench [name ...]``: run the benchmarks against the benchmark database (see bench/__init__.py)."""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).parent


def available() -> list[str]:
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(BENCH_DIR)])
        if m.name.startswith("bench_")
    )


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench.context import BenchContext

    names = argv or available()
    unknown = [name for name in names if name not in available()]
    if unknown:
        print(
            f"No benchmark named {', '.join(unknown)}. Available: {', '.join(available())}", file=sys.stderr
        )
        return 2
    context = BenchContext.prepare()
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        for result in module.run(context):
            print(result.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
