"""Synthetic learning (issue 9): filled in by the learning work."""

from safeguard.synth.context import SynthContext


def run(ctx: SynthContext) -> None:
    return None
