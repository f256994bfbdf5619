# Two commands matter: `make run` and `make test`. Each bootstraps .venv from nothing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export LEYE_HOST ?= 127.0.0.1
export LEYE_PORT ?= 8000
# The demo runs on public demo keys for residents' data; a deployment sets LEYE_DATA_KEYS instead.
export LEYE_DEMO ?= 1

.PHONY: run test lint bench venv db fixtures clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

db: $(STAMP)
	$(BIN)/leye-yiyang db upgrade

fixtures: db
	$(BIN)/leye-yiyang fixtures load

run: fixtures
	$(BIN)/leye-yiyang serve

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench geo
	$(BIN)/mypy src
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
