"""Benchmark: generate a scale corpus, run the pipeline on it, and say how fast and how right it was.

    python -m bench.run --n 2000 --out bench-2000.json [--processes 1,2] [--keep DIR] [--seed 0]

One run does, in order:

1. generates n articles and their gold file (bench.scale_corpus), timed;
2. runs the job the sensor starts (`process_new_articles`) as the sensor's runs go, each a
   process of its own (`dagster job execute`, the instance in SQLite on disk under the work
   folder): first on the corpus less its newest rounds (1% of its documents), the full
   build; then, from a copy of that database, on the whole corpus, the run that takes the
   new 1% (three times); then three runs that find nothing new (a file touched). Each
   gives its wall time, its peak RSS, and from the run's event records in the instance
   its own duration and each step's; a fresh process then times what any run loads
   (imports, the definitions, the database, Great Expectations, gazetteer, lexicon, model);
3. rebuilds a second database stage by stage, each stage in a fresh subprocess of this
   module, so each one's wall time and peak RSS are its own (model loading excluded from
   the time, included in the RSS); then extraction again with each other --processes value;
4. runs the bare statistical model (the extractor's own pipes, without its components or
   its prefilter) over the same cleaned story texts: the floor the extraction is compared to;
5. scores the pipeline's database against the scale gold, and times an analyst query on it;
6. times Dagster alone: runs of a job with the pipeline's assets and checks, in the same
   steps, whose bodies do nothing (part of what a run that finds nothing new costs).

It prints a table and writes the figures as JSON. Nothing here changes the pipeline.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipelines.evaluate_dev import git_commit

PROJECT_ROOT = Path(__file__).resolve().parents[1]
STAGES = ("raw", "cleaned", "extracted", "reconciled")
MIB = 1024 * 1024
# The pipeline's own batch size for nlp.pipe (assets.resources.SpacyExtractor), used for the bare model too.
NLP_BATCH_SIZE = 64
DEADLIEST_EVENTS = """
SELECT e.location, e.country_code, e.date_start, e.kind, f.low, f.best, f.high, e.n_sources
FROM events AS e JOIN event_figures AS f USING (event_id)
WHERE f.casualty_type = 'killed' AND f.victim_group IS NULL
ORDER BY f.best DESC, e.date_start DESC
LIMIT 10
"""
QUERY_REPEATS = 5
# The job the sensor starts, and the tag that tells the bench's runs apart in the instance.
SENSOR_JOB = "process_new_articles"
BENCH_TAG = "bench"
# The incremental run takes the corpus's newest rounds, at least this share of its documents;
# it and the run that finds nothing new are each timed this many times.
NEW_ARTICLES_SHARE = 0.01
REPEATS = 3
ROUND_FOLDER = re.compile(r"r\d{5}/")


def rss_mb(kilobytes: int) -> float:
    """ru_maxrss is in KiB on Linux."""
    return round(kilobytes / 1024, 1)


def file_mb(path: Path) -> float:
    """A DuckDB database with its write-ahead log, if one is left."""
    size = sum(candidate.stat().st_size for candidate in (path, path.with_name(path.name + ".wal")) if candidate.exists())
    return round(size / MIB, 2)


# ---------------------------------------------------------------- stage workers (one subprocess each)


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = work()
    return round(time.perf_counter() - started, 3), value


def run_stage(stage: str, database: Path, input_folder: Path | None, n_process: int) -> dict[str, Any]:
    """Run one stage on the database; its wall time excludes imports and model loading."""
    from casualties.db import connect

    result: dict[str, Any] = {"stage": stage}
    if stage == "raw":
        from casualties.stages import load_raw

        with connect(database) as conn:
            seconds, counts = timed(lambda: vars(load_raw(conn, input_folder)))
    elif stage == "cleaned":
        from casualties.stages import build_stories

        with connect(database) as conn:
            seconds, counts = timed(lambda: build_stories(conn, full_refresh=True))
    elif stage == "extracted":
        from casualties.extract import build_extractor
        from casualties.stages import extract_mentions

        result["model_load_seconds"], extractor = timed(build_extractor)
        with connect(database) as conn:
            # The rules version only tags extraction_log rows of this throwaway copy.
            seconds, counts = timed(
                lambda: extract_mentions(conn, extractor, "benchcopy", full_refresh=True, batch_size=NLP_BATCH_SIZE, n_process=n_process)
            )
        result["n_process"] = n_process
        result["prefilter"] = vars(extractor.stats)
    elif stage == "reconciled":
        from casualties.stages import reconcile_events

        with connect(database) as conn:
            seconds, counts = timed(lambda: reconcile_events(conn))
    elif stage == "bare_model":
        seconds, counts = run_bare_model(database, result)
    elif stage == "fixed_costs":
        seconds, counts = timed(lambda: fixed_costs(database))
    else:
        raise ValueError(f"unknown stage {stage!r}")
    result["seconds"] = seconds
    result["counts"] = counts
    result["peak_rss_mb"] = rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    # The extraction's worker processes when n_process > 1: the largest of them.
    result["worker_peak_rss_mb"] = rss_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    result["database_mb"] = file_mb(database)
    return result


def run_bare_model(database: Path, result: dict[str, Any]) -> tuple[float, dict[str, int]]:
    """nlp.pipe over every cleaned story text, with the pipes the extractor loads."""
    import spacy

    from casualties.db import connect
    from casualties.extract import MODEL_NAME, UNUSED_PIPES

    result["model_load_seconds"], nlp = timed(lambda: spacy.load(MODEL_NAME, exclude=list(UNUSED_PIPES)))
    result["pipes"] = nlp.pipe_names
    with connect(database, read_only=True) as conn:
        texts = [text for (text,) in conn.execute("SELECT text FROM stories ORDER BY story_id").fetchall()]
    seconds, tokens = timed(lambda: sum(len(doc) for doc in nlp.pipe(texts, batch_size=NLP_BATCH_SIZE)))
    return seconds, {"stories": len(texts), "tokens": tokens}


def worker_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run worker")
    parser.add_argument("stage", choices=[*STAGES, "bare_model", "fixed_costs"])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--input", type=Path)
    parser.add_argument("--processes", type=int, default=1)
    arguments = parser.parse_args(argv)
    print(json.dumps(run_stage(arguments.stage, arguments.db, arguments.input, arguments.processes)))
    return 0


def stage_in_subprocess(stage: str, database: Path, input_folder: Path | None = None, n_process: int = 1) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.run", "worker", stage, "--db", str(database), "--processes", str(n_process)]
    if input_folder is not None:
        command += ["--input", str(input_folder)]
    print(f"  {stage}{f' ({n_process} process(es))' if stage == 'extracted' else ''} ...", file=sys.stderr, flush=True)
    completed = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"stage {stage} failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the benchmark


def sensor_run(articles: Path, database: Path, dagster_home: Path, processes: int, label: str) -> dict[str, Any]:
    """The job the sensor starts, as a process of its own: `dagster job execute` loads the
    definitions, opens the database, finds what is new in the input folder and runs every
    step and check on it, as the run launcher's process does for a sensor's run request.
    The run is recorded in the instance at dagster_home (SQLite on disk, as under `make ui`),
    tagged with the label; its step times are read back from its event records."""
    executable = Path(sys.executable).with_name("dagster")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "dagster"]
    command += ["job", "execute", "-m", "pipelines.definitions", "-j", SENSOR_JOB, "--tags", json.dumps({BENCH_TAG: label})]
    environment = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        "CASUALTIES_INPUT": str(articles),
        "CASUALTIES_DB": str(database),
        "CASUALTIES_PROCESSES": str(processes),
    }
    log_file = dagster_home / f"{label}.log"
    print(f"  {label} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    with log_file.open("w", encoding="utf-8") as log:
        child = subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        # wait4: this child's own peak RSS, the largest of it and its extraction workers.
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    exit_code = os.waitstatus_to_exitcode(status)
    if exit_code != 0:
        raise RuntimeError(f"{label}: dagster job execute failed ({exit_code}):\n{log_file.read_text(encoding='utf-8')[-4000:]}")
    return {
        "label": label,
        "processes": processes,
        "wall_seconds": round(wall, 2),
        "peak_rss_mb": rss_mb(usage.ru_maxrss),
        "database_mb": file_mb(database),
        **recorded_run(dagster_home, label),
    }


def recorded_run(dagster_home: Path, label: str) -> dict[str, Any]:
    """The run tagged with the label, from the instance's records: how long it ran from its
    RUN_START to its end, each step's own time (STEP_START to STEP_SUCCESS or STEP_FAILURE),
    the events it stored and its checks' verdicts."""
    from dagster import DagsterEventType, DagsterInstance, RunsFilter

    instance = DagsterInstance.local_temp(tempdir=str(dagster_home))
    (record,) = instance.get_run_records(RunsFilter(tags={BENCH_TAG: label}), limit=1)
    run_id = record.dagster_run.run_id
    step_started: dict[str, float] = {}
    steps: dict[str, float] = {}
    run_started = run_ended = None
    run_and_step_events = {
        DagsterEventType.RUN_START, DagsterEventType.RUN_SUCCESS, DagsterEventType.RUN_FAILURE,
        DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE,
    }
    for entry in instance.all_logs(run_id, of_type=run_and_step_events):
        kind = entry.dagster_event_type
        if kind == DagsterEventType.STEP_START:
            step_started[entry.step_key] = entry.timestamp
        elif kind in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            steps[entry.step_key] = round(entry.timestamp - step_started[entry.step_key], 3)
        elif kind == DagsterEventType.RUN_START:
            run_started = entry.timestamp
        else:
            run_ended = entry.timestamp
    if record.dagster_run.status.value != "SUCCESS" or run_started is None or run_ended is None:
        raise RuntimeError(f"{label}: run {run_id} ended {record.dagster_run.status.value}")
    evaluations = [
        entry.dagster_event.event_specific_data
        for entry in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    ]
    failed = [f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}" for evaluation in evaluations if not evaluation.passed]
    return {
        "run_id": run_id,
        "run_seconds": round(run_ended - run_started, 3),
        "step_seconds": steps,
        "events_stored": len(instance.all_logs(run_id)),
        "checks": {"passed": len(evaluations) - len(failed), "failed": failed},
    }


