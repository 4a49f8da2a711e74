"""Benchmarks at local-authority scale. Not tests: run with ``make bench`` (all) or ``make bench BENCH=name``.

Each ``bench/bench_<name>.py`` defines ``run(context) -> list[Result]``. The runner points Django at the
benchmark database (a synthetic council of ``BENCH_CHILDREN`` children, generated once and reused), runs
each benchmark and prints one line per measurement:

    BENCH <name> median_ms=<m> p95_ms=<p> n=<runs> scale=<what data>

Figures go into docs/benchmarks.md with the command that produced them. These machines are noisy: compare
ratios within one run and quote medians.
"""
