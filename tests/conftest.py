"""Shared fixtures. ``data_dir`` is a fresh data folder (see ``datadir.DataDir``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from datadir import DataDir


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    """An empty data folder; add the minimal package with ``data_dir.add_package()``."""
    return DataDir(tmp_path / "data")
