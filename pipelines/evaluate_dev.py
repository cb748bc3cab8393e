"""Accuracy on real text: run the pipeline on each dev set and score it against its gold incidents.

    python -m pipelines.evaluate_dev [--dev ../shared/dev] [--sets gva,ucdp,gtd] [--out eval.json] [--score-only]

Each set is a folder of the dev directory holding articles.jsonl and gold.jsonl. Its
database is built afresh at eval/<set>/casualties.duckdb (the pipeline reads only new or
changed files, so a database left from other code would not measure this code), by the
function `casualties run` uses. A set whose run fails is still scored on what its
database holds, the table says the run failed, and the exit code is 1. --score-only scores the databases
already there. The table shows each metric of each set with its hits and denominator,
under the commit measured; --out writes {set: {metric: share, ..., "denominators": {...},
"hits": {...}, "run": {...}}}.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casualties.evaluate_incidents import METRICS, IncidentEvaluation, evaluate_incidents, format_share
from pipelines.cli import run_pipeline

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DEV = PROJECT_ROOT.parent / "shared" / "dev"
EVAL_FOLDER = PROJECT_ROOT / "eval"


def git_commit() -> dict[str, Any]:
    def git(*arguments: str) -> str:
        return subprocess.run(["git", *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout.strip()

    return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


@dataclass(frozen=True)
class SetResult:
    name: str
    run_status: str  # 'succeeded', 'FAILED (exit N)' or 'not run'
    seconds: float | None
    evaluation: IncidentEvaluation


def dev_sets(dev: Path) -> list[str]:
    return sorted(folder.name for folder in dev.iterdir() if (folder / "gold.jsonl").is_file() and (folder / "articles.jsonl").is_file())


def run_set(folder: Path, database: Path) -> tuple[str, float]:
    """Build the database afresh; the run's own output goes to run.log beside it."""
    shutil.rmtree(database.parent, ignore_errors=True)
    database.parent.mkdir(parents=True)
    output = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        exit_code = run_pipeline(folder, database)
    seconds = time.perf_counter() - started
    (database.parent / "run.log").write_text(output.getvalue(), encoding="utf-8")
    return ("succeeded" if exit_code == 0 else f"FAILED (exit {exit_code})"), seconds


def commit_label() -> str:
    commit = git_commit()
    return f"{(commit['commit'] or 'unknown')[:7]}{'+dirty' if commit['dirty'] else ''}"


def table(results: list[SetResult], commit: str) -> str:
    header = ["metric", *(result.name for result in results)]
    rows = [
        [metric, *(f"{format_share(s)} ({s.hits}/{s.total})" for s in (r.evaluation.score(metric) for r in results))]
        for metric in METRICS
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [f"Accuracy on the dev sets at commit {commit}: share (hits/denominator); '-' where the denominator is 0", ""]
    for row in [header, ["-" * width for width in widths], *rows]:
        lines.append("  ".join([row[0].ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:]))]))
    lines.append("")
    for result in results:
        took = "" if result.seconds is None else f" in {result.seconds:.1f} s"
        e = result.evaluation
        lines.append(
            f"{result.name}: run {result.run_status}{took}; {e.incidents} incidents, {e.documents} documents "
            f"({e.documents_stored} distinct stored), {e.events} events"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="folder of the dev sets")
    parser.add_argument("--sets", default="", help="sets to run, comma- or space-separated (default: every set in --dev)")
    parser.add_argument("--out", type=Path, default=None, help="write the metrics as JSON to this file")
    parser.add_argument("--score-only", action="store_true", help="score the databases left by an earlier run")
    arguments = parser.parse_args(argv)
    if not arguments.dev.is_dir():
        print(f"evaluate_dev: dev folder {arguments.dev} does not exist", file=sys.stderr)
        return 2
    available = dev_sets(arguments.dev)
    wanted = arguments.sets.replace(",", " ").split() or available
    unknown = [name for name in wanted if name not in available]
    if unknown:
        print(f"evaluate_dev: no set {', '.join(unknown)} in {arguments.dev} (sets: {', '.join(available)})", file=sys.stderr)
        return 2
    commit = commit_label()
    results = []
    for name in wanted:
        folder, database = arguments.dev / name, EVAL_FOLDER / name / "casualties.duckdb"
        if arguments.score_only:
            if not database.exists():
                print(f"evaluate_dev: {database} does not exist; run without --score-only first", file=sys.stderr)
                return 2
            status, seconds = "not run", None
        else:
            print(f"{name}: running the pipeline into {database}", flush=True)
            status, seconds = run_set(folder, database)
            print(f"{name}: run {status} in {seconds:.1f} s (its output: {database.parent / 'run.log'})", flush=True)
        results.append(SetResult(name, status, seconds, evaluate_incidents(folder / "gold.jsonl", database)))
    print()
    print(table(results, commit))
    if arguments.out:
        figures = {
            r.name: {**r.evaluation.metrics(), "run": {"status": r.run_status, "seconds": r.seconds, "commit": commit}} for r in results
        }
        arguments.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"\nFigures written to {arguments.out}")
    return 1 if any(r.run_status.startswith("FAILED") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
