"""Values and frames as Markdown, for what the UI shows of a table or a failed check."""

from __future__ import annotations

import polars as pl

CELL_CHARS = 60


def markdown_cell(value: object, limit: int = CELL_CHARS) -> str:
    """One value as a Markdown table cell: on one line, pipes escaped, cut to `limit` characters."""
    text = "" if value is None else str(value).replace("\n", " ").replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown_table(frame: pl.DataFrame) -> str:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(markdown_cell(value) for value in row) + " |" for row in frame.iter_rows()]
    return "\n".join([header, rule, *rows])
