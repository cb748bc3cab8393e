"""The README and docs/ say what the code does: generated parts are current, links lead
somewhere, and the commands and options they show exist (the example queries run in
test_seeds_pipeline.py, on the seeds' database)."""

import re
from pathlib import Path

import pytest
from dagster import AssetSpec

from casualties.schema_doc import TABLES_PAGE, tables_page
from pipelines.asset_graph import BEGIN, END, asset_graph_mermaid, readme_section
from pipelines.cli import parser
from pipelines.definitions import defs

PROJECT = Path(__file__).resolve().parents[1]
README = PROJECT / "README.md"
DOCS = PROJECT / "docs"


def test_table_reference_matches_the_contract():
    assert TABLES_PAGE.read_text(encoding="utf-8") == tables_page(), "run: python -m casualties.schema_doc"


def test_readme_asset_graph_matches_the_definitions():
    text = README.read_text(encoding="utf-8")
    shown = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert shown == readme_section(defs), "run: python -m pipelines.asset_graph"


def test_readme_first_commands_are_run_and_test():
    text = README.read_text(encoding="utf-8")
    first_block = text.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    assert "make test" in (PROJECT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", [README, *sorted(DOCS.glob("*.md"))], ids=lambda path: path.name)
def test_every_link_to_a_file_leads_to_one(page: Path):
    targets = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8"))
    missing = [target for target in targets if not (page.parent / target).exists()]
    assert not missing


def test_every_make_target_named_is_in_the_makefile():
    targets = set(re.findall(r"^([a-z]+):", (PROJECT / "Makefile").read_text(encoding="utf-8"), flags=re.MULTILINE))
    named = set(re.findall(r"`make ([a-z]+)`", README.read_text(encoding="utf-8") + (DOCS / "commands.md").read_text(encoding="utf-8")))
    assert named and named <= targets


def test_every_cli_option_in_the_command_reference_exists(capsys: pytest.CaptureFixture[str]):
    lines = (DOCS / "commands.md").read_text(encoding="utf-8").splitlines()
    rows = [(match.group(1), line) for line in lines if (match := re.match(r"^\| `casualties (\w+)", line))]
    assert [command for command, _ in rows] == ["run", "query", "evaluate"]
    for command, line in rows:
        with pytest.raises(SystemExit):
            parser().parse_args([command, "--help"])
        options = set(re.findall(r"--[a-z][a-z-]*", capsys.readouterr().out))
        assert set(re.findall(r"--[a-z][a-z-]*", line)) <= options, line


def test_asset_graph_arrows_join_whole_groups_only():
    specs = [
        AssetSpec("a", group_name="one"),
        AssetSpec("b", group_name="one"),
        AssetSpec("c", deps=["a", "b"], group_name="two"),
        AssetSpec("d", deps=["a"], group_name="two"),
        AssetSpec("e", deps=["c", "d"], group_name="three"),
        AssetSpec("f", deps=["c", "d"], group_name="three"),
    ]
    arrows = [line.strip() for line in asset_graph_mermaid(specs).splitlines() if "-->" in line]
    assert arrows == ["stage_one --> c", "a --> d", "stage_two --> stage_three"]
