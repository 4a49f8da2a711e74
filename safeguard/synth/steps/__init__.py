"""The steps that build a synthetic local authority, in the order they run.

Adding a step (a later issue adding contacts, referrals or casework does this):

1. Write ``safeguard/synth/steps/<name>.py`` with a module docstring saying what it makes and at what
   rates (cite DOMAIN.md §5 or the statistics release), and a function ``run(ctx: SynthContext) -> None``.
2. Append ``Step("<name>", <name>.run)`` to ``STEPS`` below, after the steps whose output it reads.
3. In ``run``:
   - draw every random number from ``ctx.rng``. The runner gives each step its own stream, seeded from
     the seed and the step's name, so a new step never changes what the earlier steps generate, and the
     same ``--seed`` and ``--today`` give the same data;
   - date things relative to ``ctx.today``, within ``ctx.history_start`` .. ``ctx.today`` (``--years``);
     ``ctx.random_date(start, end)`` helps;
   - scale counts from ``ctx.children`` with ``rates.per_10k`` (put new national rates in ``rates.py``);
   - read what earlier steps made from ``ctx.org`` (teams, case holders, IROs, personas), ``ctx.population``
     (compact per-child arrays: ids, dates of birth, areas, flags, households) and ``ctx.cases`` (the open
     cases, allocated or waiting, with their kind, team and start date);
   - write rows through ``with ctx.writer(ModelA, ModelB) as out: out.add(obj)``, which bulk-creates in
     batches of ``ctx.batch_size`` (parents first, in the order given); when rows of one model must refer
     to rows of another made in the same step, number them yourself from ``ctx.next_ids(Model)`` and call
     ``ctx.reset_sequences(Model)`` at the end (see ``population``);
   - keep ids and tuples, never model instances, and make no query per row;
   - show progress with ``bar = ctx.progress(total, "<name>")``; ``bar.update(k)``; ``bar.close()``;
   - hand anything later steps need on through a new typed attribute of ``SynthContext`` (or
     ``ctx.extra["<name>"]``), and put a summary in ``ctx.extra["<name>"]``: it is saved on the dataset row;
   - write no ``AuditEvent``: the runner writes one for the whole generation.
4. Add tests under ``safeguard/synth/tests/`` (rates within tolerance at ``--children 5000``, determinism).

A step runs inside the generation's one transaction: if it fails, nothing of the run is kept.
"""

from collections.abc import Callable
from dataclasses import dataclass

from safeguard.synth.context import SynthContext
from safeguard.synth.steps import (
    allocations,
    casework,
    education,
    frontdoor,
    incidents,
    leadership,
    learning,
    lookedafter,
    organisation,
    oversight,
    population,
    restrictions,
    sharing,
    socialworkers,
    workforce,
)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[SynthContext], None]


STEPS: list[Step] = [
    Step("organisation", organisation.run),
    Step("population", population.run),
    Step("allocations", allocations.run),
    Step("frontdoor", frontdoor.run),
    Step("casework", casework.run),
    Step("lookedafter", lookedafter.run),
    Step("socialworkers", socialworkers.run),
    Step("oversight", oversight.run),
    Step("workforce", workforce.run),
    Step("leadership", leadership.run),
    Step("restrictions", restrictions.run),
    Step("sharing", sharing.run),
    Step("education", education.run),
    Step("incidents", incidents.run),
    Step("learning", learning.run),
]
