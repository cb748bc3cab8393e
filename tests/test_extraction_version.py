"""The extracted asset's code version covers the extraction's code, data and model."""

import shutil
from pathlib import Path

from assets.extracted import CASUALTIES_PACKAGE, EXTRACTION_DISTRIBUTIONS, EXTRACTION_SOURCES, MENTIONS_SPEC, rules_version, source_version


def copy_of_the_extraction(folder: Path) -> Path:
    return Path(shutil.copytree(CASUALTIES_PACKAGE / "extract", folder / "extract", ignore=shutil.ignore_patterns("__pycache__")))


def test_editing_an_extraction_source_changes_the_version(tmp_path: Path):
    extraction = copy_of_the_extraction(tmp_path)
    before = source_version([extraction], EXTRACTION_DISTRIBUTIONS)
    assert source_version([CASUALTIES_PACKAGE / "extract"], EXTRACTION_DISTRIBUTIONS) == before  # wherever it lies
    source = extraction / "numbers.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert source_version([extraction], EXTRACTION_DISTRIBUTIONS) != before


def test_a_new_pattern_file_or_another_model_changes_the_version(tmp_path: Path):
    extraction = copy_of_the_extraction(tmp_path)
    before = source_version([extraction], EXTRACTION_DISTRIBUTIONS)
    assert source_version([extraction], EXTRACTION_DISTRIBUTIONS[:1]) != before
    (extraction / "patterns" / "more.jsonl").write_text('{"pattern": "slain"}\n', encoding="utf-8")
    assert source_version([extraction], EXTRACTION_DISTRIBUTIONS) != before


def test_the_asset_is_versioned_by_its_sources():
    assert MENTIONS_SPEC.code_version == rules_version() == source_version(EXTRACTION_SOURCES, EXTRACTION_DISTRIBUTIONS)
