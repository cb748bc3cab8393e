"""Shared fixtures: the real seed articles from ../shared/seeds, skipped only where absent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
DEMO = PROJECT_ROOT / "data" / "demo"


@pytest.fixture
def seeds_dir() -> Path:
    if not (SEEDS / "gold.json").exists():
        pytest.skip(f"seed articles not found at {SEEDS} (../shared is absent)")
    return SEEDS


@pytest.fixture
def seed_input(seeds_dir: Path, tmp_path: Path) -> Path:
    """A copy of the seed articles alone, without their README and gold file."""
    folder = tmp_path / "input"
    folder.mkdir()
    for article in sorted(seeds_dir.glob("*.txt")):
        shutil.copy(article, folder / article.name)
    return folder


@pytest.fixture(autouse=True)
def throwaway_dagster_instance(monkeypatch):
    """Runs started by tests go to an ephemeral instance, never a developer's DAGSTER_HOME."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
