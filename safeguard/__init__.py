"""Safeguard: case management and oversight for children's social care."""
