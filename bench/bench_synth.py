"""Generating the synthetic council: ``safeguard synth`` into a fresh database, timed, with its peak memory.

The benchmark database already holds a council, and ``synth`` never writes into a populated database, so
this runs the command in a child process against a throwaway SQLite database in a temporary directory (or,
with ``BENCH_SYNTH_DATABASE_URL``, against that empty PostgreSQL database, which must be migrated and
empty). ``BENCH_SYNTH_CHILDREN`` sets the size (default: the benchmark council's size).

Prints the usual BENCH line (one run: generating 274,000 children takes about a minute on SQLite) and a
``BENCH_RSS`` line with the child process's peak resident memory.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Result

ROOT = Path(__file__).resolve().parent.parent


def _safeguard(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "-m", "safeguard.cli", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def run(context):
    children = int(os.environ.get("BENCH_SYNTH_CHILDREN", context.children))
    database_url = os.environ.get("BENCH_SYNTH_DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as var_dir:
        env = {**os.environ, "SAFEGUARD_VAR_DIR": var_dir}
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        vendor = "postgresql" if database_url else "sqlite"
        _safeguard("migrate", "--noinput", "--verbosity", "0", env=env)
        started = time.perf_counter()
        _safeguard(
            "synth", "--children", str(children), "--seed", "1", "--today", "2026-03-31", "--quiet", env=env
        )
        elapsed_ms = (time.perf_counter() - started) * 1000
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"BENCH_RSS synth_{vendor} peak_rss_mib={peak_mib:.0f} scale={children}_children", flush=True)
    return [Result(f"synth_{vendor}", [elapsed_ms], f"{children}_children")]
