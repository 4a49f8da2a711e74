"""Synthetic incidents (issue 9): filled in by the incidents work."""

from safeguard.synth.context import SynthContext


def run(ctx: SynthContext) -> None:
    return None
