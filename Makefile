# islandcare: `make run` sets up and runs the default Shengsi scenario; `make test` sets up and tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install report-deps run test validate lint bench clean

# Re-installs only when pyproject.toml changed (or the venv is new): quick and idempotent.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python run.py

# The report test renders the page in headless Chromium; Chinese island names need a CJK font. Debian
# packages, installed only when missing and only where apt-get exists (root); otherwise that test skips.
REPORT_DEBS := chromium fonts-noto-cjk
report-deps:
	@if dpkg -s $(REPORT_DEBS) >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "Installing $(REPORT_DEBS) for the report test (Debian packages)"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			$(REPORT_DEBS); } >/dev/null 2>&1 || echo "Could not install $(REPORT_DEBS): the browser test will skip"; \
	else echo "No apt-get: $(REPORT_DEBS) not installed, the browser test will skip"; fi

test: install report-deps
	$(BIN)/python -m pytest -q

validate: install
	$(BIN)/python -m pytest -q -m slow

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python benchmarks/bench_sim.py

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache
