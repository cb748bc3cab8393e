"""Imports point one way (pipelines -> assets -> data_quality -> casualties), and no
module imports a private module of a dependency."""

import ast
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Each package with the packages it may import; it may always import itself.
LAYERS = {
    "casualties": set(),
    "data_quality": {"casualties"},
    "assets": {"casualties", "data_quality"},
    "pipelines": {"casualties", "data_quality", "assets"},
}


def imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.append(node.module)
    return modules


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_a_package_imports_only_the_layers_below_it_and_no_private_module(package: str):
    reaching_up, private = [], []
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in LAYERS and top != package and top not in LAYERS[package]:
                reaching_up.append(f"{path.relative_to(PROJECT_ROOT)}: {module}")
            if top not in LAYERS and any(part.startswith("_") for part in module.split(".")[1:]):
                private.append(f"{path.relative_to(PROJECT_ROOT)}: {module}")
    assert reaching_up == []
    assert private == []
