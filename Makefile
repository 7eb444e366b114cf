# One command to set up and run the app, one to set up and run the tests.
.PHONY: run test setup setup-dev lint format bench fuzz-long check-catalog layer-coverage clean

PY := .venv/bin/python
PORT ?= 8501

run: setup            ## set up .venv and start the app on http://localhost:$(PORT)
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: setup-dev       ## set up .venv (+ graphviz, chromium), then lint, the import contracts and the whole test suite
	$(PY) -m ruff check .
	.venv/bin/lint-imports --no-cache
	$(PY) -m pytest

setup:
	@scripts/setup.sh app

setup-dev:
	@scripts/setup.sh dev

lint: setup-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache

format: setup-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: setup-dev      ## run every benchmark; each prints ratios measured in the same run
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf .venv .pytest_cache .ruff_cache artifacts

check-catalog: setup-dev  ## compare every catalog entry with the installed Keras (names, defaults, order)
	$(PY) scripts/check_catalog.py

layer-coverage: setup-dev  ## regenerate docs/LAYERS.md: every keras.layers class, in the catalog, refused (why) or not yet
	$(PY) scripts/layer_coverage.py

fuzz-long: setup-dev  ## the long differential fuzzing profile (10,000 random graphs vs Keras)
	$(PY) benchmarks/bench_fuzz_long.py --n 10000