def repeated_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median run of a few (by wall time), with the range of the others."""
    walls = sorted(run["wall_seconds"] for run in runs)
    median = min(runs, key=lambda run: abs(run["wall_seconds"] - statistics.median(walls)))
    return {"seconds": round(statistics.median(walls), 2), "range": [walls[0], walls[-1]], "median_run": median, "runs": runs}


def dagster_bookkeeping_seconds(runs: int = 10) -> float:
    """The median time of a run of a job shaped like `process_new_articles` (the same assets
    and checks in the same steps) whose bodies do nothing, in an in-memory instance, after
    one run to warm up, logging as `casualties run` does without --verbose: what Dagster's steps and events cost
    every run of the pipeline.
    As in a run of good new articles, the assets materialized only when they changed
    (skippable) are not, and their checks are skipped."""
    from dagster import AssetCheckResult, AssetChecksDefinition, AssetsDefinition, DagsterInstance, Definitions, MaterializeResult
    from dagster import define_asset_job, multi_asset, multi_asset_check

    from pipelines.cli import console_log_config
    from pipelines.definitions import ASSET_CHECKS, ASSETS

    def doing_nothing(definition: AssetsDefinition) -> AssetsDefinition:
        specs = list(definition.specs)

        # Unannotated: Dagster resolves a body's annotations, which this module keeps as strings.
        @multi_asset(specs=specs, name=definition.node_def.name)
        def materialize_unchanged():
            for spec in specs:
                if not spec.skippable:
                    yield MaterializeResult(asset_key=spec.key)

        return materialize_unchanged

    def passing(definition: AssetChecksDefinition) -> AssetChecksDefinition:
        specs = list(definition.check_specs)

        @multi_asset_check(specs=specs, name=definition.node_def.name)
        def pass_every_check():
            for spec in specs:
                yield AssetCheckResult(asset_key=spec.asset_key, check_name=spec.name, passed=True)

        return pass_every_check

    job = Definitions(
        assets=[doing_nothing(definition) for definition in ASSETS],
        asset_checks=[passing(definition) for definition in ASSET_CHECKS],
        jobs=[define_asset_job("pipeline_shape")],
    ).resolve_job_def("pipeline_shape")
    instance = DagsterInstance.ephemeral()
    timings = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        if not job.execute_in_process(instance=instance, run_config=console_log_config(False)).success:
            raise RuntimeError("a run of the pipeline's shape with empty bodies failed")
        timings.append(time.perf_counter() - started)
    return round(statistics.median(timings[1:]), 3)


def newest_rounds(gold: Path, share: float) -> tuple[list[str], int]:
    """The corpus's last round folders, whole (their JSONL files with them), that hold at
    least `share` of its documents: the new articles of an incremental run."""
    documents = json.loads(gold.read_text(encoding="utf-8"))["documents"]
    by_round = Counter(key.split("/", 1)[0] for key in documents if ROUND_FOLDER.match(key))
    wanted = math.ceil(share * len(documents))
    chosen: list[str] = []
    for folder in sorted(by_round, reverse=True):
        if sum(by_round[name] for name in chosen) >= wanted:
            break
        chosen.append(folder)
    return chosen, sum(by_round[name] for name in chosen)


def fixed_costs(database: Path) -> dict[str, float]:
    """What a run loads whatever it carries, each timed in this fresh process in the order a
    run meets it (an import's time leaves out what earlier ones imported already); the
    database is opened and closed as a run's resource does."""
    import importlib

    costs: dict[str, float] = {}
    costs["import_dagster"], _ = timed(lambda: importlib.import_module("dagster"))
    costs["definitions_load"], _ = timed(lambda: importlib.import_module("pipelines.definitions"))
    from assets.resources import DuckDB

    costs["duckdb_open"], conn = timed(DuckDB(database=str(database)).opened_database)
    costs["duckdb_close"], _ = timed(conn.close)
    costs["import_great_expectations"], _ = timed(lambda: importlib.import_module("great_expectations"))
    from casualties.places import gazetteer

    costs["gazetteer_load"], _ = timed(gazetteer)
    from casualties.extract import load_pipeline
    from casualties.extract.lexicon import load_lexicon

    costs["lexicon_load"], _ = timed(load_lexicon)
    costs["spacy_model_load"], _ = timed(load_pipeline)  # with our components, the lexicon loaded already
    return costs


def python_start_seconds(repeats: int = 3) -> float:
    """The median time to start this Python and exit: what every process pays first."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        timings.append(time.perf_counter() - started)
    return round(statistics.median(timings), 3)


def time_query(database: Path) -> tuple[float, list[dict[str, Any]]]:
    """Median of a few runs of the deadliest-events query on a read-only connection."""
    from casualties.db import connect

    timings = []
    with connect(database, read_only=True) as conn:
        for _ in range(QUERY_REPEATS):
            started = time.perf_counter()
            cursor = conn.execute(DEADLIEST_EVENTS)
            rows = cursor.fetchall()
            timings.append(time.perf_counter() - started)
        columns = [column[0] for column in cursor.description]
    return round(statistics.median(timings), 4), [dict(zip(columns, (str(value) if value is not None else None for value in row))) for row in rows]


def corpus_counts(database: Path) -> dict[str, int]:
    from casualties.db import connect

    with connect(database, read_only=True) as conn:
        documents, stories, words = conn.execute(
            "SELECT (SELECT count(*) FROM documents), count(*), coalesce(sum(n_words), 0) FROM stories"
        ).fetchone()
        mentions, events = conn.execute("SELECT (SELECT count(*) FROM casualty_mentions), count(*) FROM events").fetchone()
    return {"documents": documents, "stories": stories, "words": int(words), "mentions": mentions, "events": events}


def scale_gold_scores(gold: Path, database: Path) -> dict[str, Any]:
    from casualties.evaluate import evaluate

    scores = evaluate(gold, database).to_dict()
    mentions, events = scores["mentions"], scores["events"] or {}
    gold_events = events.get("gold_events", 0)
    return {
        "recall": mentions["recall"],
        "precision": mentions["precision"],
        "events_exact": events.get("exact_events", 0) / gold_events if gold_events else None,
        "gold_mentions": mentions["gold_mentions"],
        "found_mentions": mentions["found_mentions"],
        "extracted": mentions["extracted"],
        "correct": mentions["correct"],
        "claims_leaked": mentions["claims_leaked"],
        "gold_events": gold_events,
        "exact_events": events.get("exact_events", 0),
        "extra_events": len(events.get("extra_events", [])),
    }


def per_second(amount: int, seconds: float) -> float | None:
    return round(amount / seconds, 1) if seconds > 0 else None


def run_benchmark(n: int, work: Path, processes: list[int], seed: int) -> dict[str, Any]:
    from bench.scale_corpus import generate

    load_before = os.getloadavg()
    # The code measured: the commit when the run starts (one may be made while it runs).
    measured = git_commit()
    print(f"generating {n} articles in {work} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    articles = generate(n, work / "corpus", seed)
    generation_seconds = round(time.perf_counter() - started, 2)
    gold = articles.parent / "gold.json"

    print(f"the sensor's job, each run a process of its own: the full build, {REPEATS} runs of the newest 1%, {REPEATS} that find nothing new ...", file=sys.stderr, flush=True)
    dagster_home = work / "dagster_home"
    dagster_home.mkdir()
    database = work / "pipeline.duckdb"
    new_rounds, new_articles = newest_rounds(gold, NEW_ARTICLES_SHARE)
    held_back = work / "held_back"
    held_back.mkdir()
    for folder in new_rounds:
        (articles / folder).rename(held_back / folder)
    full_build = sensor_run(articles, database, dagster_home, max(processes), "full_build")
    built = work / "built.duckdb"
    shutil.copyfile(database, built)
    for folder in new_rounds:
        (held_back / folder).rename(articles / folder)
    new_runs = []
    for repeat in range(REPEATS):
        shutil.copyfile(built, database)
        new_runs.append(sensor_run(articles, database, dagster_home, max(processes), f"new_articles_{repeat}"))
    # The sensor starts a run when the folder's listing changes: a touched file is read
    # again, and its text is stored already.
    touched = sorted((articles / new_rounds[0]).rglob("*.txt"))[-1]
    nothing_new_runs = []
    for repeat in range(REPEATS):
        os.utime(touched)
        nothing_new_runs.append(sensor_run(articles, database, dagster_home, max(processes), f"nothing_new_{repeat}"))
    loads = stage_in_subprocess("fixed_costs", built)

    print("stage by stage, each in its own process:", file=sys.stderr, flush=True)
    stage_database = work / "stages.duckdb"
    stage_runs = {}
    for stage in STAGES:
        stage_runs[stage] = stage_in_subprocess(stage, stage_database, articles if stage == "raw" else None, processes[0])
    extraction_by_processes = {processes[0]: stage_runs["extracted"]}
    for n_process in processes[1:]:
        extraction_by_processes[n_process] = stage_in_subprocess("extracted", stage_database, n_process=n_process)
    bare = stage_in_subprocess("bare_model", stage_database)

    counts = corpus_counts(database)
    stages = {
        stage: {
            "seconds": run["seconds"],
            "documents_per_second": per_second(counts["documents"], run["seconds"]),
            "words_per_second": per_second(counts["words"], run["seconds"]),
            "peak_rss_mb": run["peak_rss_mb"],
            "database_mb": run["database_mb"],
            **({key: run[key] for key in ("model_load_seconds", "n_process", "prefilter")} if stage == "extracted" else {}),
        }
        for stage, run in stage_runs.items()
    }
    bare_words_per_second = per_second(counts["words"], bare["seconds"])
    one_core = extraction_by_processes.get(1, {}).get("seconds")
    two_cores = extraction_by_processes.get(2, {}).get("seconds")
    query_seconds, deadliest = time_query(database)
    print("scoring against the scale gold ...", file=sys.stderr, flush=True)
    scores = scale_gold_scores(gold, database)
    print("Dagster alone: the pipeline's steps and checks with empty bodies ...", file=sys.stderr, flush=True)
    dagster_alone = dagster_bookkeeping_seconds()
    new_articles_run, nothing_new_run = repeated_runs(new_runs), repeated_runs(nothing_new_runs)
    return {
        "n": n,
        "seed": seed,
        **measured,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": [round(value, 2) for value in load_before],
            "load_average_after": [round(value, 2) for value in os.getloadavg()],
        },
        "corpus": {**counts, "generation_seconds": generation_seconds},
        "full_build": full_build,
        "incremental": {
            "full_build_seconds": full_build["wall_seconds"],
            "new_articles": new_articles,
            "new_rounds": len(new_rounds),
            "new_articles_run": new_articles_run,
            "share_of_full_build": round(new_articles_run["seconds"] / full_build["wall_seconds"], 3),
            "nothing_new_run": nothing_new_run,
            "nothing_new_share_of_full_build": round(nothing_new_run["seconds"] / full_build["wall_seconds"], 3),
            "fixed_costs": {"python_start": python_start_seconds(), **loads["counts"]},
            "dagster_bookkeeping_seconds": dagster_alone,
        },
        "peak_rss_mb": full_build["peak_rss_mb"],
        "stages": stages,
        "bare_model": {
            "seconds": bare["seconds"],
            "words_per_second": bare_words_per_second,
            "tokens": bare["counts"]["tokens"],
            "pipes": bare["pipes"],
            "peak_rss_mb": bare["peak_rss_mb"],
        },
        "ratio_to_bare_model": round(stages["extracted"]["words_per_second"] / bare_words_per_second, 3)
        if stages["extracted"]["words_per_second"] and bare_words_per_second
        else None,
        "extraction_by_processes": {
            str(n_process): {
                "seconds": run["seconds"],
                "words_per_second": per_second(counts["words"], run["seconds"]),
                "peak_rss_mb": run["peak_rss_mb"],
                "worker_peak_rss_mb": run["worker_peak_rss_mb"],
            }
            for n_process, run in extraction_by_processes.items()
        },
        "speedup_two_cores": round(one_core / two_cores, 3) if one_core and two_cores else None,
        "scale_gold": scores,
        "query_seconds": query_seconds,
        "deadliest_events": deadliest,
    }


def format_table(results: dict[str, Any]) -> str:
    def number(value: float | int | None, decimals: int = 0) -> str:
        return "-" if value is None else f"{value:,.{decimals}f}"

    corpus, full, bare = results["corpus"], results["full_build"], results["bare_model"]
    incremental = results["incremental"]
    new, nothing = incremental["new_articles_run"], incremental["nothing_new_run"]

    def steps(run: dict[str, Any]) -> str:
        return ", ".join(f"{step} {seconds:.2f}" for step, seconds in run["step_seconds"].items())

    rows = [["stage", "seconds", "docs/s", "words/s", "peak RSS MB", "database MB"]]
    for stage, figures in results["stages"].items():
        rows.append(
            [stage, number(figures["seconds"], 2), number(figures["documents_per_second"], 1), number(figures["words_per_second"]),
             number(figures["peak_rss_mb"]), number(figures["database_mb"], 1)]
        )
    rows.append(
        [f"full build, the sensor's job ({full['processes']} processes)", number(full["wall_seconds"], 2), number(per_second(corpus["documents"], full["wall_seconds"]), 1),
         number(per_second(corpus["words"], full["wall_seconds"])), number(full["peak_rss_mb"]), number(full["database_mb"], 1)]
    )
    rows.append(["bare model (nlp.pipe)", number(bare["seconds"], 2), "-", number(bare["words_per_second"]), number(bare["peak_rss_mb"]), "-"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(value.ljust(width) if i == 0 else value.rjust(width) for i, (value, width) in enumerate(zip(row, widths))) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    gold = results["scale_gold"]
    by_processes = ", ".join(f"{key} process(es): {value['seconds']:.1f} s" for key, value in results["extraction_by_processes"].items())
    lines += [
        "",
        f"corpus: {results['n']:,} articles, {corpus['stories']:,} stories, {corpus['words']:,} words; generated in {corpus['generation_seconds']} s",
        f"extraction words/s / bare model words/s: {number(results['ratio_to_bare_model'], 2)}",
        f"extraction {by_processes}; speedup on two cores: {number(results['speedup_two_cores'], 2)}",
        f"scale gold: recall {number(gold['recall'], 4)}, precision {number(gold['precision'], 4)}, events exact {number(gold['events_exact'], 4)}"
        f" ({gold['exact_events']:,} of {gold['gold_events']:,}; {gold['extra_events']:,} extra events)",
        f"{incremental['new_articles']:,} new articles after a full build of the others: {new['seconds']:.1f} s"
        f" ({new['range'][0]:.1f} to {new['range'][1]:.1f}), {incremental['share_of_full_build']:.1%} of the full build's {incremental['full_build_seconds']:.1f} s",
        f"a run that finds nothing new: {nothing['seconds']:.1f} s ({nothing['range'][0]:.1f} to {nothing['range'][1]:.1f}), of which"
        f" the run {nothing['median_run']['run_seconds']:.1f} s: {steps(nothing['median_run'])}",
        f"loaded by a run whatever it carries: {', '.join(f'{name} {seconds:.2f} s' for name, seconds in incremental['fixed_costs'].items())};"
        f" Dagster's steps and events {incremental['dagster_bookkeeping_seconds']:.2f} s (the same steps and checks doing nothing)",
        f"deadliest-events query: {results['query_seconds'] * 1000:.1f} ms (median of {QUERY_REPEATS});"
        f" checks of the full build: {full['checks']['passed']} passed, failed: {', '.join(full['checks']['failed']) or 'none'}",
        f"load average before / after: {results['machine']['load_average_before'][0]} / {results['machine']['load_average_after'][0]}",
        f"commit {results['commit']}{' with uncommitted changes' if results['dirty'] else ''}",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["worker"]:
        return worker_main(arguments[1:])
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="articles to generate")
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write the figures to")
    parser.add_argument(
        "--processes",
        default="1,2",
        help="worker process counts to time the extraction with; the first one fills the stage table, the largest runs the CLI",
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep the corpus and databases in this (new or empty) folder")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(arguments)
    processes = [int(value) for value in options.processes.split(",") if value.strip()]
    if not processes or min(processes) < 1:
        parser.error("--processes takes positive integers, e.g. 1,2")
    if options.keep is not None:
        options.keep.mkdir(parents=True, exist_ok=True)
        if any(options.keep.iterdir()):
            parser.error(f"--keep {options.keep}: the folder must be new or empty")
    work = options.keep or Path(tempfile.mkdtemp(prefix="casualties-bench-"))
    try:
        results = run_benchmark(options.n, work.resolve(), processes, options.seed)
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(format_table(results))
    print(f"\nwritten to {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
