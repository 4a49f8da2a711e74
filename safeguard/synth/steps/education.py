"""Synthetic education (issue 9): filled in by the education work."""

from safeguard.synth.context import SynthContext


def run(ctx: SynthContext) -> None:
    return None
