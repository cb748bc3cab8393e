from pathlib import Path

from casualties.schema_doc import BEGIN, END, tables_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_table_reference_matches_the_contract():
    text = README.read_text(encoding="utf-8")
    generated = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert generated == tables_markdown(), "run: python -m casualties.schema_doc"


def test_readme_first_commands_are_run_and_test():
    text = README.read_text(encoding="utf-8")
    first_block = text.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    assert "make test" in (README.parent / ".ci" / "run").read_text(encoding="utf-8")
