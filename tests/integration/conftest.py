"""Fixtures of the integration tests: a var/ with the current model, a running Landsby."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.landsby import Landsby, fresh_var, run_landsby


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh var/ holding only the model for the current training data."""
    return fresh_var(tmp_path_factory.mktemp("landsby") / "var")


@pytest.fixture(scope="module")
def landsby(var_dir: Path) -> Iterator[Landsby]:
    with run_landsby(var_dir) as running_landsby:
        yield running_landsby
