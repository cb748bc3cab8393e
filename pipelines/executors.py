"""Which executor runs launched from the UI, a sensor or a schedule take: configuration,
read from CASUALTIES_EXECUTOR when the code location loads.

- `in_process` (the default): every step of a run in the run's own process. DuckDB admits
  one writing process, and the spaCy model is loaded once per run, not once per step.
- `multiprocess`: each step in a process of its own, at most CASUALTIES_MAX_CONCURRENT
  (default 1) at a time. More than one at a time needs steps that write separate files
  (docs/scaling.md): two steps writing one DuckDB file would lock each other out.
- `<module>:<attribute>`: any Dagster executor importable where the code location runs,
  such as `dagster_k8s:k8s_job_executor` or `dagster_celery:celery_executor`.

`casualties run` is not affected: it materializes in its own process.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from dagster import ExecutorDefinition, in_process_executor, multiprocess_executor

EXECUTOR_VARIABLE = "CASUALTIES_EXECUTOR"
MAX_CONCURRENT_VARIABLE = "CASUALTIES_MAX_CONCURRENT"


def executor_from_environment(environment: Mapping[str, str]) -> ExecutorDefinition:
    choice = environment.get(EXECUTOR_VARIABLE, "in_process").strip()
    if choice == "in_process":
        return in_process_executor
    if choice == "multiprocess":
        max_concurrent = environment.get(MAX_CONCURRENT_VARIABLE, "1")
        if not max_concurrent.isdigit() or int(max_concurrent) < 1:
            raise ValueError(f"{MAX_CONCURRENT_VARIABLE} must be a whole number of at least 1, got {max_concurrent!r}")
        return multiprocess_executor.configured({"max_concurrent": int(max_concurrent)})
    module_name, _, attribute = choice.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"{EXECUTOR_VARIABLE} must be in_process, multiprocess or <module>:<attribute>, got {choice!r}")
    executor = getattr(importlib.import_module(module_name), attribute, None)
    if not isinstance(executor, ExecutorDefinition):
        raise ValueError(f"{EXECUTOR_VARIABLE}={choice!r} does not name a Dagster executor")
    return executor
