# islandcare: `make run` sets up and runs the default Shengsi scenario; `make test` sets up and tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install report-fonts report-deps run test validate lint bench clean

# Re-installs only when pyproject.toml changed (or the venv is new): quick and idempotent.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install report-fonts
	$(BIN)/python run.py

# Debian packages, installed only when missing and only where apt-get exists (root). The Chinese report's
# figures need a CJK font (without one they are drawn in English, and the report says so); the report
# test also renders the page in headless Chromium (without it, that test skips).
REPORT_FONTS := fonts-noto-cjk
REPORT_DEBS := chromium $(REPORT_FONTS)
define apt_install
	@if dpkg -s $(1) >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "Installing $(1) ($(2); Debian packages)"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			$(1); } >/dev/null 2>&1 || echo "Could not install $(1): $(3)"; \
	else echo "No apt-get: $(1) not installed: $(3)"; fi
endef

report-fonts:
	$(call apt_install,$(REPORT_FONTS),Chinese figures in the report,the Chinese report's figures will be in English)

report-deps:
	$(call apt_install,$(REPORT_DEBS),the report and its browser test,the browser test will skip)

test: install report-deps
	$(BIN)/python -m pytest -q

validate: install
	$(BIN)/python -m pytest -q -m slow

# A one-node SLURM cluster on this machine (root; installs slurm-wlm, slurmdbd, munge, mariadb-server with
# apt-get where missing), a 4-job sweep through hydra/launcher=slurm, compared with the local launcher's.
# About a minute; daemons stopped on exit. See scripts/cluster_test.sh and README "Sweeps on a SLURM cluster".
.PHONY: cluster-test
cluster-test: install
	scripts/cluster_test.sh

# The Hydra Ray launcher (pip install -e ".[ray]") in a venv of its own (build/venv-ray), tested against a
# local Ray head its test starts and stops. About 2 minutes with the install. See scripts/ray_test.sh.
.PHONY: ray-test
ray-test:
	scripts/ray_test.sh

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python benchmarks/bench_sim.py

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache
