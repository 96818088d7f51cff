# The two commands of the README:
#   make run   - set up .venv from nothing, then run the main job on the bundled sample data
#   make test  - set up .venv from nothing, then run lint and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out
PYTEST_ARGS ?=

.PHONY: run test lint bench clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/interdiction check --input src/interdiction/data/samples/catalog.csv --column input \
		--output $(OUT)/catalog-verdicts.csv --report $(OUT)/catalog-report.html
	$(BIN)/interdiction screen src/interdiction/data/samples/manifest.csv --out $(OUT)/results

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check --quiet src tests benchmarks
	$(BIN)/mypy --strict src/interdiction

test: $(STAMP) lint
	$(BIN)/python -m pytest -q -n 2 --runslow $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/substances.py
	$(BIN)/python benchmarks/parties.py
	$(BIN)/python benchmarks/shipments.py --rows 200000

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .mypy_cache
