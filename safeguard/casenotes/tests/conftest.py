"""Fixtures for case notes and documents: each test keeps its documents in its own temporary folder."""

import pytest


@pytest.fixture(autouse=True)
def document_store(settings, tmp_path):
    """Every test keeps its documents in its own temporary folder."""
    settings.VAR_DIR = tmp_path
    return tmp_path / "documents"
