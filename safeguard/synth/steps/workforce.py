"""Step ``workforce``: not written yet."""

from safeguard.synth.context import SynthContext


def run(ctx: SynthContext) -> None:
    return None
