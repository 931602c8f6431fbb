# islandcare: `make run` sets up and runs the default Shengsi scenario; `make test` sets up and tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test validate lint bench clean

# Re-installs only when pyproject.toml changed (or the venv is new): quick and idempotent.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python run.py

test: install
	$(BIN)/python -m pytest -q

validate: install
	$(BIN)/python -m pytest -q -m slow

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python benchmarks/bench_sim.py

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache
